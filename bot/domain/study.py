"""Weekly study items (每周一学): this week's item, the archive, marking an item learned."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bot.content.models import ContentPack, StudyItem
from bot.core.clock import Clock, to_db
from bot.domain.people import Person
from bot.domain.points import Award, Points
from bot.storage.sqlite import Store, Tx


@dataclass(frozen=True)
class Learned:
    """The outcome of marking an item learned: `new` is False on a repeat tap."""

    item: StudyItem
    new: bool
    award: Award


def visible_to(item: StudyItem, person: Person) -> bool:
    """Whether the item's audience includes the person."""
    return "all" in item.audience or (
        person.unit_id is not None and person.unit_id in item.audience
    )


class Study:
    """Reads the content pack by the local calendar and records what people learned."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        tz: ZoneInfo,
        pack: ContentPack,
        points: Points,
        points_per_item: int,
    ):
        self.store = store
        self.clock = clock
        self.tz = tz
        self.pack = pack
        self.points = points
        self.points_per_item = points_per_item

    def today(self) -> date:
        """The local date."""
        return self.clock.now().astimezone(self.tz).date()

    def published(self, person: Person) -> list[tuple[date, StudyItem]]:
        """Items this person can see, published by today, newest first."""
        return [(d, i) for d, i in self.pack.published(self.today()) if visible_to(i, person)]

    def current(self, person: Person) -> StudyItem | None:
        """This week's item for the person (the most recently published)."""
        items = self.published(person)
        return items[0][1] if items else None

    def get(self, person: Person, item_id: str) -> StudyItem | None:
        """A published item the person may read, by id."""
        for _, item in self.published(person):
            if item.id == item_id:
                return item
        return None

    async def learned_ids(self, person_id: int) -> set[str]:
        """Ids of the items the person has marked learned."""
        rows = await self.store.all(
            "SELECT item_id FROM study_done WHERE person_id = ?", (person_id,)
        )
        return {r[0] for r in rows}

    async def mark_learned(self, person: Person, item: StudyItem) -> Learned:
        """Record the item as learned once and award points; repeats change nothing."""
        now = to_db(self.clock.now())

        def learn(tx: Tx) -> Learned:
            done = tx.execute(
                "INSERT OR IGNORE INTO study_done (person_id, item_id, done_at) VALUES (?, ?, ?)",
                (person.id, item.id, now),
            )
            if not done:
                return Learned(item, False, Award(0))
            award = self.points.award(tx, person.id, "study", item.id, self.points_per_item)
            return Learned(item, True, award)

        return await self.store.write(learn)
