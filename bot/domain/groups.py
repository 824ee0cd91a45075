"""Group chats the bot was added to, and the name or unit an administrator bound each to."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.clock import Clock, to_db
from bot.domain.audit import Audit
from bot.storage.sqlite import Store

# Record a group, or refresh its title and mark it present; a name given replaces the bound one.
_UPSERT = (
    "INSERT INTO groups (channel, chat_ref, title, unit_id, bound_name, added_at) "
    "VALUES (?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (channel, chat_ref) DO UPDATE SET title = excluded.title, "
    "unit_id = COALESCE(excluded.unit_id, groups.unit_id), "
    "bound_name = COALESCE(excluded.bound_name, groups.bound_name), left_at = NULL"
)


@dataclass(frozen=True)
class Group:
    """A group chat the bot is (or was) a member of."""

    channel: str
    chat_ref: str
    title: str
    bound_name: str | None
    active: bool
    unit_id: str | None = None


class Groups:
    """Records groups as the bot joins and leaves them; binds them to names."""

    def __init__(self, store: Store, clock: Clock, audit: Audit):
        self.store = store
        self.clock = clock
        self.audit = audit

    async def joined(self, channel: str, chat_ref: str, title: str) -> None:
        """Record (or re-activate) a group the bot was added to."""
        now = to_db(self.clock.now())
        await self.store.write(
            lambda tx: tx.execute(_UPSERT, (channel, chat_ref, title, None, None, now))
        )

    async def left(self, channel: str, chat_ref: str) -> None:
        """Mark a group the bot was removed from."""
        now = to_db(self.clock.now())
        await self.store.write(
            lambda tx: tx.execute(
                "UPDATE groups SET left_at = ? WHERE channel = ? AND chat_ref = ?",
                (now, channel, chat_ref),
            )
        )

    async def bind(
        self, actor: str, channel: str, chat_ref: str, title: str, unit_id: str, name: str
    ) -> None:
        """Link a group to an org unit (recording the group if it was missed)."""
        now = to_db(self.clock.now())

        def write(tx) -> None:
            tx.execute(_UPSERT, (channel, chat_ref, title, unit_id, name, now))
            self.audit.record(
                tx, actor, "bindgroup", f"{channel}:{chat_ref}", unit=unit_id, name=name
            )

        await self.store.write(write)

    async def get(self, channel: str, chat_ref: str) -> Group | None:
        """A recorded group."""
        row = await self.store.one(
            "SELECT channel, chat_ref, title, bound_name, left_at, unit_id FROM groups "
            "WHERE channel = ? AND chat_ref = ?",
            (channel, chat_ref),
        )
        return Group(row[0], row[1], row[2], row[3], row[4] is None, row[5]) if row else None

    async def set_ranking_post(self, actor: str, channel: str, chat_ref: str, on: bool) -> bool:
        """Opt a group in to (or out of) the weekly ranking post, audited; False when it
        was so already (a double tap changes nothing)."""

        def write(tx) -> bool:
            changed = tx.execute(
                "UPDATE groups SET ranking_post = ? WHERE channel = ? AND chat_ref = ? "
                "AND ranking_post != ?",
                (int(on), channel, chat_ref, int(on)),
            )
            if changed:
                self.audit.record(tx, actor, "weeklyrank", f"{channel}:{chat_ref}", on=on)
            return bool(changed)

        return await self.store.write(write)

    async def ranking_groups(self) -> list[Group]:
        """Bound groups the bot is in that asked for the weekly ranking post."""
        rows = await self.store.all(
            "SELECT channel, chat_ref, title, bound_name, left_at, unit_id FROM groups "
            "WHERE ranking_post = 1 AND left_at IS NULL AND unit_id IS NOT NULL "
            "ORDER BY channel, chat_ref"
        )
        return [Group(r[0], r[1], r[2], r[3], r[4] is None, r[5]) for r in rows]

    async def posts_ranking(self, channel: str, chat_ref: str) -> bool:
        """Whether a group gets the weekly ranking post."""
        return bool(
            await self.store.scalar(
                "SELECT ranking_post FROM groups WHERE channel = ? AND chat_ref = ?",
                (channel, chat_ref),
            )
        )
