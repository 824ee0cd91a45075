"""The outbox: idempotent enqueue, rate limits, retries, unreachable people, restarts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.core.clock import ManualClock
from bot.core.messages import Button, Outgoing
from bot.delivery import (
    MAX_ATTEMPTS,
    Halted,
    Limits,
    Outbox,
    RateLimiter,
    Recipient,
    Rejected,
    RetryAfter,
    Sender,
    Transient,
    Unreachable,
    decode,
    encode,
    seconds_of,
)
from bot.storage.sqlite import Store
from tests.draining import drain_all

MSG = Outgoing("全体干部请于周五前完成本周学习。", rows=[[Button("📖 本周学习", "study")]])


class FakePlatform:
    """Records sends; scripted failures per chat, consumed one per attempt."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.script: dict[str, list[Exception]] = {}

    async def send(self, chat_ref: str, msg: Outgoing) -> str:
        failures = self.script.get(chat_ref)
        if failures:
            raise failures.pop(0)
        self.sent.append((chat_ref, msg.text))
        return str(len(self.sent))


@pytest.fixture
async def store(tmp_path) -> AsyncIterator[Store]:
    async with Store(tmp_path / "bot.sqlite3") as opened:
        yield opened


def recipients(n: int, group: bool = False) -> list[Recipient]:
    return [Recipient("telegram", str(1000 + i), group) for i in range(n)]


def sender(store: Store, clock: ManualClock, platform: FakePlatform, done=None) -> Sender:
    limiter = RateLimiter(Limits(), seconds_of(clock))
    return Sender(store, clock, "telegram", platform.send, limiter, done)


def test_payload_round_trip() -> None:
    back = decode(encode(MSG))
    assert (back.text, back.buttons) == (MSG.text, MSG.buttons)


async def test_enqueue_is_idempotent_per_recipient(store: Store, clock: ManualClock) -> None:
    outbox = Outbox(store, clock)
    first = await outbox.enqueue("broadcast", "1", MSG, recipients(3))
    again = await outbox.enqueue("broadcast", "1", MSG, recipients(4))
    assert first == again
    assert (await outbox.counts(first)).total == 4


async def test_overall_and_per_chat_limits(clock: ManualClock) -> None:
    limiter = RateLimiter(Limits(overall_per_second=3, group_per_minute=2), seconds_of(clock))
    for chat in ("a", "b", "c"):
        assert limiter.wait(chat, False) == 0
        limiter.record(chat)  # in flight
    assert limiter.wait("d", False) == pytest.approx(0.01)  # wait for answers
    clock.advance(seconds=0.5)
    for chat in ("a", "b", "c"):
        limiter.done(chat)  # answered: they count from now
    assert limiter.wait("d", False) == pytest.approx(1.0)  # 3 per second used up
    assert limiter.wait("a", False) == pytest.approx(1.0)  # and 1 per second to "a"
    clock.advance(seconds=1)
    assert limiter.wait("a", False) == 0
    for _ in range(2):
        limiter.record("g")
        limiter.done("g")
    clock.advance(seconds=1)
    assert limiter.wait("g", True) == pytest.approx(59.0)  # 2 per minute for the group


async def test_a_broadcast_is_sent_once_to_each_within_the_rate(store, clock) -> None:
    platform = FakePlatform()
    outbox = Outbox(store, clock)
    batch = await outbox.enqueue("broadcast", "1", MSG, recipients(95))
    start = clock.now()
    await drain_all(sender(store, clock, platform), clock)
    assert sorted(c for c, _ in platform.sent) == [str(1000 + i) for i in range(95)]
    elapsed = (clock.now() - start).total_seconds()
    assert 3.0 <= elapsed < 4.0  # 95 messages at 30/s
    assert (await outbox.counts(batch)).sent == 95


async def test_a_halted_channel_holds_everything_until_fixed_and_loses_nothing(
    store, clock, caplog
) -> None:
    platform = FakePlatform()
    # The server's IP is not on the allow-list for longer than MAX_ATTEMPTS tries would last.
    halts = MAX_ATTEMPTS * 3
    platform.script["1000"] = [Halted("wecom 60020: not allow to access from your ip", 60)] * halts
    batch = await Outbox(store, clock).enqueue("broadcast", "1", MSG, recipients(3))
    s = sender(store, clock, platform)
    s.pace = instant_pace
    for _ in range(halts):
        await s.drain_once()
        # Held: nothing else is tried for a minute, and nobody's attempts are used up.
        assert await s.drain_once() == (0, pytest.approx(60, abs=1))
        clock.advance(seconds=60)
    assert platform.sent == [(c, MSG.text) for c in ("1001", "1002")]  # sent before the hold
    await s.drain_once()  # fixed: the held message goes out
    counts = await Outbox(store, clock).counts(batch)
    assert (counts.sent, counts.failed) == (3, 0)
    assert sorted(c for c, _ in platform.sent) == ["1000", "1001", "1002"]
    said = [r for r in caplog.records if "halted" in r.getMessage()]
    assert len(said) == halts  # once per hold, not once per held message


async def instant_pace(_: float) -> None:
    """Sends spread over a second without waiting for it."""


async def test_429_waits_and_retries_then_succeeds(store, clock) -> None:
    platform = FakePlatform()
    platform.script["1000"] = [RetryAfter(7)]
    batch = await Outbox(store, clock).enqueue("broadcast", "1", MSG, recipients(1))
    s = sender(store, clock, platform)
    await s.drain_once()
    assert platform.sent == []
    clock.advance(seconds=6)
    assert await s.due() == []  # not before retry_after
    clock.advance(seconds=1)
    await s.drain_once()
    assert platform.sent == [("1000", MSG.text)]
    assert (await Outbox(store, clock).counts(batch)).sent == 1


async def test_403_marks_unreachable_and_400_fails_with_reason(store, clock) -> None:
    platform = FakePlatform()
    platform.script = {"1000": [Unreachable("blocked")], "1001": [Rejected("chat not found")]}
    await store.write(
        lambda tx: tx.execute(
            "INSERT INTO people (id, display_name, created_at) VALUES (1, 'x', 't')"
        )
    )
    await store.write(
        lambda tx: tx.execute(
            "INSERT INTO accounts VALUES ('telegram', '1000', 1, '1000', 't', NULL)"
        )
    )
    outbox = Outbox(store, clock)
    batch = await outbox.enqueue("broadcast", "1", MSG, recipients(3))
    later = await outbox.enqueue("broadcast", "2", MSG, recipients(1))
    await drain_all(sender(store, clock, platform), clock)
    counts = await outbox.counts(batch)
    assert (counts.sent, counts.failed, counts.unreachable) == (1, 1, 1)
    assert (await outbox.counts(later)).unreachable == 1  # queued mail to a blocker stops too
    assert await store.scalar("SELECT error FROM outbox WHERE chat_ref = '1001'") == (
        "chat not found"
    )
    assert await store.scalar("SELECT unreachable_at FROM accounts") is not None


async def test_timeouts_back_off_and_finally_fail(store, clock) -> None:
    platform = FakePlatform()
    platform.script["1000"] = [Transient("timed out")] * 20
    batch = await Outbox(store, clock).enqueue("broadcast", "1", MSG, recipients(1))
    start = clock.now()
    await drain_all(sender(store, clock, platform), clock)
    counts = await Outbox(store, clock).counts(batch)
    assert counts.failed == 1
    assert clock.now() - start >= timedelta(seconds=1 + 2 + 4 + 8 + 16 + 32 + 64)


async def test_a_restart_mid_broadcast_resends_nothing_already_sent(store, clock) -> None:
    platform = FakePlatform()
    outbox = Outbox(store, clock)
    batch = await outbox.enqueue("broadcast", "1", MSG, recipients(60))
    first = sender(store, clock, platform)
    await first.drain_once()  # 30 sent
    # A crash with 5 rows marked "sending" whose outcome is unknown:
    await store.write(
        lambda tx: tx.execute(
            "UPDATE outbox SET status = 'sending' WHERE id IN "
            "(SELECT id FROM outbox WHERE status = 'pending' ORDER BY id LIMIT 5)"
        )
    )
    restarted = sender(store, clock, platform)
    assert await restarted.recover() == 5
    await outbox.enqueue("broadcast", "1", MSG, recipients(60))  # re-run of the command
    clock.advance(seconds=1)
    await drain_all(restarted, clock)
    chats = [c for c, _ in platform.sent]
    assert len(chats) == len(set(chats)) == 60
    assert (await outbox.counts(batch)).sent == 60


async def test_the_batch_reports_once_when_done(store, clock) -> None:
    done: list[int] = []

    async def report(batch_id: int) -> None:
        done.append(batch_id)

    batch = await Outbox(store, clock).enqueue("broadcast", "1", MSG, recipients(40))
    await drain_all(sender(store, clock, FakePlatform(), report), clock)
    assert done == [batch]
