"""Admin content uploads: stage a YAML file with a preview, then publish or cancel it."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.content.loader import load_content
from bot.content.models import ContentPack
from bot.content.problems import ContentError
from bot.core.clock import Clock, to_db
from bot.core.messages import Upload
from bot.domain.audit import Audit
from bot.domain.staging import (
    UPLOAD_SUFFIXES,
    Checked,
    PackDiff,
    Refused,
    check_upload,
    diff_packs,
    relabel,
    safe_name,
)
from bot.storage.sqlite import Store, Tx

PENDING, PUBLISHED, CANCELLED = "pending", "published", "cancelled"


@dataclass(frozen=True)
class Preview:
    """A staged upload; `upload_id` is None when the file is exactly what is there already."""

    upload_id: int | None
    name: str
    kind: str
    diff: PackDiff


@dataclass(frozen=True)
class Outcome:
    """What a publish or cancel request did; `done` is False when it was decided before."""

    name: str  # empty: there is no such upload
    status: str
    done: bool
    diff: PackDiff = field(default_factory=PackDiff)
    pack: ContentPack | None = None  # what to serve from now on, after a publish


class Publishing:
    """Stages uploads in the `uploads` table and publishes them into the content folders."""

    def __init__(self, config: Config, clock: Clock, store: Store, audit: Audit):
        self.config = config
        self.clock = clock
        self.store = store
        self.audit = audit

    async def receive(self, upload: Upload) -> tuple[str, bytes]:
        """The file's checked name and its bytes, its size checked before and after the
        download; raise Refused."""
        name = safe_name(upload.name, UPLOAD_SUFFIXES)
        if name is None:
            raise Refused("upload.bad_name", name=upload.name)
        self._check_size(name, upload.size)
        data = await upload.fetch()
        self._check_size(name, len(data))  # the size a platform announces may be wrong
        return name, data

    async def stage(self, actor: str, name: str, data: bytes, current: ContentPack) -> Preview:
        """Check a received content file against the content as it is and keep it pending;
        raise Refused."""
        if safe_name(name) is None:  # a CSV is a roster, never content
            raise Refused("upload.bad_name", name=name)
        checked = await asyncio.to_thread(self._check, data, name)
        if checked.previous == data:
            return Preview(None, name, checked.kind, PackDiff())
        upload_id = await self.store.write(keep, actor, name, checked.kind, data, self._now())
        return Preview(upload_id, name, checked.kind, diff_packs(current, checked.pack))

    async def publish(self, upload_id: int, actor: str, current: ContentPack) -> Outcome:
        """Write a pending upload into the content folders if it is still valid; raise Refused."""
        return await self.store.write(self._publish, upload_id, actor, current)

    async def cancel(self, upload_id: int, actor: str) -> Outcome:
        """Drop a pending upload; nothing else changes."""
        return await self.store.write(self._cancel, upload_id, actor)

    def _publish(self, tx: Tx, upload_id: int, actor: str, current: ContentPack) -> Outcome:
        # This runs on the store's thread inside one transaction, so a second tap waits for
        # the first to commit and then finds the upload published. A crash after the file
        # is written but before the commit leaves it pending: publishing again is harmless.
        row = pending(tx, upload_id)
        if isinstance(row, Outcome):
            return row
        data = bytes(row["content"])
        checked = self._check(data, row["file_name"])  # the content may have moved on
        write_atomically(checked.target, data)
        try:
            pack = load_content(self.config)
        except ContentError as exc:  # someone edited the folders meanwhile: put it back
            _restore(checked)
            shown = {checked.target: Path(row["file_name"])}
            raise Refused(
                "upload.invalid", relabel(exc.problems, shown), name=row["file_name"]
            ) from None
        diff = diff_packs(current, pack)
        decide(tx, self.audit, row, PUBLISHED, actor, "publish", **diff.ids())
        return Outcome(row["file_name"], PUBLISHED, True, diff, pack)

    def _cancel(self, tx: Tx, upload_id: int, actor: str) -> Outcome:
        row = pending(tx, upload_id)
        if isinstance(row, Outcome):
            return row
        decide(tx, self.audit, row, CANCELLED, actor, "upload.cancel")
        return Outcome(row["file_name"], CANCELLED, True)

    def _check(self, data: bytes, name: str) -> Checked:
        return check_upload(data, name, self.config.study_dir, self.config.quiz_dir)

    def _check_size(self, name: str, size: int) -> None:
        if size > self.config.max_upload_bytes:
            raise Refused(
                "upload.too_big", name=name, size=size, limit=self.config.max_upload_bytes
            )

    def _now(self) -> str:
        return to_db(self.clock.now())


def keep(tx: Tx, actor: str, name: str, kind: str, data: bytes, now: str) -> int:
    """Store an upload as pending; returns its id."""
    upload_id = tx.insert(
        "INSERT INTO uploads (actor, file_name, kind, sha256, content, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (actor, name, kind, hashlib.sha256(data).hexdigest(), data, now),
    )
    assert upload_id is not None
    return upload_id


async def kind_of(store: Store, upload_id: int) -> tuple[str, str] | None:
    """(what an upload holds: study, quiz or roster; who sent it), or None if no such upload."""
    row = await store.one("SELECT kind, actor FROM uploads WHERE id = ?", (upload_id,))
    return (row[0], row[1]) if row else None


def decide(
    tx: Tx, audit: Audit, row: dict[str, Any], status: str, actor: str, action: str, **detail: Any
) -> None:
    """Mark an upload decided and audit it, in the caller's transaction."""
    tx.execute(
        "UPDATE uploads SET status = ?, decided_at = ? WHERE id = ?",
        (status, to_db(audit.clock.now()), row["id"]),
    )
    audit.record(
        tx,
        actor,
        action,
        row["file_name"],
        upload=row["id"],
        sha256=row["sha256"],
        kind=row["kind"],
        **detail,
    )


def pending(tx: Tx, upload_id: int) -> dict[str, Any] | Outcome:
    """The upload's row while it is pending, else the Outcome that says why not."""
    row = tx.one(
        "SELECT id, file_name, kind, sha256, content, status FROM uploads WHERE id = ?",
        (upload_id,),
    )
    if row is None:
        return Outcome("", "", False)
    if row["status"] != PENDING:
        return Outcome(row["file_name"], row["status"], False)
    return dict(row)


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data`: readers and crashes see the old file or the new, not half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)  # mkstemp makes it private; authors must still read it
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    # The rename is durable only once the folder itself is synced (not possible everywhere).
    with contextlib.suppress(OSError):
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _restore(checked: Checked) -> None:
    """Put back what the target held before a publish wrote it."""
    if checked.previous is None:
        checked.target.unlink(missing_ok=True)
    else:
        write_atomically(checked.target, checked.previous)
