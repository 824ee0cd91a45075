"""The text and buttons of scheduled messages, in the recipient's language."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.content.models import Lecture, Reminder, StudyItem, Venue
from bot.content.orgtree import OrgTree
from bot.core.i18n import t
from bot.core.limits import MAX_ACTION_BYTES
from bot.core.messages import Button, Outgoing
from bot.domain.plan import KINDS

SUMMARY = 120  # characters of an item's body in the weekly push; its button opens the rest
NAMES_PER_UNIT = 10  # escalations list this many names per unit, then "and N more"
UNITS_LISTED = 20


def when(moment: datetime) -> str:
    """A local date-time as cadres read it: 11-26 15:00."""
    return moment.strftime("%m-%d %H:%M")


def left(delta: timedelta, locale: str) -> str:
    """How long until something, in whole days, hours or minutes."""
    minutes = max(0, round(delta.total_seconds() / 60))
    if minutes >= 1440 and minutes % 1440 < 60:
        return t("time.days", locale, n=minutes // 1440)
    if minutes >= 60:
        hours, rest = divmod(minutes, 60)
        if rest:
            return t("time.hours_minutes", locale, h=hours, m=rest)
        return t("time.hours", locale, n=hours)
    return t("time.minutes", locale, n=minutes)


def weekly(item: StudyItem, has_quiz: bool, locale: str) -> Outgoing:
    """The weekly push of one item: title, the start of the body, buttons to read and test."""
    body = item.body.strip()
    summary = body if len(body) <= SUMMARY else body[:SUMMARY].rstrip() + "…"
    rows = [[Button(t("btn.read_item", locale), f"study:{item.id}")]]
    if item.quiz and has_quiz:
        rows[0].append(Button(t("btn.take_quiz", locale), f"quiz:{item.quiz}"))
    return Outgoing(t("push.weekly", locale, title=item.title, summary=summary), rows=rows)


def snooze_row(batch_id: int, locale: str) -> list[Button]:
    """The snooze buttons of a reminder: in an hour, tomorrow morning."""
    return [
        Button(t("btn.snooze_hour", locale), f"snz:h:{batch_id}"),
        Button(t("btn.snooze_morning", locale), f"snz:m:{batch_id}"),
    ]


def lecture_reminder(
    lecture: Lecture, start: datetime, now: datetime, last: bool, first: bool, locale: str
) -> Outgoing:
    """A lecture reminder; the last carries the check-in button, the first a leave button."""
    text = t(
        "remind.lecture",
        locale,
        title=lecture.title,
        when=when(lecture.start),
        left=left(start - now, locale),
        speaker=lecture.speaker or "—",
    )
    if lecture.live_url:
        text += "\n" + t("remind.live", locale, url=lecture.live_url)
    rows: list[list[Button]] = []
    if last:
        text += "\n" + t("remind.checkin_open", locale)
        rows.append([Button(t("btn.checkin", locale, title=lecture.title), f"ci:{lecture.id}")])
    elif first:
        rows.append([Button(t("btn.leave", locale, title=lecture.title), f"lv:{lecture.id}")])
    return Outgoing(text, rows=rows)


def host_prompt(lecture: Lecture, venues: Sequence[Venue], locale: str) -> Outgoing:
    """Check-in is open: a button per venue the host runs, each showing its code."""
    names = (
        "、".join(v.name for v in venues) if locale == "zh" else ", ".join(v.name for v in venues)
    )
    text = t("remind.hosts", locale, title=lecture.title, when=when(lecture.start), venues=names)
    rows = []
    for venue in venues:
        action = f"cd:{lecture.id}:{venue.id}"
        if len(action.encode()) <= MAX_ACTION_BYTES:
            rows.append([Button(t("btn.show_code", locale, venue=venue.name), action)])
    if len(rows) < len(venues):
        text += "\n" + t("remind.hosts_typed", locale, lecture=lecture.id)
    return Outgoing(text, rows=rows)


def makeup(lecture: Lecture, has_quiz: bool, locale: str) -> Outgoing:
    """What the absent and excused get after a lecture: replay, notes, make-up quiz."""
    text = t(
        "makeup.message",
        locale,
        title=lecture.title,
        when=when(lecture.start),
        replay=lecture.replay_url or "—",
        notes=lecture.notes,
    )
    rows = []
    if lecture.quiz and has_quiz:
        rows = [[Button(t("btn.makeup_quiz", locale), f"quiz:{lecture.quiz}")]]
    return Outgoing(text, rows=rows)


def nudge(
    kind: str, ref: str, title: str, deadline: datetime, time_left: timedelta, locale: str
) -> Outgoing:
    """Someone has not finished a study item or quiz that is due soon."""
    text = t(
        f"remind.nudge_{kind}",
        locale,
        title=title,
        deadline=when(deadline),
        left=left(time_left, locale),
    )
    label = "btn.read_item" if kind == "study" else "btn.take_quiz"
    return Outgoing(text, rows=[[Button(t(label, locale), f"{kind}:{ref}")]])


def custom(reminder: Reminder, locale: str) -> Outgoing:
    """An administrator's reminder, as written."""
    return Outgoing(t("remind.custom", locale, text=reminder.text))


def escalation(
    title: str,
    deadline: datetime,
    scope_name: str,
    expected: int,
    missing: dict[str, list[str]],
    orgs: OrgTree,
    locale: str,
) -> Outgoing:
    """For an org admin: who in their scope has not finished, unit by unit."""
    count = sum(len(names) for names in missing.values())
    lines = []
    for unit_id, names in list(missing.items())[:UNITS_LISTED]:
        shown = "、".join(names[:NAMES_PER_UNIT])
        if len(names) > NAMES_PER_UNIT:
            shown += t("remind.more_names", locale, n=len(names) - NAMES_PER_UNIT)
        name = orgs.units[unit_id].name if unit_id in orgs.units else unit_id
        lines.append(t("remind.escalate_unit", locale, unit=name, n=len(names), names=shown))
    if len(missing) > UNITS_LISTED:
        lines.append(t("remind.more_units", locale, n=len(missing) - UNITS_LISTED))
    done = expected - count
    text = t(
        "remind.escalate",
        locale,
        title=title,
        deadline=when(deadline),
        scope=scope_name,
        expected=expected,
        done=done,
        missing=count,
        rate=round(100 * done / expected) if expected else 0,
    )
    return Outgoing(text + "\n" + "\n".join(lines))


def rollup(
    title: str, deadline: datetime, units: dict[str, tuple[int, int]], orgs: OrgTree, locale: str
) -> Outgoing:
    """For superadmins: done / expected per unit, the weakest first."""
    rows = sorted(units.items(), key=lambda kv: (kv[1][0] / kv[1][1] if kv[1][1] else 1, kv[0]))
    lines = []
    for unit_id, (done, expected) in rows[:UNITS_LISTED]:
        name = orgs.units[unit_id].name if unit_id in orgs.units else t("remind.no_unit", locale)
        rate = round(100 * done / expected) if expected else 0
        lines.append(
            t("remind.rollup_line", locale, unit=name, done=done, expected=expected, rate=rate)
        )
    if len(rows) > UNITS_LISTED:
        lines.append(t("remind.more_units", locale, n=len(rows) - UNITS_LISTED))
    total_done = sum(d for d, _ in units.values())
    total = sum(e for _, e in units.values())
    text = t(
        "remind.rollup",
        locale,
        title=title,
        deadline=when(deadline),
        done=total_done,
        expected=total,
        rate=round(100 * total_done / total) if total else 0,
    )
    return Outgoing(text + "\n" + "\n".join(lines))


def preview(planned: Sequence, start: datetime, end: datetime, tz, locale: str) -> str:
    """The schedule preview: occurrences grouped by kind, each with when and how many."""
    days = t("schedule.weekdays", locale).split(",")
    lines = [t("schedule.header", locale, start=f"{start:%Y-%m-%d}", end=f"{end:%Y-%m-%d}", tz=tz)]
    total = people = 0
    for kind in KINDS:
        rows = [p for p in planned if p.due.kind == kind]
        if not rows:
            continue
        lines.append(
            t("schedule.group", locale, kind=t(f"schedule.kind_{kind}", locale), count=len(rows))
        )
        for p in rows:
            local = p.due.at.astimezone(tz)
            detail = ""
            if p.due.minutes:
                detail = t(
                    "schedule.before", locale, left=left(timedelta(minutes=p.due.minutes), locale)
                )
            if p.deferred:
                detail += t("schedule.deferred", locale, n=p.deferred)
            shown = f"{local:%m-%d} {days[local.weekday()]} {local:%H:%M}"
            lines.append(
                t("schedule.row", locale, when=shown, title=p.title, detail=detail, people=p.people)
            )
            total += 1
            people += p.people
    if not total:
        lines.append(t("schedule.none", locale))
    else:
        lines.append(t("schedule.total", locale, count=total, people=people))
    return "\n".join(lines)
