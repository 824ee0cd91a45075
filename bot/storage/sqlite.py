"""The SQLite store: one aiosqlite connection in WAL mode, serialised writes, migrations."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

T = TypeVar("T")
_MIGRATION_NAME = re.compile(r"(\d{3})_[a-z0-9_]+\.sql")


def migrations() -> list[tuple[int, str, str]]:
    """(version, file name, SQL) of every bundled migration, in order."""
    found = []
    for entry in resources.files("bot.storage").joinpath("migrations").iterdir():
        match = _MIGRATION_NAME.fullmatch(entry.name)
        if match:
            found.append((int(match[1]), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Tx:
    """Statements inside one write transaction, run on the connection's own thread.

    Write transactions are plain functions taking a Tx, handed whole to Store.write: one
    hop to the database thread per transaction instead of one per statement (each hop
    costs ~0.1 ms, which dominated a quiz answer's time).
    """

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def execute(self, sql: str, params: Iterable[Any] = ()) -> int:
        """Run a statement; return how many rows it changed."""
        return self.conn.execute(sql, tuple(params)).rowcount

    def insert(self, sql: str, params: Iterable[Any] = ()) -> int | None:
        """Run an INSERT; return the new rowid, or None when OR IGNORE skipped it."""
        cursor = self.conn.execute(sql, tuple(params))
        return cursor.lastrowid if cursor.rowcount > 0 else None

    def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> int:
        """Run a statement for many parameter rows; return how many rows it changed."""
        return self.conn.executemany(sql, [tuple(r) for r in rows]).rowcount

    def one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        """The first row, or None."""
        return self.conn.execute(sql, tuple(params)).fetchone()

    def all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """All rows."""
        return self.conn.execute(sql, tuple(params)).fetchall()


class _Connection(aiosqlite.Connection):
    """aiosqlite's connection plus running a whole function on its thread."""

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """Call `fn(sqlite3_connection, *args)` on the connection's thread."""
        # aiosqlite queues work for its thread through _execute; a sqlite3 connection may
        # only be used from that thread, so this is the one place that reaches inside.
        return await self._execute(lambda: fn(self._conn, *args))


class Store:
    """Owns the single connection; its one thread serialises every read and write."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._conn: aiosqlite.Connection | None = None

    async def open(self) -> Store:
        """Connect, set pragmas and apply pending migrations."""
        if str(self.path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        path = str(self.path)
        self._conn = await _Connection(
            lambda: sqlite3.connect(path, isolation_level=None), iter_chunk_size=64
        )
        self._conn.row_factory = sqlite3.Row
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            "busy_timeout=5000",
        ):
            await self._conn.execute(f"PRAGMA {pragma}")
        await self.migrate()
        return self

    async def close(self) -> None:
        """Close the connection."""
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def __aenter__(self) -> Store:
        return await self.open()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def conn(self) -> _Connection:
        """The open connection."""
        if self._conn is None:
            raise RuntimeError("store is not open")
        return self._conn

    async def migrate(self, scripts: list[tuple[int, str, str]] | None = None) -> list[int]:
        """Apply migrations not yet recorded in schema_migrations; return their versions."""
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        rows = await self.conn.execute_fetchall("SELECT version FROM schema_migrations")
        done = {r[0] for r in rows}
        applied = []
        for version, name, sql in scripts if scripts is not None else migrations():
            if version in done:
                continue
            stamp = datetime.now(UTC).isoformat()
            # One script, one transaction: a failing migration leaves nothing half-applied.
            try:
                await self.conn.executescript(
                    f"BEGIN;\n{sql}\nINSERT INTO schema_migrations VALUES "
                    f"({version}, '{name}', '{stamp}');\nCOMMIT;"
                )
            except sqlite3.Error:
                if self.conn.in_transaction:
                    await self.conn.execute("ROLLBACK")
                raise
            applied.append(version)
        return applied

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(tx, *args)` in one write transaction (BEGIN IMMEDIATE ... COMMIT).

        An exception rolls everything back and is re-raised. Writes are serialised.
        """
        # No lock needed: the connection's single thread runs one queued call at a time,
        # and a whole transaction is one call.
        return await self.conn.run(_in_transaction, fn, args)

    async def one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        """Read the first row, or None."""
        rows = await self.conn.execute_fetchall(sql, tuple(params))
        return rows[0] if rows else None

    async def all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Read all rows."""
        return list(await self.conn.execute_fetchall(sql, tuple(params)))

    async def scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        """Read the first column of the first row, or None."""
        row = await self.one(sql, params)
        return row[0] if row is not None else None


def _in_transaction(conn: sqlite3.Connection, fn: Callable[..., T], args: tuple) -> T:
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = fn(Tx(conn), *args)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return result


READERS = max(1, min(4, os.cpu_count() or 1))  # read-aside connections at a time


class ReadAside:
    """Long read-only queries (reports, ledgers) on connections of their own in worker
    threads, at most READERS at a time: side by side they use every core, and the store's
    one connection stays free for the people using the bot. An in-memory database has no
    other connections, so there they run on the store's."""

    def __init__(self, store: Store):
        self.store = store
        self._slots = asyncio.Semaphore(READERS)

    async def all(self, sql: str, params: Iterable = ()) -> list:
        """All rows of one query."""
        if str(self.store.path) == ":memory:":
            return list(await self.store.all(sql, params))
        async with self._slots:
            return await asyncio.to_thread(_read_only, self.store.path, sql, tuple(params))


def _read_only(path: Path, sql: str, params: tuple) -> list[tuple]:
    """Run one query on a fresh read-only connection to the database at `path`."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
