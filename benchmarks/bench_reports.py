"""Reports at league scale: 100,000 people in 1,000 units with a year of records.

The data (details in `tree`, `content` and `fill`):

- an org tree of a league (盟) → 6 banners and cities (旗县市) → 99 townships (苏木乡镇) →
  894 villages and communities (嘎查村/社区): 1,000 units, every one with people of its
  own, from 12 (a small village) to 2,000 (the league's own offices), skewed like a real
  league (median 61);
- 100,000 admitted people, plus 947 who have left (inactive, their history kept) and 300
  chat accounts waiting to be bound (pending): these two must not count;
- the year 2026: 52 weekly study items (每周一学), each linked to its quiz bank of 8
  questions; 100 lecture sessions (大讲堂), 30 for the whole league and 70 for one banner's
  subtree, each with a make-up quiz (补学) of 8 questions.
- the records, drawn per person from their unit's rates plus a personal bent: study marked
  done (~75%, some late), quiz attempts (~60% of people per bank, scores binomial by a
  personal skill, a retake for ~40% of those who failed), check-ins (~80%, a tenth of them
  late, by code, location or button), leave (approved, rejected or pending), and make-up
  quizzes after the session; the points ledger holds one row per award as the app writes
  it (study 5, each question answered right for the first time 1, passing a bank 5; the
  daily cap of 50 is not applied: a day seldom comes near it), and people.points holds
  each person's running total, as Points.award keeps it.

The schema is the app's own (`Store` applies the migrations); the rows are written with
plain sqlite3 in one transaction, the large tables by INSERT ... SELECT with a
deterministic integer hash, so every run builds the same database. The per-unit report
totals (011_report_totals.sql) are kept by their triggers as the records go in, as the
app's own writes keep them.

Measured, each in a fresh process so that its peak RSS (VmHWM of /proc/self/status) is
that measurement's own (the process opens the app, runs the report several times and
reports the best, the median, its peak RSS, and the peak after opening the app):

- the league report, `Figures.units(None, period, superadmin)` + `Figures.rank`, for a
  month (2026-11) and for the year 2026;
- one township's report (the largest township), month and year;
- the ledger XLSX for the league for the year: `Ledger.build` + `ledger_xlsx`.

Targets: league report < 2 s, township report < 200 ms, XLSX < 30 s, peak memory < 500 MB.

Run by hand from the repository root:  .venv/bin/python benchmarks/bench_reports.py
The last line printed is a JSON object with the figures; exits with 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.app import App
from bot.config import RegistrationConfig, load_config
from bot.content.models import (
    ContentPack,
    Lecture,
    Publish,
    Question,
    QuizBank,
    StudyItem,
    Venue,
)
from bot.core.clock import ManualClock
from bot.domain.access import Scope
from bot.domain.figures import Period
from bot.storage.sqlite import Store

ROOT = Path(__file__).resolve().parent.parent
TZ = ZoneInfo("Asia/Shanghai")
PEOPLE, LEFT, PENDING = 100_000, 1_000, 300
BANNERS, TOWNSHIPS, UNITS = 6, 99, 1_000
ITEMS, LECTURES, QUESTIONS = 52, 100, 8
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
MONTH = Period(date(2026, 11, 1), date(2026, 11, 30))
NOW = datetime(2027, 1, 4, 10, 0, tzinfo=TZ)  # the year is over: every session has ended
FIRST_MONDAY = date(2026, 1, 5)
TARGETS = {"league_s": 2.0, "township_s": 0.2, "xlsx_s": 30.0, "peak_mb": 500.0}
P31 = 2_147_483_647  # the hash's modulus, a prime: every product stays below 2**63


# --- the org tree -------------------------------------------------------------------


def tree(rng: random.Random) -> list[tuple[str, str, str | None, int]]:
    """(id, name, parent, banner index or -1 for the league) of 1,000 units in tree order."""
    units = [("bm", "示范盟", None, -1)]
    towns = [TOWNSHIPS // BANNERS + (b < TOWNSHIPS % BANNERS) for b in range(BANNERS)]
    villages = UNITS - 1 - BANNERS - TOWNSHIPS
    # Villages per township: 4 to 14, summing to `villages`.
    per_town = [rng.randint(4, 14) for _ in range(TOWNSHIPS)]
    while sum(per_town) != villages:
        i = rng.randrange(TOWNSHIPS)
        step = 1 if sum(per_town) < villages else -1
        if 4 <= per_town[i] + step <= 14:
            per_town[i] += step
    t = 0
    for b in range(BANNERS):
        banner = f"bm-q{b + 1}"
        units.append((banner, f"第{b + 1}旗", "bm", b))
        for n in range(towns[b]):
            town = f"{banner}-t{n + 1:02d}"
            units.append((town, f"第{b + 1}旗第{n + 1}镇", banner, b))
            for v in range(per_town[t]):
                units.append((f"{town}-v{v + 1:02d}", f"第{n + 1}镇第{v + 1}村", town, b))
            t += 1
    assert len(units) == UNITS, len(units)
    return units


def sizes(units: list[tuple[str, str, str | None, int]], rng: random.Random) -> list[int]:
    """People per unit: log-normal, 12 to 2,000, summing to PEOPLE; offices are larger."""
    raw = []
    for uid, *_ in units:
        depth = uid.count("-")
        mu = {0: 7.6, 1: 6.8, 2: 5.0, 3: 3.9}[depth]
        raw.append(rng.lognormvariate(mu, 0.9 if depth == 3 else 0.5))
    raw[0] = 2_000.0  # the league's own offices
    scale = 1.0
    for _ in range(60):
        found = [min(2_000, max(12, round(r * scale))) for r in raw]
        found[0] = 2_000
        total = sum(found)
        if total == PEOPLE:
            break
        scale *= PEOPLE / total
    found[min(range(len(found)), key=lambda i: found[i])] = 12
    # Settle the last few people on the villages with room, one at a time.
    i = 0
    while sum(found) != PEOPLE:
        step = 1 if sum(found) < PEOPLE else -1
        j = len(found) - 1 - i % 800
        if 12 < found[j] + step < 2_000:
            found[j] += step
        i += 1
    return found


def orgs_yaml(units: list[tuple[str, str, str | None, int]]) -> str:
    lines = ["units:"]
    for uid, name, parent, _ in units:
        lines.append(
            f"  - {{id: {uid}, name: {name}" + (f", parent: {parent}}}" if parent else "}")
        )
    return "\n".join(lines) + "\n"


# --- the content --------------------------------------------------------------------


def _bank(bank_id: str, title: str) -> QuizBank:
    questions = tuple(
        Question(f"q{k}", "single", f"第{k}题", ("甲", "乙", "丙", "丁"), frozenset({k % 4}))
        for k in range(1, QUESTIONS + 1)
    )
    return QuizBank(bank_id, title, questions, pass_mark=60, attempts=3)


def content(units: list[tuple[str, str, str | None, int]]) -> ContentPack:
    """52 weekly items with their banks, and 100 lecture sessions with make-up banks."""
    pack = ContentPack()
    for w in range(ITEMS):
        day = FIRST_MONDAY + timedelta(weeks=w)
        item = StudyItem(
            f"week-{w + 1:02d}", f"每周一学｜第{w + 1}期", "学习内容。" * 50, "bench",
            Publish("date", start=day), quiz=f"week-{w + 1:02d}",
        )  # fmt: skip
        pack.items[item.id] = item
        pack.banks[item.id] = _bank(item.id, f"第{w + 1}期测试")
    banners = [u[0] for u in units if u[2] == "bm"]
    for k, (start, banner) in enumerate(lectures()):
        sid = f"hall-{k + 1:03d}"
        pack.banks[f"{sid}-q"] = _bank(f"{sid}-q", f"大讲堂第{k + 1}讲补学")
        lecture = Lecture(
            sid, sid, f"大讲堂第{k + 1}讲", "主讲人", start, 90,
            audience=("all",) if banner is None else (banners[banner],),
            quiz=f"{sid}-q",
            venues=(Venue("main", "主会场", main=True), Venue("s1", "分会场一"),
                    Venue("s2", "分会场二")),
        )  # fmt: skip
        pack.lectures[sid] = lecture
    return pack


def lectures() -> list[tuple[datetime, int | None]]:
    """(local start, banner index or None for everyone) of the 100 sessions of 2026."""
    found = []
    for k in range(LECTURES):
        day = date(2026, 1, 6) + timedelta(days=round(k * 3.6))
        found.append(
            (
                datetime(day.year, day.month, day.day, 15, 0),
                None if k % 10 in (0, 3, 6) else k % BANNERS,
            )
        )
    return found


# --- the records --------------------------------------------------------------------


def h(*terms: str) -> str:
    """An SQL expression: a well-mixed integer in [0, P31) from integer `terms` (columns or
    constants). Linear mixing, then squaring twice modulo a prime to break the lines."""
    mults = (48271, 69621, 40503, 16807, 37139)
    x = " + ".join(f"({t}) * {mults[i % len(mults)]}" for i, t in enumerate(terms))
    x = f"(({x}) + 12345) % {P31}"
    x = f"(({x}) * ({x}) + 7) % {P31}"
    return f"((({x}) * ({x}) + 11) % {P31})"


def _jd(moment: datetime) -> float:
    """A local moment as a UTC Julian day number (what SQLite's date functions take)."""
    utc = moment.replace(tzinfo=TZ).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    return 2440587.5 + (utc - datetime(1970, 1, 1)).total_seconds() / 86400


AT = "strftime('%Y-%m-%dT%H:%M:%S', {}) || '.000000+00:00'"  # as bot.core.clock.to_db
DAY = "date({} + 8 / 24.0)"  # the local date (Asia/Shanghai), as the ledger's day column


def fill(db: Path, units: list[tuple[str, str, str | None, int]], rng: random.Random) -> dict:
    """Write people and a year of records; returns the row counts."""
    heads = sizes(units, rng)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=OFF")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-4000000")
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA threads=4")  # helper threads for the sorts of CREATE INDEX
    conn.execute("BEGIN")
    # The indexes of the large tables are built after the rows are in (sorted once, not
    # grown row by row), from the schema's own statements.
    indexes = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND "
        "tbl_name IN ('people', 'study_done', 'quiz_attempts', 'checkins', 'leaves', "
        "'points_ledger')"
    ).fetchall()
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")

    def x(sql, params=()):
        t = time.perf_counter()
        r = conn.execute(sql, params)
        if time.perf_counter() - t > 3:
            print(f"{time.perf_counter() - t:6.1f} s  {' '.join(sql.split())[:90]}", flush=True)
        return r

    # Small helper tables (temp: they vanish with the connection).
    x("CREATE TEMP TABLE u (unit_id TEXT PRIMARY KEY, banner INTEGER, s INTEGER, q INTEGER, "
      "a INTEGER)")  # fmt: skip
    rates = {}
    for uid, _, _, banner in units:
        rates[uid] = (rng.uniform(0.55, 0.95), rng.uniform(0.35, 0.85), rng.uniform(0.6, 0.95))
        x("INSERT INTO temp.u VALUES (?, ?, ?, ?, ?)",
          (uid, banner, *(round(r * 1000) for r in rates[uid])))  # fmt: skip
    # Each person: unit, personal bent for study, quizzes and attendance, and a skill
    # (0-9: the chance of a right answer is 0.45 + 0.05 * skill).
    people, bent = [], []
    created = "2025-12-01T00:00:00.000000+00:00"
    positions = ("科员", "副主任科员", "主任科员", "副科长", "科长", "村干部", "社区干部")
    pid = 0
    for (uid, *_), n in zip(units, heads, strict=True):
        gone = round(n * LEFT / PEOPLE)  # those who left this unit, their history kept
        for m in range(n + gone):
            pid += 1
            people.append((pid, f"干部{pid}", uid, f"139{pid:08d}", rng.choice(positions),
                           int(m >= n), created))  # fmt: skip
            s, q, a = rates[uid]
            bent.append((
                pid,
                min(1000, max(0, round(1000 * rng.gauss(s, 0.18)))),
                min(1000, max(0, round(1000 * rng.gauss(q, 0.2)))),
                min(1000, max(0, round(1000 * rng.gauss(a, 0.12)))),
                min(9, max(0, round(rng.gauss(6, 2)))),
            ))  # fmt: skip
    conn.executemany(
        "INSERT INTO people (id, display_name, unit_id, phone, position, active, created_at, "
        "from_roster) VALUES (?, ?, ?, ?, ?, 1 - ?, ?, 1)",
        people,
    )
    x("CREATE TEMP TABLE b (person_id INTEGER PRIMARY KEY, s INTEGER, q INTEGER, a INTEGER, "
      "skill INTEGER)")  # fmt: skip
    conn.executemany("INSERT INTO temp.b VALUES (?, ?, ?, ?, ?)", bent)
    left = x("SELECT COUNT(*) FROM people WHERE active = 0").fetchone()[0]
    # Weekly items: published Monday 08:00 local (00:00 UTC).
    x("CREATE TEMP TABLE i (n INTEGER PRIMARY KEY, item_id TEXT, jd REAL)")
    for w in range(ITEMS):
        day = FIRST_MONDAY + timedelta(weeks=w)
        x("INSERT INTO temp.i VALUES (?, ?, ?)",
          (w + 1, f"week-{w + 1:02d}", _jd(datetime(day.year, day.month, day.day, 8))))  # fmt: skip
    # Right answers out of QUESTIONS for each skill and a roll 0-999 (binomial).
    x("CREATE TEMP TABLE d (skill INTEGER, roll INTEGER, ok INTEGER, PRIMARY KEY (skill, roll))")
    for skill in range(10):
        p = 0.45 + 0.05 * skill
        cdf, acc = [], 0.0
        for k in range(QUESTIONS + 1):
            acc += math.comb(QUESTIONS, k) * p**k * (1 - p) ** (QUESTIONS - k)
            cdf.append(acc)
        for roll in range(1000):
            ok = next(k for k, c in enumerate(cdf) if roll / 1000 < c or k == QUESTIONS)
            x("INSERT INTO temp.d VALUES (?, ?, ?)", (skill, roll, ok))
    x("CREATE TEMP TABLE k (k INTEGER PRIMARY KEY)")  # 1..QUESTIONS
    conn.executemany("INSERT INTO temp.k VALUES (?)", [(k,) for k in range(1, QUESTIONS + 1)])
    score = f"CAST(ROUND(100.0 * {{}} / {QUESTIONS}) AS INTEGER)"

    # 每周一学: done within 0-13 days (mostly early), 08:00-22:00 local.
    x(f"""CREATE TEMP TABLE sd AS SELECT b.person_id, i.item_id,
          i.jd + ({h("b.person_id", "i.n", "1")} % 1000) * ({h("b.person_id", "i.n", "2")}
          % 1000) * 14 / 1000000 + ({h("b.person_id", "i.n", "3")} % 50400) / 86400.0 AS jd
          FROM temp.b b, temp.i i WHERE {h("b.person_id", "i.n", "4")} % 1000 < b.s""")
    x(f"""CREATE TEMP TABLE sdt AS SELECT person_id, item_id, {AT.format("jd")} AS at,
          {DAY.format("jd")} AS day FROM temp.sd ORDER BY person_id, item_id""")
    x(
        "INSERT INTO study_done (person_id, item_id, done_at) SELECT person_id, item_id, at "
        "FROM temp.sdt"
    )

    # Weekly quizzes: taken within 0-9 days of the item; a retake the next day for 40% of
    # those who failed, never worse than the first.
    x(f"""CREATE TEMP TABLE qa AS SELECT b.person_id, i.n, i.item_id AS quiz_id, 1 AS number,
          i.jd + ({h("b.person_id", "i.n", "5")} % 9000) / 1000.0 + 0.5 AS jd,
          (SELECT ok FROM temp.d WHERE skill = b.skill
           AND roll = {h("b.person_id", "i.n", "6")} % 1000) AS ok, 0 AS before
          FROM temp.b b, temp.i i WHERE {h("b.person_id", "i.n", "7")} % 1000 < b.q""")
    retake = f"""SELECT a.person_id, a.n, a.quiz_id, 2, a.jd + 1, MAX(a.ok, (SELECT ok FROM temp.d
          WHERE skill = MIN(9, b.skill + 2) AND roll = {h("a.person_id", "a.n", "8")}
          % 1000)), a.ok FROM temp.qa a JOIN temp.b b USING (person_id)
          WHERE {score.format("a.ok")} < 60 AND {h("a.person_id", "a.n", "9")} % 1000
          < 400"""
    x(f"INSERT INTO temp.qa {retake}")
    # 补学: for the sessions below, the make-up quiz of those who did not check in.
    _lectures(conn, x)
    x(f"""INSERT INTO temp.qa SELECT m.person_id, 1000 + m.n, m.quiz_id, 1, m.jd,
          (SELECT ok FROM temp.d WHERE skill = b.skill
           AND roll = {h("m.person_id", "m.n", "10")} % 1000), 0
          FROM temp.mu m JOIN temp.b b USING (person_id)""")
    # Times and scores worked out once per attempt, in the order of the unique key.
    x(f"""CREATE TEMP TABLE qz AS SELECT person_id, quiz_id, number, ok, before,
          {score.format("ok")} AS score, {AT.format("jd - 0.004")} AS started,
          {AT.format("jd")} AS at, {DAY.format("jd")} AS day FROM temp.qa
          ORDER BY person_id, quiz_id, number""")
    x(f"""INSERT INTO quiz_attempts (person_id, quiz_id, number, plan, position, shown_at,
          correct, total, score, passed, started_at, finished_at)
          SELECT person_id, quiz_id, number, '[]', {QUESTIONS}, at, ok, {QUESTIONS}, score,
          score >= 60, started, at FROM temp.qz""")
    # Points: each item learned; each question right for the first time (the first `ok`
    # questions of the first attempt, then those a retake adds); passing a bank once. In
    # the order of the ledger's unique key, so that its index grows at the end only.
    x("""INSERT INTO points_ledger (person_id, kind, ref, points, day, created_at)
         SELECT person_id, 'study', item_id, 5, day, at FROM temp.sdt
         UNION ALL SELECT a.person_id, 'correct', a.quiz_id || ':q' || k.k, 1, a.day, a.at
         FROM temp.qz a JOIN temp.k k ON k.k > a.before AND k.k <= a.ok
         UNION ALL SELECT person_id, 'pass', quiz_id, 5, day, MIN(at) FROM temp.qz
         WHERE score >= 60 GROUP BY person_id, quiz_id
         ORDER BY 1, 2, 3""")
    for _, sql in indexes:
        x(sql)
    # people.points: the running total of each person's ledger, as Points.award keeps it.
    x("""UPDATE people SET points = (SELECT COALESCE(SUM(x.points), 0) FROM points_ledger x
         WHERE x.person_id = people.id)""")
    # Chat accounts still waiting to be bound: no unit, no records.
    conn.executemany(
        "INSERT INTO people (display_name, pending, created_at) VALUES (?, 1, ?)",
        [(f"待绑定{n}", created) for n in range(PENDING)],
    )
    x("COMMIT")
    counts = {
        table: x(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        for table in ("people", "study_done", "quiz_attempts", "checkins", "leaves",
                      "points_ledger", "study_totals", "checkin_totals", "leave_totals")
    }  # fmt: skip
    counts["left"] = left
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    return counts


def _lectures(conn: sqlite3.Connection, x) -> None:
    """Check-ins, leave and the make-up candidates (temp.mu) of the 100 sessions."""
    x("CREATE TEMP TABLE l (n INTEGER PRIMARY KEY, session_id TEXT, banner INTEGER, jd REAL)")
    for k, (start, banner) in enumerate(lectures()):
        x(
            "INSERT INTO temp.l VALUES (?, ?, ?, ?)",
            (k + 1, f"hall-{k + 1:03d}", banner, _jd(start)),
        )
    # Who is expected: everyone (banner NULL), or the banner's subtree; people of the
    # league's own unit (banner -1) only for the sessions for everyone.
    x("""CREATE TEMP TABLE ex AS SELECT l.n, l.session_id, l.jd, p.id AS person_id, b.a
         FROM temp.l l JOIN people p JOIN temp.u u ON u.unit_id = p.unit_id
         JOIN temp.b b ON b.person_id = p.id
         WHERE l.banner IS NULL OR l.banner = u.banner""")
    # Check-in: 90% from 30 min before to 10 min after the start (present), the rest up to
    # 30 min after (late). 60% by code at a venue, 20% by location, 20% by button (online).
    on_time = h("e.person_id", "e.n", "11")
    minute = (
        f"(CASE WHEN {on_time} % 10 = 0 THEN 10 + {h('e.person_id', 'e.n', '12')} % 20 "
        f"ELSE -30 + {h('e.person_id', 'e.n', '12')} % 40 END)"
    )
    how = f"{h('e.person_id', 'e.n', '13')} % 10"
    venue = h("e.person_id", "e.n", "15")
    venue = f"CASE {venue} % 3 WHEN 0 THEN 'main' WHEN 1 THEN 's1' ELSE 's2' END"
    x(f"""INSERT INTO checkins (session_id, person_id, status, method, venue_id, at)
          SELECT e.session_id, e.person_id,
          CASE WHEN {on_time} % 10 = 0 THEN 'late' ELSE 'present' END,
          CASE WHEN {how} < 6 THEN 'code' WHEN {how} < 8 THEN 'location' ELSE 'button' END,
          CASE WHEN {how} < 8 THEN {venue} ELSE 'online' END,
          {AT.format(f"e.jd + {minute} / 1440.0")}
          FROM temp.ex e WHERE {h("e.person_id", "e.n", "14")} % 1000 < e.a
          ORDER BY e.session_id, e.person_id""")
    x("""CREATE TEMP TABLE absent AS SELECT e.* FROM temp.ex e WHERE NOT EXISTS
         (SELECT 1 FROM checkins c WHERE c.session_id = e.session_id
          AND c.person_id = e.person_id)""")
    # Leave: asked by 25% of the absent the day before, 85% approved, 10% rejected.
    roll = h("e.person_id", "e.n", "16")
    x(f"""INSERT INTO leaves (session_id, person_id, reason, status, asked_at, decided_by,
          decided_at) SELECT e.session_id, e.person_id, '公务外出',
          CASE WHEN {roll} % 20 < 17 THEN 'approved' WHEN {roll} % 20 < 19 THEN 'rejected'
          ELSE 'pending' END, {AT.format("e.jd - 1")},
          CASE WHEN {roll} % 20 < 19 THEN 'telegram:1' END,
          CASE WHEN {roll} % 20 < 19 THEN {AT.format("e.jd - 0.9")} END
          FROM temp.absent e WHERE {h("e.person_id", "e.n", "17")} % 100 < 25""")
    # 补学: 30% of the absent take the session's make-up quiz 1-6 days after it ended.
    x(f"""CREATE TEMP TABLE mu AS SELECT e.person_id, e.n, e.session_id || '-q' AS quiz_id,
          e.jd + 1.0 + ({h("e.person_id", "e.n", "18")} % 5000) / 1000.0 AS jd
          FROM temp.absent e WHERE {h("e.person_id", "e.n", "19")} % 100 < 30""")


# --- the measurements ----------------------------------------------------------------


def config(tmp: Path):
    base = load_config(ROOT / "config.yaml")
    return replace(
        base,
        database_path=tmp / "bench.sqlite3",
        orgs_file=tmp / "orgs.yaml",
        registration=RegistrationConfig(mode="roster", default_unit="bm"),
    )


async def build(tmp: Path) -> dict:
    """The org tree file and the database in `tmp`; returns the row counts."""
    rng = random.Random(7)
    units = tree(rng)
    (tmp / "orgs.yaml").write_text(orgs_yaml(units), encoding="utf-8")
    async with Store(tmp / "bench.sqlite3"):
        pass  # the app's schema: every migration
    started = time.perf_counter()
    counts = fill(tmp / "bench.sqlite3", units, rng)
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def township(db: Path) -> tuple[str, int]:
    """The township (depth 2) with the most admitted people in its subtree."""
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "SELECT substr(unit_id, 1, 9), COUNT(*) FROM people WHERE active = 1 "
            "AND pending = 0 AND unit_id GLOB 'bm-q?-t??*' GROUP BY 1 ORDER BY 2 DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return rows[0], rows[1]


def rss_mb() -> float:
    """This process's peak resident set so far, in MB: VmHWM of /proc/self/status (since
    its exec), else ru_maxrss (which on Linux a child inherits from the parent that
    generated the data)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


async def measure(tmp: Path, case: str, root: str | None, runs: int) -> dict:
    """Run one case `runs` times in this (fresh) process: seconds of each run, the peak
    RSS before the first run (the app open) and at the end."""
    app = await App.open(config(tmp), ManualClock(NOW), pack=content(tree(random.Random(7))))
    services = app.services
    scope = Scope(services.orgs, superadmin=True)
    period = YEAR if case.endswith("year") else MONTH
    base = rss_mb()
    seconds, extra = [], {}
    try:
        for _ in range(runs):
            started = time.perf_counter()
            if case.startswith("xlsx"):
                from bot.reports.xlsx import ledger_xlsx

                book = await services.ledger.build(root, period, scope)
                built = time.perf_counter() - started
                dest = tmp / "ledger.xlsx"
                ledger_xlsx(book, dest, "zh")
                extra = {
                    "build_s": round(built, 3),
                    "write_s": round(time.perf_counter() - started - built, 3),
                    "sheets": len(book.units) + 1,
                    "people": book.people,
                    "bytes": dest.stat().st_size,
                }
                del book
            else:
                total, rows = await services.figures.units(root, period, scope)
                services.figures.rank(rows, total)
                extra = {"rows": len(rows), "people": total.people}
            seconds.append(time.perf_counter() - started)
    finally:
        await app.close()
    return {
        "case": case,
        "runs": [round(x, 3) for x in seconds],
        "best_s": round(min(seconds), 3),
        "median_s": round(statistics.median(seconds), 3),
        "rss_open_mb": round(base, 1),
        "peak_rss_mb": round(rss_mb(), 1),
        **extra,
    }


def run_case(tmp: Path, case: str, root: str | None, runs: int) -> dict:
    """`measure` in a child process, so that its peak RSS is this case's own."""
    command = [sys.executable, __file__, "--measure", case, "--dir", str(tmp),
               "--runs", str(runs)] + (["--root", root] if root else [])  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{case} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def scratch() -> Path:
    """A temporary folder for the ~5 GB database: in /dev/shm when it has room (writing
    the data is then bounded by the CPU, not the disk), else the default."""
    shm = Path("/dev/shm")
    if shm.is_dir() and os.statvfs(shm).f_bavail * os.statvfs(shm).f_frsize > 12e9:
        return Path(tempfile.mkdtemp(prefix="bench_reports_", dir=shm))
    return Path(tempfile.mkdtemp(prefix="bench_reports_"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--keep", type=Path, help="build the database here (or reuse it) and keep it"
    )
    parser.add_argument("--runs", type=int, default=5, help="runs of each report (default 5)")
    parser.add_argument("--xlsx-runs", type=int, default=2, help="runs of the XLSX (default 2)")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # a child: one case
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(asyncio.run(measure(args.dir, args.measure, args.root, args.runs))))
        return 0
    tmp = args.keep or scratch()
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        if (tmp / "bench.sqlite3").exists() and args.keep:
            counts = {"reused": str(tmp)}
        else:
            counts = asyncio.run(build(tmp))
        print(f"data in {tmp}: {counts}", flush=True)
        town, town_people = township(tmp / "bench.sqlite3")
        results = {}
        for case, root, runs in (
            ("league-month", None, args.runs), ("league-year", None, args.runs),
            ("township-month", town, args.runs), ("township-year", town, args.runs),
            ("xlsx-year", None, args.xlsx_runs),
        ):  # fmt: skip
            results[case] = found = run_case(tmp, case, root, runs)
            print(
                f"{case:15} {root or 'league':10} best {found['best_s']:7.3f} s  median "
                f"{found['median_s']:7.3f} s  runs {found['runs']}  peak RSS "
                f"{found['peak_rss_mb']:.0f} MB (after open {found['rss_open_mb']:.0f} MB)"
                + (f"  build {found['build_s']} s, write {found['write_s']} s, "
                   f"{found['sheets']} sheets, {found['people']:,} people, "
                   f"{found['bytes'] / 1e6:.1f} MB" if case.startswith("xlsx") else ""),
                flush=True,
            )  # fmt: skip
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    checks = {
        "league_s": max(results[c]["median_s"] for c in ("league-month", "league-year")),
        "township_s": max(results[c]["median_s"] for c in ("township-month", "township-year")),
        "xlsx_s": results["xlsx-year"]["median_s"],
        "peak_mb": max(r["peak_rss_mb"] for r in results.values()),
    }
    passed = {k: v < TARGETS[k] for k, v in checks.items()}
    ok = all(passed.values())
    print(
        ("PASS" if ok else "FAIL")
        + ": "
        + ", ".join(f"{k} {v} {'<' if passed[k] else '>='} {TARGETS[k]}" for k, v in checks.items())
    )
    print(json.dumps({
        "bench": "reports",
        "people": PEOPLE,
        "units": UNITS,
        "township": town,
        "township_people": town_people,
        "rows": {k: v for k, v in counts.items() if k != "seconds"},
        "generate_s": counts.get("seconds"),
        **{c.replace("-", "_"): {k: v for k, v in r.items() if k != "case"}
           for c, r in results.items()},
        "targets": TARGETS,
        "pass": ok,
    }, ensure_ascii=False))  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
