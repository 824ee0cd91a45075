"""People and their chat accounts: registration on first contact, language preference."""

from __future__ import annotations

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
    unreachable: bool = False  # the account we found them by: blocked the bot before


_COLUMNS = "id, display_name, locale, unit_id, points, active"


def _person(row) -> Person:
    return Person(
        row["id"],
        row["display_name"],
        row["locale"],
        row["unit_id"],
        row["points"],
        bool(row["active"]),
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

    async def reachable(self) -> list[tuple[Person, str, str]]:
        """(person, channel, chat) for every reachable account of an active person."""
        rows = await self.store.all(
            "SELECT people.id, display_name, locale, unit_id, points, active, a.channel, "
            "a.chat_ref FROM people JOIN accounts a ON a.person_id = people.id "
            "WHERE people.active = 1 AND a.unreachable_at IS NULL ORDER BY people.id"
        )
        return [(_person(r), r["channel"], r["chat_ref"]) for r in rows]

    async def reachable_again(self, channel: str, user_ref: str) -> None:
        """Someone who had blocked the bot wrote to it: send to them again."""
        await self.store.write(
            lambda tx: tx.execute(
                "UPDATE accounts SET unreachable_at = NULL WHERE channel = ? AND user_ref = ?",
                (channel, user_ref),
            )
        )

    async def register(
        self, channel: str, user_ref: str, chat_ref: str, display_name: str
    ) -> tuple[Person, bool]:
        """The person for this account, created on first contact; True if just created."""
        found = await self.find(channel, user_ref)
        if found is not None:
            return found, False
        now = to_db(self.clock.now())
        created = await self.store.write(_create, channel, user_ref, chat_ref, display_name, now)
        person = await self.find(channel, user_ref)
        assert person is not None
        return person, created

    async def get(self, person_id: int) -> Person | None:
        """A person by id."""
        row = await self.store.one(f"SELECT {_COLUMNS} FROM people WHERE id = ?", (person_id,))
        return _person(row) if row else None

    async def set_locale(self, person_id: int, locale: str) -> None:
        """Remember the language a person chose."""
        await self.store.write(
            lambda tx: tx.execute("UPDATE people SET locale = ? WHERE id = ?", (locale, person_id))
        )


def _create(tx: Tx, channel: str, user_ref: str, chat_ref: str, name: str, now: str) -> bool:
    """Create the person and account unless the account exists; True if created."""
    # Checked inside the transaction: two first messages may race.
    if tx.one("SELECT 1 FROM accounts WHERE channel = ? AND user_ref = ?", (channel, user_ref)):
        return False
    person_id = tx.insert(
        "INSERT INTO people (display_name, created_at) VALUES (?, ?)", (name or user_ref, now)
    )
    tx.execute(
        "INSERT INTO accounts (channel, user_ref, person_id, chat_ref, created_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (channel, user_ref, person_id, chat_ref, now),
    )
    return True
