"""The report totals of 011_report_totals.sql: the triggers keep them equal to what the
records say through every write (the app's and any other), the migration fills them from
records already there, and Figures reading them (whole UTC days) with the records at the
period's ends gives exactly the figures of reading the records alone."""

from __future__ import annotations

import random
import sqlite3
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.config import RegistrationConfig
from bot.content.models import ContentPack, Lecture, Publish, QuizBank, StudyItem
from bot.core.clock import ManualClock, to_db
from bot.core.messages import Outgoing
from bot.domain import figures as figures_module
from bot.domain.access import Scope
from bot.domain.attendance import EXCUSED, MADE_UP
from bot.domain.figures import Figures, Period, UnitFigures, _cut
from bot.storage.sqlite import Store, migrations
from tests.conftest import TZ

NOW = datetime(2027, 1, 4, 10, 0, tzinfo=TZ)  # every session below has ended
TOWNS = ("xam-wlht-hp", "xam-wlht-xa", "xam-wlht-ggm", "xam-kyqq", "xam-aes-lh")


def pack() -> ContentPack:
    """A weekly item all year (one for 乌兰浩特市 only every fourth week) and a lecture a
    month, every other one for 乌兰浩特市 only, each with a make-up quiz."""
    found = ContentPack()
    for week in range(52):
        day = date(2026, 1, 5) + timedelta(weeks=week)
        audience = ("xam-wlht",) if week % 4 == 3 else ("all",)
        item = StudyItem(f"w{week}", f"第{week}期", "正文。", "test", Publish("date", start=day),
                         audience=audience)  # fmt: skip
        found.items[item.id] = item
    for month in range(1, 13):
        sid = f"hall-{month:02d}"
        found.banks[sid] = QuizBank(sid, "补学", (), pass_mark=60, attempts=3)
        audience = ("all",) if month % 2 else ("xam-wlht",)
        start = datetime(2026, month, 10, 15, 0)
        found.lectures[sid] = Lecture(sid, sid, "大讲堂", "主讲", start, 90, audience, quiz=sid)
    return found


@pytest.fixture
async def app(config, open_app, clock: ManualClock) -> App:
    clock.set(NOW)
    config = replace(config, registration=RegistrationConfig(mode="roster", default_unit="xam"))
    return await open_app(config, pack=pack(), rng=random.Random(1))


def instants(rng: random.Random, day: date) -> str:
    """A stored time on `day` (UTC date), often right at a local or UTC midnight."""
    base = datetime(day.year, day.month, day.day, tzinfo=UTC)
    offset = rng.choice(
        [timedelta(0), timedelta(microseconds=-1), timedelta(hours=16),
         timedelta(hours=16, microseconds=-1), timedelta(seconds=rng.randrange(86_400))]
    )  # fmt: skip
    return to_db(base + offset)


def fill(conn, rng: random.Random, units: list[str], people: int = 80) -> None:
    """People in `units` (some left, some pending) and a year of records, by plain SQL."""
    for pid in range(1, people + 1):
        active, pending = (0, 0) if pid % 13 == 0 else (1, int(pid % 17 == 0))
        conn.execute(
            "INSERT INTO people (id, display_name, unit_id, active, pending, created_at) "
            "VALUES (?, ?, ?, ?, ?, '2026-01-01')",
            (pid, f"p{pid}", rng.choice(units), active, pending),
        )
    for pid in range(1, people + 1):
        for week in range(52):
            if rng.random() < 0.6:
                day = date(2026, 1, 5) + timedelta(weeks=week, days=rng.randrange(0, 20))
                conn.execute(
                    "INSERT INTO study_done VALUES (?, ?, ?)", (pid, f"w{week}", instants(rng, day))
                )
        for month in range(1, 13):
            sid, roll = f"hall-{month:02d}", rng.random()
            if roll < 0.6:
                day = date(2026, month, 10) + timedelta(days=rng.choice((-1, 0, 0, 0, 1)))
                status = rng.choice(("present", "present", "late"))
                conn.execute(
                    "INSERT INTO checkins VALUES (?, ?, ?, 'button', 'online', ?)",
                    (sid, pid, status, instants(rng, day)),
                )
            if roll > 0.4:
                status = rng.choice(("approved", "approved", "rejected", "pending"))
                conn.execute(
                    "INSERT INTO leaves (session_id, person_id, reason, status, asked_at) "
                    "VALUES (?, ?, '公务', ?, '2026-01-01')",
                    (sid, pid, status),
                )
            if roll > 0.5:
                day = date(2026, month, 10) + timedelta(days=rng.choice((0, 2, 5)))
                conn.execute(
                    "INSERT INTO quiz_attempts (person_id, quiz_id, number, plan, shown_at, "
                    "total, score, passed, started_at, finished_at) "
                    "VALUES (?, ?, 1, '[]', '', 8, ?, ?, '', ?)",
                    (pid, sid, (s := rng.choice((50, 75, 100))), int(s >= 60),
                     instants(rng, day)),
                )  # fmt: skip


def expected_totals(conn) -> dict[str, Counter]:
    """The totals worked out in Python from the records (zero totals left out)."""
    unit = {
        r[0]: r[1]
        for r in conn.execute("SELECT id, unit_id FROM people WHERE active = 1 AND pending = 0")
        if r[1] is not None
    }
    study, checkins, attended, leaves = Counter(), Counter(), Counter(), Counter()
    for pid, item, at in conn.execute("SELECT person_id, item_id, done_at FROM study_done"):
        if pid in unit:
            study[unit[pid], item, at[:10]] += 1
    checked = set()
    rows = conn.execute("SELECT session_id, person_id, status, at FROM checkins")
    for sid, pid, status, at in rows:
        checked.add((sid, pid))
        if pid in unit:
            checkins[unit[pid], sid, at[:10]] += 1
            attended[unit[pid], sid, at[:10]] += status in ("present", "late")
    rows = conn.execute("SELECT session_id, person_id FROM leaves WHERE status = 'approved'")
    for sid, pid in rows:
        if pid in unit and (sid, pid) not in checked:
            leaves[unit[pid], sid] += 1
    return {"study": +study, "checkins": +checkins, "attended": +attended, "leaves": +leaves}


def stored_totals(conn) -> dict[str, Counter]:
    """The totals as the tables hold them (zero totals left out)."""
    study = Counter({tuple(r[:3]): r[3] for r in conn.execute("SELECT * FROM study_totals")})
    checkins, attended = Counter(), Counter()
    for unit_id, sid, day, n, came in conn.execute("SELECT * FROM checkin_totals"):
        checkins[unit_id, sid, day], attended[unit_id, sid, day] = n, came
    leaves = Counter({tuple(r[:2]): r[2] for r in conn.execute("SELECT * FROM leave_totals")})
    return {"study": +study, "checkins": +checkins, "attended": +attended, "leaves": +leaves}


async def on_store(app: App, fn):
    """Run `fn(sqlite3 connection)` in one write transaction of the app's store."""
    return await app.services.store.write(lambda tx: fn(tx.conn))


async def test_the_totals_follow_every_write(app: App, clock: ManualClock) -> None:
    rng = random.Random(3)
    await on_store(app, lambda conn: fill(conn, rng, list(TOWNS)))
    assert await on_store(app, stored_totals) == await on_store(app, expected_totals)
    s = app.services

    def changes(conn) -> None:
        # People move unit, leave, are admitted (roster import, registration).
        conn.execute("UPDATE people SET unit_id = 'xam-aes-bl' WHERE id IN (1, 2, 3)")
        conn.execute("UPDATE people SET active = 0 WHERE id IN (4, 5)")
        conn.execute("UPDATE people SET pending = 0, unit_id = 'xam-kyqq' WHERE id = 17")
        conn.execute("UPDATE people SET active = 1 WHERE id = 13")
        conn.execute("UPDATE people SET unit_id = NULL WHERE id = 6")
        conn.execute("UPDATE people SET locale = 'en', points = 3 WHERE id = 7")  # no change
        # Records changed or removed by hand: every trigger path.
        conn.execute("DELETE FROM study_done WHERE person_id IN (8, 9)")
        conn.execute("UPDATE study_done SET done_at = '2026-12-31T16:00:00', item_id = 'x' "
                     "WHERE person_id = 10 AND item_id = 'w0'")  # fmt: skip
        conn.execute("DELETE FROM checkins WHERE person_id IN (11, 12)")  # leave counts again
        # A check-in moved from a session without leave to one with approved leave.
        conn.execute("DELETE FROM checkins WHERE person_id = 14")
        conn.execute("DELETE FROM leaves WHERE person_id = 14")
        conn.execute("INSERT INTO checkins VALUES ('hall-02', 14, 'present', 'button', "
                     "'online', '2026-02-10T07:00:00.000000+00:00')")  # fmt: skip
        conn.execute("INSERT INTO leaves (session_id, person_id, reason, status, asked_at) "
                     "VALUES ('hall-03', 14, '公务', 'approved', '')")  # fmt: skip
        conn.execute("UPDATE checkins SET session_id = 'hall-03', status = 'late' "
                     "WHERE person_id = 14")  # fmt: skip
        conn.execute("UPDATE checkins SET at = '2026-06-10T00:00:00' WHERE person_id = 15")
        conn.execute("UPDATE leaves SET status = 'rejected' WHERE person_id IN (16, 18)")
        conn.execute("UPDATE leaves SET status = 'approved' WHERE person_id IN (19, 20)")
        conn.execute("UPDATE leaves SET session_id = 'hall-99' WHERE id = "
                     "(SELECT MIN(id) FROM leaves WHERE person_id = 21)")  # fmt: skip
        conn.execute("DELETE FROM leaves WHERE person_id IN (22, 23)")

    await on_store(app, changes)
    assert await on_store(app, stored_totals) == await on_store(app, expected_totals)

    # The app's own write paths: an item learned, a check-in, leave asked and approved.
    late_item = replace(s.pack.items["w51"], id="w52")
    assert (await s.study.mark_learned(await s.people.get(24), late_item)).new
    lecture = replace(s.pack.lectures["hall-11"], id="hall-13", start=datetime(2027, 1, 5, 15))
    s.pack.lectures[lecture.id] = lecture
    clock.set(datetime(2027, 1, 4, 12, tzinfo=TZ))
    admins = [("console", "admin")]
    for pid in (24, 25):
        await s.attendance.ask_leave(await s.people.get(pid), lecture, "公务", _notice, admins)
    ids = [r[0] for r in await s.store.all("SELECT id FROM leaves WHERE session_id = 'hall-13'")]
    for leave_id in ids:
        await s.attendance.decide_leave(Scope(s.orgs, superadmin=True), "admin", leave_id,
                                        True, _told)  # fmt: skip
    clock.set(datetime(2027, 1, 5, 14, 50, tzinfo=TZ))
    assert (await s.attendance.check_in(await s.people.get(24), lecture, "button")).status == (
        "present"
    )
    stored = await on_store(app, stored_totals)
    assert stored == await on_store(app, expected_totals)
    assert stored["leaves"][(await s.people.get(25)).unit_id, "hall-13"] == 1  # 24 came

    # Without foreign keys (plain sqlite3): records before their person, and a person
    # deleted with their records left behind.
    conn = sqlite3.connect(s.store.path, isolation_level=None)
    try:
        conn.execute("INSERT INTO study_done VALUES (500, 'w1', '2026-01-06T01:00:00')")
        conn.execute("INSERT INTO checkins VALUES ('hall-01', 500, 'late', 'button', "
                     "'online', '2026-01-10T07:10:00')")  # fmt: skip
        conn.execute("INSERT INTO leaves (session_id, person_id, reason, status, asked_at) "
                     "VALUES ('hall-02', 500, '', 'approved', '')")  # fmt: skip
        conn.execute("INSERT INTO people (id, display_name, unit_id, created_at) "
                     "VALUES (500, 'p500', 'xam-kyqq', '')")  # fmt: skip
        conn.execute("DELETE FROM people WHERE id = 27")
        assert stored_totals(conn) == expected_totals(conn)
    finally:
        conn.close()


def _notice(request) -> Outgoing:
    return Outgoing(f"leave {request.id}")


def _told(request, approve: bool) -> Outgoing:
    return Outgoing(f"leave {request.id} {approve}")


async def test_the_migration_fills_the_totals_from_the_records(tmp_path: Path) -> None:
    store = Store(tmp_path / "old.sqlite3")
    early = [m for m in migrations() if m[0] < 11]
    store.migrate = lambda scripts=None, _m=store.migrate: _m(early)  # as before 011
    await store.open()
    await store.write(lambda tx: fill(tx.conn, random.Random(5), list(TOWNS)))
    await store.close()
    async with Store(tmp_path / "old.sqlite3") as store:  # every migration: 011 now
        assert await store.scalar("SELECT MAX(version) FROM schema_migrations") >= 11
        stored = await store.write(lambda tx: stored_totals(tx.conn))
        assert stored == await store.write(lambda tx: expected_totals(tx.conn))
        assert all(stored.values())  # something of each


# --- figures: the totals against the records alone -------------------------------------


def all_records(lo: str | None, hi: str):
    """`_cut` that reads every span from the records: the old way."""
    return [(lo or "", hi)], None


async def by_records(numbers: Figures, root, period: Period, scope: Scope, monkeypatch):
    """The figures read from the records alone; the lectures by Attendance.unit_tallies
    (per session, by the rules of the attendance list)."""
    with monkeypatch.context() as patch:
        patch.setattr(figures_module, "_cut", all_records)

        async def lectures(self, period, heads, only, add) -> None:
            now = self.clock.now().astimezone(self.tz).replace(tzinfo=None)
            sessions = [
                s
                for s in self.pack.lectures.values()
                if period.start <= s.start.date() <= period.end and s.start <= now
            ]
            for s in sessions:
                for unit_id in heads:
                    if self.orgs.in_audience(s.audience, unit_id):
                        add(unit_id, "expected", heads[unit_id])
            tallies = await self.attendance.unit_tallies(sessions, heads, only.units)
            for units in tallies.values():
                for unit_id, tally in units.items():
                    add(unit_id, "attended", tally.attended)
                    add(unit_id, "excused", tally.counts[EXCUSED])
                    add(unit_id, "made_up", tally.counts[MADE_UP])

        patch.setattr(Figures, "_lectures", lectures)
        return await numbers.units(root, period, scope)


PERIODS = [
    Period(date(2026, 1, 1), date(2026, 12, 31)),  # a year
    Period(date(2026, 11, 1), date(2026, 11, 30)),  # a month
    Period(date(2026, 3, 15), date(2026, 8, 20)),  # part months and whole months
    Period(date(2026, 6, 10), date(2026, 6, 10)),  # a day: no whole UTC day
    Period(date(2026, 6, 9), date(2026, 6, 11)),  # one whole UTC day
    Period(date(2026, 2, 23), date(2026, 3, 1)),  # a week
    Period(date(2025, 12, 1), date(2027, 1, 31)),  # beyond the records
]


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/New_York"])
async def test_figures_from_the_totals_equal_figures_from_the_records(
    app: App, monkeypatch, zone: str
) -> None:
    rng = random.Random(11)
    await on_store(app, lambda conn: fill(conn, rng, [*TOWNS, "xam-wlht", "xam"]))
    await on_store(
        app, lambda conn: conn.execute("UPDATE people SET unit_id = 'xam-aes' WHERE id < 6")
    )  # moved out of the lectures for 乌兰浩特市 after checking in
    s = app.services
    numbers = Figures(s.store, s.clock, ZoneInfo(zone), s.pack, s.orgs, s.attendance,
                      s.config.reports)  # fmt: skip
    scope = Scope(s.orgs, superadmin=True)
    seen = UnitFigures("")
    for root in (None, "xam-wlht"):
        for period in PERIODS:
            found = await numbers.units(root, period, scope)
            assert found == await by_records(numbers, root, period, scope, monkeypatch)
            seen = figures_module.combine("", [seen, found[0]])
    # The data reached every figure read from the totals (points are not: no ledger here).
    assert all(getattr(replace(seen, points=1), name) for name in figures_module._COUNTS), seen


# --- the cut ----------------------------------------------------------------------------


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "UTC", "America/New_York", "Asia/Kolkata"])
def test_the_cut_covers_a_span_once(zone: str) -> None:
    rng = random.Random(zone)
    times = [
        instants(rng, date(2026, 3, 1) + timedelta(days=rng.randrange(20))) for _ in range(400)
    ]
    times += ["2026-03-05", "2026-03-05T", "2026-03-05T16:00:00", "2026-03-0"]
    for period in (
        Period(date(2026, 3, 4), date(2026, 3, 9)),
        Period(date(2026, 3, 5), date(2026, 3, 5)),
    ):
        lo, hi = period.bounds(ZoneInfo(zone))
        for start in (lo, None):
            spans, days = _cut(start, hi)
            for t in times:
                inside = (start is None or t >= start) and t < hi
                parts = [a <= t < b for a, b in spans]
                if days is not None:
                    parts.append((days[0] is None or t[:10] >= days[0]) and t[:10] < days[1])
                assert sum(parts) == inside, (t, start, hi, spans, days)
