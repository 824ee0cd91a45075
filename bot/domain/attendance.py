"""Lecture-hall attendance (大讲堂): check-in windows, rotating venue codes, locations,
leave, statuses, make-up study (补学) and the roll-up (应到/实到/迟到/请假/缺席/补学)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import math
import secrets
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import CheckinConfig
from bot.content.models import ContentPack, Lecture, Venue
from bot.content.orgtree import OrgTree
from bot.core.clock import Clock, from_db, to_db
from bot.core.messages import Outgoing
from bot.delivery import Outbox, Recipient
from bot.domain.access import Scope
from bot.domain.audit import Audit
from bot.domain.people import People, Person
from bot.storage.sqlite import Store, Tx

PRESENT, LATE, EXCUSED, ABSENT, MADE_UP, NOT_YET = (
    "present", "late", "excused", "absent", "made_up", "not_yet",
)  # fmt: skip
STATUSES = (PRESENT, LATE, EXCUSED, ABSENT, MADE_UP, NOT_YET)
BUTTON, CODE, LOCATION = "button", "code", "location"
ONLINE = "online"  # the venue of a check-in by button: watching on one's own screen
CODE_DIGITS = 6
EARTH_RADIUS_M = 6_371_000


@dataclass(frozen=True)
class Window:
    """A session's check-in window as aware times."""

    opens: datetime
    late_from: datetime
    closes: datetime
    start: datetime
    end: datetime


@dataclass(frozen=True)
class CheckIn:
    """What a check-in did: present, late, already, not_open, closed or not_expected."""

    status: str
    lecture: Lecture
    at: datetime | None = None
    venue_id: str = ""
    window: Window | None = None


@dataclass(frozen=True)
class Attendee:
    """One expected person's standing for a session."""

    person: Person
    status: str
    method: str = ""
    venue_id: str = ""
    at: datetime | None = None
    leave_reason: str = ""


@dataclass
class Tally:
    """Counts for one group of attendees (a venue, a unit, or everyone)."""

    expected: int = 0
    counts: Counter = field(default_factory=Counter)

    def add(self, status: str) -> None:
        """Count one attendee."""
        self.expected += 1
        self.counts[status] += 1

    @property
    def attended(self) -> int:
        """实到: present and late."""
        return self.counts[PRESENT] + self.counts[LATE]

    def rate(self, count: int) -> float:
        """`count` as a share of the expected (0 when nobody is expected)."""
        return count / self.expected if self.expected else 0.0


@dataclass(frozen=True)
class Rollup:
    """A session's figures: overall, per venue (who checked in there) and per unit."""

    lecture: Lecture
    live: bool  # the session has not ended: the not-yet are not absent yet
    total: Tally
    venues: dict[str, int]
    units: dict[str, Tally]


@dataclass(frozen=True)
class LeaveRequest:
    """A leave request and its state."""

    id: int
    session_id: str
    person_id: int
    reason: str
    status: str
    decided_by: str | None = None


class Attendance:
    """Check-ins, codes, leave and roll-ups over the pack's lecture sessions."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        tz: ZoneInfo,
        pack: ContentPack,
        orgs: OrgTree,
        audit: Audit,
        outbox: Outbox,
        people: People,
        config: CheckinConfig,
    ):
        self.store = store
        self.clock = clock
        self.tz = tz
        self.pack = pack
        self.orgs = orgs
        self.audit = audit
        self.outbox = outbox
        self.people = people
        self.config = config
        self._secret: bytes | None = None

    # --- sessions and windows -------------------------------------------------------

    def window(self, lecture: Lecture) -> Window:
        """The session's check-in window, in aware times."""
        return window_of(lecture, self.tz)

    def lecture(self, text: str) -> Lecture | None:
        """A session by id, or a series by id: its current or next session (else its last)."""
        text = text.strip()
        if text in self.pack.lectures:
            return self.pack.lectures[text]
        sessions = [s for s in self.pack.lectures.values() if s.series == text]
        if not sessions:
            return None
        now = self.clock.now()
        ahead = [s for s in sessions if self.window(s).end >= now]
        return ahead[0] if ahead else sessions[-1]

    def upcoming(self, days: int = 14) -> list[Lecture]:
        """Sessions not yet ended that start within `days`, soonest first."""
        now = self.clock.now()
        horizon = now + timedelta(days=days)
        found = [
            s
            for s in self.pack.lectures.values()
            if self.window(s).end >= now and self.window(s).opens <= horizon
        ]
        return sorted(found, key=lambda s: s.start)

    def open_now(self) -> list[Lecture]:
        """Sessions whose check-in window is open."""
        now = self.clock.now()
        return [s for s in self.upcoming(1) if self.window(s).opens <= now < self.window(s).closes]

    def expects(self, lecture: Lecture, person: Person) -> bool:
        """Whether `person` is in the session's audience (admitted people only)."""
        return person.admitted and self._in_audience(lecture, person.unit_id)

    def _in_audience(self, lecture: Lecture, unit_id: str | None) -> bool:
        return self.orgs.in_audience(lecture.audience, unit_id)

    # --- checking in ----------------------------------------------------------------

    async def check_in(
        self, person: Person, lecture: Lecture, method: str, venue_id: str = ONLINE
    ) -> CheckIn:
        """Record a check-in if the window is open; a second one changes nothing."""
        if not self.expects(lecture, person):
            return CheckIn("not_expected", lecture)
        now = self.clock.now()
        window = self.window(lecture)
        if now < window.opens:
            return CheckIn("not_open", lecture, window=window)
        if now >= window.closes:
            return CheckIn("closed", lecture, window=window)
        status = LATE if now >= window.late_from else PRESENT
        row = (lecture.id, person.id, status, method, venue_id, to_db(now))

        def write(tx: Tx) -> CheckIn:
            added = tx.execute(
                "INSERT OR IGNORE INTO checkins (session_id, person_id, status, method, "
                "venue_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                row,
            )
            if added:
                return CheckIn(status, lecture, now, venue_id, window)
            before = tx.one(
                "SELECT at, venue_id FROM checkins WHERE session_id = ? AND person_id = ?",
                (lecture.id, person.id),
            )
            return CheckIn("already", lecture, from_db(before[0]), before[1], window)

        return await self.store.write(write)

    async def code(self, lecture: Lecture, venue: Venue) -> tuple[str, int]:
        """The venue's code now and the seconds until it changes."""
        now = self.clock.now().timestamp()
        period = int(now // self.config.code_seconds)
        left = int((period + 1) * self.config.code_seconds - now)
        return self._code(await self.secret(), lecture.id, venue.id, period), left

    async def by_code(self, person: Person, code: str) -> list[tuple[Lecture, Venue]]:
        """Open sessions and venues whose current (or just previous) code this is."""
        code = code.strip()
        if not (code.isdigit() and len(code) == CODE_DIGITS):
            return []
        secret = await self.secret()
        now = self.clock.now().timestamp()
        period = int(now // self.config.code_seconds)
        periods = [period]
        if now - period * self.config.code_seconds < self.config.code_grace:
            periods.append(period - 1)  # the code on screen a moment ago still counts
        found = []
        for lecture in self.open_now():
            if not self.expects(lecture, person):
                continue
            for venue in lecture.venues:
                if any(
                    hmac.compare_digest(self._code(secret, lecture.id, venue.id, p), code)
                    for p in periods
                ):
                    found.append((lecture, venue))
        return found

    def near(self, person: Person, lat: float, lon: float) -> list[tuple[Lecture, Venue]]:
        """Open sessions with a venue whose radius the location lies within, nearest first."""
        found = []
        for lecture in self.open_now():
            if not self.expects(lecture, person):
                continue
            for venue in lecture.venues:
                if venue.lat is None or venue.lon is None or not venue.radius:
                    continue
                metres = distance_m(lat, lon, venue.lat, venue.lon)
                if metres <= venue.radius:
                    found.append((metres, lecture, venue))
        return [(lecture, venue) for _, lecture, venue in sorted(found, key=lambda f: f[0])]

    async def secret(self) -> bytes:
        """The deployment's code secret, made on first use and kept in the database."""
        if self._secret is None:
            fresh = secrets.token_hex(32)

            def write(tx: Tx) -> str:
                tx.execute(
                    "INSERT OR IGNORE INTO settings (key, value) VALUES ('checkin_secret', ?)",
                    (fresh,),
                )
                return tx.one("SELECT value FROM settings WHERE key = 'checkin_secret'")[0]

            self._secret = bytes.fromhex(await self.store.write(write))
        return self._secret

    @staticmethod
    def _code(secret: bytes, session_id: str, venue_id: str, period: int) -> str:
        digest = hmac.new(secret, f"{session_id}|{venue_id}|{period}".encode(), hashlib.sha256)
        return str(int.from_bytes(digest.digest()[:8], "big") % 10**CODE_DIGITS).zfill(CODE_DIGITS)

    # --- leave ----------------------------------------------------------------------

    async def ask_leave(
        self,
        person: Person,
        lecture: Lecture,
        reason: str,
        notify: Callable[[LeaveRequest], Outgoing],
        admins: Iterable[tuple[str, str]],
    ) -> tuple[str, LeaveRequest | None]:
        """Ask for leave before the start: (asked | already | started | not_expected, request).
        The request goes to `admins` through the outbox in the same transaction."""
        if not self.expects(lecture, person):
            return "not_expected", None
        now = self.clock.now()
        if now >= self.window(lecture).start:
            return "started", None
        targets = [Recipient(channel, chat) for channel, chat in admins]

        def write(tx: Tx) -> tuple[str, LeaveRequest | None]:
            leave_id = tx.insert(
                "INSERT OR IGNORE INTO leaves (session_id, person_id, reason, asked_at) "
                "VALUES (?, ?, ?, ?)",
                (lecture.id, person.id, reason, to_db(now)),
            )
            if leave_id is None:
                return "already", _leave(tx, "session_id = ? AND person_id = ?", lecture.id,
                                         person.id)  # fmt: skip
            request = _leave(tx, "id = ?", leave_id)
            assert request is not None
            self.outbox.add(tx, "leave", str(leave_id), notify(request), targets)
            return "asked", request

        return await self.store.write(write)

    async def decide_leave(
        self,
        scope: Scope,
        actor: str,
        leave_id: int,
        approve: bool,
        tell: Callable[[LeaveRequest, bool], Outgoing],
    ) -> tuple[str, LeaveRequest | None]:
        """Approve or reject a pending leave, once, by an admin whose scope covers the
        person's unit: (done | already | not_found | out_of_scope, request). Audited; the
        person is told through the outbox on each of their reachable accounts."""
        now = to_db(self.clock.now())

        def write(tx: Tx) -> tuple[str, LeaveRequest | None]:
            request = _leave(tx, "id = ?", leave_id)
            if request is None:
                return "not_found", None
            unit = tx.one("SELECT unit_id FROM people WHERE id = ?", (request.person_id,))
            if not scope.covers(unit[0] if unit else None):
                return "out_of_scope", request
            if request.status != "pending":
                return "already", request
            status = "approved" if approve else "rejected"
            tx.execute(
                "UPDATE leaves SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                (status, actor, now, leave_id),
            )
            self.audit.record(
                tx, actor, f"leave.{'approve' if approve else 'reject'}", request.session_id,
                person=request.person_id, reason=request.reason,
            )  # fmt: skip
            chats = tx.all(
                "SELECT channel, chat_ref FROM accounts WHERE person_id = ? "
                "AND unreachable_at IS NULL",
                (request.person_id,),
            )
            targets = [Recipient(r[0], r[1]) for r in chats]
            self.outbox.add(tx, "leave.decided", str(leave_id), tell(request, approve), targets)
            return "done", request

        return await self.store.write(write)

    # --- statuses and roll-up -------------------------------------------------------

    async def attendees(
        self,
        lecture: Lecture,
        within: Callable[[str | None], bool] | None = None,
        people: list[Person] | None = None,
    ) -> list[Attendee]:
        """Every expected person (inside `within`, an admin's scope) with their status;
        `people` is everyone admitted when the caller has read them already."""
        return await self._standings(lecture, await self._audience(lecture, within, people))

    async def status_of(self, lecture: Lecture, person: Person) -> Attendee | None:
        """One person's standing for a session (None if not expected)."""
        if not self.expects(lecture, person):
            return None
        return (await self._standings(lecture, [person], person.id))[0]

    async def _standings(
        self, lecture: Lecture, people: list[Person], one: int | None = None
    ) -> list[Attendee]:
        """The status of each of `people`; `one` narrows the reads to that person's rows."""
        now = self.clock.now()
        window = self.window(lecture)
        only, params = ("AND person_id = ?", (one,)) if one is not None else ("", ())
        checked = {
            r[0]: r[1:]
            for r in await self.store.all(
                "SELECT person_id, status, method, venue_id, at FROM checkins "
                f"WHERE session_id = ? {only}",
                (lecture.id, *params),
            )
        }
        leaves = {
            r[0]: r[1]
            for r in await self.store.all(
                "SELECT person_id, reason FROM leaves WHERE session_id = ? "
                f"AND status = 'approved' {only}",
                (lecture.id, *params),
            )
        }
        made_up = set()
        if lecture.quiz and now >= window.end:
            # 补学: the make-up quiz passed after the session ended.
            made_up = {
                r[0]
                for r in await self.store.all(
                    "SELECT DISTINCT person_id FROM quiz_attempts WHERE quiz_id = ? "
                    f"AND passed = 1 AND finished_at >= ? {only}",
                    (lecture.quiz, to_db(window.end), *params),
                )
            }
        found = []
        for person in people:
            if person.id in checked:
                status, method, venue, at = checked[person.id]
                found.append(Attendee(person, status, method, venue, from_db(at)))
                continue
            reason = leaves.get(person.id, "")
            if person.id in made_up:
                status = MADE_UP
            elif reason:
                status = EXCUSED
            elif now < window.end:
                status = NOT_YET
            else:
                status = ABSENT
            found.append(Attendee(person, status, leave_reason=reason))
        return found

    async def unit_tallies(
        self,
        lectures: Iterable[Lecture],
        heads: dict[str, int],
        units: Collection[str] | None = None,
    ) -> dict[str, dict[str, Tally]]:
        """Per session, per unit id: a Tally of the admitted people expected there, counted
        in SQL without reading anyone's rows (for reports over many sessions and people).

        `heads` is the number of admitted people per unit id; `units`, when given, limits
        the reads to people of those units (a report on part of the tree). The statuses
        follow `_standings`: a check-in (present, late) wins, then the make-up quiz passed
        after the session ended (made_up), then approved leave (excused); everyone else is
        not_yet until the end and absent after it."""
        sessions = list(lectures)
        if not sessions:
            return {}
        now = self.clock.now()
        ends = {s.id: self.window(s).end for s in sessions}
        counted: dict[tuple[str, str], Counter] = defaultdict(Counter)
        admitted, only = _admitted(units)
        for r in await self.store.all(
            f"{_values(len(sessions))}SELECT c.session_id, p.unit_id, c.status, COUNT(*) FROM s "
            "JOIN checkins c ON c.session_id = s.session_id "
            f"JOIN people p ON p.id = c.person_id WHERE {admitted} GROUP BY 1, 2, 3",
            (*self._spans(sessions), *only),
        ):
            counted[r[0], r[1]][r[2]] += r[3]
        for (session_id, unit_id, status), n in (await self._absences(sessions, units)).items():
            counted[session_id, unit_id][status] += n
        audiences: dict[tuple[str, ...], list[str]] = {}
        found: dict[str, dict[str, Tally]] = {}
        for s in sessions:
            if s.audience not in audiences:
                audiences[s.audience] = [u for u in heads if self._in_audience(s, u)]
            rest = ABSENT if now >= ends[s.id] else NOT_YET
            tallies = found[s.id] = {}
            for unit_id in audiences[s.audience]:
                counts = counted.get((s.id, unit_id), Counter())
                counts[rest] = heads[unit_id] - sum(counts.values())
                tallies[unit_id] = Tally(heads[unit_id], +counts)  # + drops zero counts
        return found

    def _spans(self, sessions: list[Lecture]) -> tuple:
        """The parameters of `_values`: per session its id, make-up quiz (or NULL) and the
        end, from which a passed make-up counts (NULL while it has not ended)."""
        now = self.clock.now()
        spans: list = []
        for s in sessions:
            end = self.window(s).end
            spans += [s.id, s.quiz, to_db(end) if s.quiz and now >= end else None]
        return tuple(spans)

    async def made_up(
        self,
        sessions: list[Lecture],
        units: Collection[str] | None = None,
        read: Callable[..., Awaitable[list]] | None = None,
    ) -> list:
        """Rows (session, unit, made up, of them on approved leave): admitted people (of
        `units` when given) without a check-in who passed the session's make-up quiz (补学)
        after it ended."""
        read = read or self.store.all
        spans = self._spans(sessions)
        if not any(since is not None for since in spans[2::3]):
            return []
        admitted, only = _admitted(units)
        # The passed attempts of each make-up quiz after its session ended, in one range
        # of quiz_attempts_by_quiz; once per session and person, however many passes. On
        # leave as well (one run of leaves_by_person, hence the unary + that keeps SQLite
        # off the unique key and its row reads).
        mine = ""
        if units is not None:  # part of the tree: a look-up per pass, not a join
            mine = f"AND +a.person_id IN (SELECT p.id FROM people p WHERE {admitted})"
        return await read(
            f"{_values(len(sessions))}, m AS (SELECT DISTINCT s.session_id, a.person_id "
            "FROM s JOIN quiz_attempts a ON a.quiz_id = s.quiz_id AND a.passed = 1 "
            f"AND a.finished_at >= s.made_up_from {mine}) "
            "SELECT m.session_id, p.unit_id, COUNT(*), SUM(EXISTS (SELECT 1 FROM leaves l "
            "WHERE l.person_id = m.person_id AND l.status = 'approved' "
            "AND +l.session_id = m.session_id)) FROM m JOIN people p ON p.id = m.person_id "
            f"WHERE {admitted} AND NOT EXISTS (SELECT 1 FROM checkins c "
            "WHERE c.session_id = m.session_id AND c.person_id = m.person_id) GROUP BY 1, 2",
            (*spans, *only, *only),
        )

    async def _absences(
        self,
        sessions: list[Lecture],
        units: Collection[str] | None,
        read: Callable[..., Awaitable[list]] | None = None,
    ) -> dict[tuple[str, str, str], int]:
        """(session, unit, made_up or excused) -> how many admitted people (of `units`
        when given) without a check-in made the session up, or were on approved leave and
        did not make it up."""
        read = read or self.store.all
        if not sessions:
            return {}
        admitted, only = _admitted(units)
        # Approved leave without a check-in: each person's leaves are one run of
        # leaves_by_person, people in unit order.
        ids = [s.id for s in sessions]
        made_up, leaves = await asyncio.gather(
            self.made_up(sessions, units, read),
            read(
                "SELECT l.session_id, p.unit_id, COUNT(*) FROM people p CROSS JOIN leaves l "
                f"ON l.person_id = p.id WHERE {admitted} AND l.status = 'approved' "
                f"AND +l.session_id IN ({','.join('?' * len(ids))}) AND NOT EXISTS (SELECT 1 "
                "FROM checkins c WHERE c.session_id = l.session_id "
                "AND c.person_id = l.person_id) GROUP BY 1, 2",
                (*only, *ids),
            ),
        )
        found: dict[tuple[str, str, str], int] = defaultdict(int)
        for r in made_up:
            found[r[0], r[1], MADE_UP] += r[2]
            found[r[0], r[1], EXCUSED] -= r[3]  # on leave but made up: not excused
        for r in leaves:
            found[r[0], r[1], EXCUSED] += r[2]
        return {k: n for k, n in found.items() if n}

    async def rollup(self, lecture: Lecture, scope: Scope, root: str | None = None) -> Rollup:
        """Figures for the people in `scope`: overall, per venue and per unit one level
        below `root` (the scope's own unit, or the top of the tree for a superadmin)."""
        within = None if scope.superadmin else scope.covers
        attendees = await self.attendees(lecture, within)
        if root is None:
            root = scope.admin_units[0] if len(scope.admin_units) == 1 else None
        total, venues, units = Tally(), Counter(), defaultdict(Tally)
        for a in attendees:
            total.add(a.status)
            if a.venue_id:
                venues[a.venue_id] += 1
            units[self.orgs.level_below(root, a.person.unit_id)].add(a.status)
        live = self.clock.now() < self.window(lecture).end
        order = {uid: i for i, uid in enumerate(self.orgs.units)}
        sorted_units = dict(sorted(units.items(), key=lambda kv: order.get(kv[0], len(order))))
        return Rollup(lecture, live, total, dict(venues), sorted_units)

    async def _audience(
        self,
        lecture: Lecture,
        within: Callable[[str | None], bool] | None,
        people: list[Person] | None = None,
    ) -> list[Person]:
        return [
            p
            for p in (people if people is not None else await self.people.admitted())
            if (within is None or within(p.unit_id)) and self._in_audience(lecture, p.unit_id)
        ]


def _admitted(units: Collection[str] | None) -> tuple[str, tuple[str, ...]]:
    """The SQL condition on `p` for admitted people (of `units` when given), and its
    parameters."""
    if units is None:
        return "p.active = 1 AND p.pending = 0", ()
    marks = ",".join("?" * len(units))
    return f"p.active = 1 AND p.pending = 0 AND p.unit_id IN ({marks})", tuple(units)


def _values(count: int) -> str:
    """The sessions of a query as `s (session_id, quiz_id, made_up_from)`: a WITH clause
    of `count` rows of parameters (see Attendance._spans)."""
    rows = ", ".join(["(?, ?, ?)"] * count)
    return f"WITH s (session_id, quiz_id, made_up_from) AS (VALUES {rows}) "


def window_of(lecture: Lecture, tz: ZoneInfo) -> Window:
    """A session's check-in window and its start and end, as aware times in `tz`."""
    start = lecture.start.replace(tzinfo=tz)
    w = lecture.window
    return Window(
        opens=start - timedelta(minutes=w.opens_before),
        late_from=start + timedelta(minutes=w.late_after),
        closes=start + timedelta(minutes=w.closes_after),
        start=start,
        end=start + timedelta(minutes=lecture.duration),
    )


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def _leave(tx: Tx, where: str, *params) -> LeaveRequest | None:
    row = tx.one(
        f"SELECT id, session_id, person_id, reason, status, decided_by FROM leaves WHERE {where}",
        params,
    )
    return LeaveRequest(*row) if row else None
