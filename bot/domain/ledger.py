"""The study ledger (学习台账): one row per person over a period — items learned, quizzes,
lectures attended, late, excused, absent and made up, points — grouped by the unit they
belong to, with a summary row per unit (its figures, place and card).

Counted in SQL grouped by person (one query per kind of record, none per person or per
unit), by the same definitions as `bot.domain.figures`, so a unit's people add up to its
figures for the same period and scope. The queries read whole tables (a year of a league is
tens of millions of rows), so they run side by side on read-only connections of their own
(WAL lets readers run beside the writer): the build takes the time of the longest few, not
of all of them, and the store's one connection stays free for the people using the bot."""

from __future__ import annotations

import asyncio
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.content.models import ContentPack, Lecture
from bot.content.orgtree import OrgTree
from bot.core.clock import Clock, to_db
from bot.domain.access import Scope
from bot.domain.attendance import EXCUSED, LATE, MADE_UP, PRESENT, Attendance
from bot.domain.figures import Figures, Period, Ranked, UnitFigures, combine, composite
from bot.domain.people import Person
from bot.domain.study import visible_to
from bot.storage.sqlite import ReadAside, Store

SHEET_CHARS = 31  # Excel's limit on a sheet name
RESERVED_SHEETS = ("汇总", "summary", "history")  # the summary sheet's names, Excel's own
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_ADMITTED = "p.active = 1 AND p.pending = 0"


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One person's ledger line. Study counts the items due in the period (as figures
    does); quizzes count banks with a scored attempt finished in the period; lectures the
    sessions started in the period whose audience includes the person."""

    person_id: int
    name: str
    unit: str  # the unit's full name
    study_due: int = 0
    study_done: int = 0  # of those due, marked learned by the period's end
    quizzes: int = 0  # banks taken (a scored attempt finished in the period)
    passed: int = 0  # of those, banks passed in the period
    score_sum: int = 0  # sum over those banks of the best score (percent)
    best: int | None = None  # the best score of any bank (figures' score_sum adds these)
    expected: int = 0  # 应到
    attended: int = 0  # 实到: present and late
    late: int = 0  # 迟到, included in `attended`
    excused: int = 0  # 请假
    absent: int = 0  # 缺席 (sessions that have ended)
    made_up: int = 0  # 补学
    points: int = 0  # 学习积分 earned in the period
    study_times: int = 0  # items marked learned in the period (人次)
    attendance_times: int = 0  # check-ins in the period (人次)

    @property
    def study_rate(self) -> float | None:
        """done / due, None when nothing was due."""
        return self.study_done / self.study_due if self.study_due else None

    @property
    def avg_score(self) -> float | None:
        """The mean of the best score per bank taken, percent."""
        return self.score_sum / self.quizzes if self.quizzes else None

    @property
    def attendance_rate(self) -> float | None:
        """attended / expected, None when no session expected them."""
        return self.attended / self.expected if self.expected else None


@dataclass(frozen=True)
class UnitSheet:
    """A unit with people of its own: its sheet, its summary line and its people."""

    unit_id: str
    name: str  # the unit's own name
    full_name: str
    sheet: str  # a unique Excel sheet name
    summary: Ranked  # the unit's figures (its own people), composite, place and card
    people: tuple[PersonRow, ...]

    @property
    def figures(self) -> UnitFigures:
        """The unit's figures over its own people."""
        return self.summary.unit


@dataclass(frozen=True)
class LedgerBook:
    """A ledger over `period` for `root`'s subtree (None: the whole tree) in a scope."""

    root: str | None
    root_name: str  # the root's name ("" for several top-level units)
    period: Period
    total: UnitFigures  # every sheet's people together
    overall: float | None  # the total's composite score, percent
    units: tuple[UnitSheet, ...]

    @property
    def summary(self) -> list[Ranked]:
        """One line per unit sheet, in tree order."""
        return [u.summary for u in self.units]

    @property
    def people(self) -> int:
        """How many person rows the book holds."""
        return sum(len(u.people) for u in self.units)


class Ledger:
    """Builds study ledgers from the store and the content pack."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        tz: ZoneInfo,
        pack: ContentPack,
        orgs: OrgTree,
        attendance: Attendance,
        figures: Figures,
    ):
        self.store = store
        self.clock = clock
        self.tz = tz
        self.pack = pack
        self.orgs = orgs
        self.attendance = attendance
        self.figures = figures
        self._aside = ReadAside(store)

    async def build(self, root: str | None, period: Period, scope: Scope) -> LedgerBook:
        """The ledger of the admitted people in `root`'s subtree and `scope`: a sheet per
        unit with people of its own, in tree order. `root` None is the whole tree, or an
        admin's own unit when they administer exactly one (as in figures)."""
        if root is None and not scope.superadmin and len(scope.admin_units) == 1:
            root = scope.admin_units[0]
        if root is not None and root not in self.orgs.units:
            raise ValueError(f"unknown unit {root!r}")
        inside = [
            u
            for u in self.orgs.units
            if scope.covers(u) and (root is None or self.orgs.contains(root, u))
        ]
        within = set(inside)
        only = inside if len(inside) < len(self.orgs.units) else None
        where, params = _only(only)
        people: dict[int, tuple[str, str]] = {}  # id -> (name, unit id), in id order
        heads: Counter[str] = Counter()
        for r in await self._aside.all(
            f"SELECT p.id, p.display_name, p.unit_id FROM people p WHERE {_ADMITTED} "
            f"AND p.unit_id IS NOT NULL {where} ORDER BY p.id",
            params,
        ):
            if r[2] in within:
                people[r[0]] = (r[1], r[2])
                heads[r[2]] += 1
        counts: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        best: dict[int, int] = {}
        unit_of = {pid: unit for pid, (_, unit) in people.items()}
        sessions = self._sessions(period)
        # Side by side, the longest first; each adds to its own keys of `counts` (both
        # lectures and activity add check-ins, of different sessions).
        _, expected, _, _ = await asyncio.gather(
            self._activity(period, unit_of, only, [s.id for s in sessions], counts),
            self._lectures(period, sessions, heads, unit_of, only, counts),
            self._quiz(period, unit_of, only, counts, best),
            self._study(period, heads, unit_of, only, counts),
        )

        by_unit: dict[str, list[PersonRow]] = defaultdict(list)
        full = {u: self.orgs.full_name(u) for u in heads}
        for pid, (name, unit) in people.items():
            due, ended = expected.get(unit, (0, 0))
            accounted = counts["ended_seen"].get(pid, 0)
            by_unit[unit].append(
                PersonRow(
                    pid,
                    name,
                    full[unit],
                    study_due=counts["study_due"].get(pid, 0),
                    study_done=counts["study_done"].get(pid, 0),
                    quizzes=counts["quizzes"].get(pid, 0),
                    passed=counts["passed"].get(pid, 0),
                    score_sum=counts["score_sum"].get(pid, 0),
                    best=best.get(pid),
                    expected=due,
                    attended=counts[PRESENT].get(pid, 0) + counts[LATE].get(pid, 0),
                    late=counts[LATE].get(pid, 0),
                    excused=counts[EXCUSED].get(pid, 0),
                    absent=ended - accounted,
                    made_up=counts[MADE_UP].get(pid, 0),
                    points=counts["points"].get(pid, 0),
                    study_times=counts["study_times"].get(pid, 0),
                    attendance_times=counts["attendance_times"].get(pid, 0),
                )
            )
        order = [u for u in inside if u in by_unit]
        rows = [unit_figures(u, by_unit[u]) for u in order]
        total = combine(root or "", rows)
        ranked = self.figures.rank(rows, total)
        names = sheet_names(self.orgs, order)
        units = tuple(
            UnitSheet(u, self.orgs.units[u].name, full[u], names[u], r, tuple(by_unit[u]))
            for u, r in zip(order, ranked_in_order(rows, ranked), strict=True)
        )
        overall = composite(total, self.figures.config)
        return LedgerBook(root, self._root_name(root), period, total, overall, units)

    def _root_name(self, root: str | None) -> str:
        if root is not None:
            return self.orgs.units[root].name
        if len(self.orgs.roots) == 1:
            return self.orgs.units[self.orgs.roots[0]].name
        return ""

    # --- counting, per person ------------------------------------------------------

    def _due(self, period: Period, units) -> dict[str, frozenset[str]]:
        """The items due in the period per unit: published in it, or current at its start,
        and visible to the unit (as figures counts study_due); nothing for a future period."""
        today = self.figures.today()  # one notion of today for figures and ledger
        if period.start > today:
            return {}
        published = self.pack.published(min(period.end, today))
        at_start = self.pack.published(period.start)
        due = {}
        for unit_id in units:
            who = Person(0, "", None, unit_id, 0, True)  # visibility goes by the unit
            items = {i.id for start, i in published if start >= period.start and visible_to(i, who)}
            current = next((i for _, i in at_start if visible_to(i, who)), None)
            if current is not None:
                items.add(current.id)
            due[unit_id] = frozenset(items)
        return due

    async def _study(self, period, heads, unit_of, only, counts) -> None:
        """Items due, and of them learned by the period's end; items learned in the period
        (人次). Items due to every unit are counted per person in SQL, in the same pass as
        the person-times; the few due to some units only are read per (person, item) and
        kept where the person's unit has them."""
        due = self._due(period, heads)
        for pid, unit in unit_of.items():
            if due.get(unit):
                counts["study_due"][pid] = len(due[unit])
        lo, hi = period.bounds(self.tz)
        join, who, params = _who("s", only)
        sets = [items for items in due.values() if items]
        common = frozenset.intersection(*sets) if sets and len(sets) == len(heads) else set()
        special = sorted(frozenset().union(*sets) - common) if sets else []
        in_common = f"s.item_id IN ({','.join('?' * len(common))})" if common else "0"
        for r in await self._aside.all(
            f"SELECT s.person_id, SUM(s.done_at >= ?), SUM({in_common}) FROM study_done s "
            f"{join} WHERE {who} AND s.done_at < ? GROUP BY 1",
            (lo, *sorted(common), *params, hi),
        ):
            if r[0] in unit_of:
                counts["study_times"][r[0]] = r[1]
                counts["study_done"][r[0]] += r[2]
        if special:
            for r in await self._aside.all(
                f"SELECT s.person_id, s.item_id FROM study_done s {join} WHERE {who} "
                f"AND s.done_at < ? AND s.item_id IN ({','.join('?' * len(special))})",
                (*params, hi, *special),
            ):
                if r[1] in due.get(unit_of.get(r[0], ""), ()):
                    counts["study_done"][r[0]] += 1

    async def _quiz(self, period, unit_of, only, counts, best) -> None:
        """Per person: banks with a scored attempt finished in the period, banks passed,
        the sum of the best score per bank and the best score of all (figures' takers)."""
        lo, hi = period.bounds(self.tz)
        join, who, params = _who("a", only)
        for r in await self._aside.all(
            "SELECT person_id, COUNT(*), SUM(passed), SUM(best), MAX(best) FROM "
            "(SELECT a.person_id AS person_id, MAX(a.score) AS best, MAX(a.passed) AS passed "
            f"FROM quiz_attempts a {join} WHERE {who} AND a.finished_at >= ? "
            "AND a.finished_at < ? AND a.score IS NOT NULL GROUP BY a.person_id, a.quiz_id) "
            "GROUP BY 1",
            (*params, lo, hi),
        ):
            if r[0] not in unit_of:
                continue
            counts["quizzes"][r[0]] = r[1]
            counts["passed"][r[0]] = r[2] or 0
            counts["score_sum"][r[0]] = r[3]
            best[r[0]] = r[4]

    def _sessions(self, period: Period) -> list[Lecture]:
        """The sessions that started in the period (not those still to come)."""
        now = self.clock.now().astimezone(self.tz).replace(tzinfo=None)
        return [
            s
            for s in self.pack.lectures.values()
            if period.start <= s.start.date() <= period.end and s.start <= now
        ]

    async def _lectures(
        self, period, sessions: list[Lecture], heads, unit_of, only, counts
    ) -> dict[str, tuple[int, int]]:
        """Statuses per person over `sessions`, by `Attendance.unit_tallies`' rules: a
        check-in wins, then the make-up quiz passed after the end, then approved leave; the
        rest are absent once a session has ended. Also the check-ins of those sessions made
        in the period (人次). Returns per unit (sessions expected, of them ended)."""
        if not sessions:
            return {}
        now = self.clock.now()
        ends = {s.id: self.attendance.window(s).end for s in sessions}
        # Sessions with the same audience and the same state (ended or not) form a group.
        keys: dict[tuple[tuple[str, ...], bool], int] = {}
        rows = []
        for s in sessions:
            ended = now >= ends[s.id]
            group = keys.setdefault((s.audience, ended), len(keys))
            rows.append((s.id, group, s.quiz, to_db(ends[s.id]) if s.quiz and ended else None))
        sizes = Counter(group for _, group, _, _ in rows)
        ended_group = {g: ended for (_, ended), g in keys.items()}
        covers: dict[int, frozenset[str]] = {
            g: frozenset(u for u in heads if self.orgs.in_audience(audience, u))
            for (audience, _), g in keys.items()
        }
        expected = {}
        for unit_id in heads:
            groups = [g for g in covers if unit_id in covers[g]]
            expected[unit_id] = (
                sum(sizes[g] for g in groups),
                sum(sizes[g] for g in groups if ended_group[g]),
            )
        quizzes = sorted({quiz for _, _, quiz, since in rows if since is not None})
        join_a, who_a, only_params = _who("a", only)
        # lp, each person's latest pass of each make-up quiz, is MATERIALIZED: computed
        # once, not again for every leave the NOT EXISTS below looks it up for.
        cte = (
            f"WITH s (session_id, grp, quiz_id, made_up_from) AS (VALUES {_values(4, len(rows))}), "
            f"lp AS MATERIALIZED (SELECT a.person_id, a.quiz_id, MAX(a.finished_at) AS last "
            f"FROM quiz_attempts a {join_a} WHERE a.passed = 1 "
            f"AND a.quiz_id IN ({','.join('?' * len(quizzes))}) AND {who_a} "
            "GROUP BY a.person_id, a.quiz_id) "
        )
        head = (*(v for r in rows for v in r), *quizzes, *only_params)  # the CTE's
        params = (*head, *only_params)
        checked = "SELECT 1 FROM checkins c WHERE c.session_id = s.session_id AND c.person_id = "

        def add(person_id: int, group: int, status: str, n: int) -> None:
            unit = unit_of.get(person_id)
            if unit is not None and unit in covers[group]:
                counts[status][person_id] += n
                if ended_group[group]:
                    counts["ended_seen"][person_id] += n

        lo, hi = period.bounds(self.tz)
        for r in await self._aside.all(
            f"{cte}SELECT c.person_id, s.grp, c.status, COUNT(*), SUM(c.at >= ? AND c.at < ?) "
            f"FROM s JOIN checkins c ON c.session_id = s.session_id {_join('c', only)} "
            f"WHERE {who_a} GROUP BY 1, 2, 3",
            (*head, lo, hi, *only_params),
        ):
            add(r[0], r[1], r[2], r[3])
            if r[4] and r[0] in unit_of:
                counts["attendance_times"][r[0]] += r[4]
        if quizzes:
            for r in await self._aside.all(
                # s first (CROSS JOIN keeps the order): SQLite then indexes lp by quiz
                # instead of scanning every session for each of lp's rows.
                f"{cte}SELECT lp.person_id, s.grp, COUNT(*) FROM s "
                "CROSS JOIN lp ON lp.quiz_id = s.quiz_id AND lp.last >= s.made_up_from "
                f"{_join('lp', only)} WHERE {who_a} "
                f"AND NOT EXISTS ({checked}lp.person_id) GROUP BY 1, 2",
                params,
            ):
                add(r[0], r[1], MADE_UP, r[2])
        for r in await self._aside.all(
            # Not made up: a LEFT JOIN finding no pass (lp has one row per person and
            # quiz), which SQLite serves with an index on lp, where NOT EXISTS would scan
            # all of lp for every leave.
            f"{cte}SELECT l.person_id, s.grp, COUNT(*) FROM s "
            "JOIN leaves l ON l.session_id = s.session_id AND l.status = 'approved' "
            "LEFT JOIN lp ON lp.person_id = l.person_id AND lp.quiz_id = s.quiz_id "
            f"AND lp.last >= s.made_up_from {_join('l', only)} WHERE {who_a} "
            f"AND lp.person_id IS NULL AND NOT EXISTS ({checked}l.person_id) GROUP BY 1, 2",
            params,
        ):
            add(r[0], r[1], EXCUSED, r[2])
        return expected

    async def _activity(self, period, unit_of, only, sessions: list[str], counts) -> None:
        """Points earned in the period, and check-ins made in it for sessions other than
        `sessions` (whose check-ins `_lectures` counted), per person."""
        lo, hi = period.bounds(self.tz)
        join, who, params = _who("x", only)
        for r in await self._aside.all(
            f"SELECT x.person_id, SUM(x.points) FROM points_ledger x {join} WHERE {who} "
            # `+x.day`: not by the day index (which would sort 28M rows by person) but by
            # points_by_person_day, already in person order.
            "AND +x.day >= ? AND +x.day <= ? GROUP BY 1",
            (*params, period.start.isoformat(), period.end.isoformat()),
        ):
            if r[0] in unit_of:
                counts["points"][r[0]] = r[1]
        for r in await self._aside.all(
            f"SELECT x.person_id, COUNT(*) FROM checkins x {join} WHERE {who} AND x.at >= ? "
            f"AND x.at < ? AND x.session_id NOT IN ({','.join('?' * len(sessions))}) GROUP BY 1",
            (*params, lo, hi, *sessions),
        ):
            if r[0] in unit_of:
                counts["attendance_times"][r[0]] += r[1]


def unit_figures(unit_id: str, people: list[PersonRow]) -> UnitFigures:
    """A unit's figures from its people's rows (figures' definitions, added up)."""
    n = dict.fromkeys(
        ("study_due", "study_done", "quiz_takers", "score_sum", "expected", "attended",
         "excused", "made_up", "points", "study_times", "attendance_times"), 0,
    )  # fmt: skip
    for p in people:
        n["study_due"] += p.study_due
        n["study_done"] += p.study_done
        if p.best is not None:
            n["quiz_takers"] += 1
            n["score_sum"] += p.best
        n["expected"] += p.expected
        n["attended"] += p.attended
        n["excused"] += p.excused
        n["made_up"] += p.made_up
        n["points"] += p.points
        n["study_times"] += p.study_times
        n["attendance_times"] += p.attendance_times
    return UnitFigures(unit_id, people=len(people), **n)


def ranked_in_order(rows: list[UnitFigures], ranked: list[Ranked]) -> list[Ranked]:
    """`ranked` (best first) back in the order of `rows` (one row per unit id)."""
    by_unit = {r.unit.unit_id: r for r in ranked}
    return [by_unit[row.unit_id] for row in rows]


def sheet_name(text: str) -> str:
    """`text` as an Excel sheet name: no []:*?/\\, no quote at either end, ≤ 31 chars."""
    name = _BAD_SHEET_CHARS.sub("_", text).strip().strip("'")
    return name[:SHEET_CHARS].strip("'")


def sheet_names(orgs: OrgTree, units: list[str]) -> dict[str, str]:
    """Unique sheet names (Excel compares them ignoring case): a unit's own name; on a
    clash its parent's name and its own; then a number."""
    taken = {name.casefold() for name in RESERVED_SHEETS}
    found = {}
    for unit_id in units:
        unit = orgs.units[unit_id]
        candidates = [sheet_name(unit.name) or unit_id]
        if unit.parent is not None:
            candidates.append(sheet_name(f"{orgs.units[unit.parent].name}-{unit.name}"))
        candidates.append(sheet_name(unit_id))
        name = next((c for c in candidates if c and c.casefold() not in taken), "")
        n = 2
        while not name:
            suffix = f"~{n}"
            attempt = sheet_name(candidates[0][: SHEET_CHARS - len(suffix)] + suffix)
            name = attempt if attempt.casefold() not in taken else ""
            n += 1
        taken.add(name.casefold())
        found[unit_id] = name
    return found


def _only(units: list[str] | None) -> tuple[str, tuple[str, ...]]:
    """An SQL condition on `p` limiting people to `units` (None: no limit)."""
    if units is None:
        return "", ()
    return f"AND p.unit_id IN ({','.join('?' * len(units))})", tuple(units)


def _join(alias: str, units: list[str] | None) -> str:
    """The join to `people p` of the rows of `alias`, when only `units` are read."""
    return "" if units is None else f"JOIN people p ON p.id = {alias}.person_id"


def _who(alias: str, units: list[str] | None) -> tuple[str, str, tuple[str, ...]]:
    """(join, condition, parameters) limiting the rows of `alias` to the admitted people
    of `units`. For the whole tree (None) there is neither: reading every row is cheaper
    than looking each one's person up, and the caller keeps the people it listed."""
    if units is None:
        return "", "1", ()
    where, params = _only(units)
    return _join(alias, units), f"{_ADMITTED} {where}", params


def _values(width: int, count: int) -> str:
    """`count` rows of `width` placeholders for a VALUES list."""
    row = f"({', '.join('?' * width)})"
    return ", ".join([row] * count)
