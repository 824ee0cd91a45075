"""Importing a roster: one transaction that adds, updates and deactivates people by phone."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.roster import RosterRow
from bot.core.clock import Clock, to_db
from bot.domain.audit import Audit
from bot.storage.sqlite import Store, Tx


@dataclass(frozen=True)
class Imported:
    """What an import changed."""

    added: int
    updated: int
    unchanged: int
    deactivated: int


class Roster:
    """Keeps the people table in step with the roster; the phone number is the key."""

    def __init__(self, store: Store, clock: Clock, audit: Audit):
        self.store = store
        self.clock = clock
        self.audit = audit

    async def apply(self, actor: str, source: str, rows: list[RosterRow]) -> Imported:
        """Import checked rows all at once: nothing is half-imported."""
        now = to_db(self.clock.now())
        return await self.store.write(self._apply, actor, source, rows, now)

    def _apply(self, tx: Tx, actor: str, source: str, rows: list[RosterRow], now: str) -> Imported:
        existing = {
            r[0]: (r[1], tuple(r[2:]))
            for r in tx.all(
                "SELECT phone, id, display_name, unit_id, role, position, active FROM people "
                "WHERE phone IS NOT NULL"
            )
        }
        inserts, updates = [], []
        for row in rows:
            wanted = (row.name, row.unit, row.role, row.position, 1)
            found = existing.pop(row.phone, None)
            if found is None:
                inserts.append((row.name, row.phone, row.unit, row.role, row.position, now))
            elif found[1] != wanted:
                updates.append((*wanted, found[0]))
        unchanged = len(rows) - len(inserts) - len(updates)
        tx.executemany(
            "INSERT INTO people (display_name, phone, unit_id, role, position, from_roster, "
            "created_at) VALUES (?, ?, ?, ?, ?, 1, ?)",
            inserts,
        )
        tx.executemany(
            "UPDATE people SET display_name = ?, unit_id = ?, role = ?, position = ?, "
            "active = ?, from_roster = 1 WHERE id = ?",
            updates,
        )
        # Whoever the roster no longer lists is deactivated; their history stays.
        gone = [(pid,) for pid, fields in existing.values() if fields[-1]]
        tx.executemany("UPDATE people SET active = 0 WHERE id = ? AND from_roster = 1", gone)
        result = Imported(len(inserts), len(updates), unchanged, len(gone))
        self.audit.record(
            tx,
            actor,
            "roster.import",
            source,
            added=result.added,
            updated=result.updated,
            deactivated=result.deactivated,
        )
        return result
