"""Online backup of the SQLite database through SQLite's backup API."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path


def backup_database(source: Path, target: str | Path, now: datetime | None = None) -> Path:
    """Copy `source` to `target` (a file, or a folder - existing or ending in / - to put a
    dated file in); return the file written.

    Safe while the bot is running: SQLite's backup API copies a consistent snapshot.
    """
    if not source.exists():
        raise FileNotFoundError(source)
    dest = Path(target)
    if dest.is_dir() or str(target).endswith(os.sep):
        stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
        dest = dest / f"{source.stem}-{stamp}.sqlite3"
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(dest.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(partial)
        try:
            src.backup(out)
            ok = out.execute("PRAGMA integrity_check").fetchone()[0]
            # A backup is one self-contained file: no -wal/-shm beside it to lose.
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    finally:
        src.close()
    if ok != "ok":
        partial.unlink(missing_ok=True)
        raise sqlite3.DatabaseError(f"backup failed integrity check: {ok}")
    partial.replace(dest)
    return dest
