"""学习积分: idempotent awards with a daily cap, totals and the leaderboard."""

from __future__ import annotations

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

    async def leaderboard(self, limit: int = 10) -> list[Standing]:
        """The top `limit` people with points; equal points share a rank."""
        rows = await self.store.all(
            "SELECT id, display_name, points, "
            "(SELECT COUNT(*) FROM people p2 WHERE p2.active = 1 AND p2.points > p.points) + 1 "
            "AS rank FROM people p WHERE active = 1 AND points > 0 "
            "ORDER BY points DESC, id LIMIT ?",
            (limit,),
        )
        return [Standing(r["rank"], r["id"], r["display_name"], r["points"]) for r in rows]

    async def rank_of(self, person_id: int) -> tuple[int, int]:
        """(rank, number of active people) for one person."""
        row = await self.store.one(
            "SELECT (SELECT COUNT(*) FROM people p2 WHERE p2.active = 1 AND p2.points > p.points)"
            " + 1, (SELECT COUNT(*) FROM people WHERE active = 1) FROM people p WHERE id = ?",
            (person_id,),
        )
        return (row[0], row[1]) if row else (0, 0)
