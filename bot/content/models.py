"""Validated content: study items, quiz banks and the pack that holds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
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

    def question(self, question_id: str) -> Question | None:
        """The question with this id, if the bank still has it."""
        for q in self.questions:
            if q.id == question_id:
                return q
        return None


@dataclass
class ContentPack:
    """All study items and quiz banks loaded from the content directories."""

    items: dict[str, StudyItem] = field(default_factory=dict)
    banks: dict[str, QuizBank] = field(default_factory=dict)
    files: int = 0

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
