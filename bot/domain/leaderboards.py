"""Who is ranked with whom. A person's leaderboard is their own unit's; an administrator
may open a unit to the board of its parent unit's subtree (the wider board), which lists
the people of opened units only. Opening and closing are scope-checked and audited."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.orgtree import OrgTree
from bot.core.clock import Clock, to_db
from bot.domain.access import Scope
from bot.domain.audit import Audit
from bot.storage.sqlite import Store, Tx

# What set_open did: changed it, it was so already, outside the actor's scope, or the unit
# is a top-level one (no parent, so no wider board).
DONE, ALREADY, OUTSIDE, TOP = "done", "already", "outside", "top"


@dataclass(frozen=True)
class Wider:
    """The wider board a unit's people appear on: the parent unit and the opened units
    below it (the unit itself among them)."""

    parent: str
    units: tuple[str, ...]


class Leaderboards:
    """Keeps which units opted in to their parent's board."""

    def __init__(self, store: Store, clock: Clock, orgs: OrgTree, audit: Audit):
        self.store = store
        self.clock = clock
        self.orgs = orgs
        self.audit = audit

    def parent(self, unit_id: str | None) -> str | None:
        """The unit whose board an opened `unit_id` joins (None for a top-level or unknown one)."""
        unit = self.orgs.units.get(unit_id or "")
        return unit.parent if unit is not None else None

    async def is_open(self, unit_id: str | None) -> bool:
        """Whether `unit_id` has opted in to its parent's board."""
        if unit_id is None:
            return False
        row = await self.store.one("SELECT 1 FROM leaderboard_open WHERE unit_id = ?", (unit_id,))
        return row is not None

    async def opened(self, scope: Scope) -> list[str]:
        """The opened units inside `scope`, in tree order."""
        rows = await self.store.all("SELECT unit_id FROM leaderboard_open")
        found = {r[0] for r in rows if r[0] in self.orgs.units and scope.covers(r[0])}
        return [uid for uid in self.orgs.units if uid in found]

    async def wider(self, unit_id: str | None) -> Wider | None:
        """The wider board of `unit_id`'s people, if the unit is opened and has a parent."""
        parent = self.parent(unit_id)
        if parent is None or not await self.is_open(unit_id):
            return None
        rows = await self.store.all("SELECT unit_id FROM leaderboard_open")
        units = tuple(sorted(r[0] for r in rows if self.orgs.contains(parent, r[0])))
        return Wider(parent, units)

    async def set_open(self, actor: str, scope: Scope, unit_id: str, wanted: bool) -> str:
        """Open (`wanted`) or close `unit_id`'s wider board for an admin whose scope covers
        it; the change and its audit entry commit together, and a repeat changes nothing."""
        if not scope.covers(unit_id):
            return OUTSIDE
        parent = self.parent(unit_id)
        if parent is None:
            return TOP
        now = to_db(self.clock.now())

        def write(tx: Tx) -> str:
            if wanted:
                changed = tx.execute(
                    "INSERT OR IGNORE INTO leaderboard_open (unit_id, opened_by, opened_at) "
                    "VALUES (?, ?, ?)",
                    (unit_id, actor, now),
                )
            else:
                changed = tx.execute("DELETE FROM leaderboard_open WHERE unit_id = ?", (unit_id,))
            if not changed:
                return ALREADY
            action = "leaderboard.open" if wanted else "leaderboard.close"
            self.audit.record(tx, actor, action, unit_id, parent=parent)
            return DONE

        return await self.store.write(write)
