"""Turns an Incoming into replies: de-duplicates, registers the sender, calls the handler."""

from __future__ import annotations

import logging
import uuid

from bot.core.clock import to_db
from bot.core.i18n import t
from bot.core.messages import Incoming, Outgoing
from bot.core.router import Router
from bot.delivery import Recipient
from bot.handlers.context import Context, Services

log = logging.getLogger(__name__)


class Dispatcher:
    """The single entry point channels call for every event."""

    def __init__(self, services: Services, router: Router):
        self.services = services
        self.router = router

    async def handle(self, event: Incoming) -> list[Outgoing]:
        """Replies to one event; a redelivered event (same event_id) gets none."""
        if event.is_group and not event.kind and not event.command[0]:
            return []  # group chatter and stray buttons: not for us, and nothing to record
        if event.event_id and not await self._first_time(event):
            log.info("duplicate event %s:%s ignored", event.channel, event.event_id)
            return []
        unit, pending = self.services.registration.admission(event.channel, event.user_ref)
        person, created = await self.services.people.register(
            event.channel,
            event.user_ref,
            # A group is not the person's chat: their private chat is their user id on every
            # channel we serve (one met in a group first must not get private sends there).
            event.user_ref if event.is_group else event.chat_ref,
            event.display_name or event.user_ref,
            unit,
            pending,
        )
        if person.unreachable and not event.is_group and not event.kind:
            # Only a private message proves they unblocked us (a poll answer does not).
            await self.services.people.reachable_again(event.channel, event.user_ref)
        ctx = Context(self.services, event, person, created)
        handler, arg = self.router.route(event)
        if (
            not person.admitted
            and not event.is_group
            and handler not in self.router.public
            and not self.services.config.is_superadmin(event.channel, event.user_ref)
        ):
            # Not bound to a roster person yet, or no longer on the roster: public help and
            # the ways to get bound only.
            handler = self.router.pending
        if handler is None:
            if event.kind or event.is_group:  # nothing listens: stay quiet
                return []
            return [Outgoing(ctx.t("error.unknown_action"), notice=True)]
        try:
            replies = await handler(ctx, arg)
        except Exception:
            # One central place: log the trace, tell the person something went wrong.
            log.exception("handler failed for %s %r", event.channel, event.action or event.text)
            replies = [Outgoing(t("error.internal", ctx.locale))]
        if event.is_group and replies:
            return await self._queue_for_group(event, replies)
        return replies

    async def _queue_for_group(self, event: Incoming, replies: list[Outgoing]) -> list[Outgoing]:
        """Group messages go through the outbox so the 20-a-minute group limit holds."""
        await self.queue(event, [m for m in replies if not m.notice])
        return [m for m in replies if m.notice]

    async def queue(self, event: Incoming, messages: list[Outgoing]) -> None:
        """Queue replies to `event` in its chat through the outbox, in one transaction."""
        target = [Recipient(event.channel, event.chat_ref, event.is_group)]
        outbox = self.services.outbox
        # The event id makes a redelivered update's replies count once; an event without
        # one (never redelivered) must not be taken for an earlier one.
        event_ref = event.event_id or uuid.uuid4().hex

        def write(tx) -> None:
            for i, msg in enumerate(messages):
                outbox.add(tx, "reply", f"{event.chat_ref}:{event_ref}:{i}", msg, target)

        await self.services.store.write(write)

    async def _first_time(self, event: Incoming) -> bool:
        seen_at = to_db(self.services.clock.now())
        inserted = await self.services.store.write(
            lambda tx: tx.execute(
                "INSERT OR IGNORE INTO processed_events (channel, event_id, seen_at) "
                "VALUES (?, ?, ?)",
                (event.channel, event.event_id, seen_at),
            )
        )
        return bool(inserted)
