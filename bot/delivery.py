"""The outbox: mass sends are persisted first, then drained by one rate-limited sender.

Rows carry an idempotency key (what, to whom), so enqueueing twice or restarting in the
middle of a broadcast never sends a message twice, except one that was in flight at a
crash (its outcome is unknown, so it is sent again). Channels report failures with the
neutral exceptions below; the sender turns them into retries, failures or unreachable.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta

from bot.core.clock import Clock, to_db
from bot.core.messages import Attachment, Button, Outgoing, Poll
from bot.storage.sqlite import Store, Tx

log = logging.getLogger(__name__)

PENDING, SENDING, SENT, FAILED, UNREACHABLE = "pending", "sending", "sent", "failed", "unreachable"
MAX_ATTEMPTS = 8


class DeliveryError(Exception):
    """Base of what a channel raises when a send did not go through."""


class RetryAfter(DeliveryError):
    """The platform asked us to slow down (Telegram 429)."""

    def __init__(self, seconds: float):
        super().__init__(f"retry after {seconds}s")
        self.seconds = seconds


class Transient(DeliveryError):
    """A timeout or server error: worth retrying with backoff."""


class Halted(DeliveryError):
    """Nothing can go out until an operator fixes the deployment (a wrong secret, a server
    IP missing from an allow-list): the whole channel waits `seconds`, then tries again,
    for as long as it takes, without using up any message's attempts."""

    def __init__(self, reason: str, seconds: float):
        super().__init__(reason)
        self.seconds = seconds


class Unreachable(DeliveryError):
    """The person blocked the bot or left (Telegram 403): stop sending to them."""


class Rejected(DeliveryError):
    """The platform refused this message for good (other 400s)."""


@dataclass(frozen=True)
class Recipient:
    """Where one copy of a mass send goes."""

    channel: str
    chat_ref: str
    is_group: bool = False
    not_before: datetime | None = None  # held back until then (quiet hours, a snooze)


@dataclass(frozen=True)
class Limits:
    """Send rates: overall, per private chat, per group (Telegram's published limits).

    `paid_broadcast` lets the channel pay (Telegram Stars) to exceed 30/s, up to 1000/s.
    `private_per_minute` (0: none) caps one person over a minute as well (WeCom: 30).
    """

    overall_per_second: int = 30
    private_per_second: int = 1
    group_per_minute: int = 20
    paid_broadcast: bool = False
    private_per_minute: int = 0


@dataclass(frozen=True)
class BatchCounts:
    """Progress of one mass send."""

    total: int
    sent: int
    failed: int
    unreachable: int
    pending: int


def encode(msg: Outgoing) -> str:
    """An Outgoing as stored JSON."""
    rows = [[[b.label, b.action] for b in row] for row in msg.rows]
    data: dict = {"text": msg.text, "rows": rows}
    if msg.title:
        data["title"] = msg.title
    for key in ("ask_contact", "ask_location"):
        if getattr(msg, key):
            data[key] = getattr(msg, key)
    if msg.poll is not None:
        data["poll"] = asdict(msg.poll)
    if msg.drop_keyboard:
        data["drop_keyboard"] = True
    if msg.pin:
        data["pin"] = True
    if msg.attachment is not None:
        a = msg.attachment
        data["file"] = [a.digest, a.name, a.kind]
    return json.dumps(data, ensure_ascii=False)


def decode(payload: str) -> Outgoing:
    """Stored JSON back to an Outgoing."""
    data = json.loads(payload)
    rows = tuple(tuple(Button(label, action) for label, action in row) for row in data["rows"])
    poll = data.get("poll")
    if poll is not None:
        poll = Poll(**{**poll, "options": tuple(poll["options"])})
    file = data.get("file")
    attachment = Attachment(file[1], kind=file[2], sha256=file[0]) if file else None
    return Outgoing(
        data["text"],
        title=data.get("title", ""),
        ask_contact=data.get("ask_contact", ""),
        ask_location=data.get("ask_location", ""),
        rows=rows,
        poll=poll,
        drop_keyboard=data.get("drop_keyboard", False),
        pin=data.get("pin", False),
        attachment=attachment,
    )


def keep_file(tx: Tx, attachment: Attachment, now: str) -> str:
    """Store an attachment's bytes once (inside `tx`); returns its SHA-256."""
    digest = attachment.digest
    tx.execute(
        "INSERT OR IGNORE INTO files (sha256, size, content, created_at) VALUES (?, ?, ?, ?)",
        (digest, len(attachment.data), attachment.data, now),
    )
    return digest


class Outbox:
    """Writes mass sends and reads their progress."""

    def __init__(self, store: Store, clock: Clock):
        self.store = store
        self.clock = clock

    async def enqueue(
        self,
        kind: str,
        ref: str,
        msg: Outgoing,
        recipients: Iterable[Recipient],
        report_to: str | None = None,
    ) -> int:
        """Queue `msg` for every recipient as batch (kind, ref); returns the batch id.

        Enqueueing the same (kind, ref) again adds only recipients not queued before.
        """
        people = list(recipients)
        return await self.store.write(lambda tx: self.add(tx, kind, ref, msg, people, report_to)[0])

    def add(
        self,
        tx: Tx,
        kind: str,
        ref: str,
        msg: Outgoing,
        recipients: Iterable[Recipient],
        report_to: str | None = None,
    ) -> tuple[int, int]:
        """`enqueue` inside the caller's transaction, so a send commits with what caused it;
        returns (batch id, recipients newly queued)."""
        now = to_db(self.clock.now())
        if msg.attachment is not None and msg.attachment.data:
            keep_file(tx, msg.attachment, now)
        payload = encode(msg)
        batch_id = self.batch(tx, kind, ref, report_to)
        added = tx.executemany(
            "INSERT OR IGNORE INTO outbox (batch_id, key, channel, chat_ref, is_group, "
            "payload, not_before, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    batch_id,
                    f"{kind}:{ref}:{r.channel}:{r.chat_ref}",
                    r.channel,
                    r.chat_ref,
                    int(r.is_group),
                    payload,
                    to_db(r.not_before) if r.not_before else now,
                    now,
                )
                for r in recipients
            ],
        )
        tx.execute(
            "UPDATE outbox_batches SET total = "
            "(SELECT COUNT(*) FROM outbox WHERE batch_id = ?) WHERE id = ?",
            (batch_id, batch_id),
        )
        return batch_id, added

    def batch(self, tx: Tx, kind: str, ref: str, report_to: str | None = None) -> int:
        """The id of batch (kind, ref), created empty if it is new (inside `tx`)."""
        tx.execute(
            "INSERT OR IGNORE INTO outbox_batches (kind, ref, report_to, created_at) "
            "VALUES (?, ?, ?, ?)",
            (kind, ref, report_to, to_db(self.clock.now())),
        )
        return tx.one("SELECT id FROM outbox_batches WHERE kind = ? AND ref = ?", (kind, ref))[0]

    async def counts(self, batch_id: int) -> BatchCounts:
        """Sent / failed / unreachable / pending for one batch."""
        rows = await self.store.all(
            "SELECT status, COUNT(*) FROM outbox WHERE batch_id = ? GROUP BY status", (batch_id,)
        )
        by = {r[0]: r[1] for r in rows}
        pending = by.get(PENDING, 0) + by.get(SENDING, 0)
        return BatchCounts(
            sum(by.values()), by.get(SENT, 0), by.get(FAILED, 0), by.get(UNREACHABLE, 0), pending
        )


class RateLimiter:
    """Sliding-window limits overall, per private chat and per group.

    A send counts while in flight, and then from the moment its answer came back (never
    earlier than the platform saw it): counting from the start made every burst reach the
    server late and the next one early, which Telegram answers with 429s.
    """

    def __init__(self, limits: Limits, now: Callable[[], float]):
        self.limits = limits
        self.now = now
        self._overall: deque[float] = deque()
        self._chats: dict[str, deque[float]] = {}
        self._flying = 0
        self._flying_chats: dict[str, int] = {}

    def wait(self, chat: str, is_group: bool) -> float:
        """Seconds until a message to `chat` is allowed (0 when it is now)."""
        t = self.now()
        waits = [
            self._window_wait(self._overall, self._flying, self.limits.overall_per_second, 1.0, t)
        ]
        window = self._chats.get(chat)
        flying = self._flying_chats.get(chat, 0)
        if window or flying:
            window = window if window is not None else deque()
            if is_group:
                spans = [(self.limits.group_per_minute, 60.0)]
            else:
                spans = [(self.limits.private_per_second, 1.0)]
                if self.limits.private_per_minute:
                    spans.append((self.limits.private_per_minute, 60.0))
            # Drop only what the longest span no longer needs, then count within each.
            longest = max(span for _, span in spans)
            while window and window[0] <= t - longest:
                window.popleft()
            for limit, span in spans:
                recent = deque(x for x in window if x > t - span)
                waits.append(self._window_wait(recent, flying, limit, span, t))
        return max(waits)

    def record(self, chat: str) -> None:
        """A send to `chat` starts now."""
        self._flying += 1
        self._flying_chats[chat] = self._flying_chats.get(chat, 0) + 1

    def done(self, chat: str) -> None:
        """The send to `chat` was answered now."""
        t = self.now()
        self._flying -= 1
        self._flying_chats[chat] -= 1
        self._overall.append(t)
        self._chats.setdefault(chat, deque()).append(t)

    def extra(self, chat: str, count: int) -> None:
        """`count` more messages just went to `chat` as part of one send (WeCom sends a
        long text and its card as two): they count against the limits too."""
        t = self.now()
        for _ in range(count):
            self._overall.append(t)
            self._chats.setdefault(chat, deque()).append(t)

    @staticmethod
    def _window_wait(
        window: deque[float], flying: int, count: float, span: float, t: float
    ) -> float:
        """Seconds until fewer than `count` sends are in flight or in the last `span` s."""
        while window and window[0] <= t - span:
            window.popleft()
        allowed = max(1, int(count))
        used = len(window) + flying
        if used < allowed:
            return 0.0
        if flying >= allowed:
            return 0.01  # wait for answers to come back
        return window[used - allowed] + span - t


SendFn = Callable[[str, Outgoing], Awaitable[str]]


class Sender:
    """Drains one channel's outbox: rate limits, retries, idempotent status updates."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        channel: str,
        send: SendFn,
        limiter: RateLimiter,
        on_batch_done: Callable[[int], Awaitable[None]] | None = None,
    ):
        self.store = store
        self.clock = clock
        self.channel = channel
        self.send = send
        self.limiter = limiter
        self.on_batch_done = on_batch_done
        self.pace: Callable[[float], Awaitable[None]] = asyncio.sleep  # tests inject their own
        self._files: dict[str, bytes] = {}  # the last few attachments, by SHA-256
        self._wake = asyncio.Event()
        self._halted_until = 0.0  # clock timestamp: a Halted send stops the whole channel

    def poke(self) -> None:
        """Something was queued for now: stop idling (a chat reply must not wait a second)."""
        self._wake.set()

    async def recover(self) -> int:
        """After a restart: rows caught mid-send go back to pending; returns how many."""
        return await self.store.write(
            lambda tx: tx.execute(
                "UPDATE outbox SET status = ? WHERE channel = ? AND status = ?",
                (PENDING, self.channel, SENDING),
            )
        )

    async def due(self, limit: int = 200) -> list:
        """Pending rows whose retry time has come, oldest first."""
        return await self.store.all(
            "SELECT id, batch_id, chat_ref, is_group, payload, attempts FROM outbox "
            "WHERE channel = ? AND status = ? AND not_before <= ? ORDER BY id LIMIT ?",
            (self.channel, PENDING, to_db(self.clock.now()), limit),
        )

    async def drain_once(self) -> tuple[int, float]:
        """Send every due row the limits allow now; returns (sent attempts, seconds to wait)."""
        held = self._halted_until - self.clock.now().timestamp()
        if held > 0:
            return 0, held
        rows = await self.due()
        if not rows:
            return 0, 1.0
        started, wait = [], float("inf")
        busy: set[str] = set()
        for row in rows:
            chat = row["chat_ref"]
            if chat in busy:
                continue
            delay = self.limiter.wait(chat, bool(row["is_group"]))
            if delay > 0:
                wait = min(wait, delay)
                busy.add(chat)
                continue
            self.limiter.record(chat)
            busy.add(chat)
            started.append(row)
        if started:
            await self._mark(SENDING, [r["id"] for r in started])
            # Spread the sends over the second instead of one burst the server sees at once.
            spacing = 1.0 / max(1, self.limiter.limits.overall_per_second)
            await asyncio.gather(*(self._send_one(r, i * spacing) for i, r in enumerate(started)))
        return len(started), (0.0 if started else wait)

    async def _load(self, msg: Outgoing) -> Outgoing:
        """The message with its attachment's bytes read from the files table."""
        a = msg.attachment
        if a is None or a.data:
            return msg
        data = self._files.get(a.sha256)
        if data is None:
            data = await self.store.scalar(
                "SELECT content FROM files WHERE sha256 = ?", (a.sha256,)
            )
            if data is None:
                raise Rejected(f"file {a.sha256[:12]} is gone")
            if len(self._files) >= 8:  # a mass send reuses one file; keep memory small
                self._files.pop(next(iter(self._files)))
            self._files[a.sha256] = data
        return replace(msg, attachment=replace(a, data=data))

    async def _send_one(self, row, delay: float = 0.0) -> None:
        msg = decode(row["payload"])
        if delay:
            await self.pace(delay)
        try:
            try:
                ref = await self.send(row["chat_ref"], await self._load(msg))
            finally:
                self.limiter.done(row["chat_ref"])
        except RetryAfter as exc:
            await self._retry(row, exc.seconds, str(exc), count=False)
        except Halted as exc:
            now = self.clock.now().timestamp()
            if now >= self._halted_until:  # said once per hold, not once per message
                log.error("outbox: %s halted for %gs: %s", self.channel, exc.seconds, exc)
            self._halted_until = max(self._halted_until, now + exc.seconds)
            await self._retry(row, exc.seconds, str(exc), count=False)
        except Transient as exc:
            await self._retry(row, min(300.0, 2.0 ** row["attempts"]), str(exc) or "transient")
        except Unreachable as exc:
            await self._finish(row, UNREACHABLE, str(exc) or "unreachable")
        except Rejected as exc:
            log.warning("outbox: %s message %s failed: %s", self.channel, row["id"], exc)
            await self._finish(row, FAILED, str(exc) or "rejected")
        else:
            await self._finish(row, SENT, None, ref)

    async def _retry(self, row, seconds: float, error: str, count: bool = True) -> None:
        attempts = row["attempts"] + int(count)
        if attempts >= MAX_ATTEMPTS:
            log.warning("outbox: %s message %s failed: %s", self.channel, row["id"], error)
            await self._finish(row, FAILED, f"gave up after {attempts} attempts: {error}")
            return
        later = to_db(self.clock.now() + timedelta(seconds=seconds))
        await self.store.write(
            lambda tx: tx.execute(
                "UPDATE outbox SET status = ?, attempts = ?, not_before = ?, error = ? "
                "WHERE id = ?",
                (PENDING, attempts, later, error, row["id"]),
            )
        )

    async def _finish(self, row, status: str, error: str | None, ref: str | None = None) -> None:
        now = to_db(self.clock.now())

        def write(tx: Tx) -> bool:
            tx.execute(
                "UPDATE outbox SET status = ?, error = ?, message_ref = ?, sent_at = ? "
                "WHERE id = ?",
                (status, error, ref, now if status == SENT else None, row["id"]),
            )
            if status == UNREACHABLE:
                # Stop at once for every queued message to this chat, not one by one.
                tx.execute(
                    "UPDATE accounts SET unreachable_at = ? WHERE channel = ? AND chat_ref = ?",
                    (now, self.channel, row["chat_ref"]),
                )
                tx.execute(
                    "UPDATE outbox SET status = ?, error = 'unreachable' WHERE channel = ? "
                    "AND chat_ref = ? AND status = ?",
                    (UNREACHABLE, self.channel, row["chat_ref"], PENDING),
                )
            if row["batch_id"] is None:
                return False
            left = tx.one(
                "SELECT COUNT(*) FROM outbox WHERE batch_id = ? AND status IN (?, ?)",
                (row["batch_id"], PENDING, SENDING),
            )[0]
            if left:
                return False
            return bool(
                tx.execute(
                    "UPDATE outbox_batches SET reported_at = ? "
                    "WHERE id = ? AND reported_at IS NULL",
                    (now, row["batch_id"]),
                )
            )

        if await self.store.write(write) and self.on_batch_done is not None:
            await self.on_batch_done(row["batch_id"])

    async def _mark(self, status: str, ids: list[int]) -> None:
        marks = ",".join("?" * len(ids))
        await self.store.write(
            lambda tx: tx.execute(
                f"UPDATE outbox SET status = ? WHERE id IN ({marks})", (status, *ids)
            )
        )

    async def flush(self, sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:
        """Send what is due now, waiting out rate limits; returns when nothing is due."""
        while True:
            sent, wait = await self.drain_once()
            if not sent and not await self.due(1):
                return
            if not sent:
                await sleep(min(wait, 1.0))

    async def run(
        self,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        stop: asyncio.Event | None = None,
    ) -> None:
        """Drain forever (until `stop` is set), sleeping only when nothing can be sent."""
        await self.recover()
        while stop is None or not stop.is_set():
            try:
                sent, wait = await self.drain_once()
            except Exception:  # one bad row must not stop every future send
                log.exception("outbox drain failed")
                sent, wait = 0, 5.0
            if not sent:
                await self._idle(sleep, min(wait, 1.0))

    async def _idle(self, sleep: Callable[[float], Awaitable[None]], seconds: float) -> None:
        """Sleep `seconds`, or less if `poke` is called meanwhile."""
        if self._wake.is_set():
            self._wake.clear()
            return
        woken = asyncio.ensure_future(self._wake.wait())
        slept = asyncio.ensure_future(sleep(seconds))
        try:
            await asyncio.wait((woken, slept), return_when=asyncio.FIRST_COMPLETED)
        finally:
            woken.cancel()
            slept.cancel()
            self._wake.clear()


def seconds_of(clock: Clock) -> Callable[[], float]:
    """A seconds counter for the rate limiter, read from a Clock."""
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return lambda: (clock.now() - epoch).total_seconds()
