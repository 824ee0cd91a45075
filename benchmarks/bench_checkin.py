"""Lecture check-in at the seed's scale: 8,500 cadres check in within one window, and the
roll-up over them (8,500 attendees, 60 venues).

Org tree: 1 league, 6 banners and 60 townships (an orgs YAML file written to a temporary
directory). 8,500 people spread over the townships are imported with `Roster.apply`, and
each is bound to a telegram account (`add_account`). One lecture session has the league as
its audience and 60 venues: the main venue (serving township 0) and 59 sub-venues, one per
other township, each with coordinates and a 300 m radius. A `ManualClock` walks through the
check-in window: 95% of the people come in the 40 minutes before the late threshold, 5%
after it (late).

1. Domain: on a fresh SQLite file (`App.open`), all 8,500 check in one after another
   through `Attendance`: 60% by button (online, `check_in`), 25% by their venue's current
   code (`by_code` then `check_in`, the code as the host's `/code` would show it), 15% by
   a location ~100 m from their venue (`near` then `check_in`). Each check-in is timed on
   its own (the code or location look-up included). Then the check-ins are deleted and the
   same schedule runs again with `asyncio.gather` over batches of 100 (many updates at
   once; the clock is set per batch): total seconds.
2. Telegram: a fresh database with the same people; every check-in is a real
   `callback_query` update (`ci:<session>`) from that person's account, fed through the
   real `TelegramChannel`'s PTB Application with `process_update` (one at a time, as PTB
   does by default). Only the Bot API's HTTP edge is offline (answers like the Bot API,
   counts calls). Each update is timed on its own; that includes the dispatcher, SQLite,
   the reply (`sendMessage`) and `answerCallbackQuery`. A second fresh database then takes
   the same methods mix as (1) through Telegram: button presses, `/checkin CODE` texts and
   shared locations.
3. Roll-up, on the database of (1): the live session with all 8,500 checked in, and an
   earlier session of the same series, ended, whose rows are written directly: 87% present,
   5% late, 3% on approved leave, 1% made up (passed the make-up quiz after the end), 4%
   absent. `Attendance.rollup(lecture, superadmin scope)`: median of 20 runs after 2 warm-ups
   (plus `People.admitted` and `attendees` alone, to show where it goes); then `/roll` by a
   superadmin through `Dispatcher.handle` (the text a superadmin gets), median of 20; one
   extra roll-up under tracemalloc for its peak.

Targets: all 8,500 check-ins processed in < 10 s (sequential domain, gathered domain and
the Telegram button run); roll-up < 200 ms (median, both sessions).

Run by hand from the repository root:  .venv/bin/python benchmarks/bench_checkin.py
The last line printed is a JSON object with the figures; exits with 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import telegram
from bench_updates import OfflineRequest, percentile
from telegram import Update

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.config import Config, RegistrationConfig
from bot.content.models import CheckinWindow, ContentPack, Lecture, Venue
from bot.content.roster import RosterRow
from bot.core.clock import ManualClock, to_db
from bot.core.messages import Incoming
from bot.domain.access import Scope
from bot.domain.attendance import BUTTON, CODE, LOCATION, ONLINE
from bot.domain.people import Person, add_account

TARGET_CHECKIN_S, TARGET_ROLLUP_MS = 10.0, 200.0
BANNERS, TOWNSHIPS_PER_BANNER = 6, 10
TOWNSHIPS = BANNERS * TOWNSHIPS_PER_BANNER  # 60, one venue each
TZ_NAME = "Asia/Shanghai"
START = datetime(2026, 11, 25, 15, 0)  # naive local, as content gives it
EARLIER = START - timedelta(weeks=1)  # the series' previous session, ended
WINDOW = CheckinWindow(opens_before=30, closes_after=30, late_after=10)
TOKEN = "123:BENCH"
BOT_USER = {"id": 777000, "is_bot": True, "first_name": "干部学习助手", "username": "CadreBot"}
FIRST_USER_ID = 10_000_000
SUPERADMIN = "9000001"  # a telegram user id listed under `admins`
MIX = ((BUTTON, 0.60), (CODE, 0.25), (LOCATION, 0.15))


# --- the data ---------------------------------------------------------------------------


def township(t: int) -> str:
    return f"xam-b{t // TOWNSHIPS_PER_BANNER}-t{t}"


def write_orgs(path: Path) -> None:
    """1 league, 6 banners, 60 townships, written flat with `parent:` as generated files are."""
    lines = ["units:", "  - {id: xam, name: 兴安盟}"]
    for b in range(BANNERS):
        lines.append(f"  - {{id: xam-b{b}, name: 旗县{b}, parent: xam}}")
    for t in range(TOWNSHIPS):
        b = t // TOWNSHIPS_PER_BANNER
        lines.append(f"  - {{id: {township(t)}, name: 苏木乡镇{t}, parent: xam-b{b}}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def venues() -> tuple[Venue, ...]:
    """The main venue (for township 0) and 59 sub-venues, ~8-22 km apart, radius 300 m."""
    found = []
    for t in range(TOWNSHIPS):
        lat, lon = 46.0 + (t // 10) * 0.2, 122.0 + (t % 10) * 0.1
        if t == 0:
            found.append(Venue("main", "盟委党校主会场", main=True, lat=lat, lon=lon, radius=300))
        else:
            found.append(
                Venue(f"v{t}", f"苏木乡镇{t}分会场", lat=lat, lon=lon, radius=300,
                      unit=township(t))
            )  # fmt: skip
    return tuple(found)


VENUES = venues()


def lecture(start: datetime) -> Lecture:
    return Lecture(
        id=f"xczx-{start:%Y%m%d}",
        series="xczx",
        title="乡村振兴大讲堂",
        speaker="刘焕鑫",
        start=start,
        duration=90,
        audience=("xam",),
        live_url="https://live.example.org/xczx",
        replay_url="https://replay.example.org/xczx",
        notes="加强党对“三农”工作的全面领导",
        quiz="xczx-makeup",
        venues=VENUES,
        window=WINDOW,
    )


LIVE, ENDED = lecture(START), lecture(EARLIER)


def phone(n: int) -> str:
    return f"1{3 + n % 7}{n:09d}"


def user_ref(n: int) -> str:
    return str(FIRST_USER_ID + n)


@dataclass(frozen=True)
class Step:
    """One scheduled check-in: who, when (minutes from the start), how and where."""

    n: int
    minutes: float
    method: str
    venue: Venue
    location: tuple[float, float] | None


def pick(u: float) -> str:
    """The method a uniform draw `u` in [0, 1) falls on, by the MIX shares."""
    for method, share in MIX:
        if u < share:
            return method
        u -= share
    return MIX[-1][0]


def schedule(people: int, seed: int, mix: bool = True) -> list[Step]:
    """Everyone's check-in, in time order: 95% before the late threshold, 5% after it."""
    rng = random.Random(seed)
    steps = []
    for n in range(people):
        if rng.random() < 0.05:
            minutes = rng.uniform(WINDOW.late_after, WINDOW.closes_after - 0.01)
        else:
            minutes = rng.uniform(-WINDOW.opens_before, WINDOW.late_after - 0.01)
        method = pick(rng.random()) if mix else BUTTON
        venue = VENUES[n % TOWNSHIPS]
        where = None
        if method == LOCATION:  # within ~100 m of the venue
            assert venue.lat is not None
            assert venue.lon is not None
            where = (
                venue.lat + rng.uniform(-0.0006, 0.0006),
                venue.lon + rng.uniform(-0.0008, 0.0008),
            )
        steps.append(Step(n, minutes, method, venue, where))
    steps.sort(key=lambda s: s.minutes)
    return steps


def at(minutes: float, start: datetime = START) -> datetime:
    return (start + timedelta(minutes=minutes)).replace(tzinfo=Config().tz)


async def open_app(tmp: Path, name: str, people: int) -> tuple[App, ManualClock, dict[int, int]]:
    """A fresh database with the roster imported and every person bound to a telegram
    account; returns the app, its clock and person id by n."""
    orgs = tmp / "orgs.yaml"
    if not orgs.exists():
        write_orgs(orgs)
    config = Config(
        timezone=TZ_NAME,
        database_path=tmp / f"{name}.sqlite3",
        orgs_file=orgs,
        admins=(f"telegram:{SUPERADMIN}",),
        registration=RegistrationConfig(mode="roster", default_unit="xam"),
    )
    pack = ContentPack()
    pack.lectures[ENDED.id] = ENDED
    pack.lectures[LIVE.id] = LIVE
    clock = ManualClock(at(-60))
    app = await App.open(config, clock, pack=pack, rng=random.Random(1))
    rows = [
        RosterRow(f"干部{n}", phone(n), township(n % TOWNSHIPS), "", "科员", n + 2)
        for n in range(people)
    ]
    imported = await app.services.roster.apply("bench", "roster.csv", rows)
    assert imported.added == people, imported

    def bind(tx, now: str) -> dict[int, int]:
        ids = {}
        for pid, ph in tx.all("SELECT id, phone FROM people WHERE phone IS NOT NULL"):
            n = int(ph[2:])
            add_account(tx, "telegram", user_ref(n), user_ref(n), pid, now)
            ids[n] = pid
        return ids

    ids = await app.services.store.write(bind, to_db(clock.now()))
    return app, clock, ids


# --- figures ----------------------------------------------------------------------------


def stats(seconds: list[float]) -> dict[str, float]:
    """Total seconds and p50/p95/p99/max in ms of a list of per-item seconds."""
    ordered = sorted(seconds)
    ms = {k: percentile(ordered, f) * 1000 for k, f in
          (("p50", 0.50), ("p95", 0.95), ("p99", 0.99), ("max", 1.0))}  # fmt: skip
    return {"count": len(ordered), "seconds": sum(ordered), **ms}


def rounded(s: dict[str, float]) -> dict[str, Any]:
    return {k: (v if k == "count" else round(v, 3)) for k, v in s.items()}


async def checkin_rows(app: App, session: str) -> dict[str, Counter]:
    rows = await app.services.store.all(
        "SELECT status, method, venue_id FROM checkins WHERE session_id = ?", (session,)
    )
    return {
        "status": Counter(r[0] for r in rows),
        "method": Counter(r[1] for r in rows),
        "venue": Counter(r[2] for r in rows),
    }


# --- 1. the domain ----------------------------------------------------------------------


class Codes:
    """Venue codes as the hosts' screens show them (`/code`), one per venue and period."""

    def __init__(self, app: App):
        self.att = app.services.attendance
        self.cache: dict[tuple[str, int], str] = {}

    async def of(self, venue: Venue, now: datetime) -> str:
        period = int(now.timestamp() // self.att.config.code_seconds)
        key = (venue.id, period)
        if key not in self.cache:
            self.cache[key] = (await self.att.code(LIVE, venue))[0]
        return self.cache[key]


async def domain_check_in(app: App, person: Person, step: Step, code: str) -> str:
    """One check-in as the handlers do it: look up the code or location, then check in."""
    att = app.services.attendance
    if step.method == CODE:
        lecture, venue = (await att.by_code(person, code))[0]
        result = await att.check_in(person, lecture, CODE, venue.id)
    elif step.method == LOCATION:
        assert step.location is not None
        lecture, venue = att.near(person, *step.location)[0]
        result = await att.check_in(person, lecture, LOCATION, venue.id)
    else:
        result = await att.check_in(person, LIVE, BUTTON)
    want = step.venue.id if step.method != BUTTON else ONLINE
    assert result.venue_id == want, (step, result)
    return result.status


async def run_domain(
    app: App, clock: ManualClock, ids: dict[int, int], steps: list[Step], batch: int
) -> dict[str, Any]:
    """Sequential check-ins, each timed; then the same again gathered in batches."""
    people = {p.id: p for p in await app.services.people.admitted()}
    persons = {n: people[pid] for n, pid in ids.items()}
    codes = Codes(app)
    await app.services.attendance.secret()  # made once per deployment, not per check-in
    per_method: dict[str, list[float]] = {m: [] for m, _ in MIX}
    times, statuses = [], Counter()
    for step in steps:
        now = at(step.minutes)
        clock.set(now)
        code = await codes.of(step.venue, now) if step.method == CODE else ""
        started = time.perf_counter()
        status = await domain_check_in(app, persons[step.n], step, code)
        seconds = time.perf_counter() - started
        times.append(seconds)
        per_method[step.method].append(seconds)
        statuses[status] += 1
    sequential = await checkin_rows(app, LIVE.id)
    late_planned = sum(s.minutes >= WINDOW.late_after for s in steps)
    assert statuses == Counter({"present": len(steps) - late_planned, "late": late_planned})
    assert sum(sequential["status"].values()) == len(steps)
    assert sequential["status"] == statuses

    await app.services.store.write(
        lambda tx: tx.execute("DELETE FROM checkins WHERE session_id = ?", (LIVE.id,))
    )
    gathered_statuses: Counter = Counter()
    started = time.perf_counter()
    for first in range(0, len(steps), batch):
        chunk = steps[first : first + batch]
        now = at(chunk[0].minutes)
        clock.set(now)
        codes_now = [await codes.of(s.venue, now) if s.method == CODE else "" for s in chunk]
        done = await asyncio.gather(
            *(
                domain_check_in(app, persons[s.n], s, c)
                for s, c in zip(chunk, codes_now, strict=True)
            )
        )
        gathered_statuses.update(done)
    gathered_s = time.perf_counter() - started
    gathered = await checkin_rows(app, LIVE.id)
    assert sum(gathered["status"].values()) == len(steps), gathered
    assert gathered["method"] == sequential["method"]
    return {
        "sequential": stats(times),
        "per_method": {m: stats(v) for m, v in per_method.items()},
        "statuses": dict(sequential["status"]),
        "methods": dict(sequential["method"]),
        "venues_used": len(sequential["venue"]),
        "gathered_s": gathered_s,
        "gathered_statuses": dict(gathered["status"]),
    }


# --- 2. Telegram --------------------------------------------------------------------------


def sender(n: int) -> tuple[dict, dict]:
    uid = FIRST_USER_ID + n
    return {"id": uid, "is_bot": False, "first_name": f"干部{n}"}, {"id": uid, "type": "private"}


def press_update(update_id: int, n: int, data: str) -> dict:
    user, chat = sender(n)
    old = {"message_id": 55, "date": 0, "chat": chat, "text": "大讲堂"}
    query = {"id": f"cb{update_id}", "from": user, "chat_instance": f"ci{n}", "data": data}
    return {"update_id": update_id, "callback_query": {**query, "message": old}}


def message_update(update_id: int, n: int, **content: Any) -> dict:
    user, chat = sender(n)
    body = {"message_id": update_id, "date": 0, "chat": chat, "from": user, **content}
    return {"update_id": update_id, "message": body}


async def run_telegram(tmp: Path, name: str, people: int, steps: list[Step]) -> dict[str, Any]:
    """Every check-in as an update through the real channel's PTB Application."""
    app, clock, _ = await open_app(tmp, name, people)
    request = OfflineRequest()
    channel = TelegramChannel(TOKEN, app.config, request=request)
    channel.attach(app.dispatcher)
    application = channel.application
    codes = Codes(app)
    times: list[float] = []
    per_method: dict[str, list[float]] = {m: [] for m, _ in MIX}
    await application.initialize()
    try:
        await app.services.attendance.secret()
        started_wall = time.perf_counter()
        for update_id, step in enumerate(steps, start=1):
            now = at(step.minutes)
            clock.set(now)
            if step.method == CODE:
                code = await codes.of(step.venue, now)
                data = message_update(update_id, step.n, text=f"/checkin {code}")
            elif step.method == LOCATION:
                assert step.location is not None
                lat, lon = step.location
                data = message_update(update_id, step.n,
                                      location={"latitude": lat, "longitude": lon})  # fmt: skip
            else:
                data = press_update(update_id, step.n, f"ci:{LIVE.id}")
            update = Update.de_json(data, application.bot)
            started = time.perf_counter()
            await application.process_update(update)
            seconds = time.perf_counter() - started
            times.append(seconds)
            per_method[step.method].append(seconds)
        wall = time.perf_counter() - started_wall
        rows = await checkin_rows(app, LIVE.id)
        events = await app.services.store.scalar("SELECT COUNT(*) FROM processed_events")
    finally:
        await application.shutdown()
        await app.close()
    presses = sum(s.method == BUTTON for s in steps)
    late = sum(s.minutes >= WINDOW.late_after for s in steps)
    assert sum(rows["status"].values()) == len(steps), rows
    assert rows["status"] == Counter({"present": len(steps) - late, "late": late}), rows
    assert events == len(steps)
    assert request.counts["sendMessage"] == len(steps), request.counts
    assert request.counts["answerCallbackQuery"] == presses, request.counts
    replies = Counter(text.split("：", 1)[0] for text in request.last_text.values())
    assert sum(replies.values()) == len(steps), replies
    assert set(replies) <= {"✅ 签到成功", "⏰ 已签到（迟到）"}, replies
    return {
        "updates": stats(times),
        "per_method": {m: stats(v) for m, v in per_method.items() if v},
        "wall_s": wall,
        "statuses": dict(rows["status"]),
        "methods": dict(rows["method"]),
        "bot_api_calls": dict(request.counts),
    }


# --- 3. the roll-up -----------------------------------------------------------------------


def ended_session(tx, ids: dict[int, int], seed: int, now: str) -> Counter:
    """The earlier session's rows, written directly: present, late, leave, made up, absent."""
    rng = random.Random(seed + 1)
    start, end = at(0, EARLIER), at(ENDED.duration, EARLIER)
    checkins, leaves, attempts, planned = [], [], [], Counter()
    for n, pid in sorted(ids.items()):
        u = rng.random()
        venue = VENUES[n % TOWNSHIPS]
        method = rng.choice((BUTTON, BUTTON, CODE, LOCATION))
        where = ONLINE if method == BUTTON else venue.id
        if u < 0.87:
            when = start + timedelta(minutes=rng.uniform(-30, 9.9))
            checkins.append((ENDED.id, pid, "present", method, where, to_db(when)))
            planned["present"] += 1
        elif u < 0.92:
            when = start + timedelta(minutes=rng.uniform(10, 29.9))
            checkins.append((ENDED.id, pid, "late", method, where, to_db(when)))
            planned["late"] += 1
        elif u < 0.95:
            reason = rng.choice(("work", "sick", "personal", "training"))
            asked, decided = to_db(start - timedelta(days=1)), to_db(start - timedelta(hours=20))
            leaves.append(
                (ENDED.id, pid, reason, "approved", asked, f"telegram:{SUPERADMIN}", decided)
            )
            planned["excused"] += 1
        elif u < 0.96:
            done = to_db(end + timedelta(days=1))
            attempts.append((pid, ENDED.quiz, 1, "[]", 5, done, 5, 5, 100, 1, done, done))
            planned["made_up"] += 1
        else:
            planned["absent"] += 1
    tx.executemany(
        "INSERT INTO checkins (session_id, person_id, status, method, venue_id, at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        checkins,
    )
    tx.executemany(
        "INSERT INTO leaves (session_id, person_id, reason, status, asked_at, decided_by, "
        "decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        leaves,
    )
    tx.executemany(
        "INSERT INTO quiz_attempts (person_id, quiz_id, number, plan, position, shown_at, "
        "correct, total, score, passed, started_at, finished_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        attempts,
    )
    return planned


async def timed_ms(fn: Callable[[], Awaitable[Any]], runs: int) -> tuple[dict[str, float], Any]:
    """Median, min and max ms of `runs` awaits after 2 warm-ups; and the last result."""
    for _ in range(2):
        result = await fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = await fn()
        times.append((time.perf_counter() - started) * 1000)
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}, result


async def run_rollup(
    app: App, clock: ManualClock, ids: dict[int, int], seed: int, runs: int
) -> dict[str, Any]:
    """Roll-ups of the live session (everyone in) and the ended one, with /roll's text."""
    planned = await app.services.store.write(ended_session, ids, seed, to_db(clock.now()))
    clock.set(at(WINDOW.closes_after - 1))  # the live session's window is about to close
    att = app.services.attendance
    scope = Scope(app.services.orgs, superadmin=True)
    dispatcher = app.dispatcher
    event_ids = iter(range(1, 10**9))

    async def roll(session: str) -> str:
        event = Incoming("telegram", SUPERADMIN, SUPERADMIN, text=f"/roll {session}",
                         event_id=f"roll{next(event_ids)}", display_name="超级管理员")  # fmt: skip
        return "\n".join(m.text for m in await dispatcher.handle(event))

    figures: dict[str, Any] = {}
    admitted_ms, admitted = await timed_ms(app.services.people.admitted, runs)
    figures["admitted_ms"] = admitted_ms
    figures["admitted_rows"] = len(admitted)
    for name, session in (("live", LIVE), ("ended", ENDED)):
        attendees_ms, attendees = await timed_ms(lambda s=session: att.attendees(s), runs)
        rollup_ms, rollup = await timed_ms(lambda s=session: att.rollup(s, scope), runs)
        roll_ms, text = await timed_ms(lambda s=session: roll(s.id), runs)
        tracemalloc.start()
        await att.rollup(session, scope)
        peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        total = rollup.total
        assert len(attendees) == total.expected == len(ids), total
        by_venue = await checkin_rows(app, session.id)
        assert rollup.venues == dict(by_venue["venue"]), rollup.venues
        assert len(rollup.units) == BANNERS
        counts = {k: v for k, v in total.counts.items() if v}
        if session is ENDED:
            assert counts == dict(planned), (counts, planned)
            assert not rollup.live
            assert "出勤统计" in text
        else:
            assert total.attended == len(ids)
            assert rollup.live
            assert "实时签到" in text
        assert f"应到 {len(ids)}，实到 {total.attended}" in text, text
        figures[name] = {
            "attendees_ms": attendees_ms,
            "rollup_ms": rollup_ms,
            "roll_ms": roll_ms,
            "rollup_peak_mib": peak_mib,
            "counts": counts,
            "venues": len(rollup.venues),
            "units": len(rollup.units),
            "roll_chars": len(text),
            "roll_first_lines": text.splitlines()[:2],
        }
    return figures


# --- main -----------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> dict[str, Any]:
    steps = schedule(args.people, args.seed)
    buttons = schedule(args.people, args.seed, mix=False)
    with tempfile.TemporaryDirectory(prefix="bench-checkin-") as tmp_name:
        tmp = Path(tmp_name)
        app, clock, ids = await open_app(tmp, "domain", args.people)
        try:
            domain = await run_domain(app, clock, ids, steps, args.batch)
            rollup = await run_rollup(app, clock, ids, args.seed, args.runs)
        finally:
            await app.close()
        tg = await run_telegram(tmp, "telegram", args.people, buttons)
        tg_mix = await run_telegram(tmp, "telegram-mix", args.people, steps)
    return {"domain": domain, "rollup": rollup, "telegram": tg, "telegram_mix": tg_mix}


def line(name: str, s: dict[str, float]) -> str:
    return (
        f"{name}: {s['count']:,} in {s['seconds']:.2f} s; p50 {s['p50']:.3f} ms, "
        f"p95 {s['p95']:.3f} ms, p99 {s['p99']:.3f} ms, max {s['max']:.2f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=8_500, help="cadres (default 8500)")
    parser.add_argument("--batch", type=int, default=100, help="gathered batch (default 100)")
    parser.add_argument("--runs", type=int, default=20, help="roll-up runs (default 20)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed")
    args = parser.parse_args(argv)
    if min(args.people, args.batch, args.runs) < 1 or args.people < TOWNSHIPS:
        parser.error(f"sizes must be at least 1, and at least {TOWNSHIPS} people")

    r = asyncio.run(run(args))
    d, tg, mix, ru = r["domain"], r["telegram"], r["telegram_mix"], r["rollup"]
    seq = d["sequential"]
    print(
        f"{args.people:,} people in {TOWNSHIPS} townships ({BANNERS} banners), {len(VENUES)} "
        f"venues; statuses {d['statuses']}, methods {d['methods']}"
    )
    print(line("domain, sequential             ", seq))
    for method, s in d["per_method"].items():
        print(line(f"  of which {method:<21}", s))
    print(
        f"domain, gathered in batches of {args.batch}: {d['gathered_s']:.2f} s "
        f"({d['gathered_statuses']})"
    )
    print(line("telegram, ci: button presses   ", tg["updates"]))
    print(f"  wall {tg['wall_s']:.2f} s, Bot API calls {tg['bot_api_calls']}")
    print(line("telegram, methods mix          ", mix["updates"]))
    for method, s in mix["per_method"].items():
        print(line(f"  of which {method:<21}", s))
    print(f"  wall {mix['wall_s']:.2f} s, Bot API calls {mix['bot_api_calls']}")
    admitted = ru["admitted_ms"]["median"]
    print(f"People.admitted ({ru['admitted_rows']:,} rows): median {admitted:.1f} ms")
    for name in ("live", "ended"):
        f = ru[name]
        print(
            f"roll-up, {name} session {f['counts']}: rollup median {f['rollup_ms']['median']:.1f} "
            f"ms (min {f['rollup_ms']['min']:.1f}, max {f['rollup_ms']['max']:.1f}), of which "
            f"attendees {f['attendees_ms']['median']:.1f} ms; /roll via the dispatcher "
            f"{f['roll_ms']['median']:.1f} ms ({f['roll_chars']} chars); "
            f"peak {f['rollup_peak_mib']:.1f} MiB"
        )
        print("  " + " / ".join(f["roll_first_lines"]))
    checkin_s = {
        "domain_sequential_s": seq["seconds"],
        "domain_gathered_s": d["gathered_s"],
        "telegram_s": tg["updates"]["seconds"],
    }
    rollup_ms = max(ru["live"]["rollup_ms"]["median"], ru["ended"]["rollup_ms"]["median"])
    ok = all(s < TARGET_CHECKIN_S for s in checkin_s.values()) and rollup_ms < TARGET_ROLLUP_MS
    print(
        f"targets: check-ins < {TARGET_CHECKIN_S:.0f} s "
        + ", ".join(f"{k} {v:.2f}" for k, v in checkin_s.items())
        + f"; roll-up < {TARGET_ROLLUP_MS:.0f} ms: {rollup_ms:.1f} ms"
    )
    print("PASS" if ok else "FAIL")

    def roll_figures(f: dict[str, Any]) -> dict[str, Any]:
        return {
            "counts": f["counts"], "venues": f["venues"], "units": f["units"],
            "rollup_ms": rounded(f["rollup_ms"]), "attendees_ms": rounded(f["attendees_ms"]),
            "roll_handler_ms": rounded(f["roll_ms"]),
            "rollup_peak_mib": round(f["rollup_peak_mib"], 1),
        }  # fmt: skip

    print(json.dumps({
        "benchmark": "checkin", "people": args.people, "townships": TOWNSHIPS,
        "venues": len(VENUES),
        "domain": {
            "statuses": d["statuses"], "methods": d["methods"],
            "sequential": rounded(seq),
            "per_method": {m: rounded(s) for m, s in d["per_method"].items()},
            "gathered_batch": args.batch, "gathered_s": round(d["gathered_s"], 3),
        },
        "telegram": {
            "updates": rounded(tg["updates"]), "wall_s": round(tg["wall_s"], 3),
            "bot_api_calls": tg["bot_api_calls"],
        },
        "telegram_mix": {
            "updates": rounded(mix["updates"]), "wall_s": round(mix["wall_s"], 3),
            "per_method": {m: rounded(s) for m, s in mix["per_method"].items()},
            "bot_api_calls": mix["bot_api_calls"],
        },
        "rollup": {
            "admitted_ms": rounded(ru["admitted_ms"]),
            "live": roll_figures(ru["live"]), "ended": roll_figures(ru["ended"]),
        },
        "targets": {"checkin_s": TARGET_CHECKIN_S, "rollup_ms": TARGET_ROLLUP_MS},
        "checkin_s": {k: round(v, 3) for k, v in checkin_s.items()},
        "rollup_ms": round(rollup_ms, 3),
        "python": sys.version.split()[0], "ptb": telegram.__version__,
        "sqlite": sqlite3.sqlite_version,
        "pass": ok,
    }, ensure_ascii=False))  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
