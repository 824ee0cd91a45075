"""Storage: migrations, WAL, transactions and the online backup."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.storage.backup import backup_database
from bot.storage.sqlite import Store, Tx, migrations


async def test_migrations_apply_once_in_order(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "bot.sqlite3"
    async with Store(path) as store:
        versions = [r[0] for r in await store.all("SELECT version FROM schema_migrations")]
        assert versions == [v for v, _, _ in migrations()]
        assert versions[0] == 1
        assert await store.scalar("PRAGMA journal_mode") == "wal"
        tables = {
            r[0] for r in await store.all("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert {
            "people",
            "accounts",
            "quiz_attempts",
            "quiz_answers",
            "wrong_book",
            "points_ledger",
            "study_done",
            "processed_events",
        } <= tables
    async with Store(path) as store:  # re-opening applies nothing new
        assert await store.migrate() == []


async def test_a_failing_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    async with Store(tmp_path / "bot.sqlite3") as store:
        broken = [(99, "099_broken.sql", "CREATE TABLE half (x);\nINSERT INTO nowhere VALUES (1);")]
        with pytest.raises(sqlite3.OperationalError):
            await store.migrate(broken)
        names = {r[0] for r in await store.all("SELECT name FROM sqlite_master")}
        assert "half" not in names
        assert await store.scalar("SELECT COUNT(*) FROM schema_migrations WHERE version = 99") == 0


async def test_a_failed_transaction_rolls_back(tmp_path: Path) -> None:
    async with Store(tmp_path / "bot.sqlite3") as store:

        def insert_then_fail(tx: Tx) -> None:
            tx.execute("INSERT INTO people (display_name, created_at) VALUES ('x', 'y')")
            raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            await store.write(insert_then_fail)
        assert not store.conn.in_transaction
        assert await store.scalar("SELECT COUNT(*) FROM people") == 0


async def test_backup_while_open_is_a_complete_single_file(tmp_path: Path) -> None:
    async with Store(tmp_path / "bot.sqlite3") as store:
        await store.write(
            lambda tx: tx.execute(
                "INSERT INTO people (display_name, created_at) VALUES ('王伟', 't')"
            )
        )
        written = backup_database(store.path, f"{tmp_path}/backups/")
        assert written.parent == tmp_path / "backups"
        assert written.suffix == ".sqlite3"
    copy = sqlite3.connect(written)
    assert copy.execute("SELECT display_name FROM people").fetchall() == [("王伟",)]
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copy.close()
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_backup_of_a_missing_database(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        backup_database(tmp_path / "none.sqlite3", tmp_path / "out.sqlite3")
