"""学习积分: idempotent awards with a daily cap, totals and leaderboards over sets of units."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.config import PointsConfig
from bot.core.clock import Clock, to_db
from bot.storage.sqlite import Store, Tx


@dataclass(frozen=True)
class Award:
    """What an award granted (0 for a repeat): `capped` when the daily cap cut it short."""

    granted: int
    capped: bool = False


@dataclass(frozen=True)
class Standing:
    """A row of the leaderboard."""

    rank: int
    person_id: int
    name: str
    points: int
    unit_id: str | None = None


class Points:
    """Grants points once per (person, kind, ref) and never beyond the daily cap."""

    def __init__(self, store: Store, clock: Clock, tz: ZoneInfo, config: PointsConfig):
        self.store = store
        self.clock = clock
        self.tz = tz
        self.config = config

    def today(self) -> str:
        """The local date, as stored in the ledger's day column."""
        return self.clock.now().astimezone(self.tz).date().isoformat()

    def award(self, tx: Tx, person_id: int, kind: str, ref: str, points: int) -> Award:
        """Grant `points` for (kind, ref) inside `tx`; a repeat grants nothing."""
        day = self.today()
        earned = tx.one(
            "SELECT COALESCE(SUM(points), 0) FROM points_ledger WHERE person_id = ? AND day = ?",
            (person_id, day),
        )
        room = max(0, self.config.daily_cap - earned[0])
        granted = min(points, room)
        rowid = tx.insert(
            "INSERT OR IGNORE INTO points_ledger (person_id, kind, ref, points, day, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (person_id, kind, ref, granted, day, to_db(self.clock.now())),
        )
        if rowid is None:
            return Award(0)
        if granted:
            tx.execute("UPDATE people SET points = points + ? WHERE id = ?", (granted, person_id))
        return Award(granted, capped=granted < points)

    async def earned_today(self, person_id: int) -> int:
        """Points earned today (local date)."""
        return await self.store.scalar(
            "SELECT COALESCE(SUM(points), 0) FROM points_ledger WHERE person_id = ? AND day = ?",
            (person_id, self.today()),
        )

    async def leaderboard(
        self, limit: int = 10, units: Collection[str] | None = None
    ) -> list[Standing]:
        """The top `limit` admitted people with points among the people of `units` (everyone
        when None); equal points share a rank."""
        where, params = _among(units)
        rows = await self.store.all(
            "SELECT id, display_name, unit_id, points, RANK() OVER (ORDER BY points DESC) AS rank "
            f"FROM people WHERE {where} AND points > 0 ORDER BY points DESC, id LIMIT ?",
            (*params, limit),
        )
        return [
            Standing(r["rank"], r["id"], r["display_name"], r["points"], r["unit_id"]) for r in rows
        ]

    async def rank_of(
        self, person_id: int, units: Collection[str] | None = None
    ) -> tuple[int, int]:
        """(rank, number of admitted people) for one person among the people of `units`
        (everyone when None); (0, 0) when they are not among them."""
        where, params = _among(units)
        row = await self.store.one(
            f"WITH board AS (SELECT id, points FROM people WHERE {where}) "
            "SELECT (SELECT COUNT(*) FROM board b WHERE b.points > me.points) + 1, "
            "(SELECT COUNT(*) FROM board) FROM board me WHERE me.id = ?",
            (*params, person_id),
        )
        return (row[0], row[1]) if row else (0, 0)


def _among(units: Collection[str] | None) -> tuple[str, tuple[str, ...]]:
    """The WHERE clause (and its parameters) for admitted people of `units` (all if None)."""
    admitted = "active = 1 AND pending = 0"
    if units is None:
        return admitted, ()
    # One JSON parameter however many units: no limit on the number of placeholders.
    return f"{admitted} AND unit_id IN (SELECT value FROM json_each(?))", (
        json.dumps(sorted(units)),
    )
