"""Roles and scope: superadmins (config.yaml), org admins and lecture hosts of a unit's
subtree (from the roster or granted), and everyone else. Read afresh on every call, so a
revoke or a roster change takes effect on the very next action."""

from __future__ import annotations

from dataclasses import dataclass

from bot.config import Config
from bot.content.orgtree import OrgTree
from bot.core.clock import Clock, to_db
from bot.domain.audit import Audit
from bot.domain.people import Person
from bot.storage.sqlite import Store, Tx

ADMIN, HOST = "admin", "host"
GRANTABLE = (ADMIN, HOST)


@dataclass(frozen=True)
class Scope:
    """What one chat account may act on: every unit (superadmin) or some subtrees."""

    orgs: OrgTree
    superadmin: bool = False
    admin_units: tuple[str, ...] = ()
    host_units: tuple[str, ...] = ()

    @property
    def is_admin(self) -> bool:
        """Whether this account administers anything at all."""
        return self.superadmin or bool(self.admin_units)

    def covers(self, unit_id: str | None) -> bool:
        """Whether an admin of this scope may act on `unit_id` (a unit in one of its subtrees)."""
        if self.superadmin:
            return True
        return unit_id is not None and any(self.orgs.contains(u, unit_id) for u in self.admin_units)

    def hosts(self, unit_id: str | None) -> bool:
        """Whether this account may run lectures for `unit_id` (hosts and admins)."""
        if self.covers(unit_id):
            return True
        return unit_id is not None and any(self.orgs.contains(u, unit_id) for u in self.host_units)


@dataclass(frozen=True)
class RoleHolder:
    """One line of /admins: who holds which role over which unit, and where it comes from."""

    person_id: int
    name: str
    unit_id: str
    role: str
    source: str  # roster or grant


class Access:
    """Works out scopes and keeps the granted roles."""

    def __init__(self, store: Store, clock: Clock, config: Config, orgs: OrgTree, audit: Audit):
        self.store = store
        self.clock = clock
        self.config = config
        self.orgs = orgs
        self.audit = audit

    async def scope(self, channel: str, user_ref: str) -> Scope:
        """The scope of a chat account, read from the database now."""
        superadmin = self.config.is_superadmin(channel, user_ref)
        rows = await self.store.all(
            "SELECT p.unit_id AS unit, p.role AS role FROM accounts a "
            "JOIN people p ON p.id = a.person_id "
            "WHERE a.channel = ? AND a.user_ref = ? AND p.active = 1 AND p.pending = 0 "
            "AND p.unit_id IS NOT NULL "
            "UNION SELECT g.unit_id, g.role FROM accounts a "
            "JOIN people p ON p.id = a.person_id JOIN role_grants g ON g.person_id = p.id "
            "WHERE a.channel = ? AND a.user_ref = ? AND p.active = 1 AND p.pending = 0",
            (channel, user_ref, channel, user_ref),
        )
        # A unit no longer in the tree grants nothing: contains() is False for unknown ids.
        admin = tuple(sorted({r["unit"] for r in rows if r["role"] == ADMIN}))
        host = tuple(sorted({r["unit"] for r in rows if r["role"] == HOST}))
        return Scope(self.orgs, superadmin, admin, host)

    async def holders(self, scope: Scope) -> list[RoleHolder]:
        """Admins and hosts of units inside `scope`, in tree order."""
        rows = await self.store.all(
            "SELECT id, display_name, unit_id, role, 'roster' AS source FROM people "
            "WHERE role IN ('admin', 'host') AND active = 1 AND pending = 0 "
            "AND unit_id IS NOT NULL "
            "UNION SELECT p.id, p.display_name, g.unit_id, g.role, 'grant' FROM role_grants g "
            "JOIN people p ON p.id = g.person_id WHERE p.active = 1"
        )
        order = {uid: i for i, uid in enumerate(self.orgs.units)}
        found = [RoleHolder(*r) for r in rows if scope.covers(r["unit_id"])]
        return sorted(found, key=lambda h: (order.get(h.unit_id, len(order)), h.role, h.name))

    async def admin_chats(self, unit_id: str) -> list[tuple[str, str]]:
        """(channel, chat) of the nearest admins of `unit_id`, else of the superadmins."""
        holders = await self.holders(Scope(self.orgs, superadmin=True))
        chain = [*self.orgs.ancestors(unit_id), unit_id]
        admins = [h for h in holders if h.role == ADMIN and h.unit_id in chain]
        if admins:
            nearest = max(chain.index(h.unit_id) for h in admins)
            ids = {h.person_id for h in admins if chain.index(h.unit_id) == nearest}
            rows = await self.store.all(
                "SELECT channel, chat_ref FROM accounts WHERE unreachable_at IS NULL AND "
                f"person_id IN ({','.join('?' * len(ids))}) ORDER BY person_id",
                tuple(sorted(ids)),
            )
            if rows:
                return [(r[0], r[1]) for r in rows]
        chats = []
        for admin in self.config.admins:
            channel, _, user_ref = admin.partition(":")
            row = await self.store.one(
                "SELECT chat_ref FROM accounts WHERE channel = ? AND user_ref = ?",
                (channel, user_ref),
            )
            if row is not None:
                chats.append((channel, row[0]))
        return chats

    async def grant(self, actor: str, person: Person, unit_id: str, role: str) -> bool:
        """Give `person` a role over `unit_id`, audited; False if they had it already."""
        now = to_db(self.clock.now())

        def write(tx: Tx) -> bool:
            added = tx.execute(
                "INSERT OR IGNORE INTO role_grants (person_id, unit_id, role, granted_by, "
                "granted_at) VALUES (?, ?, ?, ?, ?)",
                (person.id, unit_id, role, actor, now),
            )
            if added:
                self.audit.record(
                    tx, actor, "grant", unit_id, person=person.id, name=person.display_name,
                    role=role,
                )  # fmt: skip
            return bool(added)

        return await self.store.write(write)

    async def revoke(self, actor: str, person: Person, unit_id: str | None) -> int:
        """Take away `person`'s granted roles (over `unit_id`, or all) and a roster admin
        or host role, audited; returns how many roles went."""

        def write(tx: Tx) -> int:
            where, params = ("AND unit_id = ?", (unit_id,)) if unit_id else ("", ())
            gone = tx.execute(
                f"DELETE FROM role_grants WHERE person_id = ? {where}", (person.id, *params)
            )
            if person.role != "cadre" and (unit_id is None or unit_id == person.unit_id):
                # Until the roster is changed too, a re-import gives the role back.
                gone += tx.execute("UPDATE people SET role = 'cadre' WHERE id = ?", (person.id,))
            if gone:
                self.audit.record(
                    tx, actor, "revoke", unit_id or "", person=person.id,
                    name=person.display_name, roles=gone,
                )  # fmt: skip
            return gone

        return await self.store.write(write)
