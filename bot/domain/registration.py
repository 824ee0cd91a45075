"""Admitting people: binding a chat account to its roster person by a shared phone contact,
by an invite link a unit admin confirms, or by the console's --user; or anyone at all into
the default unit when registration is open. Nobody is admitted silently in roster mode."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.config import RegistrationConfig
from bot.content.roster import normalize_phone
from bot.core.clock import Clock, from_db, to_db
from bot.core.messages import Outgoing
from bot.delivery import Outbox, Recipient
from bot.domain.access import Scope
from bot.domain.audit import Audit
from bot.domain.people import Person, add_account
from bot.storage.sqlite import Store, Tx

OPEN, ROSTER = "open", "roster"
NAMING, WAITING, APPROVED, REJECTED, CANCELLED = (
    "naming", "waiting", "approved", "rejected", "cancelled",
)  # fmt: skip
MAX_NAME_CHARS = 20


@dataclass(frozen=True)
class Bound:
    """How a binding attempt ended: bound, not_own, bad_phone, no_match or already."""

    status: str
    name: str = ""
    unit_id: str = ""


@dataclass(frozen=True)
class Invite:
    """An invite code for a unit and when it stops working."""

    code: str
    unit_id: str
    expires_at: datetime


@dataclass(frozen=True)
class JoinRequest:
    """Someone who came by an invite link and what became of it."""

    id: int
    person_id: int
    channel: str
    chat_ref: str
    unit_id: str
    name: str
    status: str
    decided_by: str | None = None


@dataclass(frozen=True)
class Decision:
    """What an approve or reject tap did: done, already, not_found or out_of_scope."""

    status: str
    request: JoinRequest | None = None


_REQUEST = "id, person_id, channel, chat_ref, unit_id, name, status, decided_by"


def _request(row) -> JoinRequest:
    return JoinRequest(*row)


class Registration:
    """Admission rules, bindings, invites and join requests."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        config: RegistrationConfig,
        audit: Audit,
        outbox: Outbox,
        is_superadmin: Callable[[str, str], bool],
    ):
        self.store = store
        self.clock = clock
        self.config = config
        self.audit = audit
        self.outbox = outbox
        self.is_superadmin = is_superadmin

    def admission(self, channel: str, user_ref: str) -> tuple[str | None, bool]:
        """(unit, pending) for a first contact: open mode admits into the default unit;
        roster mode keeps everyone but superadmins pending until bound."""
        if self.config.mode == OPEN:
            return self.config.default_unit or None, False
        return None, not self.is_superadmin(channel, user_ref)

    async def by_contact(
        self, person: Person, channel: str, user_ref: str, phone: str, contact_user: str
    ) -> Bound:
        """Bind the sender to the roster person with this phone, if the contact is their own."""
        if contact_user != user_ref:
            return Bound("not_own")  # someone else's card, or one typed in by hand
        if not person.pending:
            return Bound("already", person.display_name, person.unit_id or "")
        number = normalize_phone(phone)
        if number is None:
            return Bound("bad_phone")
        now = to_db(self.clock.now())

        def write(tx: Tx) -> Bound:
            row = tx.one(
                "SELECT id, display_name, unit_id FROM people "
                "WHERE phone = ? AND active = 1 AND from_roster = 1",
                (number,),
            )
            if row is None:
                return Bound("no_match")
            # Telegram vouches that the number is this account's now: an account that had
            # it before (an old phone) no longer speaks for the person.
            replaced = tx.all(
                "SELECT user_ref FROM accounts WHERE person_id = ? AND channel = ?",
                (row["id"], channel),
            )
            tx.execute(
                "DELETE FROM accounts WHERE person_id = ? AND channel = ?", (row["id"], channel)
            )
            move_account(tx, person.id, row["id"], channel, user_ref)
            self.audit.record(
                tx, f"{channel}:{user_ref}", "bind.contact", f"person:{row['id']}",
                name=row["display_name"], unit=row["unit_id"],
                replaced=[r[0] for r in replaced], at=now,
            )  # fmt: skip
            return Bound("bound", row["display_name"], row["unit_id"])

        return await self.store.write(write)

    async def invite(self, actor: str, unit_id: str) -> Invite:
        """A new invite code for `unit_id`, valid for registration.invite_hours; audited."""
        code = secrets.token_urlsafe(9)  # 12 characters a deep link payload may carry
        now = self.clock.now()
        expires = now + timedelta(hours=self.config.invite_hours)

        def write(tx: Tx) -> None:
            tx.execute(
                "INSERT INTO invites (code, unit_id, created_by, created_at, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (code, unit_id, actor, to_db(now), to_db(expires)),
            )
            self.audit.record(tx, actor, "invite", unit_id, expires=to_db(expires))

        await self.store.write(write)
        return Invite(code, unit_id, expires)

    async def open_invite(
        self, person: Person, channel: str, user_ref: str, chat_ref: str, code: str
    ) -> tuple[str, str]:
        """(status, unit) for someone following an invite link: ok (now asked for their
        name), unknown, expired or already (admitted before)."""
        row = await self.store.one(
            "SELECT unit_id, expires_at FROM invites WHERE code = ?", (code,)
        )
        if row is None:
            return "unknown", ""
        if from_db(row["expires_at"]) <= self.clock.now():
            return "expired", row["unit_id"]
        if not person.pending:
            return "already", row["unit_id"]
        now = to_db(self.clock.now())

        def write(tx: Tx) -> None:
            # A second link replaces the open request rather than stacking another.
            tx.execute(
                f"UPDATE join_requests SET status = '{CANCELLED}', decided_at = ? "
                f"WHERE person_id = ? AND status IN ('{NAMING}', '{WAITING}')",
                (now, person.id),
            )
            tx.execute(
                "INSERT INTO join_requests (person_id, channel, user_ref, chat_ref, unit_id, "
                "code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (person.id, channel, user_ref, chat_ref, row["unit_id"], code, now),
            )

        await self.store.write(write)
        return "ok", row["unit_id"]

    async def open_request(self, person_id: int) -> JoinRequest | None:
        """The person's request that is still naming or waiting, if any."""
        row = await self.store.one(
            f"SELECT {_REQUEST} FROM join_requests WHERE person_id = ? "
            f"AND status IN ('{NAMING}', '{WAITING}')",
            (person_id,),
        )
        return _request(row) if row else None

    async def waiting(self, scope: Scope) -> list[JoinRequest]:
        """Requests waiting for a decision in units `scope` covers, oldest first."""
        rows = await self.store.all(
            f"SELECT {_REQUEST} FROM join_requests WHERE status = '{WAITING}' ORDER BY id"
        )
        return [r for r in map(_request, rows) if scope.covers(r.unit_id)]

    async def state_name(
        self,
        person_id: int,
        name: str,
        notify: Callable[[JoinRequest], Outgoing],
        admins: Iterable[tuple[str, str]],
    ) -> JoinRequest | None:
        """Record the name a newcomer gave and queue the approval request to `admins`."""
        recipients = [Recipient(channel, chat) for channel, chat in admins]

        def write(tx: Tx) -> JoinRequest | None:
            changed = tx.execute(
                f"UPDATE join_requests SET name = ?, status = '{WAITING}' "
                f"WHERE person_id = ? AND status = '{NAMING}'",
                (name, person_id),
            )
            if not changed:
                return None
            row = tx.one(
                f"SELECT {_REQUEST} FROM join_requests WHERE person_id = ? "
                f"AND status = '{WAITING}'",
                (person_id,),
            )
            request = _request(row)
            self.outbox.add(tx, "join", str(request.id), notify(request), recipients)
            return request

        return await self.store.write(write)

    async def decide(
        self,
        scope: Scope,
        actor: str,
        request_id: int,
        approve: bool,
        tell: Callable[[JoinRequest, bool], Outgoing],
    ) -> Decision:
        """Approve or reject a waiting request, once, by an admin whose scope covers its
        unit; the newcomer is told through the outbox. Audited."""
        now = to_db(self.clock.now())

        def write(tx: Tx) -> Decision:
            row = tx.one(f"SELECT {_REQUEST} FROM join_requests WHERE id = ?", (request_id,))
            if row is None:
                return Decision("not_found")
            request = _request(row)
            if not scope.covers(request.unit_id):
                return Decision("out_of_scope", request)
            if request.status != WAITING:
                return Decision("already", request)
            status = APPROVED if approve else REJECTED
            tx.execute(
                "UPDATE join_requests SET status = ?, decided_at = ?, decided_by = ? WHERE id = ?",
                (status, now, actor, request_id),
            )
            bound_to = None
            if approve:
                bound_to = _admit(tx, request)
            self.audit.record(
                tx, actor, f"join.{'approve' if approve else 'reject'}", request.unit_id,
                request=request.id, name=request.name, person=bound_to or request.person_id,
            )  # fmt: skip
            target = [Recipient(request.channel, request.chat_ref)]
            self.outbox.add(tx, "join.decided", str(request.id), tell(request, approve), target)
            return Decision("done", request)

        return await self.store.write(write)

    async def claim_console(self, user: str) -> tuple[str, list[tuple[int, str, str]]]:
        """Bind console account `user` to the roster person with that id or name:
        (bound | already | none | ambiguous, candidates as (id, name, unit))."""
        now = to_db(self.clock.now())

        def write(tx: Tx) -> tuple[str, list[tuple[int, str, str]]]:
            held = tx.one(
                "SELECT p.id, p.pending FROM accounts a JOIN people p ON p.id = a.person_id "
                "WHERE a.channel = 'console' AND a.user_ref = ?",
                (user,),
            )
            if held is not None and not held["pending"]:
                return "already", []
            rows = tx.all(
                "SELECT id, display_name, unit_id FROM people WHERE active = 1 AND "
                "from_roster = 1 AND (display_name = ? OR CAST(id AS TEXT) = ?) ORDER BY id",
                (user, user),
            )
            found = [(r[0], r[1], r[2]) for r in rows]
            if len(found) != 1:
                return ("none" if not found else "ambiguous"), found
            if held is None:
                add_account(tx, "console", user, user, found[0][0], now)
            else:  # they wrote before the roster listed them: the pending stand-in retires
                move_account(tx, held["id"], found[0][0], "console", user)
            self.audit.record(tx, f"console:{user}", "bind.console", f"person:{found[0][0]}")
            return "bound", found

        return await self.store.write(write)


def move_account(tx: Tx, placeholder: int, person_id: int, channel: str, user_ref: str) -> None:
    """Point the account at the roster person; the pending placeholder is retired."""
    tx.execute(
        "UPDATE accounts SET person_id = ? WHERE channel = ? AND user_ref = ?",
        (person_id, channel, user_ref),
    )
    tx.execute(
        "UPDATE people SET locale = COALESCE(locale, (SELECT locale FROM people WHERE id = ?)) "
        "WHERE id = ?",
        (placeholder, person_id),
    )
    tx.execute("UPDATE people SET active = 0 WHERE id = ? AND pending = 1", (placeholder,))
    tx.execute(
        f"UPDATE join_requests SET status = '{CANCELLED}' WHERE person_id = ? "
        f"AND status IN ('{NAMING}', '{WAITING}')",
        (placeholder,),
    )


def _admit(tx: Tx, request: JoinRequest) -> int | None:
    """Admit an approved newcomer: into the roster person of that name and unit not yet
    on this channel if there is exactly one (returns its id), else as a new member."""
    rows = tx.all(
        "SELECT id FROM people WHERE display_name = ? AND unit_id = ? AND active = 1 "
        "AND from_roster = 1 AND id NOT IN (SELECT person_id FROM accounts WHERE channel = ?)",
        (request.name, request.unit_id, request.channel),
    )
    account = tx.one(
        "SELECT user_ref FROM accounts WHERE person_id = ? AND channel = ?",
        (request.person_id, request.channel),
    )
    if len(rows) == 1 and account is not None:
        move_account(tx, request.person_id, rows[0][0], request.channel, account[0])
        return rows[0][0]
    tx.execute(
        "UPDATE people SET pending = 0, unit_id = ?, display_name = ? WHERE id = ?",
        (request.unit_id, request.name, request.person_id),
    )
    return None
