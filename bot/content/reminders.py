"""Administrators' reminder files (自定义提醒): any number of reminders per YAML file.

A file holds `reminders:`, a list of reminders. Each has an `id`, a `text`, exactly one of
`cron` (a 5-field crontab schedule, local time, at most once an hour) or `at` (a local
date-time, once), an `audience` of org units (default all) and `urgent` (sent even in
quiet hours). Every problem is reported with its file, line and field.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.content.cron import cron_trigger
from bot.content.fields import ID_PATTERN, Checker
from bot.content.loader import (
    MAX_TEXT,
    _claim,
    parse_audience,
    parse_local_time,
    read_documents,
    unit_problems,
    yaml_files,
)
from bot.content.models import Reminder
from bot.content.orgtree import OrgTree
from bot.content.problems import ContentError, Problem
from bot.content.yamlload import MAX_FILE_BYTES, YList, YMap

FILE_FIELDS = ("reminders",)
REMINDER_FIELDS = ("id", "text", "cron", "at", "audience", "urgent")
REMINDER_REQUIRED = ("id", "text")

# Cron schedules are checked in the deployment's usual zone; how often a schedule fires
# does not depend on it (China has no daylight saving time).
CRON_ZONE = ZoneInfo("Asia/Shanghai")
MIN_GAP = timedelta(hours=1)  # more often than this would spam cadres
# Consecutive fire times compared. A crontab that fires twice within an hour has two
# minutes in its minute field, so two fires of one hour are among the first few.
FIRES_CHECKED = 24
CHECK_FROM = datetime(2026, 1, 1, tzinfo=CRON_ZONE)  # fixed, so the check is repeatable


def parse_reminder_file(data: object, ch: Checker) -> list[Reminder]:
    """Validate one reminder file; the reminders without problems (ids not yet claimed)."""
    m = ch.mapping(data, 1, FILE_FIELDS, FILE_FIELDS)
    if m is None or "reminders" not in m:
        return []
    raw = m["reminders"]
    if not isinstance(raw, YList):
        ch.get(m, "reminders", list)  # reports the wrong type
        return []
    if not raw:
        ch.report(m.line_of("reminders"), "field.empty", "reminders")
    found = []
    for i, item in enumerate(raw):
        reminder = parse_reminder(item, ch.child(f"reminders[{i + 1}]."), raw.line_of(i))
        if reminder is not None:
            found.append(reminder)
    return found


def parse_reminder(data: object, ch: Checker, line: int) -> Reminder | None:
    """Validate one reminder mapping (`ch` names fields `reminders[N].…`)."""
    m = ch.mapping(data, line, REMINDER_FIELDS, REMINDER_REQUIRED, field=ch.prefix.rstrip("."))
    if m is None:
        return None
    before = len(ch.problems)
    lines: list[tuple[str, int]] = [
        (ch.name(key), m.line_of(key)) for key in REMINDER_FIELDS if key in m and key != "audience"
    ]
    reminder_id = ch.text(m, "id", pattern=ID_PATTERN)
    text = ch.text(m, "text", max_len=MAX_TEXT)
    audience = parse_audience(m, ch, lines)
    urgent = ch.boolean(m, "urgent", False)
    given = [key for key in ("cron", "at") if key in m]
    cron = _parse_cron(m, ch) if "cron" in m else None
    at = parse_local_time(m, ch, "at", "reminder.bad_at") if "at" in m else None
    if len(given) != 1:
        # Neither: point at the reminder; both: at the second of the two.
        where = max(m.line_of(key) for key in given) if given else m.line
        name = ch.name(max(given, key=m.line_of)) if given else ch.prefix.rstrip(".")
        ch.report(where, "reminder.cron_or_at", name)
    if len(ch.problems) != before or not (reminder_id and text):
        return None
    return Reminder(
        id=reminder_id,
        text=text,
        cron=cron,
        at=at,
        audience=tuple(audience),
        urgent=urgent,
        path=ch.path,
        line=m.line,
        field_lines=tuple(lines),
    )


def _parse_cron(m: YMap, ch: Checker) -> str | None:
    """A 5-field crontab expression the scheduler accepts (bot.content.cron: weekdays as
    in crontab, 0 or 7 = Sunday), firing at most once an hour."""
    expr = " ".join(ch.text(m, "cron").split())
    if not expr:
        return None
    line, name = m.line_of("cron"), ch.name("cron")
    try:
        trigger = cron_trigger(expr, CRON_ZONE)
    except ValueError as exc:
        ch.report(line, "reminder.bad_cron", name, value=expr, detail=str(exc))
        return None
    fires = fire_times(trigger, CHECK_FROM, FIRES_CHECKED)
    if not fires:
        ch.report(line, "reminder.cron_never", name, value=expr)
        return None
    for first, second in pairwise(fires):
        if second - first < MIN_GAP:
            minutes = int((second - first).total_seconds() // 60)
            ch.report(
                line,
                "reminder.too_often",
                name,
                value=expr,
                first=f"{first:%H:%M}",
                second=f"{second:%H:%M}",
                minutes=minutes,
            )
            return None
    return expr


def fire_times(trigger: CronTrigger, after: datetime, count: int) -> list[datetime]:
    """Up to `count` consecutive fire times of `trigger` from `after` on."""
    found: list[datetime] = []
    when = trigger.get_next_fire_time(None, after)
    while when is not None and len(found) < count:
        found.append(when)
        when = trigger.get_next_fire_time(when, when + timedelta(seconds=1))
    return found


def read_reminders(
    files: Iterable[Path], problems: list[Problem], max_bytes: int = MAX_FILE_BYTES
) -> dict[str, Reminder]:
    """Reminders from these files by id, every problem (and repeated id) into `problems`;
    a repeated id is reported where it repeats, naming the file and line that had it first."""
    reminders: dict[str, Reminder] = {}
    for data, ch in read_documents(files, problems, max_bytes):
        for reminder in parse_reminder_file(data, ch):
            _claim(reminder.id, reminder, reminders, ch, _id_field(reminder))
    return reminders


def _id_field(reminder: Reminder) -> str:
    """The `reminders[N].id` name a reminder's id is written under."""
    return next(name for name, _ in reminder.field_lines if name.endswith(".id"))


def load_reminders(paths: Iterable[Path], max_bytes: int = MAX_FILE_BYTES) -> dict[str, Reminder]:
    """Reminders by id from files and folders (searched recursively, every YAML file a
    reminder file); raise ContentError listing every problem. (Org units are checked by
    reminder_unit_problems.)"""
    problems: list[Problem] = []
    reminders = read_reminders(yaml_files(paths), problems, max_bytes)
    if problems:
        raise ContentError(problems)
    return reminders


def reminder_unit_problems(reminders: dict[str, Reminder], orgs: OrgTree) -> list[Problem]:
    """Reminders' audience units missing from the org tree, each with its line."""
    return unit_problems(reminders.values(), orgs)
