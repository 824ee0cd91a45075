"""Validated content: study items, quiz banks and the pack that holds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

# Weeks for rotation are counted from this Monday, so the cycle runs on across year ends
# (ISO week numbers restart at 1 each year and would break a 6-week rotation).
WEEK_EPOCH = date(1970, 1, 5)

SINGLE, MULTIPLE, TRUEFALSE = "single", "multiple", "truefalse"
QUESTION_TYPES = (SINGLE, MULTIPLE, TRUEFALSE)
LETTERS = "ABCDEFGH"


def monday_of(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())


def week_index(day: date) -> int:
    """Whole weeks between WEEK_EPOCH and the week of `day`."""
    return (monday_of(day) - WEEK_EPOCH).days // 7


@dataclass(frozen=True)
class Publish:
    """When a study item becomes current: on a date, in an ISO week, or in a rotation slot."""

    kind: str  # "date" | "week" | "rotate"
    start: date | None = None
    every: int = 0
    slot: int = 0

    def latest_start(self, today: date) -> date | None:
        """The most recent day on or before `today` the item was published, if any."""
        if self.kind == "rotate":
            index = week_index(today)
            back = (index - self.slot) % self.every
            return monday_of(today) - timedelta(weeks=back)
        assert self.start is not None
        return self.start if self.start <= today else None


@dataclass(frozen=True)
class StudyItem:
    """A weekly study item (每周一学)."""

    id: str
    title: str
    body: str
    source: str
    publish: Publish
    audience: tuple[str, ...] = ("all",)
    tags: tuple[str, ...] = ()
    quiz: str | None = None
    path: Path = Path()
    line: int = 1
    quiz_line: int = 1
    # 截止时间: naive local time by which the audience should have marked it learned.
    deadline: datetime | None = None


@dataclass(frozen=True)
class Question:
    """One question; `answer` holds option indexes (true/false: 0 is true, 1 is false)."""

    id: str
    type: str
    text: str
    options: tuple[str, ...]
    answer: frozenset[int]
    explanation: str = ""
    time_limit: int = 60


@dataclass(frozen=True)
class QuizBank:
    """A quiz bank: questions plus the rules for taking it."""

    id: str
    title: str
    questions: tuple[Question, ...]
    pass_mark: int = 60
    attempts: int = 3  # 0 means unlimited
    shuffle: bool = False
    time_limit: int = 60
    path: Path = Path()
    line: int = 1
    # 截止时间: naive local time by which `audience` should have finished an attempt.
    deadline: datetime | None = None
    audience: tuple[str, ...] = ("all",)  # who the deadline applies to (org unit ids)
    field_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    def question(self, question_id: str) -> Question | None:
        """The question with this id, if the bank still has it."""
        for q in self.questions:
            if q.id == question_id:
                return q
        return None


@dataclass(frozen=True)
class Venue:
    """Where a lecture is watched: the main venue (主会场) or a sub-venue (分会场).

    With coordinates and a radius, a location shared within `radius` metres checks in.
    `unit` is the org unit a sub-venue serves, if given (its hosts may show the code).
    """

    id: str
    name: str
    main: bool = False
    lat: float | None = None
    lon: float | None = None
    radius: int = 0  # metres; 0: no location check-in here
    unit: str | None = None


@dataclass(frozen=True)
class CheckinWindow:
    """When check-in is open, in minutes around the start: from `opens_before` before it
    to `closes_after` after it; from `late_after` after the start a check-in is late."""

    opens_before: int = 30
    closes_after: int = 30
    late_after: int = 10


@dataclass(frozen=True)
class Lecture:
    """One lecture session (大讲堂). A recurring series is expanded into sessions whose ids
    are `<series>-<YYYYMMDD>`; a one-off session's id is its series id.

    `start` is naive local time (config timezone); the domain makes it aware.
    """

    id: str
    series: str
    title: str
    speaker: str
    start: datetime
    duration: int  # minutes
    audience: tuple[str, ...] = ("all",)  # org unit ids (and their subtrees), or "all"
    live_url: str = ""
    replay_url: str = ""
    notes: str = ""
    quiz: str | None = None  # the make-up quiz (补学)
    venues: tuple[Venue, ...] = ()
    window: CheckinWindow = CheckinWindow()
    path: Path = Path()
    line: int = 1
    # Lines of fields checked against other files later (quiz, audience[2], venues[3].unit),
    # so those problems point at the line too; not part of what the session is.
    field_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    @property
    def end(self) -> datetime:
        """When the session ends (naive local time)."""
        return self.start + timedelta(minutes=self.duration)

    def venue(self, venue_id: str) -> Venue | None:
        """The venue with this id, if the lecture has it."""
        return next((v for v in self.venues if v.id == venue_id), None)

    def line_of(self, field_name: str) -> int:
        """The line `field_name` is written on in the lecture's file (else the lecture's)."""
        return next((n for name, n in self.field_lines if name == field_name), self.line)


@dataclass(frozen=True)
class Reminder:
    """An administrator's reminder (自定义提醒): `text` to `audience`, either on a 5-field
    crontab schedule (`cron`, local time) or once at `at` (naive local time)."""

    id: str
    text: str
    cron: str | None = None
    at: datetime | None = None
    audience: tuple[str, ...] = ("all",)  # org unit ids (and their subtrees), or "all"
    urgent: bool = False  # sent even during quiet hours
    path: Path = Path()
    line: int = 1
    field_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    def line_of(self, field_name: str) -> int:
        """The line `field_name` is written on (else the reminder's)."""
        return next((n for name, n in self.field_lines if name == field_name), self.line)


@dataclass
class ContentPack:
    """All study items, quiz banks and lecture sessions loaded from the content directories."""

    items: dict[str, StudyItem] = field(default_factory=dict)
    banks: dict[str, QuizBank] = field(default_factory=dict)
    files: int = 0
    lectures: dict[str, Lecture] = field(default_factory=dict)  # sessions by id, by start
    reminders: dict[str, Reminder] = field(default_factory=dict)

    def published(self, today: date) -> list[tuple[date, StudyItem]]:
        """Items published on or before `today`, newest first, with their latest start."""
        found = []
        for item in self.items.values():
            start = item.publish.latest_start(today)
            if start is not None:
                found.append((start, item))
        # Dated items win ties over rotation so an author can override a rotating week.
        found.sort(key=lambda p: (p[0], p[1].publish.kind != "rotate", p[1].id), reverse=True)
        return found

    def question_count(self) -> int:
        """Questions across all banks."""
        return sum(len(b.questions) for b in self.banks.values())
