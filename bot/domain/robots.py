"""Group robots (群机器人): WeCom groups are reached through a robot's webhook, not by the
app itself. An administrator binds a robot to a unit; from then on its group is a bound
group like any other (announcements, the weekly ranking post)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from bot.core.clock import Clock, to_db
from bot.domain.audit import Audit
from bot.storage.sqlite import Store

CHANNEL = "wecom"
# A robot's key is a UUID; unit ids (xam-kyqq-ces-ces) must not pass for one.
_KEY = re.compile(r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
_URL = re.compile(r"https?://\S+/cgi-bin/webhook/send\?(?:\S*&)?key=([A-Za-z0-9-]+)\S*")


@dataclass(frozen=True)
class Robot:
    """A bound group robot, without its key."""

    chat_ref: str
    title: str
    unit_id: str
    ranking_post: bool


def robot_key(text: str) -> str | None:
    """The webhook key in a robot's webhook address (or a bare key); None if there is none."""
    text = text.strip()
    match = _URL.fullmatch(text)
    key = match.group(1) if match is not None else text
    return key if _KEY.fullmatch(key) else None


def robot_ref(key: str) -> str:
    """The chat_ref a robot's group is known by: derived from the key, never the key."""
    return "robot:" + hashlib.sha256(key.encode()).hexdigest()[:16]


class Robots:
    """Binds, lists and removes group robots; hands the sender their keys."""

    def __init__(self, store: Store, clock: Clock, audit: Audit):
        self.store = store
        self.clock = clock
        self.audit = audit

    async def bind(self, actor: str, key: str, title: str, unit_id: str, name: str) -> str:
        """Bind a robot's group to a unit (audited, without the key); returns its chat_ref."""
        ref = robot_ref(key)
        now = to_db(self.clock.now())

        def write(tx) -> None:
            tx.execute(
                "INSERT INTO wecom_robots (chat_ref, webhook_key, created_by, created_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (chat_ref) DO UPDATE SET "
                "webhook_key = excluded.webhook_key",
                (ref, key, actor, now),
            )
            tx.execute(
                "INSERT INTO groups (channel, chat_ref, title, unit_id, bound_name, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (channel, chat_ref) DO UPDATE SET "
                "title = excluded.title, unit_id = excluded.unit_id, "
                "bound_name = excluded.bound_name, left_at = NULL",
                (CHANNEL, ref, title, unit_id, name, now),
            )
            self.audit.record(tx, actor, "bindrobot", f"{CHANNEL}:{ref}", unit=unit_id, name=title)

        await self.store.write(write)
        return ref

    async def remove(self, actor: str, chat_ref: str) -> bool:
        """Unbind a robot and forget its key (audited); False if it was not bound."""
        now = to_db(self.clock.now())

        def write(tx) -> bool:
            gone = tx.execute("DELETE FROM wecom_robots WHERE chat_ref = ?", (chat_ref,))
            if not gone:
                return False
            tx.execute(
                "UPDATE groups SET left_at = ? WHERE channel = ? AND chat_ref = ?",
                (now, CHANNEL, chat_ref),
            )
            self.audit.record(tx, actor, "removerobot", f"{CHANNEL}:{chat_ref}")
            return True

        return await self.store.write(write)

    async def bound(self) -> list[Robot]:
        """Every bound robot, by title."""
        rows = await self.store.all(
            "SELECT g.chat_ref, g.title, g.unit_id, g.ranking_post FROM wecom_robots r "
            "JOIN groups g ON g.channel = ? AND g.chat_ref = r.chat_ref "
            "WHERE g.left_at IS NULL ORDER BY g.title, g.chat_ref",
            (CHANNEL,),
        )
        return [Robot(r[0], r[1], r[2], bool(r[3])) for r in rows]

    async def key(self, chat_ref: str) -> str | None:
        """The webhook key of a bound robot (for the sender only)."""
        return await self.store.scalar(
            "SELECT webhook_key FROM wecom_robots WHERE chat_ref = ?", (chat_ref,)
        )
