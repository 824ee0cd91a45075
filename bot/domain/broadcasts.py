"""Broadcasts: one message to every reachable registered person, through the outbox."""

from __future__ import annotations

from bot.core.clock import Clock, to_db
from bot.core.messages import Outgoing
from bot.delivery import BatchCounts, Outbox, Recipient
from bot.domain.access import Scope
from bot.domain.audit import Audit
from bot.domain.people import People
from bot.storage.sqlite import Store, Tx


class Broadcasts:
    """Queues broadcasts and says who asked for each, so they can be told the result."""

    def __init__(self, store: Store, clock: Clock, outbox: Outbox, audit: Audit, people: People):
        self.store = store
        self.clock = clock
        self.outbox = outbox
        self.audit = audit
        self.people = people

    async def send(
        self, actor: str, channel: str, admin_chat: str, text: str, scope: Scope
    ) -> tuple[int, int]:
        """Queue `text` for everyone in `scope`, audited; returns (batch id, recipients)."""
        within = None if scope.superadmin else scope.covers
        reachable = await self.people.reachable(within)
        people = [Recipient(channel, chat) for _, channel, chat in reachable]
        ref = f"{channel}:{admin_chat}:{to_db(self.clock.now())}"

        def write(tx: Tx) -> int:
            batch, _ = self.outbox.add(
                tx, "broadcast", ref, Outgoing(text), people, report_to=f"{channel}:{admin_chat}"
            )
            self.audit.record(
                tx, actor, "broadcast", ref, recipients=len(people), text=text,
                units=["*"] if scope.superadmin else list(scope.admin_units),
            )  # fmt: skip
            return batch

        return await self.store.write(write), len(people)

    async def report_target(self, batch_id: int) -> tuple[str, str] | None:
        """(channel, chat) to tell when a batch is done, if anyone asked."""
        target = await self.store.scalar(
            "SELECT report_to FROM outbox_batches WHERE id = ?", (batch_id,)
        )
        if not target:
            return None
        channel, _, chat = target.partition(":")
        return channel, chat

    async def counts(self, batch_id: int) -> BatchCounts:
        """Progress of a batch."""
        return await self.outbox.counts(batch_id)
