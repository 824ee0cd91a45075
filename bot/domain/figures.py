"""Figures per org unit and period (亮晒比: 亮身份、晒成绩、比进度): study completion, quiz
participation and scores, lecture attendance, points and person-times (人次); fair
rankings (per head, shrunk toward the overall mean by participation) and the gold, yellow
and red cards (金牌/黄牌/红牌).

Everything is counted in SQL grouped by unit id and rolled up to the units one level below
the report's root in Python, so no Person is built per person. Study, check-ins and leave
come from the per-unit totals that 011_report_totals.sql keeps up to date, for the whole
UTC days of a period, and from the records for the part days at its ends."""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config import ReportsConfig
from bot.content.models import ContentPack, Lecture
from bot.content.orgtree import OrgTree
from bot.core.clock import Clock, to_db
from bot.domain.access import Scope
from bot.domain.attendance import Attendance
from bot.domain.people import Person
from bot.domain.study import visible_to
from bot.storage.sqlite import ReadAside, Store

GOLD, YELLOW, RED = "gold", "yellow", "red"
DEFAULTS = ReportsConfig()

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_WEEK = re.compile(r"(\d{4})-?[Ww](\d{1,2})")
_DAY = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_RANGE = re.compile(_DAY + r"\s*(?:\.\.|~|至|到)\s*" + _DAY)
_YEAR = re.compile(r"\d{4}")
_THIS_WEEK, _THIS_MONTH = ("week", "this week", "本周"), ("month", "this month", "本月")
_LAST_WEEK, _LAST_MONTH = ("last week", "上周"), ("last month", "上月")


# --- periods ------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A span of local dates, both ends included."""

    start: date
    end: date

    def __str__(self) -> str:
        """2026-11 for a calendar month, 2026-W48 for an ISO week, else start..end."""
        if self.start == month_of(self.start).start and self.end == month_of(self.start).end:
            return f"{self.start:%Y-%m}"
        if self.start == week_of(self.start).start and self.end == week_of(self.start).end:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.start}..{self.end}"

    def bounds(self, tz: ZoneInfo) -> tuple[str, str]:
        """[from, to) as stored UTC text: local midnight of the start and of the day after
        the end."""
        lo = datetime.combine(self.start, time(0), tz)
        hi = datetime.combine(self.end + timedelta(days=1), time(0), tz)
        return to_db(lo), to_db(hi)


def month_of(day: date) -> Period:
    """The calendar month `day` lies in."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(first, following - timedelta(days=1))


def week_of(day: date) -> Period:
    """The ISO week (Monday to Sunday) `day` lies in."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6))


def parse_period(text: str | None, today: date) -> Period | None:
    """A period from `2026-11` (a month), `2026-W48` (an ISO week), `2026` (a year),
    `2026-11-01..2026-11-30`, `week`/`本周`, `month`/`本月`, `last week`/`上周`,
    `last month`/`上月`; nothing means the current month. None if it is none of these."""
    text = (text or "").strip().lower()
    try:
        if not text or text in _THIS_MONTH:
            return month_of(today)
        if text in _THIS_WEEK:
            return week_of(today)
        if text in _LAST_WEEK:
            return week_of(today - timedelta(days=7))
        if text in _LAST_MONTH:
            return month_of(today.replace(day=1) - timedelta(days=1))
        if match := _MONTH.fullmatch(text):
            return month_of(date(int(match[1]), int(match[2]), 1))
        if match := _WEEK.fullmatch(text):
            monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
            return week_of(monday)
        if _YEAR.fullmatch(text):
            return Period(date(int(text), 1, 1), date(int(text), 12, 31))
        if match := _RANGE.fullmatch(text):
            start = date(int(match[1]), int(match[2]), int(match[3]))
            end = date(int(match[4]), int(match[5]), int(match[6]))
            return Period(start, end) if start <= end else None
    except ValueError:  # no such month, week or day
        return None
    return None


# --- figures ------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFigures:
    """One unit's subtree (or a whole report) over a period: counts, and rates derived
    from them. Rates are fractions (0..1) and None when nothing was due; `avg_score` is a
    percent. Counts add up, so a report's total is the sum of its rows."""

    unit_id: str
    people: int = 0  # admitted, active people
    study_due: int = 0  # person-items: published (or current) in the period, visible to them
    study_done: int = 0  # of those, marked learned by the period's end
    quiz_takers: int = 0  # people with a finished attempt in the period
    score_sum: int = 0  # sum over the takers of their best score in the period (percent)
    expected: int = 0  # person-sessions of lectures started in the period (应到)
    attended: int = 0  # present and late (实到)
    excused: int = 0  # approved leave (请假)
    made_up: int = 0  # make-up quiz passed after the session (补学), not in `attended`
    points: int = 0  # 学习积分 earned in the period
    study_times: int = 0  # 人次: items marked learned in the period
    attendance_times: int = 0  # 人次: check-ins in the period

    @property
    def study_rate(self) -> float | None:
        """学习完成率: done / due."""
        return self.study_done / self.study_due if self.study_due else None

    @property
    def quiz_rate(self) -> float | None:
        """参学率 of quizzes: takers / people."""
        return self.quiz_takers / self.people if self.people else None

    @property
    def avg_score(self) -> float | None:
        """Mean of each taker's best score, percent."""
        return self.score_sum / self.quiz_takers if self.quiz_takers else None

    @property
    def attendance_rate(self) -> float | None:
        """出勤率: attended / expected (made up counted apart)."""
        return self.attended / self.expected if self.expected else None

    @property
    def points_per_head(self) -> float | None:
        """Points per person."""
        return self.points / self.people if self.people else None


_COUNTS = tuple(f.name for f in fields(UnitFigures) if f.name != "unit_id")


def combine(unit_id: str, parts: Iterable[UnitFigures]) -> UnitFigures:
    """The figures of several units (or rows) together."""
    sums = dict.fromkeys(_COUNTS, 0)
    for part in parts:
        for name in _COUNTS:
            sums[name] += getattr(part, name)
    return UnitFigures(unit_id, **sums)


_ADMITTED = "p.active = 1 AND p.pending = 0"


@dataclass(frozen=True)
class _Source:
    """Timed records and the per-unit totals of them by UTC day (011_report_totals.sql)."""

    records: str
    time: str  # the records' time column, stored UTC text
    totals: str


_STUDY = _Source("study_done", "done_at", "study_totals")
_CHECKINS = _Source("checkins", "at", "checkin_totals")


def _cut(lo: str | None, hi: str) -> tuple[list[tuple[str, str]], tuple[str | None, str] | None]:
    """[lo, hi) of stored times (lo None: from the first) as the spans at its ends to
    read from the records, and the whole UTC days (first, last) between them to read from
    the totals (day >= first, None: any, and day < last), if any. A day is the first 10
    characters of a time, so `day < D` holds exactly when `time < D`: the parts never
    overlap nor leave a gap, whatever the time zone of the period's bounds."""
    last = hi[:10]
    if lo is None:
        return [(last, hi)], (None, last)
    first = (date.fromisoformat(lo[:10]) + timedelta(days=1)).isoformat()
    if first >= last:
        return [(lo, hi)], None
    return [(lo, first), (last, hi)], (first, last)


@dataclass(frozen=True)
class _Only:
    """The units a report reads people of (None: all), as an SQL condition on `p`."""

    units: list[str] | None

    @property
    def sql(self) -> str:
        return self.on("p.unit_id")

    def on(self, column: str) -> str:
        """The condition on another unit id column (a totals table's)."""
        if self.units is None:
            return ""
        return f"AND {column} IN ({','.join('?' * len(self.units))})"

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(self.units or ())


class Figures:
    """Counts a period's figures per unit for a report's root and an admin's scope."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        tz: ZoneInfo,
        pack: ContentPack,
        orgs: OrgTree,
        attendance: Attendance,
        config: ReportsConfig,
    ):
        self.store = store
        self.clock = clock
        self.tz = tz
        self.pack = pack
        self.orgs = orgs
        self.attendance = attendance
        self.config = config
        self._aside = ReadAside(store)

    def today(self) -> date:
        """The local date."""
        return self.clock.now().astimezone(self.tz).date()

    async def units(
        self, root: str | None, period: Period, scope: Scope
    ) -> tuple[UnitFigures, list[UnitFigures]]:
        """The total for `root`'s subtree and one row per unit one level below it, in tree
        order, over the people inside `scope` only. `root` None is the whole tree for a
        superadmin, and an admin's own unit when they administer exactly one. Rows are
        the children of the root (those the scope reaches, even if empty), and the root
        itself when people belong to it directly."""
        if root is None and not scope.superadmin and len(scope.admin_units) == 1:
            root = scope.admin_units[0]
        if root is not None and root not in self.orgs.units:
            raise ValueError(f"unknown unit {root!r}")
        group_of = self._grouper(root, scope)
        inside = [u for u in self.orgs.units if group_of(u) is not None]
        # Part of the tree: read only its people's rows (the whole tree: no filter).
        only = _Only(inside if len(inside) < len(self.orgs.units) else None)
        heads = {
            r[0]: r[1]
            for r in await self._aside.all(
                "SELECT p.unit_id, COUNT(*) FROM people p WHERE p.active = 1 "
                f"AND p.pending = 0 AND p.unit_id IS NOT NULL {only.sql} GROUP BY p.unit_id",
                only.params,
            )
            if group_of(r[0]) is not None
        }
        sums: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_COUNTS, 0))

        def add(unit_id: str | None, name: str, value: int) -> None:
            group = group_of(unit_id)
            if group is not None and value:
                sums[group][name] += value

        for unit_id, n in heads.items():
            add(unit_id, "people", n)
        sets = self._due(period, heads, add)
        # The parts read different tables: side by side on read connections of their own
        # (see ReadAside), the largest first.
        await asyncio.gather(
            self._lectures(period, heads, only, add),
            self._quiz(period, only, add),
            self._activity(period, only, add),
            self._study(period, heads, sets, only, add),
        )

        keys = self._rows(root, scope)
        keys += [k for k in sums if k not in keys]  # the root (or a top unit) itself
        order = {uid: i for i, uid in enumerate(self.orgs.units)}
        keys.sort(key=lambda k: order.get(k, len(order)))
        rows = [UnitFigures(k, **sums[k]) if k in sums else UnitFigures(k) for k in keys]
        return combine(root or "", rows), rows

    def _grouper(self, root: str | None, scope: Scope):
        """unit id -> the row it counts in (None: outside the root or the scope), cached."""
        cache: dict[str | None, str | None] = {}

        def group_of(unit_id: str | None) -> str | None:
            if unit_id not in cache:
                inside = (
                    unit_id in self.orgs.units
                    and scope.covers(unit_id)
                    and (root is None or self.orgs.contains(root, unit_id))
                )
                cache[unit_id] = self.orgs.level_below(root, unit_id) if inside else None
            return cache[unit_id]

        return group_of

    def _rows(self, root: str | None, scope: Scope) -> list[str]:
        """The units one level below `root` that `scope` reaches (all or part of)."""
        below = (
            self.orgs.children(root)
            if root is not None
            else [c for top in self.orgs.roots for c in self.orgs.children(top)]
        )

        def reached(unit_id: str) -> bool:
            return scope.covers(unit_id) or any(
                self.orgs.contains(unit_id, a) for a in scope.admin_units
            )

        return [u for u in below if reached(u)]

    def _due(self, period: Period, heads: dict[str, int], add) -> dict[frozenset[str], list[str]]:
        """Adds study_due for each unit; returns the units by the set of items due there
        (usually one set: the items for everyone)."""
        sets: dict[frozenset[str], list[str]] = defaultdict(list)
        today = self.today()
        if period.start > today:
            return sets  # nothing of a future period is published yet
        until = min(period.end, today)
        published = self.pack.published(until)
        at_start = self.pack.published(period.start)
        for unit_id in heads:
            who = Person(0, "", None, unit_id, 0, True)  # visibility goes by the unit
            items = {i.id for start, i in published if start >= period.start and visible_to(i, who)}
            current = next((i for _, i in at_start if visible_to(i, who)), None)
            if current is not None:
                items.add(current.id)
            add(unit_id, "study_due", heads[unit_id] * len(items))
            if items:
                sets[frozenset(items)].append(unit_id)
        return sets

    async def _study(
        self, period: Period, heads: dict[str, int], sets: dict, only: _Only, add
    ) -> None:
        """study_done of the items due in the period for each unit: those marked learned
        by the period's end, for each set of items due."""
        _, hi = period.bounds(self.tz)
        counts = []
        for items, units in sets.items():
            part = _Only(list(units)) if len(units) < len(heads) else only
            marks = ",".join("?" * len(items))
            counts.append(
                self._count(_STUDY, None, hi, part, f"AND x.item_id IN ({marks})", tuple(items))
            )
        for found in await asyncio.gather(*counts):
            for r in found:
                add(r[0], "study_done", r[1])

    async def _count(
        self,
        source: _Source,
        lo: str | None,
        hi: str,
        only: _Only,
        where: str = "",
        params: tuple = (),
    ) -> list:
        """Rows (unit, count) of the records of `source` timed in [lo, hi) (lo None: any
        time before hi) that meet `where` (on `x`, a record or a total): the whole UTC
        days from its totals, the part days at the ends from the records."""
        spans, days = _cut(lo, hi)
        queries = [self._records(source, a, b, only, where, params) for a, b in spans]
        if days is not None:
            first, last = days
            since, bound = ("AND x.day >= ?", (first,)) if first is not None else ("", ())
            sql = (
                f"SELECT x.unit_id, SUM(x.n) FROM {source.totals} x WHERE x.day < ? "
                f"{since} {where} {only.on('x.unit_id')} GROUP BY x.unit_id"
            )
            queries.append(self._aside.all(sql, (last, *bound, *params, *only.params)))
        return [r for rows in await asyncio.gather(*queries) for r in rows]

    async def _records(
        self, source: _Source, lo: str, hi: str, only: _Only, where: str, params: tuple
    ) -> list:
        """Rows (unit, count) of the records of `source` timed in [lo, hi): each person's
        run of records in that span (an index of 008_report_indexes.sql), people in unit
        order. About 0.1 s for 100,000 people, however few records the span holds."""
        time_ = f"x.{source.time}"
        sql = (
            f"SELECT p.unit_id, COUNT(*) FROM people p CROSS JOIN {source.records} x "
            f"ON x.person_id = p.id WHERE {_ADMITTED} {only.sql} AND {time_} >= ? "
            f"AND {time_} < ? {where} GROUP BY p.unit_id"
        )
        return await self._aside.all(sql, (*only.params, lo, hi, *params))

    async def _quiz(self, period: Period, only: _Only, add) -> None:
        """Takers (an attempt finished with a score in the period; a void one does not
        count) and the sum of their best scores."""
        lo, hi = period.bounds(self.tz)
        # Each person's best is one range of quiz_attempts_by_person; people in unit order.
        for r in await self._aside.all(
            "SELECT unit_id, COUNT(best), SUM(best) FROM (SELECT p.unit_id AS unit_id, "
            "(SELECT MAX(a.score) FROM quiz_attempts a WHERE a.person_id = p.id "
            "AND a.finished_at >= ? AND a.finished_at < ?) AS best "
            # LIMIT keeps the subquery whole: flattened, its MAX would run once per use.
            f"FROM people p WHERE {_ADMITTED} {only.sql} LIMIT -1) GROUP BY unit_id",
            (lo, hi, *only.params),
        ):
            add(r[0], "quiz_takers", r[1])
            add(r[0], "score_sum", r[2])

    async def _lectures(self, period: Period, heads: dict[str, int], only: _Only, add) -> None:
        """Sessions that started in the period (not those still to come), by status."""
        now = self.clock.now().astimezone(self.tz).replace(tzinfo=None)
        sessions: list[Lecture] = [
            s
            for s in self.pack.lectures.values()
            if period.start <= s.start.date() <= period.end and s.start <= now
        ]
        audiences: dict[tuple[str, ...], list[str]] = {}
        for s in sessions:
            if s.audience not in audiences:
                audiences[s.audience] = [u for u in heads if self.orgs.in_audience(s.audience, u)]
            for unit_id in audiences[s.audience]:
                add(unit_id, "expected", heads[unit_id])
        # Only the sessions that expect someone here (a township is not in most banners').
        sessions = [s for s in sessions if audiences[s.audience]]
        if not sessions:
            return
        read = self._aside.all
        marks = ",".join("?" * len(sessions))
        ids = tuple(s.id for s in sessions)
        made_up, attended, excused = await asyncio.gather(
            self.attendance.made_up(sessions, only.units, read),
            read(
                "SELECT x.session_id, x.unit_id, SUM(x.attended) FROM checkin_totals x "
                f"WHERE x.session_id IN ({marks}) {only.on('x.unit_id')} GROUP BY 1, 2",
                (*ids, *only.params),
            ),
            read(
                "SELECT x.session_id, x.unit_id, SUM(x.n) FROM leave_totals x "
                f"WHERE x.session_id IN ({marks}) {only.on('x.unit_id')} GROUP BY 1, 2",
                (*ids, *only.params),
            ),
        )
        # Only what a session's audience takes in: someone who moved to a unit outside
        # it brought their records along, but is not expected there.
        by_id = {s.id: s for s in sessions}
        reaches: dict[tuple[tuple[str, ...], str], bool] = {}

        def expected(session_id: str, unit_id: str) -> bool:
            key = (by_id[session_id].audience, unit_id)
            if key not in reaches:
                reaches[key] = unit_id in heads and self.orgs.in_audience(*key)
            return reaches[key]

        for name, rows in (("attended", attended), ("excused", excused)):
            for r in rows:
                if expected(r[0], r[1]):
                    add(r[1], name, r[2])
        for r in made_up:
            if expected(r[0], r[1]):
                add(r[1], "made_up", r[2])
                add(r[1], "excused", -r[3])  # on leave but made up: not excused

    async def _activity(self, period: Period, only: _Only, add) -> None:
        """Points earned, and the person-times (人次) of study and check-ins, in the
        period."""
        lo, hi = period.bounds(self.tz)
        study, checkins, _ = await asyncio.gather(
            self._count(_STUDY, lo, hi, only),
            self._count(_CHECKINS, lo, hi, only),
            self._points(period, only, add),
        )
        for r in study:
            add(r[0], "study_times", r[1])
        for r in checkins:
            add(r[0], "attendance_times", r[1])

    async def _points(self, period: Period, only: _Only, add) -> None:
        """Points earned in the period. Each person's rows are one run of an index of
        008_report_indexes.sql, people in unit order."""
        first, last = period.start.isoformat(), period.end.isoformat()
        join = f"FROM people p CROSS JOIN {{}} x ON x.person_id = p.id WHERE {_ADMITTED}"
        queries = []
        if not await self._mostly_inside(first, last):
            sql = (
                f"SELECT p.unit_id, SUM(x.points) {join.format('points_ledger')} "
                f"AND x.day >= ? AND x.day <= ? {only.sql} GROUP BY p.unit_id"
            )
            queries.append(("points", sql, (first, last)))
        elif only.units is None:
            # Most of the ledger lies in the period: the running totals (people.points,
            # kept with every award) less what was earned before and after the period,
            # which points_by_day finds in two short ranges.
            queries.append((
                "points", f"SELECT p.unit_id, SUM(p.points) FROM people p WHERE {_ADMITTED} "
                "GROUP BY p.unit_id", (),
            ))  # fmt: skip
            for outside in ("x.day < ?", "x.day > ?"):
                queries.append((
                    "-points", "SELECT p.unit_id, SUM(x.points) FROM points_ledger x "
                    f"CROSS JOIN people p ON p.id = x.person_id WHERE {outside} AND {_ADMITTED} "
                    "GROUP BY p.unit_id", (first if "<" in outside else last,),
                ))  # fmt: skip
        else:
            # The same for part of the tree: each person's total less two short runs of
            # points_by_person_day.
            outside = (
                "SELECT COALESCE(SUM(x.points), 0) FROM points_ledger x "
                "WHERE x.person_id = p.id AND x.day"
            )
            sql = (
                f"SELECT p.unit_id, SUM(p.points - ({outside} < ?) - ({outside} > ?)) "
                f"FROM people p WHERE {_ADMITTED} {only.sql} GROUP BY p.unit_id"
            )
            queries.append(("points", sql, (first, last)))
        found = await asyncio.gather(
            *(self._aside.all(sql, (*params, *only.params)) for _, sql, params in queries)
        )
        for (name, _, _), rows in zip(queries, found, strict=True):
            for r in rows:
                add(r[0], name.lstrip("-"), -r[1] if name[0] == "-" else r[1])

    async def _mostly_inside(self, first: str, last: str) -> bool:
        """Whether the days first..last cover more than half of the ledger's span, from
        its first to its last day (points_by_day)."""
        rows = await self._aside.all(
            "SELECT (SELECT MIN(day) FROM points_ledger), (SELECT MAX(day) FROM points_ledger)"
        )
        if not rows or rows[0][0] is None:
            return False
        lo, hi = date.fromisoformat(rows[0][0]), date.fromisoformat(rows[0][1])
        inside = (min(hi, date.fromisoformat(last)) - max(lo, date.fromisoformat(first))).days + 1
        return inside * 2 > (hi - lo).days + 1

    def rank(self, rows: Sequence[UnitFigures], total: UnitFigures | None = None) -> list[Ranked]:
        """`rank` with this deployment's reports config (the overall mean from `total`)."""
        overall = composite(total, self.config) if total is not None else None
        return rank(rows, self.config, overall)


# --- fair ranking and cards ---------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """A unit's place: `score` is its composite and `adjusted` that shrunk toward the
    overall mean, both in percent; None (and no place) when it had nothing to score."""

    unit: UnitFigures
    score: float | None
    adjusted: float | None
    place: int | None
    card: str | None  # gold, yellow, red or None


def composite(figures: UnitFigures, config: ReportsConfig = DEFAULTS) -> float | None:
    """The weighted mean of the study, quiz and attendance rates, in percent; a rate with
    nothing due (or weighted 0) is left out; None when none is left."""
    w = config.weights
    pairs = [
        (figures.study_rate, w.study),
        (figures.quiz_rate, w.quiz),
        (figures.attendance_rate, w.attendance),
    ]
    pairs = [(rate, weight) for rate, weight in pairs if rate is not None and weight > 0]
    weights = sum(weight for _, weight in pairs)
    if not weights:
        return None
    return 100 * sum(rate * weight for rate, weight in pairs) / weights


def adjust(score: float, people: int, overall: float, prior_people: int) -> float:
    """Shrink `score` toward `overall` as if `prior_people` more people had scored it:
    (n·score + k·overall) / (n + k). Rounded to 6 places so float noise does not move a
    card across a threshold."""
    if people + prior_people == 0:
        return round(score, 6)
    return round((people * score + prior_people * overall) / (people + prior_people), 6)


def card(adjusted: float | None, config: ReportsConfig = DEFAULTS) -> str | None:
    """金牌 at or above gold, 红牌 below red, 黄牌 below yellow, otherwise none."""
    if adjusted is None:
        return None
    if adjusted >= config.gold:
        return GOLD
    if adjusted < config.red:
        return RED
    if adjusted < config.yellow:
        return YELLOW
    return None


def rank(
    rows: Sequence[UnitFigures],
    config: ReportsConfig = DEFAULTS,
    overall: float | None = None,
) -> list[Ranked]:
    """Rows ordered by their participation-adjusted composite, best first (equal scores
    keep the rows' order, i.e. tree order), each with its place and card; rows with
    nothing to score come last without either. `overall` defaults to the composite of
    all the rows together."""
    scores = [composite(row, config) for row in rows]
    if overall is None:
        overall = composite(combine("", rows), config)
    ranked = []
    for row, score in zip(rows, scores, strict=True):
        adjusted = None
        if score is not None:
            mean = overall if overall is not None else score
            adjusted = adjust(score, row.people, mean, config.prior_people)
        ranked.append((row, score, adjusted))
    order = sorted(
        range(len(ranked)),
        key=lambda i: (ranked[i][2] is None, -(ranked[i][2] or 0.0), i),
    )
    found = []
    for place, i in enumerate(order, 1):
        row, score, adjusted = ranked[i]
        if adjusted is None:
            found.append(Ranked(row, None, None, None, None))
        else:
            found.append(Ranked(row, score, adjusted, place, card(adjusted, config)))
    return found
