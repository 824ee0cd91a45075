"""Lecture-hall files (大讲堂): one lecture or recurring series per YAML file.

A file names the lecture, its speaker, start (local time), duration, audience, links,
check-in window and venues (exactly one main venue, 主会场, plus sub-venues, 分会场, each
with optional coordinates for location check-in). With `repeat` it is a series, expanded
here into sessions `<id>-<YYYYMMDD>` at the same local time: every N weeks, or on the Nth
(or last) weekday of each month, up to `until`. Every problem is reported with its line.
"""

from __future__ import annotations

import calendar
import contextlib
import re
from collections.abc import Container, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.config import _WEEKDAYS
from bot.content.fields import ID_PATTERN, Checker, type_key
from bot.content.loader import (
    DEFAULT_WINDOW,
    parse_audience,
    parse_local_time,
    read_documents,
    shown_path,
    unit_problems,
    yaml_files,
)
from bot.content.models import CheckinWindow, Lecture, Venue
from bot.content.orgtree import OrgTree
from bot.content.problems import ContentError, Problem
from bot.content.yamlload import MAX_FILE_BYTES, YList, YMap
from bot.core.i18n import Term
from bot.core.limits import MAX_BUTTON_LABEL_CHARS

if TYPE_CHECKING:
    from bot.config import Config

LECTURE_FIELDS = (
    "id",
    "title",
    "speaker",
    "start",
    "duration",
    "audience",
    "live",
    "replay",
    "notes",
    "quiz",
    "checkin",
    "venues",
    "repeat",
)
LECTURE_REQUIRED = ("id", "title", "speaker", "start", "duration", "venues")
VENUE_FIELDS = ("id", "name", "main", "lat", "lon", "radius", "unit")
VENUE_REQUIRED = ("id", "name")
WINDOW_FIELDS = ("opens_before", "closes_after", "late_after")
REPEAT_FIELDS = ("every_weeks", "monthly", "until")
MONTHLY_FIELDS = ("week", "weekday")

MAX_DURATION = 600  # minutes
MAX_WINDOW = 24 * 60  # minutes
MAX_SESSIONS = 400  # per series
MAX_EVERY_WEEKS = 52
MAX_SPEAKER = 100
MAX_NOTES = 1500
MAX_URL = 500
# A session id is the series id, "-" and YYYYMMDD, and must still fit ID_PATTERN (32).
MAX_SERIES_ID = 32 - 9
MIN_RADIUS, MAX_RADIUS = 10, 5000  # metres
MONTH_WEEKS = (1, 2, 3, 4, -1)

_URL = re.compile(r"https?://\S+")

Rule = tuple[int, int, int]  # (every_weeks, 0, 0) or (0, week of the month, weekday)


def config_window(config: Config) -> CheckinWindow:
    """The check-in window config.yaml's `checkin` section gives lectures by default."""
    c = config.checkin
    return CheckinWindow(c.opens_before, c.closes_after, c.late_after)


def parse_lecture_file(data: Any, ch: Checker, default_window: CheckinWindow) -> list[Lecture]:
    """Validate one lecture file; its sessions (one, or a series expanded), or [] on problems."""
    before = len(ch.problems)
    m = ch.mapping(data, 1, LECTURE_FIELDS, LECTURE_REQUIRED)
    if m is None:
        return []
    lines: list[tuple[str, int]] = []
    lecture_id = ch.text(m, "id", pattern=ID_PATTERN)
    title = ch.text(m, "title", max_len=MAX_BUTTON_LABEL_CHARS)
    speaker = ch.text(m, "speaker", max_len=MAX_SPEAKER)
    start = parse_local_time(m, ch, "start", "lecture.bad_start") if "start" in m else None
    duration = ch.integer(m, "duration", 0, 1, MAX_DURATION)
    audience = parse_audience(m, ch, lines)
    live = _url(m, ch, "live")
    replay = _url(m, ch, "replay")
    notes = ch.text(m, "notes", max_len=MAX_NOTES)
    quiz = ch.text(m, "quiz", pattern=ID_PATTERN) or None
    if quiz:
        lines.append(("quiz", m.line_of("quiz")))
    window = _parse_window(m, ch, default_window)
    venues = _parse_venues(m, ch, lines)
    series = "repeat" in m
    starts = [start] if start is not None else []
    if series:
        if len(lecture_id) > MAX_SERIES_ID:
            ch.report(
                m.line_of("id"),
                "lecture.series_id_long",
                "id",
                length=len(lecture_id),
                limit=MAX_SERIES_ID,
            )
        rule = _parse_repeat(m, ch)
        starts = _sessions(m, ch, start, *rule) if start is not None and rule else []
    if len(ch.problems) != before or not starts:
        return []
    return [
        Lecture(
            id=f"{lecture_id}-{when:%Y%m%d}" if series else lecture_id,
            series=lecture_id,
            title=title,
            speaker=speaker,
            start=when,
            duration=duration,
            audience=tuple(audience),
            live_url=live,
            replay_url=replay,
            notes=notes,
            quiz=quiz,
            venues=tuple(venues),
            window=window,
            path=ch.path,
            line=m.line,
            field_lines=tuple(lines),
        )
        for when in starts
    ]


def _url(m: YMap, ch: Checker, key: str) -> str:
    value = ch.text(m, key, max_len=MAX_URL)
    if value and not _URL.fullmatch(value):
        ch.report(m.line_of(key), "lecture.bad_url", key, value=value)
    return value


def _parse_window(m: YMap, ch: Checker, default: CheckinWindow) -> CheckinWindow:
    """The default window, with whatever the file's `checkin` section sets instead."""
    if "checkin" not in m:
        return default
    wc = ch.child("checkin.")
    w = wc.mapping(m["checkin"], m.line_of("checkin"), WINDOW_FIELDS, field="checkin")
    if w is None:
        return default
    window = CheckinWindow(
        opens_before=wc.integer(w, "opens_before", default.opens_before, 0, MAX_WINDOW),
        closes_after=wc.integer(w, "closes_after", default.closes_after, 0, MAX_WINDOW),
        late_after=wc.integer(w, "late_after", default.late_after, 0, MAX_WINDOW),
    )
    if window.closes_after < window.late_after:
        key = "closes_after" if "closes_after" in w else "late_after"
        ch.report(
            w.line_of(key),
            "lecture.window_order",
            wc.name(key),
            closes=window.closes_after,
            late=window.late_after,
        )
    return window


def _parse_venues(m: YMap, ch: Checker, lines: list[tuple[str, int]]) -> list[Venue]:
    """The venues: unique ids, exactly one main, coordinates in pairs with a radius."""
    if "venues" not in m:
        return []
    raw = m["venues"]
    if not isinstance(raw, YList):
        ch.get(m, "venues", list)
        return []
    venues: list[Venue] = []
    seen: dict[str, int] = {}
    mains = 0
    for i, item in enumerate(raw):
        name = f"venues[{i + 1}]"
        vc = ch.child(f"{name}.")
        v = vc.mapping(item, raw.line_of(i), VENUE_FIELDS, VENUE_REQUIRED, field=name)
        if v is None:
            continue
        venue_id = vc.text(v, "id", pattern=ID_PATTERN)
        label = vc.text(v, "name", max_len=MAX_BUTTON_LABEL_CHARS)
        main = vc.boolean(v, "main", False)
        mains += main
        lat = _degrees(v, vc, "lat", 90)
        lon = _degrees(v, vc, "lon", 180)
        radius = vc.integer(v, "radius", 0, MIN_RADIUS, MAX_RADIUS)
        _check_coordinates(v, vc)
        unit = vc.text(v, "unit", pattern=ID_PATTERN) or None
        if unit:
            lines.append((vc.name("unit"), v.line_of("unit")))
        if venue_id in seen:
            other = seen[venue_id]
            vc.report(
                v.line_of("id"), "lecture.duplicate_venue", vc.name("id"), id=venue_id, other=other
            )
        elif venue_id:
            seen[venue_id] = v.line_of("id")
        venues.append(Venue(venue_id, label, main, lat, lon, radius, unit))
    if mains != 1:
        ch.report(m.line_of("venues"), "lecture.one_main", "venues", count=mains)
    return venues


def _degrees(m: YMap, ch: Checker, key: str, limit: int) -> float | None:
    """A coordinate in decimal degrees within [-limit, limit]."""
    if key not in m:
        return None
    value = m[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        expected, actual = Term("type.float"), Term(type_key(value))
        ch.report(m.line_of(key), "field.type", ch.name(key), expected=expected, actual=actual)
        return None
    if not -limit <= value <= limit:
        ch.report(m.line_of(key), "field.range", ch.name(key), value=value, low=-limit, high=limit)
        return None
    return float(value)


def _check_coordinates(v: YMap, ch: Checker) -> None:
    """lat and lon come together, and with a radius; a radius needs both."""
    has = {key: key in v for key in ("lat", "lon", "radius")}
    if has["lat"] != has["lon"]:
        given, missing = ("lat", "lon") if has["lat"] else ("lon", "lat")
        line = v.line_of(given)
        ch.report(line, "lecture.coords_pair", ch.name(missing), given=given, missing=missing)
    elif has["lat"] and not has["radius"]:
        line = v.line_of("lat")
        ch.report(line, "lecture.radius_needed", ch.name("radius"), low=MIN_RADIUS, high=MAX_RADIUS)
    elif has["radius"] and not has["lat"]:
        ch.report(v.line_of("radius"), "lecture.radius_without_coords", ch.name("radius"))


def _parse_repeat(m: YMap, ch: Checker) -> tuple[Rule, date] | None:
    """A series' rule and its last day (`until`), every problem in `repeat` reported."""
    rc = ch.child("repeat.")
    r = rc.mapping(m["repeat"], m.line_of("repeat"), REPEAT_FIELDS, ("until",), field="repeat")
    if r is None:
        return None
    given = [k for k in ("every_weeks", "monthly") if k in r]
    if len(given) != 1:
        ch.report(m.line_of("repeat"), "lecture.repeat_one", "repeat")
    until = _parse_until(r, ch) if "until" in r else None
    rule: Rule | None = None
    if "every_weeks" in r:
        every = rc.integer(r, "every_weeks", 0, 1, MAX_EVERY_WEEKS)
        rule = (every, 0, 0) if every else None
    if "monthly" in r:
        rule = _parse_monthly(r, ch)
    if until is None or rule is None or len(given) != 1:
        return None
    return rule, until


def _parse_until(r: YMap, ch: Checker) -> date | None:
    value = r["until"]
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(value.strip())
    if isinstance(value, date):
        return value
    ch.report(r.line_of("until"), "study.bad_date", "repeat.until", value=r.raw.get("until", value))
    return None


def _parse_monthly(r: YMap, ch: Checker) -> Rule | None:
    """(0, week, weekday): the Nth (or, with week -1, the last) weekday of each month."""
    mc = ch.child("repeat.monthly.")
    line = r.line_of("monthly")
    mm = mc.mapping(r["monthly"], line, MONTHLY_FIELDS, MONTHLY_FIELDS, field="repeat.monthly")
    if mm is None or "week" not in mm or "weekday" not in mm:
        return None
    week, weekday = mm["week"], mm["weekday"]
    ok = True
    if isinstance(week, bool) or week not in MONTH_WEEKS:
        value = mm.raw.get("week", week)
        ch.report(mm.line_of("week"), "lecture.bad_month_week", mc.name("week"), value=value)
        ok = False
    day = _WEEKDAYS.get(weekday.strip().lower()) if isinstance(weekday, str) else None
    if day is None:
        value = mm.raw.get("weekday", weekday)
        ch.report(mm.line_of("weekday"), "lecture.bad_weekday", mc.name("weekday"), value=value)
        ok = False
    return (0, week, day) if ok and day is not None else None


def _sessions(m: YMap, ch: Checker, start: datetime, rule: Rule, until: date) -> list[datetime]:
    """The starts of a series' sessions, from `start` up to `until` inclusive."""
    line = m["repeat"].line_of("until")
    if until < start.date():
        first = start.date()
        ch.report(line, "lecture.until_before_start", "repeat.until", until=until, start=first)
        return []
    starts = expand(start, rule, until)
    if len(starts) > MAX_SESSIONS:
        ch.report(line, "lecture.too_many_sessions", "repeat.until", limit=MAX_SESSIONS)
        return []
    if not starts:
        ch.report(line, "lecture.no_sessions", "repeat.until", until=until)
    return starts


def expand(start: datetime, rule: Rule, until: date) -> list[datetime]:
    """Session starts on or after `start` up to `until` (stops one past MAX_SESSIONS)."""
    every, week, weekday = rule
    found: list[datetime] = []
    if every:
        when = start
        while when.date() <= until and len(found) <= MAX_SESSIONS:
            found.append(when)
            when += timedelta(weeks=every)  # naive local time: the same hour each time
        return found
    year, month = start.year, start.month
    while date(year, month, 1) <= until and len(found) <= MAX_SESSIONS:
        day = nth_weekday(year, month, weekday, week)
        if start.date() <= day <= until:
            found.append(datetime.combine(day, start.time()))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def nth_weekday(year: int, month: int, weekday: int, week: int) -> date:
    """The `week`th `weekday` (0 = Monday) of a month; week -1 is the last one."""
    if week > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def read_lectures(
    files: Iterable[Path],
    default_window: CheckinWindow,
    problems: list[Problem],
    max_bytes: int = MAX_FILE_BYTES,
) -> dict[str, Lecture]:
    """Sessions from these files by start, every problem (and clashing id) into `problems`."""
    sessions: dict[str, Lecture] = {}
    series: dict[str, Lecture] = {}
    for data, ch in read_documents(files, problems, max_bytes):
        found = parse_lecture_file(data, ch, default_window)
        if not found:
            continue
        first = series.get(found[0].series)
        if first is not None:
            where = f"{shown_path(first.path)}:{first.line}"
            ch.report(found[0].line, "content.duplicate_id", "id", id=first.series, other=where)
            continue
        clash = next((s for s in found if s.id in sessions), None)
        if clash is not None:
            other = sessions[clash.id]
            where = f"{shown_path(other.path)}:{other.line}"
            ch.report(clash.line, "lecture.duplicate_session", "id", id=clash.id, other=where)
            continue
        series[found[0].series] = found[0]
        sessions.update((s.id, s) for s in found)
    return dict(sorted(sessions.items(), key=lambda kv: (kv[1].start, kv[0])))


def load_lectures(
    paths: Iterable[Path],
    default_window: CheckinWindow = DEFAULT_WINDOW,
    max_bytes: int = MAX_FILE_BYTES,
) -> dict[str, Lecture]:
    """Lecture sessions by id, ordered by start; raise ContentError listing every problem.

    Folders are searched recursively, and every YAML file in them is a lecture file.
    (Quiz links are checked by load_pack, org units by lecture_unit_problems.)
    """
    problems: list[Problem] = []
    lectures = read_lectures(yaml_files(paths), default_window, problems, max_bytes)
    if problems:
        raise ContentError(problems)
    return lectures


def lecture_quiz_problems(lectures: dict[str, Lecture], banks: Container[str]) -> list[Problem]:
    """A lecture's make-up quiz (补学) must name a quiz bank; one report per series."""
    found: dict[tuple[Path, str], Problem] = {}
    for lecture in lectures.values():
        if lecture.quiz and lecture.quiz not in banks:
            line, params = lecture.line_of("quiz"), {"quiz": lecture.quiz}
            problem = Problem(lecture.path, line, "lecture.unknown_quiz", params, "quiz")
            found.setdefault((lecture.path, lecture.series), problem)
    return list(found.values())


def lecture_unit_problems(lectures: dict[str, Lecture], orgs: OrgTree) -> list[Problem]:
    """Audience and venue units missing from the org tree, each once per series."""
    return unit_problems(lectures.values(), orgs)
