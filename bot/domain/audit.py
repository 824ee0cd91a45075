"""The audit log: who did what, when, to what — every administrator action is recorded."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.core.clock import Clock, to_db
from bot.storage.sqlite import Store, Tx


@dataclass(frozen=True)
class Entry:
    """One audited action."""

    at: str
    actor: str
    action: str
    target: str
    detail: dict[str, Any]


class Audit:
    """Writes audit entries inside the caller's transaction, so the action and its record
    commit together."""

    def __init__(self, store: Store, clock: Clock):
        self.store = store
        self.clock = clock

    def record(self, tx: Tx, actor: str, action: str, target: str = "", **detail: Any) -> None:
        """Add an entry inside `tx`."""
        tx.execute(
            "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
            (
                to_db(self.clock.now()),
                actor,
                action,
                target,
                json.dumps(detail, ensure_ascii=False, sort_keys=True),
            ),
        )

    async def note(self, actor: str, action: str, target: str = "", **detail: Any) -> None:
        """Add an entry on its own, for an action that changes nothing (e.g. viewing phones)."""
        await self.store.write(lambda tx: self.record(tx, actor, action, target, **detail))

    async def recent(self, limit: int = 50, action: str | None = None) -> list[Entry]:
        """The latest entries, newest first, optionally of one action."""
        where, params = ("WHERE action = ?", (action,)) if action else ("", ())
        rows = await self.store.all(
            f"SELECT at, actor, action, target, detail FROM audit_log {where} "
            "ORDER BY id DESC LIMIT ?",
            (*params, limit),
        )
        return [Entry(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]

    async def since(self, start: datetime, action: str | None = None) -> list[Entry]:
        """Entries from `start` on, oldest first, optionally of one action."""
        where, params = ("AND action = ?", (action,)) if action else ("", ())
        rows = await self.store.all(
            f"SELECT at, actor, action, target, detail FROM audit_log WHERE at >= ? {where} "
            "ORDER BY id",
            (to_db(start), *params),
        )
        return [Entry(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]
