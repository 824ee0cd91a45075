"""The weekly push (每周一学): this week's item sent to everyone through the outbox."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bot.content.models import StudyItem, monday_of
from bot.core.i18n import t
from bot.core.messages import Button, Outgoing
from bot.delivery import Outbox, Recipient
from bot.domain.audit import Audit
from bot.domain.people import People
from bot.domain.study import Study
from bot.storage.sqlite import Store, Tx

SUMMARY = 120  # characters of the body shown in the push; the button opens the whole item


@dataclass(frozen=True)
class Pushed:
    """What a push queued: (item title, recipients newly queued) per item."""

    items: list[tuple[str, int]]

    @property
    def recipients(self) -> int:
        """Everyone the push was queued for."""
        return sum(n for _, n in self.items)


class WeeklyPush:
    """Queues the current item for each reachable person, once per item and week."""

    def __init__(
        self,
        store: Store,
        people: People,
        study: Study,
        outbox: Outbox,
        audit: Audit,
        locale: str,
    ):
        self.store = store
        self.people = people
        self.study = study
        self.outbox = outbox
        self.audit = audit
        self.locale = locale

    def message(self, item: StudyItem) -> Outgoing:
        """The push for one item: title, the start of the body, and buttons to read and test."""
        body = item.body.strip()
        summary = body if len(body) <= SUMMARY else body[:SUMMARY].rstrip() + "…"
        rows = [[Button(t("btn.read_item", self.locale), f"study:{item.id}")]]
        if item.quiz and item.quiz in self.study.pack.banks:
            rows[0].append(Button(t("btn.take_quiz", self.locale), f"quiz:{item.quiz}"))
        text = t("push.weekly", self.locale, title=item.title, summary=summary)
        return Outgoing(text, rows=rows)

    async def queue(self, actor: str, report_to: str | None = None) -> Pushed:
        """Queue this week's push; running it again in the same week adds only newcomers."""
        by_item: dict[str, list[Recipient]] = defaultdict(list)
        items: dict[str, StudyItem] = {}
        for person, channel, chat in await self.people.reachable():
            item = self.study.current(person)  # audiences differ: each gets their own item
            if item is not None:
                items[item.id] = item
                by_item[item.id].append(Recipient(channel, chat))
        week = monday_of(self.study.today()).isoformat()

        def write(tx: Tx) -> Pushed:
            done = []
            for item_id, people in by_item.items():
                item = items[item_id]
                _, added = self.outbox.add(
                    tx, "weekly", f"{item_id}:{week}", self.message(item), people, report_to
                )
                if added:
                    done.append((item.title, added))
            self.audit.record(tx, actor, "weekly_push", week, items=sorted(by_item))
            return Pushed(done)

        return await self.store.write(write)
