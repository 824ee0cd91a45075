"""Figures per unit and period on a small known dataset built with the real domain; fair
rankings, cards at their thresholds, and the period forms."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.app import App
from bot.config import RegistrationConfig, ReportsConfig, ReportWeights
from bot.content.roster import load_roster
from bot.core.clock import ManualClock
from bot.domain.access import Scope
from bot.domain.figures import (
    Figures,
    Period,
    UnitFigures,
    card,
    combine,
    composite,
    parse_period,
    rank,
)
from tests.conftest import TZ, Chat
from tests.packs import write_pack
from tests.test_attendance import LECTURE
from tests.test_attendance import ROSTER as HALL_ROSTER
from tests.test_quiz import RIGHT, WRONG, take

# 王芳 administers 乌兰浩特市 and 赵敏 科右前旗; 周杰 is in 阿尔山市 (outside the lecture's
# audience); 吴刚 leaves the roster after doing everything, so nothing of his counts.
ROSTER = HALL_ROSTER + "周杰,13800000009,xam-aes-lh,\n吴刚,13800000010,xam-wlht-hp,\n"
ITEMS = {
    # Current on 1 November (the newest before it), so due all month.
    "oct.yaml": "id: oct\ntitle: 十月学习\nbody: 正文。\npublish: {date: 2026-10-26}\n",
    # Only 和平街道 sees it.
    "nov2.yaml": "id: nov2\ntitle: 十一月学习\nbody: 正文。\npublish: {date: 2026-11-02}\n"
    "audience: [xam-wlht-hp]\n",
    # Published after the period.
    "dec.yaml": "id: dec\ntitle: 十二月学习\nbody: 正文。\npublish: {date: 2026-12-07}\n",
}  # the demo item of tests.packs is published on 2026-11-16 to all
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))
MIXED = {"single": RIGHT["single"], "multi": WRONG["multi"], "tf": WRONG["tf"]}  # 1 of 3: 33


def local(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
async def base(config, open_app, clock: ManualClock, tmp_path: Path) -> App:
    """A roster-mode app with the roster above, the four items, the demo bank and the
    lecture of 25 November (乌兰浩特市 and 科右前旗, make-up quiz demo)."""
    config = replace(config, registration=RegistrationConfig(mode="roster", default_unit="xam"))
    pack = write_pack(tmp_path / "pack", attempts=3, extra_items=ITEMS)
    pack.lectures[LECTURE.id] = LECTURE
    app = await open_app(config, pack=pack, rng=random.Random(1))
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    clock.set(local(10, 20))
    await app.services.roster.apply(
        "test", "roster.csv", load_roster(path, app.services.orgs.units.__contains__)
    )
    for line in ROSTER.splitlines()[1:]:
        await app.services.registration.claim_console(line.split(",")[0])
    return app


async def who(app: App, name: str):
    return await app.services.people.find("console", name)


async def learn(app: App, clock: ManualClock, when: datetime, item: str, *names: str) -> None:
    clock.set(when)
    for name in names:
        await app.services.study.mark_learned(await who(app, name), app.services.pack.items[item])


async def quiz(app: App, clock: ManualClock, when: datetime, name: str, answers) -> None:
    clock.set(when)
    await take(app, await who(app, name), answers)


async def check_in(app: App, clock: ManualClock, when: datetime, *names: str) -> None:
    clock.set(when)
    for name in names:
        await app.services.attendance.check_in(await who(app, name), LECTURE, "button")


@pytest.fixture
async def november(base: App, clock: ManualClock) -> App:
    """A month of study, quizzes and one lecture; the clock ends on 2 December."""
    app = base
    await learn(app, clock, local(10, 28), "oct", "李雷")  # before the period: done, not 人次
    await quiz(app, clock, local(10, 30), "韩梅", RIGHT)  # before the period
    await learn(app, clock, local(11, 3), "nov2", "李雷", "韩梅")
    await learn(app, clock, local(11, 17), "demo", "李雷", "王芳", "钱进", "周杰")
    await quiz(app, clock, local(11, 18), "李雷", WRONG)  # 0, then 100: the best counts
    await quiz(app, clock, local(11, 18, 11), "李雷", RIGHT)
    await quiz(app, clock, local(11, 18, 12), "孙悦", MIXED)
    await learn(app, clock, local(11, 20), "demo", "吴刚")
    clock.set(local(11, 24))
    await Chat(app, "马丽").press(f"lv:{LECTURE.id}:work")
    leave = await app.services.store.scalar("SELECT id FROM leaves")
    await Chat(app, "王芳").press(f"lva:ok:{leave}")
    await check_in(app, clock, local(11, 25, 14, 55), "王芳", "李雷", "张伟", "吴刚")
    await check_in(app, clock, local(11, 25, 15, 12), "韩梅", "孙悦")  # late
    await quiz(app, clock, local(11, 26), "钱进", RIGHT)  # 补学: passed after the lecture
    await learn(app, clock, local(12, 1), "demo", "马丽")  # the day after the period
    await app.services.store.write(
        lambda tx: tx.execute("UPDATE people SET active = 0 WHERE display_name = '吴刚'")
    )
    clock.set(local(12, 2))
    return app


def figures(app: App, reports: ReportsConfig | None = None) -> Figures:
    s = app.services
    return Figures(s.store, s.clock, TZ, s.pack, s.orgs, s.attendance, reports or s.config.reports)


def superadmin(app: App) -> Scope:
    return Scope(app.services.orgs, superadmin=True)


WLHT = UnitFigures(
    "xam-wlht",
    people=5,  # 王芳, 李雷, 韩梅, 马丽, 张伟
    study_due=13,  # 3 items × 3 in 和平街道, 2 × 2 elsewhere
    study_done=5,  # 李雷 oct nov2 demo, 韩梅 nov2, 王芳 demo (马丽's came on 1 December)
    quiz_takers=1,  # 李雷 (韩梅's was in October)
    score_sum=100,
    expected=5,
    attended=4,  # 王芳 李雷 张伟 present, 韩梅 late
    excused=1,  # 马丽
    made_up=0,
    points=28,  # 李雷 5+5+3+5, 韩梅 5, 王芳 5
    study_times=4,
    attendance_times=4,
)
AES = UnitFigures(
    "xam-aes", people=1, study_due=2, study_done=1, points=5, study_times=1
)  # fmt: skip
KYQQ = UnitFigures(
    "xam-kyqq",
    people=3,  # 赵敏, 孙悦, 钱进
    study_due=6,
    study_done=1,  # 钱进 demo
    quiz_takers=2,  # 孙悦 33, 钱进 100
    score_sum=133,
    expected=3,
    attended=1,  # 孙悦, late; 赵敏 absent
    excused=0,
    made_up=1,  # 钱进
    points=14,  # 钱进 5+3+5, 孙悦 1
    study_times=1,
    attendance_times=1,
)


async def test_figures_per_unit_for_the_whole_tree(november: App) -> None:
    total, rows = await figures(november).units(None, NOVEMBER, superadmin(november))
    assert [r.unit_id for r in rows] == [
        "xam-wlht", "xam-aes", "xam-kyqq", "xam-kyzq", "xam-zlt", "xam-tq",
    ]  # fmt: skip
    assert rows[:3] == [WLHT, AES, KYQQ]
    assert rows[3:] == [UnitFigures(u) for u in ("xam-kyzq", "xam-zlt", "xam-tq")]
    assert total == combine("", [WLHT, AES, KYQQ])
    assert (total.people, total.study_due, total.study_done, total.points) == (9, 21, 7, 47)
    wlht, kyqq = rows[0], rows[2]
    assert wlht.study_rate == pytest.approx(5 / 13)
    assert wlht.quiz_rate == pytest.approx(1 / 5)
    assert wlht.avg_score == 100
    assert wlht.attendance_rate == pytest.approx(4 / 5)
    assert wlht.points_per_head == pytest.approx(28 / 5)
    assert kyqq.avg_score == pytest.approx(66.5)
    assert kyqq.attendance_rate == pytest.approx(1 / 3)  # the made-up is not attended
    assert rows[1].attendance_rate is None  # 阿尔山市 was not in the audience
    assert (rows[3].quiz_rate, rows[3].study_rate) == (None, None)


async def test_lecture_figures_agree_with_the_attendance_rollup(november: App) -> None:
    rollup = await november.services.attendance.rollup(LECTURE, superadmin(november), "xam")
    total, rows = await figures(november).units("xam", NOVEMBER, superadmin(november))
    assert rollup.total.expected == total.expected == 8
    assert rollup.total.attended == total.attended == 5
    assert rollup.total.counts["excused"] == total.excused
    assert rollup.total.counts["made_up"] == total.made_up
    for row in rows:
        tally = rollup.units.get(row.unit_id)
        assert (row.expected, row.attended) == (
            (tally.expected, tally.attended) if tally else (0, 0)
        )


async def test_the_day_after_the_period_does_not_count(november: App) -> None:
    numbers = figures(november)
    _, rows = await numbers.units("xam-wlht", NOVEMBER, superadmin(november))
    hp = next(r for r in rows if r.unit_id == "xam-wlht-hp")
    assert (hp.study_done, hp.study_times) == (4, 3)  # not 马丽's demo of 1 December
    longer = Period(date(2026, 11, 1), date(2026, 12, 1))
    _, rows = await numbers.units("xam-wlht", longer, superadmin(november))
    hp = next(r for r in rows if r.unit_id == "xam-wlht-hp")
    assert (hp.study_done, hp.study_times) == (5, 4)
    october = parse_period("2026-10", date(2026, 12, 2))
    total, _ = await numbers.units(None, october, superadmin(november))
    # In October only oct was out (9 people, 1 did it); 韩梅 took the quiz: 5 + 8 points.
    assert (total.study_due, total.study_done, total.study_times) == (9, 1, 1)
    assert (total.quiz_takers, total.score_sum, total.expected) == (1, 100, 0)
    assert total.points == 5 + 8


async def test_an_unfinished_period_counts_only_what_is_out_so_far(base: App, clock) -> None:
    await learn(base, clock, local(11, 10), "nov2", "李雷")
    clock.set(local(11, 10, 12))
    total, _ = await figures(base).units(None, NOVEMBER, superadmin(base))
    # demo (16 November) is not published yet and the lecture has not started.
    assert (total.study_due, total.study_done) == (10 + 4, 1)  # oct for all, nov2 for 和平街道
    assert (total.expected, total.attended) == (0, 0)
    assert total.people == 10  # 吴刚 is still on the roster here


async def test_an_admin_sees_only_their_subtree(november: App) -> None:
    scope = await november.services.access.scope("console", "王芳")
    numbers = figures(november)
    total, rows = await numbers.units(None, NOVEMBER, scope)  # defaults to 乌兰浩特市
    assert total == replace(WLHT, unit_id="xam-wlht")
    assert [r.unit_id for r in rows] == ["xam-wlht", "xam-wlht-hp", "xam-wlht-xa", "xam-wlht-ggm"]
    own, hp, xa, ggm = rows
    assert own == UnitFigures(
        "xam-wlht", people=1, study_due=2, study_done=1, expected=1, attended=1, points=5,
        study_times=1, attendance_times=1,
    )  # fmt: skip
    assert hp == UnitFigures(
        "xam-wlht-hp", people=3, study_due=9, study_done=4, quiz_takers=1, score_sum=100,
        expected=3, attended=2, excused=1, points=23, study_times=3, attendance_times=2,
    )  # fmt: skip
    assert xa == UnitFigures("xam-wlht-xa")
    assert ggm == UnitFigures(
        "xam-wlht-ggm", people=1, study_due=2, expected=1, attended=1, attendance_times=1
    )
    league, rows = await numbers.units("xam", NOVEMBER, scope)  # asking for the whole league
    assert [r.unit_id for r in rows] == ["xam-wlht"]
    assert league == replace(WLHT, unit_id="xam")
    other, rows = await numbers.units("xam-kyqq", NOVEMBER, scope)
    assert (other, rows) == (UnitFigures("xam-kyqq"), [])


async def test_an_unknown_root_is_refused(november: App) -> None:
    with pytest.raises(ValueError, match="nowhere"):
        await figures(november).units("nowhere", NOVEMBER, superadmin(november))


# --- ranking and cards ------------------------------------------------------------------


# The ranking tests score units by their study rate alone, so each is one fraction.
STUDY = ReportsConfig(weights=ReportWeights(study=1, quiz=0, attendance=0))


def unit(unit_id: str, people: int, done: int, due: int | None = None) -> UnitFigures:
    """A unit whose study rate is `done` of `due` (default: one item each)."""
    return UnitFigures(unit_id, people=people, study_due=due or people, study_done=done)


def test_a_small_perfect_unit_does_not_beat_a_large_near_perfect_one_on_luck() -> None:
    village, town = unit("village", 12, 12), unit("town", 2000, 1980)  # 100 % and 99 %
    laggard = unit("laggard", 500, 300)  # 60 %
    ranked = rank([village, town, laggard], STUDY)
    assert [r.unit.unit_id for r in ranked] == ["town", "village", "laggard"]
    assert [r.place for r in ranked] == [1, 2, 3]
    overall = 100 * (12 + 1980 + 300) / (12 + 2000 + 500)
    assert ranked[1].score == 100
    assert ranked[1].adjusted == pytest.approx((12 * 100 + 20 * overall) / 32, abs=1e-6)
    assert ranked[0].adjusted == pytest.approx((2000 * 99 + 20 * overall) / 2020, abs=1e-6)
    # Without the prior, the raw scores would put the village first.
    raw = rank([village, town, laggard], replace(STUDY, prior_people=0))
    assert [r.unit.unit_id for r in raw] == ["village", "town", "laggard"]


def test_one_absentee_does_not_bury_a_small_unit() -> None:
    village = unit("village", 12, 11)  # 91.7 %: one of 12 missed it
    town = unit("town", 2000, 1700)  # 85 %
    ranked = rank([town, village], STUDY)
    assert [r.unit.unit_id for r in ranked] == ["village", "town"]
    assert ranked[0].adjusted < 100 * 11 / 12  # pulled toward the overall mean


def test_equal_scores_keep_the_tree_order_and_empty_units_come_last() -> None:
    rows = [UnitFigures("empty"), unit("a", 10, 8), unit("b", 10, 8)]
    ranked = rank(rows, STUDY)
    assert [(r.unit.unit_id, r.place) for r in ranked] == [("a", 1), ("b", 2), ("empty", None)]
    assert (ranked[2].score, ranked[2].adjusted, ranked[2].card) == (None, None, None)


def test_the_composite_leaves_out_a_rate_with_nothing_due_and_follows_the_weights() -> None:
    f = UnitFigures("u", people=10, study_due=10, study_done=10, quiz_takers=5)
    assert composite(f) == pytest.approx(75)  # study 100 %, quiz 50 %, no lecture
    heavy = ReportsConfig(weights=ReportWeights(study=1, quiz=3, attendance=1))
    assert composite(f, heavy) == pytest.approx(62.5)
    only_lectures = ReportsConfig(weights=ReportWeights(study=0, quiz=0, attendance=1))
    assert composite(f, only_lectures) is None
    g = replace(f, expected=4, attended=1, made_up=3)  # 补学 does not raise the rate
    assert composite(g) == pytest.approx((100 + 50 + 25) / 3)


@pytest.mark.parametrize(
    ("adjusted", "expected"),
    [
        (100.0, "gold"),
        (90.0, "gold"),
        (89.99, None),
        (75.0, None),
        (74.99, "yellow"),
        (60.0, "yellow"),  # 60.0 is not red
        (59.99, "red"),
        (0.0, "red"),
        (None, None),
    ],
)
def test_cards_at_the_thresholds(adjusted: float | None, expected: str | None) -> None:
    assert card(adjusted, ReportsConfig(gold=90, yellow=75, red=60)) == expected


def test_cards_on_ranked_units_exactly_at_the_thresholds() -> None:
    # With no prior the adjusted score is the composite: 9/10 is exactly 90, 3/5 exactly 60.
    config = replace(STUDY, prior_people=0)
    rows = [unit("gold", 10, 9), unit("none", 100, 8999, 10000), unit("yellow", 5, 3),
            unit("red", 10000, 5999)]  # fmt: skip
    ranked = {r.unit.unit_id: r for r in rank(rows, config)}
    assert (ranked["gold"].adjusted, ranked["gold"].card) == (90, "gold")
    assert (ranked["none"].adjusted, ranked["none"].card) == (89.99, None)
    assert (ranked["yellow"].adjusted, ranked["yellow"].card) == (60, "yellow")
    assert (ranked["red"].adjusted, ranked["red"].card) == (59.99, "red")


async def test_figures_rank_uses_the_configured_thresholds_and_the_report_total(
    november: App,
) -> None:
    strict = ReportsConfig(gold=99, yellow=98, red=97, prior_people=0)
    numbers = figures(november, strict)
    total, rows = await numbers.units(None, NOVEMBER, superadmin(november))
    ranked = numbers.rank(rows, total)
    # 乌兰浩特市: study 5/13, quiz 1/5, attendance 4/5; 阿尔山市: study 1/2, quiz 0/1.
    scores = {r.unit.unit_id: r.score for r in ranked}
    assert scores["xam-wlht"] == pytest.approx(100 * (5 / 13 + 1 / 5 + 4 / 5) / 3)
    assert scores["xam-aes"] == pytest.approx(100 * (1 / 2 + 0) / 2)
    assert scores["xam-kyqq"] == pytest.approx(100 * (1 / 6 + 2 / 3 + 1 / 3) / 3)
    assert [r.unit.unit_id for r in ranked] == [
        "xam-wlht", "xam-kyqq", "xam-aes", "xam-kyzq", "xam-zlt", "xam-tq",
    ]  # fmt: skip
    assert [r.card for r in ranked] == ["red", "red", "red", None, None, None]


# --- periods ----------------------------------------------------------------------------

TODAY = date(2026, 11, 18)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        ("2026-W48", date(2026, 11, 23), date(2026, 11, 29)),
        ("2026-w01", date(2025, 12, 29), date(2026, 1, 4)),
        ("2026-11-01..2026-11-30", date(2026, 11, 1), date(2026, 11, 30)),
        ("2026-11-05..2026-11-05", date(2026, 11, 5), date(2026, 11, 5)),
        ("2026", date(2026, 1, 1), date(2026, 12, 31)),
        ("week", date(2026, 11, 16), date(2026, 11, 22)),
        ("本周", date(2026, 11, 16), date(2026, 11, 22)),
        ("month", date(2026, 11, 1), date(2026, 11, 30)),
        ("本月", date(2026, 11, 1), date(2026, 11, 30)),
        ("上周", date(2026, 11, 9), date(2026, 11, 15)),
        ("last month", date(2026, 10, 1), date(2026, 10, 31)),
        ("", date(2026, 11, 1), date(2026, 11, 30)),  # the current month
        (None, date(2026, 11, 1), date(2026, 11, 30)),
    ],
)
def test_period_forms(text: str | None, start: date, end: date) -> None:
    assert parse_period(text, TODAY) == Period(start, end)


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-W54", "2025-W53", "2026-11-30..2026-11-01", "2026-02-30..2026-03-01",
             "yesterday", "11月"],
)  # fmt: skip
def test_period_rejects(text: str) -> None:
    assert parse_period(text, TODAY) is None


def test_periods_print_in_the_form_they_are_written() -> None:
    forms = ["2026-11", "2026-W48", "2026-11-03..2026-11-08"]
    assert [str(parse_period(t, TODAY)) for t in forms] == forms
    assert NOVEMBER.bounds(TZ) == (
        "2026-10-31T16:00:00.000000+00:00",
        "2026-11-30T16:00:00.000000+00:00",
    )
