"""Clocks: the real one, one started at a chosen instant (--now), and a manual one for tests."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time as an aware datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """The current time in UTC."""
        return datetime.now(UTC)


class OffsetClock:
    """Starts at a chosen instant and then runs on in real time (for `run --now`)."""

    def __init__(self, start: datetime, monotonic=time.monotonic):
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._start = start
        self._monotonic = monotonic
        self._t0 = monotonic()

    def now(self) -> datetime:
        """The start instant plus the real time elapsed since."""
        return self._start + timedelta(seconds=self._monotonic() - self._t0)


class ManualClock:
    """A clock that moves only when told to; tests use it instead of sleeping."""

    def __init__(self, start: datetime):
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._now = start

    def now(self) -> datetime:
        """The current manual time."""
        return self._now

    def advance(self, **delta: float) -> datetime:
        """Move forward by a timedelta given as keywords (seconds=5, days=1, ...)."""
        self._now += timedelta(**delta)
        return self._now

    def set(self, when: datetime) -> None:
        """Jump to `when`."""
        self._now = when


def to_db(moment: datetime) -> str:
    """An aware datetime as the UTC ISO text stored in the database."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db(text: str) -> datetime:
    """Stored ISO text back to an aware UTC datetime."""
    return datetime.fromisoformat(text)
