"""What is due when, derived from content and config alone: the weekly push, lecture
reminders, host prompts and make-up, deadline nudges and escalations, and administrators'
reminders. Nothing here reads the database; the scheduler decides what was already sent."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from bot.config import ScheduleConfig
from bot.content.cron import cron_trigger
from bot.content.models import ContentPack, Lecture
from bot.domain.attendance import window_of

WEEKLY, LECTURE, HOSTS, MAKEUP = "weekly", "lecture", "hosts", "makeup"
NUDGE, ESCALATE, REMINDER = "nudge", "escalate", "reminder"
KINDS = (WEEKLY, LECTURE, HOSTS, MAKEUP, NUDGE, ESCALATE, REMINDER)
STUDY, QUIZ = "study", "quiz"
_TICK = timedelta(microseconds=1)


@dataclass(frozen=True, order=True)
class Due:
    """One occurrence of something to send.

    `what` names it for good (the deliveries key with `at`); `ref` is the session, item,
    bank or reminder it is about. `urgent` sends ignore quiet hours; nothing is deferred
    past `latest` (a lecture's start, a deadline), and nothing runs after it.
    """

    at: datetime
    what: str
    kind: str = field(compare=False)
    ref: str = field(default="", compare=False)
    urgent: bool = field(default=False, compare=False)
    latest: datetime | None = field(default=None, compare=False)
    minutes: int = field(default=0, compare=False)  # the offset before `latest`, if any


class Planner:
    """Lists occurrences in a time range; fixed ones are computed once, repeating ones
    (the weekly push, cron reminders) from their APScheduler triggers as needed."""

    def __init__(self, pack: ContentPack, schedule: ScheduleConfig, tz: ZoneInfo):
        self.pack = pack
        self.schedule = schedule
        self.tz = tz
        weekly = schedule.weekly_push
        self._crons: list[tuple[CronTrigger, str, str, bool]] = [
            (
                CronTrigger(
                    day_of_week=weekly.weekday,
                    hour=weekly.at.hour,
                    minute=weekly.at.minute,
                    timezone=tz,
                ),
                WEEKLY,
                "",
                False,
            )
        ]
        fixed: list[Due] = []
        for r in pack.reminders.values():
            if r.cron:
                trigger = cron_trigger(r.cron, tz)
                self._crons.append((trigger, f"reminder:{r.id}", r.id, r.urgent))
            elif r.at is not None:
                at = r.at.replace(tzinfo=tz)
                fixed.append(Due(at, f"reminder:{r.id}", REMINDER, r.id, r.urgent))
        for lecture in pack.lectures.values():
            fixed.extend(self._lecture(lecture))
        for kind, things in ((STUDY, pack.items.values()), (QUIZ, pack.banks.values())):
            for thing in things:
                if thing.deadline is not None:
                    fixed.extend(self._deadline(kind, thing.id, thing.deadline))
        fixed.sort()
        self._fixed = fixed
        self._keys = [d.at for d in fixed]

    def _lecture(self, lecture: Lecture) -> Iterator[Due]:
        window = window_of(lecture, self.tz)
        opens, start, end = window.opens, window.start, window.end
        offsets = self.schedule.lecture_reminders
        for minutes in offsets:
            # The last reminder carries the check-in button: it must not wait for quiet hours.
            urgent = minutes == offsets[-1]
            at = start - timedelta(minutes=minutes)
            what = f"lecture:{lecture.id}:{minutes}"
            yield Due(at, what, LECTURE, lecture.id, urgent, start, minutes)
        yield Due(opens, f"hosts:{lecture.id}", HOSTS, lecture.id, True, end)
        if lecture.replay_url or lecture.quiz or lecture.notes:
            yield Due(end, f"makeup:{lecture.id}", MAKEUP, lecture.id)

    def _deadline(self, kind: str, ref: str, deadline: datetime) -> Iterator[Due]:
        at = deadline.replace(tzinfo=self.tz)
        before = self.schedule.nudge_before
        yield Due(
            at - timedelta(minutes=before), f"nudge:{kind}:{ref}", NUDGE, ref, False, at, before
        )
        yield Due(at, f"escalate:{kind}:{ref}", ESCALATE, ref)

    def between(self, after: datetime, until: datetime) -> list[Due]:
        """Occurrences with `after` < at <= `until`, soonest first."""
        lo = bisect.bisect_right(self._keys, after)
        hi = bisect.bisect_right(self._keys, until)
        found = self._fixed[lo:hi]
        for trigger, what, ref, urgent in self._crons:
            kind = WEEKLY if what == WEEKLY else REMINDER
            at = trigger.get_next_fire_time(None, after + _TICK)
            while at is not None and at <= until:
                found.append(Due(at, what, kind, ref, urgent))
                at = trigger.get_next_fire_time(None, at + _TICK)
        return sorted(found)


def next_local(moment: datetime, at: time, tz: ZoneInfo) -> datetime:
    """The first local `at` strictly after `moment`."""
    local = moment.astimezone(tz)
    candidate = datetime.combine(local.date(), at, tzinfo=tz)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=tz)
    return candidate
