"""Clocks: --now starts at an instant and runs on; the manual clock moves only when told."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.core.clock import ManualClock, OffsetClock, from_db, to_db

START = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)


def test_offset_clock_starts_at_the_instant_and_runs_on() -> None:
    ticks = iter([100.0, 100.0, 165.5])
    clock = OffsetClock(START, monotonic=lambda: next(ticks))
    assert clock.now() == START
    assert clock.now() == START + timedelta(seconds=65.5)


def test_clocks_refuse_naive_times() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        OffsetClock(datetime(2026, 11, 23))
    with pytest.raises(ValueError, match="timezone-aware"):
        ManualClock(datetime(2026, 11, 23))


def test_manual_clock_and_storage_format() -> None:
    clock = ManualClock(START)
    assert clock.advance(days=1, seconds=5) == START + timedelta(days=1, seconds=5)
    assert from_db(to_db(clock.now())) == clock.now()
