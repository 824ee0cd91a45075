"""Announcements (通知): an administrator's text and optional file, to the groups bound to
units in their scope and/or every person in it, pinned or not, now or at a set time, with
a delivery report per group and per person.

A draft is kept in the database and edited with buttons; confirming it queues every copy
in the outbox in one transaction (or marks it scheduled), so a double tap or a restart
sends nothing twice, and a scheduled one goes out after a restart too. The sender's scope
is checked again at the moment of queueing: an admin who lost the right sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import PurePath
from zoneinfo import ZoneInfo

from bot.content.orgtree import OrgTree
from bot.core.clock import Clock, from_db, to_db
from bot.core.i18n import t
from bot.core.messages import DOCUMENT, PHOTO, Attachment, Outgoing
from bot.delivery import FAILED, PENDING, SENDING, SENT, UNREACHABLE, Outbox, Recipient, keep_file
from bot.domain.access import Access, Scope
from bot.domain.audit import Audit
from bot.domain.people import People
from bot.storage.sqlite import Store, Tx

DRAFT, SCHEDULED, QUEUED, CANCELLED = "draft", "scheduled", "queued", "cancelled"
CLI_ACTOR = "cli"
KIND = "announce"  # the outbox batch kind; the batch ref is the announcement id
MAX_TEXT_CHARS = 3500  # room in one 4096-character message for the header
MAX_FILE_BYTES = 20 * 1024 * 1024  # what a Telegram bot may download
FILE_SUFFIXES = {
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".ofd", ".txt",
    ".csv", ".zip", ".jpg", ".jpeg", ".png",
}  # fmt: skip
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png"}


def file_problem(name: str, size: int) -> tuple[str, dict] | None:
    """Why a file cannot be attached (a catalog key and its parameters), or None."""
    base = PurePath(name or "").name
    if not base or PurePath(base).suffix.lower() not in FILE_SUFFIXES:
        return "announce.bad_file", {"name": name, "kinds": " ".join(sorted(FILE_SUFFIXES))}
    if size > MAX_FILE_BYTES:
        return "file.too_big", {"size": size, "limit": MAX_FILE_BYTES}
    return None


def attachment_for(name: str, data: bytes) -> Attachment:
    """A checked file as an attachment: pictures are shown inline, the rest as documents."""
    base = PurePath(name).name[-100:]
    kind = PHOTO if PurePath(base).suffix.lower() in PHOTO_SUFFIXES else DOCUMENT
    return Attachment(base, data, kind)


@dataclass(frozen=True)
class Announcement:
    """One announcement, as drafted or sent."""

    id: int
    actor: str
    report_to: str | None
    root: str | None
    text: str
    file_sha: str | None
    file_name: str | None
    file_kind: str | None
    to_groups: bool
    to_people: bool
    pin: bool
    send_at: datetime | None
    status: str
    awaiting_file: bool
    batch_id: int | None


@dataclass(frozen=True)
class GroupTarget:
    """A bound group an announcement goes to."""

    channel: str
    chat_ref: str
    title: str
    unit_id: str


@dataclass(frozen=True)
class Audience:
    """Whom an announcement reaches: groups, and people's chats (person id, channel, chat)."""

    groups: list[GroupTarget]
    people: list[tuple[int, str, str]]

    @property
    def person_count(self) -> int:
        """Distinct people (one may have several accounts)."""
        return len({pid for pid, _, _ in self.people})


@dataclass(frozen=True)
class Line:
    """One recipient in a delivery report."""

    name: str
    unit_id: str | None
    status: str
    error: str


@dataclass(frozen=True)
class DeliveryReport:
    """How an announcement went, per group and per person."""

    announcement: Announcement
    groups: list[Line]
    people: list[Line]

    def count(self, lines: list[Line], *statuses: str) -> int:
        """How many of `lines` have one of `statuses`."""
        return sum(1 for line in lines if line.status in statuses)

    @property
    def done(self) -> bool:
        """Nothing is waiting to be sent any more."""
        return not any(x.status in (PENDING, SENDING) for x in self.groups + self.people)


_COLUMNS = (
    "id, actor, report_to, root, text, file_sha, file_name, file_kind, to_groups, to_people, "
    "pin, send_at, status, awaiting_file, batch_id"
)


def _row(r) -> Announcement:
    return Announcement(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], bool(r[8]), bool(r[9]), bool(r[10]),
        from_db(r[11]) if r[11] else None, r[12], bool(r[13]), r[14],
    )  # fmt: skip


class Refused(Exception):
    """An announcement action that is not allowed now; `key` names the catalog text."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params


class Announcements:
    """Drafts, schedules, queues and reports announcements."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        tz: ZoneInfo,
        orgs: OrgTree,
        outbox: Outbox,
        audit: Audit,
        people: People,
        access: Access,
        locale: str,
    ):
        self.store = store
        self.clock = clock
        self.tz = tz
        self.orgs = orgs
        self.outbox = outbox
        self.audit = audit
        self.people = people
        self.access = access
        self.locale = locale

    # --- drafts -------------------------------------------------------------------

    async def draft(
        self, actor: str, report_to: str | None, text: str, root: str | None = None
    ) -> Announcement:
        """A new draft (the actor's older open draft is dropped); raise Refused."""
        text = text.strip()
        if not text:
            raise Refused("announce.usage")
        if len(text) > MAX_TEXT_CHARS:
            raise Refused("announce.too_long", size=len(text), limit=MAX_TEXT_CHARS)
        now = to_db(self.clock.now())

        def write(tx: Tx) -> int:
            tx.execute(
                "UPDATE announcements SET status = ? WHERE actor = ? AND status = ?",
                (CANCELLED, actor, DRAFT),
            )
            tx.execute(
                "INSERT INTO announcements (actor, report_to, root, text, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (actor, report_to, root, text, now),
            )
            return tx.one("SELECT last_insert_rowid()")[0]

        found = await self.get(await self.store.write(write))
        assert found is not None
        return found

    async def get(self, announcement_id: int) -> Announcement | None:
        """One announcement."""
        row = await self.store.one(
            f"SELECT {_COLUMNS} FROM announcements WHERE id = ?", (announcement_id,)
        )
        return _row(row) if row else None

    async def open_draft(self, actor: str) -> Announcement | None:
        """The actor's draft being edited, if any."""
        row = await self.store.one(
            f"SELECT {_COLUMNS} FROM announcements WHERE actor = ? AND status = ? "
            "ORDER BY id DESC LIMIT 1",
            (actor, DRAFT),
        )
        return _row(row) if row else None

    async def recent(self, actor: str | None, limit: int = 5) -> list[Announcement]:
        """The latest announcements (of one actor, or everyone's), newest first."""
        where, params = ("WHERE actor = ? AND status != ?", (actor, DRAFT)) if actor else (
            "WHERE status != ?", (DRAFT,))  # fmt: skip
        rows = await self.store.all(
            f"SELECT {_COLUMNS} FROM announcements {where} ORDER BY id DESC LIMIT ?",
            (*params, limit),
        )
        return [_row(r) for r in rows]

    async def change(self, announcement_id: int, actor: str, **fields) -> Announcement:
        """Set fields of the actor's own draft (to_groups, to_people, pin, send_at,
        awaiting_file); raise Refused when it is not an open draft of theirs."""
        allowed = {"to_groups", "to_people", "pin", "send_at", "awaiting_file"}
        assert set(fields) <= allowed
        values = {
            k: (to_db(v) if isinstance(v, datetime) else int(v) if isinstance(v, bool) else v)
            for k, v in fields.items()
        }
        sets = ", ".join(f"{k} = ?" for k in values)

        def write(tx: Tx) -> int:
            return tx.execute(
                f"UPDATE announcements SET {sets} WHERE id = ? AND actor = ? AND status = ?",
                (*values.values(), announcement_id, actor, DRAFT),
            )

        if not await self.store.write(write):
            raise Refused("announce.not_draft")
        found = await self.get(announcement_id)
        assert found is not None
        return found

    async def attach(self, announcement_id: int, actor: str, file: Attachment) -> Announcement:
        """Attach a file to the actor's draft (replacing an earlier one)."""
        now = to_db(self.clock.now())

        def write(tx: Tx) -> int:
            digest = keep_file(tx, file, now)
            return tx.execute(
                "UPDATE announcements SET file_sha = ?, file_name = ?, file_kind = ?, "
                "awaiting_file = 0 WHERE id = ? AND actor = ? AND status = ?",
                (digest, file.name, file.kind, announcement_id, actor, DRAFT),
            )

        if not await self.store.write(write):
            raise Refused("announce.not_draft")
        found = await self.get(announcement_id)
        assert found is not None
        return found

    async def awaiting_file(self, actor: str) -> Announcement | None:
        """The actor's draft waiting for a file, if any."""
        draft = await self.open_draft(actor)
        return draft if draft is not None and draft.awaiting_file else None

    # --- whom it reaches ----------------------------------------------------------

    def _inside(self, ann: Announcement, scope: Scope):
        def inside(unit_id: str | None) -> bool:
            if scope.superadmin and ann.root is None:
                return True  # everyone, those not placed in a unit yet too
            if unit_id is None or not scope.covers(unit_id):
                return False
            return ann.root is None or self.orgs.contains(ann.root, unit_id)

        return inside

    async def audience(self, ann: Announcement, scope: Scope) -> Audience:
        """The groups and people `ann` reaches within `scope` (and its root unit)."""
        inside = self._inside(ann, scope)
        groups: list[GroupTarget] = []
        if ann.to_groups:
            rows = await self.store.all(
                "SELECT channel, chat_ref, COALESCE(NULLIF(title, ''), bound_name), unit_id "
                "FROM groups WHERE left_at IS NULL AND unit_id IS NOT NULL "
                "ORDER BY channel, chat_ref"
            )
            groups = [GroupTarget(*r) for r in rows if inside(r[3])]
        people: list[tuple[int, str, str]] = []
        if ann.to_people:
            people = [(p.id, ch, chat) for p, ch, chat in await self.people.reachable(inside)]
        return Audience(groups, people)

    # --- sending --------------------------------------------------------------------

    async def confirm(self, announcement_id: int, actor: str, scope: Scope) -> Announcement:
        """Queue the actor's draft now, or mark it scheduled for its send_at; once only
        (a second tap finds it no longer a draft); raise Refused."""
        ann = await self.get(announcement_id)
        if ann is None or ann.actor != actor or ann.status != DRAFT:
            raise Refused("announce.not_draft")
        if not scope.is_admin or (ann.root is not None and not scope.covers(ann.root)):
            raise Refused("admin.only")
        if ann.send_at is not None and ann.send_at > self.clock.now():

            def schedule(tx: Tx) -> int:
                changed = tx.execute(
                    "UPDATE announcements SET status = ? WHERE id = ? AND status = ?",
                    (SCHEDULED, ann.id, DRAFT),
                )
                if changed:
                    at = to_db(ann.send_at)
                    units = self._units(scope, ann)
                    self.audit.record(
                        tx, actor, "announce.schedule", str(ann.id), at=at, units=units
                    )
                return changed

            if not await self.store.write(schedule):
                raise Refused("announce.not_draft")
        else:
            await self._queue(ann, scope, DRAFT)
        found = await self.get(ann.id)
        assert found is not None
        return found

    async def cancel(self, announcement_id: int, actor: str) -> Announcement:
        """Drop the actor's draft or scheduled announcement (audited when scheduled)."""

        def write(tx: Tx) -> int:
            row = tx.one(
                "SELECT status FROM announcements WHERE id = ? AND actor = ?",
                (announcement_id, actor),
            )
            if row is None or row[0] not in (DRAFT, SCHEDULED):
                return 0
            tx.execute(
                "UPDATE announcements SET status = ? WHERE id = ?", (CANCELLED, announcement_id)
            )
            if row[0] == SCHEDULED:
                self.audit.record(tx, actor, "announce.cancel", str(announcement_id))
            return 1

        if not await self.store.write(write):
            raise Refused("announce.not_draft")
        found = await self.get(announcement_id)
        assert found is not None
        return found

    async def run_due(self) -> list[int]:
        """Queue scheduled announcements whose time has come, each with its sender's scope
        as it is now; returns their ids. One whose sender is no longer an admin is
        cancelled and audited instead."""
        rows = await self.store.all(
            f"SELECT {_COLUMNS} FROM announcements WHERE status = ? AND send_at <= ? "
            "ORDER BY send_at, id",
            (SCHEDULED, to_db(self.clock.now())),
        )
        queued = []
        for ann in map(_row, rows):
            scope = await self.scope_of(ann.actor)
            if not scope.is_admin or (ann.root is not None and not scope.covers(ann.root)):
                await self.store.write(self._drop, ann)
                continue
            if await self._queue(ann, scope, SCHEDULED):
                queued.append(ann.id)
        return queued

    def _drop(self, tx: Tx, ann: Announcement) -> None:
        changed = tx.execute(
            "UPDATE announcements SET status = ? WHERE id = ? AND status = ?",
            (CANCELLED, ann.id, SCHEDULED),
        )
        if changed:
            self.audit.record(tx, ann.actor, "announce.dropped", str(ann.id), why="no longer admin")

    async def scope_of(self, actor: str) -> Scope:
        """The actor's scope now (the command line acts as a superadmin)."""
        if actor == CLI_ACTOR:
            return Scope(self.orgs, superadmin=True)
        channel, _, user_ref = actor.partition(":")
        return await self.access.scope(channel, user_ref)

    def message(self, ann: Announcement, file_data: bytes | None = None) -> Outgoing:
        """The announcement as people see it (groups get it pinned when asked)."""
        sender = self.orgs.units[ann.root].name if ann.root in self.orgs.units else ""
        head = t("announce.head", self.locale, unit=sender) if sender else t(
            "announce.head_plain", self.locale)  # fmt: skip
        attachment = None
        if ann.file_sha:
            attachment = Attachment(
                ann.file_name or "file", file_data or b"", ann.file_kind or "document", ann.file_sha
            )
        return Outgoing(f"{head}\n\n{ann.text}", attachment=attachment)

    async def _queue(self, ann: Announcement, scope: Scope, status: str) -> bool:
        """Queue every copy and mark it queued, in one transaction; False if it had been
        queued or cancelled meanwhile. Raise Refused when it reaches nobody."""
        audience = await self.audience(ann, scope)
        if not audience.groups and not audience.people:
            if status == SCHEDULED:
                await self.store.write(self._drop, ann)
                return False
            raise Refused("announce.nobody")
        msg = self.message(ann)
        ref = str(ann.id)
        now = to_db(self.clock.now())

        def write(tx: Tx) -> bool:
            changed = tx.execute(
                "UPDATE announcements SET status = ?, queued_at = ? WHERE id = ? AND status = ?",
                (QUEUED, now, ann.id, status),
            )
            if not changed:
                return False
            batch = self.outbox.batch(tx, KIND, ref, ann.report_to)
            if audience.groups:
                groups = [Recipient(g.channel, g.chat_ref, True) for g in audience.groups]
                self.outbox.add(tx, KIND, ref, _pinned(msg, ann.pin), groups, ann.report_to)
            if audience.people:
                people = [Recipient(ch, chat) for _, ch, chat in audience.people]
                self.outbox.add(tx, KIND, ref, msg, people, ann.report_to)
            tx.execute("UPDATE announcements SET batch_id = ? WHERE id = ?", (batch, ann.id))
            self.audit.record(
                tx, ann.actor, "announce", ref, groups=len(audience.groups),
                people=audience.person_count, pin=ann.pin, file=ann.file_name,
                units=self._units(scope, ann), text=ann.text[:200],
            )  # fmt: skip
            return True

        if not await self.store.write(write) and status == DRAFT:
            raise Refused("announce.not_draft")
        return True

    @staticmethod
    def _units(scope: Scope, ann: Announcement) -> list[str]:
        if ann.root is not None:
            return [ann.root]
        return ["*"] if scope.superadmin else list(scope.admin_units)

    # --- reports --------------------------------------------------------------------

    async def report(self, announcement_id: int) -> DeliveryReport | None:
        """Per group and per person: sent, failed, unreachable or still pending."""
        ann = await self.get(announcement_id)
        if ann is None or ann.batch_id is None:
            return None
        rows = await self.store.all(
            "SELECT o.is_group, o.status, COALESCE(o.error, ''), "
            "COALESCE(NULLIF(g.title, ''), g.bound_name, o.chat_ref), p.display_name, p.unit_id, "
            "g.unit_id "
            "FROM outbox o "
            "LEFT JOIN groups g ON o.is_group = 1 AND g.channel = o.channel "
            "AND g.chat_ref = o.chat_ref "
            "LEFT JOIN accounts a ON o.is_group = 0 AND a.channel = o.channel "
            "AND a.chat_ref = o.chat_ref "
            "LEFT JOIN people p ON p.id = a.person_id "
            "WHERE o.batch_id = ? ORDER BY o.id",
            (ann.batch_id,),
        )
        groups = [Line(r[3], r[6], r[1], r[2]) for r in rows if r[0]]
        people = [Line(r[4] or "?", r[5], r[1], r[2]) for r in rows if not r[0]]
        return DeliveryReport(ann, groups, people)

    async def batch_announcement(self, batch_id: int) -> int | None:
        """The announcement an outbox batch belongs to, if it is one."""
        row = await self.store.one(
            "SELECT ref FROM outbox_batches WHERE id = ? AND kind = ?", (batch_id, KIND)
        )
        return int(row[0]) if row else None


def _pinned(msg: Outgoing, pin: bool) -> Outgoing:
    return replace(msg, pin=pin) if pin else msg


MAX_LISTED = 20  # failed groups or people named in a report; the rest are counted


def report_text(report: DeliveryReport, orgs: OrgTree, locale: str) -> str:
    """A delivery report for the admin: counts per groups and people, and who failed."""
    ann = report.announcement
    key = "announce.report_done" if report.done else "announce.report_progress"
    lines = [t(key, locale, id=ann.id)]
    g, p = report.groups, report.people
    if g:
        lines.append(t("announce.report_groups", locale, total=len(g), sent=report.count(g, SENT),
                       failed=report.count(g, FAILED, UNREACHABLE),
                       pending=report.count(g, PENDING, SENDING)))  # fmt: skip
    if p:
        lines.append(t("announce.report_people", locale, total=len(p), sent=report.count(p, SENT),
                       failed=report.count(p, FAILED), unreachable=report.count(p, UNREACHABLE),
                       pending=report.count(p, PENDING, SENDING)))  # fmt: skip
    bad_groups = [x for x in g if x.status in (FAILED, UNREACHABLE)]
    bad_people = [x for x in p if x.status in (FAILED, UNREACHABLE)]
    if bad_groups:
        lines.append(t("announce.report_failed_groups", locale))
        lines += [f"• {x.name}（{_why(x, locale)}）" for x in bad_groups[:MAX_LISTED]]
    if bad_people:
        lines.append(t("announce.report_failed_people", locale))
        lines += [
            f"• {x.name} · {orgs.full_name(x.unit_id) if x.unit_id else '—'}（{_why(x, locale)}）"
            for x in bad_people[:MAX_LISTED]
        ]
    hidden = max(0, len(bad_groups) - MAX_LISTED) + max(0, len(bad_people) - MAX_LISTED)
    if hidden:
        lines.append(t("announce.report_more", locale, count=hidden))
    return "\n".join(lines)


def _why(line: Line, locale: str) -> str:
    if line.status == UNREACHABLE:
        return t("announce.why_unreachable", locale)
    return line.error[:80] or t("announce.why_failed", locale)
