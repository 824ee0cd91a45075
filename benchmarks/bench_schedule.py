"""The scheduler at scale: a weekly push to 50,000 people, and start-up with a year of content.

1. Weekly push. A fresh SQLite file gets 50,000 admitted people spread over the shipped org
   tree, each with a Telegram account and their own preferences: a third keep the default
   quiet hours, a third have one of twelve spans of their own (some of which hold Monday
   08:00), one in ten has none, 5% switched reminders off, 10% read English. The push is
   then computed and enqueued as the scheduler does it at Monday 08:00
   (`Reminders.run(Due(weekly))`: who gets which item in which language, quiet-hour
   deferrals, the deliveries rows and the outbox rows, in one transaction). Seconds are
   measured on one copy of the database without tracing, peak memory (tracemalloc) on
   another copy. Target: < 5 s.

2. Start-up with a year of content: 52 weekly study items (each with a deadline), 200
   lecture sessions (each with 3 venues), 100 administrators' reminders (half cron, half
   one-off), on the 50,000-person database. Timed: `App.open` (migrations, org tree,
   services) plus `Scheduler.start()` (the planner built from the content, catch-up since
   the last run a minute earlier, the APScheduler jobs added and started). Also timed: the
   same after 8 hours down (a catch-up that skips what is past the grace period), and the
   7-day preview of `python -m bot schedule`. Target: start-up < 2 s.

Run by hand from the repository root:  .venv/bin/python benchmarks/bench_schedule.py
The last line printed is a JSON object with the figures; exits with 1 if a target is missed.
"""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import App
from bot.config import load_config
from bot.content.loader import load_content
from bot.content.models import (
    ContentPack,
    Lecture,
    Publish,
    Reminder,
    StudyItem,
    Venue,
)
from bot.content.orgs import load_orgs
from bot.core.clock import ManualClock, to_db
from bot.domain.plan import WEEKLY, Due
from bot.storage.sqlite import Store

ROOT = Path(__file__).resolve().parent.parent
TZ = ZoneInfo("Asia/Shanghai")
PEOPLE = 50_000
MONDAY_8 = datetime(2026, 11, 23, 8, 0, tzinfo=TZ)
SPANS = (
    "21:00-07:00", "22:00-06:00", "23:00-07:00", "22:30-06:30", "07:00-09:00", "12:00-14:00",
    "00:00-06:00", "21:30-07:30", "06:00-08:30", "22:00-08:00", "20:00-06:00", "23:30-05:30",
)  # fmt: skip
TARGET_PUSH, TARGET_START = 5.0, 2.0


def config(db: Path):
    return replace(load_config(ROOT / "config.yaml"), database_path=db)


async def fill(db: Path) -> dict[str, int]:
    """50,000 admitted people with accounts and individual preferences; returns the mix."""
    units = [u for u in load_orgs(ROOT / "content" / "orgs.yaml").units]
    rng = random.Random(42)
    app = await App.open(config(db), ManualClock(MONDAY_8 - timedelta(days=1)))
    await app.close()
    mix = {"default": 0, "own": 0, "none": 0, "off": 0, "en": 0}
    people, accounts = [], []
    now = to_db(MONDAY_8 - timedelta(days=1))
    for n in range(1, PEOPLE + 1):
        roll = rng.random()
        if roll < 1 / 3:
            quiet, key = None, "default"
        elif roll < 0.9:
            quiet, key = rng.choice(SPANS), "own"
        else:
            quiet, key = "off", "none"
        mix[key] += 1
        reminders = int(rng.random() >= 0.05)
        mix["off"] += 1 - reminders
        locale = "en" if rng.random() < 0.1 else None
        mix["en"] += locale == "en"
        people.append((n, f"干部{n}", locale, units[n % len(units)], reminders, quiet, now))
        accounts.append(("telegram", str(10_000_000 + n), n, str(10_000_000 + n), now))
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO people (id, display_name, locale, unit_id, reminders, quiet_hours, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            people,
        )
        conn.executemany(
            "INSERT INTO accounts (channel, user_ref, person_id, chat_ref, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            accounts,
        )
    conn.close()
    return mix


async def push(db: Path, trace: bool) -> tuple[float, float, int, int]:
    """(seconds, peak MiB, chats queued, deferred) of the Monday 08:00 weekly push."""
    clock = ManualClock(MONDAY_8)
    app = await App.open(config(db), clock)
    try:
        if trace:
            tracemalloc.start()
        started = time.perf_counter()
        queued = await app.services.reminders.run(Due(MONDAY_8, "weekly", WEEKLY), MONDAY_8)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 2**20 if trace else 0.0
        if trace:
            tracemalloc.stop()
        deferred = await app.services.store.scalar(
            "SELECT COUNT(*) FROM deliveries WHERE what = 'weekly' AND status = 'deferred'"
        )
    finally:
        await app.close()
    return seconds, peak, queued, deferred


def year_of_content() -> ContentPack:
    """52 items with deadlines, 200 lecture sessions, 100 reminders, plus the shipped banks."""
    shipped = load_content(load_config(ROOT / "config.yaml"))
    units = [u for u in load_orgs(ROOT / "content" / "orgs.yaml").units]
    pack = ContentPack(banks=dict(shipped.banks))
    first = date(2026, 11, 23)
    for w in range(52):
        day = first + timedelta(weeks=w)
        item = StudyItem(
            f"item-{w}",
            f"每周一学｜第{w + 1}期",
            "党员享有八项权利。" * 20,
            "bench",
            Publish("date", start=day),
            deadline=datetime.combine(day + timedelta(days=6), datetime.min.time()).replace(
                hour=18
            ),
        )
        pack.items[item.id] = item
    for n in range(200):
        start = datetime(2026, 11, 24, 15, 0) + timedelta(days=n * 365 // 200)
        venues = (
            Venue("main", "主会场", main=True),
            Venue("s1", "分会场一", unit=units[1 + n % (len(units) - 1)]),
            Venue("s2", "分会场二", unit=units[1 + (n + 7) % (len(units) - 1)]),
        )
        lecture = Lecture(
            f"lecture-{n}",
            f"lecture-{n}",
            f"大讲堂第{n + 1}讲",
            "主讲人",
            start,
            90,
            replay_url="https://replay.example.org/x",
            venues=venues,
        )
        pack.lectures[lecture.id] = lecture
    for n in range(100):
        if n % 2:
            reminder = Reminder(f"r{n}", f"提醒{n}", cron=f"{n % 60} {8 + n % 10} * * {n % 7}")
        else:
            at = datetime(2026, 11, 25, 9, 0) + timedelta(days=n * 3)
            reminder = Reminder(f"r{n}", f"提醒{n}", at=at, audience=(units[n % len(units)],))
        pack.reminders[reminder.id] = reminder
    return pack


async def start_up(db: Path, pack: ContentPack, down: timedelta) -> tuple[float, float, int]:
    """(start-up seconds, catch-up seconds, occurrences handled) after `down` without
    running: open the app and start its scheduler, then the first sweep, timed apart."""
    now = MONDAY_8 + timedelta(days=1, hours=9)  # Tuesday 17:00, after a lecture
    async with Store(db) as store:
        await store.write(
            lambda tx: tx.execute(
                "INSERT INTO settings (key, value) VALUES ('schedule.checked_until', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (to_db(now - down),),
            )
        )
    started = time.perf_counter()
    app = await App.open(config(db), ManualClock(now), pack=pack)
    scheduler = app.scheduler()
    skipped = await scheduler.start()
    seconds = time.perf_counter() - started
    await scheduler.shutdown()  # before its first sweep runs: that one is timed below
    started = time.perf_counter()
    ran = await app.services.reminders.sweep()
    catch_up = time.perf_counter() - started
    await app.close()
    return seconds, catch_up, len(skipped) + len(ran)


def planned_year(pack: ContentPack) -> int:
    """Occurrences the planner finds in the year after the push (to show the load)."""
    from bot.domain.plan import Planner

    planner = Planner(pack, load_config(ROOT / "config.yaml").schedule, TZ)
    return len(planner.between(MONDAY_8 - timedelta(days=1), MONDAY_8 + timedelta(days=365)))


async def preview(db: Path, pack: ContentPack) -> tuple[float, int]:
    """(seconds, occurrences) of the 7-day preview with 50,000 people."""
    app = await App.open(config(db), ManualClock(MONDAY_8), pack=pack)
    try:
        started = time.perf_counter()
        planned = await app.services.reminders.preview(MONDAY_8, MONDAY_8 + timedelta(days=7))
        return time.perf_counter() - started, len(planned)
    finally:
        await app.close()


async def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base.sqlite3"
        mix = await fill(base)
        timed, traced = Path(tmp) / "timed.sqlite3", Path(tmp) / "traced.sqlite3"
        shutil.copy(base, timed)
        shutil.copy(base, traced)
        seconds, _, queued, deferred = await push(timed, trace=False)
        _, peak, _, _ = await push(traced, trace=True)
        print(
            f"weekly push to {PEOPLE:,} people ({mix}): {seconds:.2f} s, peak {peak:.0f} MiB, "
            f"{queued:,} chats queued, {deferred:,} deferred by quiet hours"
        )
        pack = year_of_content()
        year = Path(tmp) / "year.sqlite3"
        shutil.copy(base, year)
        cold, _, _ = await start_up(year, pack, timedelta(minutes=1))
        warm, _, _ = await start_up(year, pack, timedelta(minutes=1))
        after_down, catch_up, handled = await start_up(year, pack, timedelta(hours=8))
        month_down, _, skipped = await start_up(year, pack, timedelta(days=30))
        print(
            f"start-up with 52 items, {len(pack.lectures)} lectures, {len(pack.reminders)} "
            f"reminders ({planned_year(pack):,} occurrences in a year): {cold:.3f} s (first), "
            f"{warm:.3f} s (again); after 8 h down {after_down:.3f} s, then its first sweep "
            f"{catch_up:.2f} s ({handled} occurrences sent or skipped, to {PEOPLE:,} people); "
            f"after 30 days down {month_down:.3f} s ({skipped} skipped or sent)"
        )
        looked, count = await preview(year, pack)
        print(f"7-day preview with {PEOPLE:,} people: {looked:.2f} s, {count} occurrences")
    ok = seconds < TARGET_PUSH and max(cold, warm, after_down, month_down) < TARGET_START
    print("PASS" if ok else "FAIL")
    print(
        json.dumps(
            {
                "bench": "schedule",
                "people": PEOPLE,
                "push_s": round(seconds, 3),
                "push_peak_mib": round(peak, 1),
                "push_chats": queued,
                "push_deferred": deferred,
                "startup_s": round(max(cold, warm, after_down, month_down), 3),
                "startup_after_8h_down_s": round(after_down, 3),
                "catch_up_after_8h_down_s": round(catch_up, 3),
                "startup_after_30d_down_s": round(month_down, 3),
                "preview_7d_s": round(looked, 3),
                "targets": {"push_s": TARGET_PUSH, "startup_s": TARGET_START},
                "pass": ok,
            }
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
