"""Running an outbox sender to completion on a manual clock."""

from __future__ import annotations

from bot.core.clock import ManualClock
from bot.delivery import Sender


async def drain_all(s: Sender, clock: ManualClock, limit: int = 10_000) -> None:
    """Run the sender to completion, moving the clock instead of sleeping."""
    s.pace = instant
    for _ in range(limit):
        sent, wait = await s.drain_once()
        if (
            not sent
            and not await s.due()
            and not await s.store.scalar("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
        ):
            return
        if not sent:
            clock.advance(seconds=max(wait, 0.01))
    raise AssertionError("outbox did not drain")


async def instant(_: float) -> None:
    """Pacing without waiting: the manual clock decides what the limits allow."""
