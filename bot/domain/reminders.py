"""The scheduler's work: what each due occurrence sends to whom, sending it once, catching
up after a restart, the preview, and snooze.

The truth is in the database. An occurrence that was handled has a deliveries row with
whom = '*' written in the same transaction as its outbox rows, so it is sent once however
often the sweep runs or the bot restarts. One missed while the bot was down goes out
late if it is still within `schedule.grace`, and is skipped (logged and audited) after.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import Config
from bot.content.models import ContentPack, Lecture, StudyItem, Venue, monday_of
from bot.content.orgtree import OrgTree
from bot.core.clock import Clock, from_db, to_db
from bot.core.messages import Outgoing
from bot.delivery import Outbox, Recipient, decode
from bot.domain import reminder_texts as texts
from bot.domain.access import ADMIN, HOST, Access, Scope
from bot.domain.attendance import ABSENT, EXCUSED, NOT_YET, Attendance
from bot.domain.audit import Audit
from bot.domain.people import People, Person
from bot.domain.plan import (
    ESCALATE,
    HOSTS,
    LECTURE,
    MAKEUP,
    NUDGE,
    REMINDER,
    STUDY,
    WEEKLY,
    Due,
    Planner,
)
from bot.domain.prefs import Prefs
from bot.domain.study import visible_to
from bot.storage.sqlite import Store, Tx

log = logging.getLogger(__name__)
RUN = "*"  # the whom of an occurrence's own deliveries row
CHECKED = "schedule.checked_until"  # settings key: the last time the scheduler looked
ACTOR = "scheduler"
SAVE_EVERY = timedelta(minutes=1)
RETRY_AFTER = timedelta(minutes=5)
SNOOZE = "snooze"
TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class Parcel:
    """One message and who gets it: (whom, where) pairs; `snooze` adds snooze buttons."""

    suffix: str
    msg: Outgoing
    to: list[tuple[str, Recipient]]
    locale: str = "zh"
    snooze: bool = False
    label: str = ""  # what the preview and /pushweek call it (an item's title)


@dataclass(frozen=True)
class Planned:
    """What one occurrence sends (or would send, in a preview)."""

    due: Due
    title: str
    parcels: list[Parcel] = field(default_factory=list)

    @property
    def people(self) -> int:
        """Distinct recipients."""
        return len({whom for p in self.parcels for whom, _ in p.to})

    @property
    def deferred(self) -> int:
        """Recipients whose copy waits for their quiet hours to end."""
        return len({whom for p in self.parcels for whom, r in p.to if r.not_before is not None})


@dataclass(frozen=True)
class Ran:
    """What a sweep did with one occurrence: queued for `queued` chats, or skipped."""

    due: Due
    queued: int
    skipped: bool = False


@dataclass(frozen=True)
class Snoozed:
    """A snooze: when the reminder comes back; `again` if it had been snoozed already."""

    until: datetime | None
    again: bool = False


class Reachable(dict[int, tuple[Person, list[Recipient]]]):
    """Reachable people and their chats by person id, read once per sweep or preview;
    everyone admitted (reachable or not) is read on first need and kept as well."""

    def __init__(self, people: People):
        super().__init__()
        self._people = people
        self._admitted: list[Person] | None = None

    async def admitted(self) -> list[Person]:
        """Everyone active and bound, read once."""
        if self._admitted is None:
            self._admitted = await self._people.admitted()
        return self._admitted


class Reminders:
    """Plans, sends once, catches up, previews; snoozes a reminder for one person."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        config: Config,
        pack: ContentPack,
        orgs: OrgTree,
        people: People,
        attendance: Attendance,
        access: Access,
        outbox: Outbox,
        audit: Audit,
        prefs: Prefs,
    ):
        self.store = store
        self.clock = clock
        self.config = config
        self.schedule = config.schedule
        self.tz: ZoneInfo = config.tz
        self.orgs = orgs
        self.people = people
        self.attendance = attendance
        self.access = access
        self.outbox = outbox
        self.audit = audit
        self.prefs = prefs
        self.use_pack(pack)
        self._from: datetime | None = None
        self._done: set[tuple[str, str]] = set()
        self._retry: dict[tuple[str, str], datetime] = {}
        self._saved: datetime | None = None

    def use_pack(self, pack: ContentPack) -> None:
        """Plan from newly published content from now on."""
        self.pack = pack
        self.planner = Planner(pack, self.schedule, self.tz)

    @property
    def grace(self) -> timedelta:
        """How late a missed occurrence may still go out."""
        return timedelta(minutes=self.schedule.grace)

    # --- running -----------------------------------------------------------------------

    async def start(self) -> list[Ran]:
        """Pick up where the last run stopped: send what is due within the grace period,
        skip (and log) what is older, then carry on from now."""
        return await self.resume() + await self.sweep()

    async def resume(self) -> list[Ran]:
        """Read where the last run stopped and skip (and log) what is past the grace
        period; the next sweep sends what is still due."""
        now = self.clock.now()
        stored = await self.store.scalar("SELECT value FROM settings WHERE key = ?", (CHECKED,))
        # A first start sends nothing from before it: there was no one to miss it.
        self._from = from_db(stored) if stored else now
        rows = await self.store.all(
            "SELECT what, occurrence FROM deliveries WHERE whom = ? AND occurrence > ?",
            (RUN, to_db(min(self._from, now - self.grace))),
        )
        self._done = {(r[0], r[1]) for r in rows}
        skipped: list[Ran] = []
        cutoff = now - self.grace
        if self._from < cutoff:  # down longer than the grace period
            stale = [
                d
                for d in self.planner.between(self._from, cutoff - TICK)
                if (d.what, to_db(d.at)) not in self._done
            ]
            await self._skip_all(stale, now)
            skipped = [Ran(d, 0, skipped=True) for d in stale]
            self._from = cutoff - TICK
        return skipped

    async def sweep(self) -> list[Ran]:
        """Send every occurrence now due and not yet sent; skip those too late to send."""
        now = self.clock.now()
        if self._from is None:
            return await self.start()
        done: list[Ran] = []
        reach: Reachable | None = None
        dues = self.planner.between(self._from, now)
        # Of one lecture's reminders due at once (after a restart), only the last goes out.
        latest = {(d.kind, d.ref): d.at for d in dues if d.kind == LECTURE}
        for due in dues:
            key = (due.what, to_db(due.at))
            if key in self._done or self._retry.get(key, now) > now:
                continue
            superseded = due.kind == LECTURE and latest[(due.kind, due.ref)] > due.at
            too_late = now - due.at > self.grace or (due.latest is not None and now > due.latest)
            if superseded or too_late:
                await self._skip(due, now, "superseded" if superseded else "late")
                self._done.add(key)
                done.append(Ran(due, 0, skipped=True))
                continue
            try:
                if reach is None:
                    reach = await self._reachable()
                queued = await self.run(due, now, reach)
            except Exception:  # one bad occurrence must not hold up the others
                log.exception("scheduled %s at %s failed; trying again later", due.what, due.at)
                self._retry[key] = now + RETRY_AFTER
                continue
            self._done.add(key)
            self._retry.pop(key, None)
            done.append(Ran(due, max(queued, 0)))
        self._from = max(self._from, now - self.grace)
        if self._saved is None or now - self._saved >= SAVE_EVERY:
            await self._save(now)
        return done

    async def run(self, due: Due, now: datetime, reach: Reachable | None = None) -> int:
        """Queue one occurrence once: returns the chats newly queued, -1 if it had run."""
        planned = await self.plan(due, now, reach)
        return await self._write(planned, now)

    async def push_weekly(self, actor: str, report_to: str | None) -> list[tuple[str, int]]:
        """/pushweek: this week's items now, to everyone not sent them yet this week;
        returns (item title, chats queued) per item."""
        now = self.clock.now()
        planned = await self.plan(Due(now, "weekly:manual", WEEKLY), now)
        counts: dict[str, int] = defaultdict(int)

        def write(tx: Tx) -> None:
            for parcel in planned.parcels:
                kind, ref = self._batch(planned.due, parcel)
                _, added = self.outbox.add(tx, kind, ref, parcel.msg, _where(parcel), report_to)
                if added:
                    counts[parcel.label] += added
            items = sorted({p.suffix.split(":")[0] for p in planned.parcels})
            self.audit.record(tx, actor, "weekly_push", _week(now, self.tz), items=items)

        await self.store.write(write)
        return list(counts.items())

    async def _write(self, planned: Planned, now: datetime) -> int:
        due = planned.due
        occurrence, stamp = to_db(due.at), to_db(now)

        def write(tx: Tx) -> int:
            if not tx.execute(
                "INSERT OR IGNORE INTO deliveries (what, occurrence, whom, status, at) "
                "VALUES (?, ?, ?, 'done', ?)",
                (due.what, occurrence, RUN, stamp),
            ):
                return -1  # another sweep (or a process before a restart) sent it
            queued, rows = 0, []
            for parcel in planned.parcels:
                kind, ref = self._batch(due, parcel)
                msg = parcel.msg
                if parcel.snooze:
                    batch_id = self.outbox.batch(tx, kind, ref)
                    rows_ = [*msg.rows, texts.snooze_row(batch_id, parcel.locale)]
                    msg = Outgoing(msg.text, rows=rows_)
                queued += self.outbox.add(tx, kind, ref, msg, _where(parcel))[1]
                rows.extend(
                    (due.what, occurrence, whom, "deferred" if r.not_before else "sent", stamp)
                    for whom, r in parcel.to
                )
            tx.executemany(
                "INSERT OR IGNORE INTO deliveries (what, occurrence, whom, status, at) "
                "VALUES (?, ?, ?, ?, ?)",
                rows,
            )
            return queued

        queued = await self.store.write(write)
        if queued >= 0:
            log.info("sent %s due %s: %d chats", due.what, due.at, queued)
        return queued

    async def _skip_all(self, stale: list[Due], now: datetime) -> None:
        """Record what was missed while the bot was down: one log line and one audit
        entry per kind of send (a cron reminder may have missed many), a row each."""
        by_what: dict[str, list[Due]] = defaultdict(list)
        for due in stale:
            by_what[due.what].append(due)
        for what, dues in by_what.items():
            log.warning(
                "skipped %s: %d occurrence(s) from %s to %s, missed by more than the %s grace "
                "period while the bot was down",
                what,
                len(dues),
                dues[0].at.astimezone(self.tz),
                dues[-1].at.astimezone(self.tz),
                self.grace,
            )

        def write(tx: Tx) -> None:
            tx.executemany(
                "INSERT OR IGNORE INTO deliveries (what, occurrence, whom, status, at) "
                "VALUES (?, ?, ?, 'skipped', ?)",
                [(d.what, to_db(d.at), RUN, to_db(now)) for d in stale],
            )
            for what, dues in by_what.items():
                late = int((now - dues[-1].at).total_seconds() // 60)
                self.audit.record(
                    tx,
                    ACTOR,
                    "schedule.skipped",
                    what,
                    due=to_db(dues[-1].at),
                    late=late,
                    why="down",
                    count=len(dues),
                )

        await self.store.write(write)
        self._done.update((d.what, to_db(d.at)) for d in stale)

    async def _skip(self, due: Due, now: datetime, why: str) -> None:
        late = now - due.at
        log.warning(
            "skipped %s due %s: %s late, %s",
            due.what,
            due.at.astimezone(self.tz),
            late,
            "a later reminder of it is due"
            if why == "superseded"
            else f"past its moment or the {self.grace} grace period",
        )

        def write(tx: Tx) -> None:
            added = tx.execute(
                "INSERT OR IGNORE INTO deliveries (what, occurrence, whom, status, at) "
                "VALUES (?, ?, ?, 'skipped', ?)",
                (due.what, to_db(due.at), RUN, to_db(now)),
            )
            if added:
                late_minutes = int(late.total_seconds() // 60)
                self.audit.record(
                    tx,
                    ACTOR,
                    "schedule.skipped",
                    due.what,
                    due=to_db(due.at),
                    late=late_minutes,
                    why=why,
                )

        await self.store.write(write)

    async def _save(self, now: datetime) -> None:
        await self.store.write(
            lambda tx: tx.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (CHECKED, to_db(now)),
            )
        )
        self._saved = now

    def _batch(self, due: Due, parcel: Parcel) -> tuple[str, str]:
        """The outbox batch of a parcel: the weekly push keeps one per item and week, so a
        /pushweek and the scheduled push never send an item twice in a week."""
        if due.kind == WEEKLY:
            return WEEKLY, parcel.suffix
        stamp = due.at.astimezone(self.tz).strftime("%Y%m%dT%H%M")
        return due.kind, f"{due.what}@{stamp}{parcel.suffix}"

    # --- planning ----------------------------------------------------------------------

    async def preview(self, start: datetime, end: datetime) -> list[Planned]:
        """Everything due from `start` to `end`, with its recipients; nothing is written."""
        reach = await self._reachable()
        return [
            await self.plan(due, due.at, reach)
            for due in self.planner.between(start - timedelta(microseconds=1), end)
        ]

    async def plan(self, due: Due, now: datetime, reach: Reachable | None = None) -> Planned:
        """What `due` sends, worked out at `now` (quiet hours are judged at `now`)."""
        reach = reach if reach is not None else await self._reachable()
        planner = {
            WEEKLY: self._weekly,
            LECTURE: self._lecture,
            HOSTS: self._hosts,
            MAKEUP: self._makeup,
            NUDGE: self._nudge,
            ESCALATE: self._escalate,
            REMINDER: self._reminder,
        }[due.kind]
        return await planner(due, now, reach)

    async def _reachable(self) -> Reachable:
        found = Reachable(self.people)
        for person, channel, chat in await self.people.reachable():
            found.setdefault(person.id, (person, []))[1].append(Recipient(channel, chat))
        return found

    def _locale(self, person: Person) -> str:
        return person.locale or self.config.locale

    def _to(
        self, due: Due, now: datetime, people: Iterable[Person], reach: Reachable
    ) -> list[tuple[str, Recipient]]:
        """Each person's chats, held back for quiet hours unless urgent (never past
        `due.latest`: a reminder that would arrive too late goes now)."""
        found: list[tuple[str, Recipient]] = []
        releases: dict[str | None, datetime | None] = {}  # by quiet_hours: few distinct
        for person in people:
            entry = reach.get(person.id)
            if entry is None:
                continue
            later = None
            if not due.urgent:
                if person.quiet_hours not in releases:
                    releases[person.quiet_hours] = self.prefs.release(person, now)
                later = releases[person.quiet_hours]
            if later is not None and due.latest is not None and later > due.latest:
                later = None
            whom = str(person.id)
            if later is None:
                found.extend((whom, r) for r in entry[1])
            else:
                found.extend(
                    (whom, Recipient(r.channel, r.chat_ref, not_before=later)) for r in entry[1]
                )
        return found

    def _by_locale(self, people: Iterable[Person], reach: Reachable) -> dict[str, list[Person]]:
        groups: dict[str, list[Person]] = defaultdict(list)
        for person in people:
            if person.id in reach:
                groups[self._locale(person)].append(person)
        return groups

    def _suffix(self, locale: str) -> str:
        return "" if locale == self.config.locale else f":{locale}"

    async def _weekly(self, due: Due, now: datetime, reach: Reachable) -> Planned:
        day = due.at.astimezone(self.tz).date()
        published = self.pack.published(day)
        week = _week(due.at, self.tz)
        groups: dict[tuple[str, str], list[Person]] = defaultdict(list)
        items: dict[str, StudyItem] = {}
        for person, _ in reach.values():
            if not person.reminders:
                continue
            item = next((i for _, i in published if visible_to(i, person)), None)
            if item is not None:
                items[item.id] = item
                groups[(item.id, self._locale(person))].append(person)
        parcels = [
            Parcel(
                f"{item_id}:{week}{self._suffix(locale)}",
                texts.weekly(items[item_id], items[item_id].quiz in self.pack.banks, locale),
                self._to(due, now, people, reach),
                locale,
                label=items[item_id].title,
            )
            for (item_id, locale), people in groups.items()
        ]
        titles = sorted({i.title for i in items.values()})
        if not titles and published:  # nobody to send to: still say what is current
            titles = [published[0][1].title]
        return Planned(due, "、".join(titles), parcels)

    async def _lecture(self, due: Due, now: datetime, reach: Reachable) -> Planned:
        lecture = self.pack.lectures[due.ref]
        offsets = self.schedule.lecture_reminders
        last, first = due.minutes == offsets[-1], due.minutes == offsets[0]
        start = lecture.start.replace(tzinfo=self.tz)
        waiting = [
            a.person
            for a in await self.attendance.attendees(lecture, people=await reach.admitted())
            if a.status == NOT_YET and a.person.reminders
        ]
        parcels = [
            Parcel(
                self._suffix(locale),
                texts.lecture_reminder(lecture, start, now, last, first and not last, locale),
                self._to(due, now, people, reach),
                locale,
                snooze=not last,
            )
            for locale, people in self._by_locale(waiting, reach).items()
        ]
        return Planned(due, lecture.title, parcels)

    async def _hosts(self, due: Due, now: datetime, reach: Reachable) -> Planned:
        lecture = self.pack.lectures[due.ref]
        runs: dict[str, list[Venue]] = defaultdict(list)  # whom -> venues
        where: dict[str, tuple[str, list[Recipient]]] = {}
        holders = await self.access.holders(Scope(self.orgs, superadmin=True))
        for venue in lecture.venues:
            for whom, locale, chats in await self._venue_hosts(lecture, venue, holders, reach):
                runs[whom].append(venue)
                where[whom] = (locale, chats)
        parcels = []
        for whom, venues in runs.items():
            locale, chats = where[whom]
            parcels.append(
                Parcel(
                    f":{whom}",
                    texts.host_prompt(lecture, venues, locale),
                    [(whom, r) for r in chats],
                    locale,
                )
            )
        return Planned(due, lecture.title, parcels)

    async def _venue_hosts(
        self, lecture: Lecture, venue: Venue, holders, reach: Reachable
    ) -> list[tuple[str, str, list[Recipient]]]:
        """Who shows a venue's code: hosts (else admins) of its unit, else of the lecture's
        audience units for the main venue, else the nearest admins, else superadmins."""
        units = [venue.unit] if venue.unit else []
        if not units and venue.main:
            units = [u for u in lecture.audience if u != "all"]
        found = []
        for unit in units:
            here = [h for h in holders if h.unit_id == unit and h.role in (HOST, ADMIN)]
            people = [h.person_id for h in here if h.person_id in reach]
            if people:
                for pid in sorted(set(people)):
                    person, chats = reach[pid]
                    found.append((str(pid), self._locale(person), chats))
                continue
            for channel, chat in await self.access.admin_chats(unit):
                found.append((f"{channel}:{chat}", self.config.locale, [Recipient(channel, chat)]))
        if not units:
            for channel, chat in await self.access.admin_chats(""):
                found.append((f"{channel}:{chat}", self.config.locale, [Recipient(channel, chat)]))
        return found

    async def _makeup(self, due: Due, now: datetime, reach: Reachable) -> Planned:
        lecture = self.pack.lectures[due.ref]
        # Before the end (a preview) the not-yet are who would miss it.
        missed = [
            a.person
            for a in await self.attendance.attendees(lecture, people=await reach.admitted())
            if a.status in (ABSENT, EXCUSED, NOT_YET)
        ]
        has_quiz = bool(lecture.quiz and lecture.quiz in self.pack.banks)
        parcels = [
            Parcel(
                self._suffix(locale),
                texts.makeup(lecture, has_quiz, locale),
                self._to(due, now, people, reach),
                locale,
            )
            for locale, people in self._by_locale(missed, reach).items()
        ]
        return Planned(due, lecture.title, parcels)

    def _subject(self, due: Due) -> tuple[str, str, datetime]:
        """(study|quiz, title, deadline) of a nudge or escalation."""
        kind = due.what.split(":")[1]
        thing = self.pack.items[due.ref] if kind == STUDY else self.pack.banks[due.ref]
        assert thing.deadline is not None
        return kind, thing.title, thing.deadline

    async def _expected(self, due: Due, reach: Reachable) -> list[Person]:
        """Who must finish a study item (those who can see it) or a quiz bank (its audience)."""
        everyone = await reach.admitted()
        if self._subject(due)[0] == STUDY:
            item = self.pack.items[due.ref]
            return [p for p in everyone if visible_to(item, p)]
        audience = self.pack.banks[due.ref].audience
        return [p for p in everyone if self.orgs.in_audience(audience, p.unit_id)]

    async def _finished(self, kind: str, ref: str) -> set[int]:
        if kind == STUDY:
            sql = "SELECT person_id FROM study_done WHERE item_id = ?"
        else:
            sql = (
                "SELECT DISTINCT person_id FROM quiz_attempts "
                "WHERE quiz_id = ? AND finished_at IS NOT NULL"
            )
        return {r[0] for r in await self.store.all(sql, (ref,))}

    async def _nudge(self, due: Due, now: datetime, reach: Reachable) -> Planned:
        kind, title, deadline = self._subject(due)
        done = await self._finished(kind, due.ref)
        waiting = [p for p in await self._expected(due, reach) if p.id not in done and p.reminders]
        moment = deadline.replace(tzinfo=self.tz)
        parcels = [
            Parcel(
                self._suffix(locale),
                texts.nudge(kind, due.ref, title, deadline, moment - now, locale),
                self._to(due, now, people, reach),
                locale,
                snooze=True,
            )
            for locale, people in self._by_locale(waiting, reach).items()
        ]
        return Planned(due, title, parcels)

    async def _escalate(self, due: Due, now: datetime, reach: Reachable) -> Planned:
        kind, title, deadline = self._subject(due)
        done = await self._finished(kind, due.ref)
        expected = await self._expected(due, reach)
        per_unit: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # unit -> [done, expected]
        missing: dict[str, list[str]] = defaultdict(list)
        for p in expected:
            unit = p.unit_id or ""
            per_unit[unit][1] += 1
            if p.id in done:
                per_unit[unit][0] += 1
            else:
                missing[unit].append(p.display_name)
        parcels = []
        holders = await self.access.holders(Scope(self.orgs, superadmin=True))
        admins: dict[int, set[str]] = defaultdict(set)
        for h in holders:
            if h.role == ADMIN and h.person_id in reach:
                admins[h.person_id].add(h.unit_id)
        order = {uid: i for i, uid in enumerate(self.orgs.units)}
        for pid, units in sorted(admins.items()):
            inside = set().union(*(self.orgs.subtree(u) for u in units))
            theirs = {u: missing[u] for u in sorted(inside & set(missing), key=order.__getitem__)}
            if not theirs:
                continue
            count = sum(per_unit[u][1] for u in inside if u in per_unit)
            person = reach[pid][0]
            locale = self._locale(person)
            scope_name = "、".join(self.orgs.units[u].name for u in sorted(units, key=order.get))
            msg = texts.escalation(title, deadline, scope_name, count, theirs, self.orgs, locale)
            parcels.append(Parcel(f":{pid}", msg, self._to(due, now, [person], reach), locale))
        rolled: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for unit, (d, e) in per_unit.items():
            group = self.orgs.level_below(None, unit) if unit else ""
            rolled[group][0] += d
            rolled[group][1] += e
        if rolled:
            units = {u: (d, e) for u, (d, e) in rolled.items()}
            for admin in self.config.admins:
                channel, _, user_ref = admin.partition(":")
                person = await self.people.find(channel, user_ref)
                if person is None or person.id not in reach:
                    continue
                locale = self._locale(person)
                msg = texts.rollup(title, deadline, units, self.orgs, locale)
                to = self._to(due, now, [person], reach)
                parcels.append(Parcel(f":rollup:{person.id}", msg, to, locale))
        return Planned(due, title, parcels)

    async def _reminder(self, due: Due, now: datetime, reach: Reachable) -> Planned:
        reminder = self.pack.reminders[due.ref]
        audience = reminder.audience
        people = [
            p
            for p, _ in reach.values()
            if p.reminders and self.orgs.in_audience(audience, p.unit_id)
        ]
        parcels = [
            Parcel(
                self._suffix(locale),
                texts.custom(reminder, locale),
                self._to(due, now, group, reach),
                locale,
                snooze=not reminder.urgent,
            )
            for locale, group in self._by_locale(people, reach).items()
        ]
        return Planned(due, reminder.text.splitlines()[0][:40], parcels)

    # --- snooze --------------------------------------------------------------------------

    async def snooze(
        self, person: Person, channel: str, chat_ref: str, batch_id: int, morning: bool
    ) -> Snoozed:
        """Send a reminder again later (in an hour, or tomorrow morning); a second tap
        while it waits changes nothing."""
        now = self.clock.now()
        if morning:
            until = self.prefs.morning(person, now)
        else:
            later = now + timedelta(hours=1)
            until = self.prefs.release(person, later) or later

        def write(tx: Tx) -> Snoozed:
            row = tx.one(
                "SELECT payload FROM outbox WHERE batch_id = ? AND channel = ? AND chat_ref = ?",
                (batch_id, channel, chat_ref),
            )
            if row is None:
                return Snoozed(None)
            waiting = tx.one(
                "SELECT o.not_before FROM outbox o JOIN outbox_batches b ON b.id = o.batch_id "
                "WHERE b.kind = ? AND b.ref LIKE ? AND o.channel = ? AND o.chat_ref = ? "
                "AND o.status = 'pending'",
                (SNOOZE, f"{batch_id}:%", channel, chat_ref),
            )
            if waiting is not None:
                return Snoozed(from_db(waiting[0]), again=True)
            count = tx.one(
                "SELECT COUNT(*) FROM outbox o JOIN outbox_batches b ON b.id = o.batch_id "
                "WHERE b.kind = ? AND b.ref LIKE ? AND o.channel = ? AND o.chat_ref = ?",
                (SNOOZE, f"{batch_id}:%", channel, chat_ref),
            )[0]
            recipient = Recipient(channel, chat_ref, not_before=until)
            ref = f"{batch_id}:{count + 1}"
            self.outbox.add(tx, SNOOZE, ref, decode(row["payload"]), [recipient])
            return Snoozed(until)

        return await self.store.write(write)


def _where(parcel: Parcel) -> list[Recipient]:
    return [r for _, r in parcel.to]


def _week(moment: datetime, tz: ZoneInfo) -> str:
    return monday_of(moment.astimezone(tz).date()).isoformat()
