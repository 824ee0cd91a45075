"""People and their chat accounts: registration on first contact, language preference."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.core.clock import Clock, to_db
from bot.storage.sqlite import Store, Tx


@dataclass(frozen=True)
class Person:
    """A registered person."""

    id: int
    display_name: str
    locale: str | None
    unit_id: str | None
    points: int
    active: bool
    role: str = "cadre"  # cadre, host or admin, as the roster says
    pending: bool = False  # waits to be bound to a roster person; sees public help only
    unreachable: bool = False  # the account we found them by: blocked the bot before
    reminders: bool = True  # False after /remind off
    quiet_hours: str | None = None  # '22:00-07:00', 'off', or None: the deployment's

    @property
    def admitted(self) -> bool:
        """Whether they may use the bot: bound (not pending) and still on the roster."""
        return self.active and not self.pending


_COLUMNS = (
    "people.id, display_name, locale, unit_id, points, active, role, pending, "
    "people.reminders, people.quiet_hours"
)


def _person(row) -> Person:
    return Person(
        row["id"],
        row["display_name"],
        row["locale"],
        row["unit_id"],
        row["points"],
        bool(row["active"]),
        row["role"],
        bool(row["pending"]),
        reminders=bool(row["reminders"]),
        quiet_hours=row["quiet_hours"],
    )


class People:
    """Registers people on first contact and looks them up by account."""

    def __init__(self, store: Store, clock: Clock):
        self.store = store
        self.clock = clock

    async def find(self, channel: str, user_ref: str) -> Person | None:
        """The person behind a chat account, if registered."""
        row = await self.store.one(
            f"SELECT {_COLUMNS}, accounts.unreachable_at FROM people "
            "JOIN accounts ON accounts.person_id = people.id "
            "WHERE accounts.channel = ? AND accounts.user_ref = ?",
            (channel, user_ref),
        )
        if row is None:
            return None
        return replace(_person(row), unreachable=row["unreachable_at"] is not None)

    async def reachable(
        self, within: Callable[[str | None], bool] | None = None
    ) -> list[tuple[Person, str, str]]:
        """(person, channel, chat) for every reachable account of an admitted active person,
        only those whose unit `within` accepts when it is given (an admin's scope)."""
        rows = await self.store.all(
            f"SELECT {_COLUMNS}, a.channel, a.chat_ref FROM people "
            "JOIN accounts a ON a.person_id = people.id "
            "WHERE people.active = 1 AND people.pending = 0 AND a.unreachable_at IS NULL "
            "ORDER BY people.id"
        )
        return [
            (_person(r), r["channel"], r["chat_ref"])
            for r in rows
            if within is None or within(r["unit_id"])
        ]

    async def reachable_again(self, channel: str, user_ref: str) -> None:
        """Someone who had blocked the bot wrote to it: send to them again."""
        await self.store.write(
            lambda tx: tx.execute(
                "UPDATE accounts SET unreachable_at = NULL WHERE channel = ? AND user_ref = ?",
                (channel, user_ref),
            )
        )

    async def register(
        self,
        channel: str,
        user_ref: str,
        chat_ref: str,
        display_name: str,
        unit_id: str | None = None,
        pending: bool = False,
    ) -> tuple[Person, bool]:
        """The person for this account, created on first contact (in `unit_id`, or pending
        until bound to a roster person); True if just created."""
        found = await self.find(channel, user_ref)
        if found is not None:
            await self._follow_chat(channel, user_ref, chat_ref)
            return found, False
        now = to_db(self.clock.now())
        new = _New(channel, user_ref, chat_ref, display_name or user_ref, unit_id, pending, now)
        created = await self.store.write(_create, new)
        person = await self.find(channel, user_ref)
        assert person is not None
        return person, created

    async def claim_spelling(self, channel: str, user_ref: str) -> bool:
        """Whether `user_ref` has an account on a channel whose ids ignore case (WeCom's);
        one spelled otherwise (by a roster) takes this spelling, the platform's own."""
        found = await self.store.scalar(
            "SELECT user_ref FROM accounts WHERE channel = ? AND user_ref = ? COLLATE NOCASE "
            "ORDER BY user_ref = ? DESC LIMIT 1",
            (channel, user_ref, user_ref),
        )
        if found is not None and found != user_ref:
            await self.store.write(
                lambda tx: tx.execute(
                    "UPDATE accounts SET user_ref = ?, chat_ref = ? "
                    "WHERE channel = ? AND user_ref = ?",
                    (user_ref, user_ref, channel, found),
                )
            )
        return found is not None

    async def _follow_chat(self, channel: str, user_ref: str, chat_ref: str) -> None:
        """Keep an account's chat where the person last wrote to us privately (an account
        made from a group event by an earlier version held the group's chat)."""
        known = await self.store.scalar(
            "SELECT chat_ref FROM accounts WHERE channel = ? AND user_ref = ?", (channel, user_ref)
        )
        if known is not None and known != chat_ref:
            await self.store.write(
                lambda tx: tx.execute(
                    "UPDATE accounts SET chat_ref = ? WHERE channel = ? AND user_ref = ?",
                    (chat_ref, channel, user_ref),
                )
            )

    async def get(self, person_id: int) -> Person | None:
        """A person by id."""
        row = await self.store.one(f"SELECT {_COLUMNS} FROM people WHERE id = ?", (person_id,))
        return _person(row) if row else None

    async def admitted(self) -> list[Person]:
        """Everyone active and bound, by id."""
        rows = await self.store.all(
            f"SELECT {_COLUMNS} FROM people WHERE active = 1 AND pending = 0 ORDER BY id"
        )
        return [_person(r) for r in rows]

    async def named(self, text: str, limit: int) -> list[Person]:
        """Admitted active people whose id or exact name is `text`, at most `limit`."""
        rows = await self.store.all(
            f"SELECT {_COLUMNS} FROM people WHERE active = 1 AND pending = 0 "
            "AND (display_name = ? OR CAST(id AS TEXT) = ?) ORDER BY id LIMIT ?",
            (text, text, limit),
        )
        return [_person(r) for r in rows]

    async def in_unit(self, unit_id: str) -> list[tuple[Person, str | None, str, bool]]:
        """(person, phone, position, has an account) for everyone recorded in one unit."""
        rows = await self.store.all(
            f"SELECT {_COLUMNS}, phone, position, EXISTS (SELECT 1 FROM accounts a "
            "WHERE a.person_id = people.id) AS bound FROM people "
            "WHERE unit_id = ? AND pending = 0 ORDER BY active DESC, display_name, people.id",
            (unit_id,),
        )
        return [(_person(r), r["phone"], r["position"], bool(r["bound"])) for r in rows]

    async def set_locale(self, person_id: int, locale: str) -> None:
        """Remember the language a person chose."""
        await self.store.write(
            lambda tx: tx.execute("UPDATE people SET locale = ? WHERE id = ?", (locale, person_id))
        )


@dataclass(frozen=True)
class _New:
    """A first contact to record."""

    channel: str
    user_ref: str
    chat_ref: str
    name: str
    unit_id: str | None
    pending: bool
    now: str


def _create(tx: Tx, new: _New) -> bool:
    """Create the person and account unless the account exists; True if created."""
    # Checked inside the transaction: two first messages may race.
    if tx.one(
        "SELECT 1 FROM accounts WHERE channel = ? AND user_ref = ?", (new.channel, new.user_ref)
    ):
        return False
    person_id = tx.insert(
        "INSERT INTO people (display_name, unit_id, pending, created_at) VALUES (?, ?, ?, ?)",
        (new.name, new.unit_id, int(new.pending), new.now),
    )
    add_account(tx, new.channel, new.user_ref, new.chat_ref, person_id, new.now)
    return True


def add_account(
    tx: Tx, channel: str, user_ref: str, chat_ref: str, person_id: int, now: str
) -> None:
    """Link a chat account to a person, inside the caller's transaction."""
    tx.execute(
        "INSERT INTO accounts (channel, user_ref, person_id, chat_ref, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (channel, user_ref, person_id, chat_ref, now),
    )
