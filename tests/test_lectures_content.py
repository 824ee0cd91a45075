"""Lecture-hall files (大讲堂): the shipped samples, every problem at its line and field,
series expansion, the check-in window, and the links to quiz banks and the org tree."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from bot.config import load_config
from bot.content.lectures import (
    MAX_SESSIONS,
    config_window,
    lecture_unit_problems,
    load_lectures,
    nth_weekday,
)
from bot.content.loader import load_content, load_pack, sniff_kind, yaml_files
from bot.content.models import CheckinWindow, Lecture, Venue
from bot.content.orgs import load_orgs
from bot.content.problems import ContentError, Problem
from bot.content.yamlload import load_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "content" / "lectures"
ORGS = ROOT / "content" / "orgs.yaml"

# Line 4 is start, 5 duration, 6 venues, 7 the main venue; cases append from line 8.
BASE = """\
id: demo
title: 演示讲座
speaker: 张三
start: 2026-11-26 15:00
duration: 90
venues:
  - {id: main, name: 主会场, main: true}
"""
BANK = (
    "id: {id}\ntitle: 题库\nquestions:\n  - {{id: q1, type: truefalse, text: 题, answer: true}}\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def lectures_of(tmp_path: Path, text: str, **kw) -> dict[str, Lecture]:
    write(tmp_path / "lectures", "a.yaml", text)
    return load_lectures([tmp_path / "lectures"], **kw)


def problems_of(tmp_path: Path, text: str) -> list[Problem]:
    """Every problem one lecture file has (failing the test if it has none)."""
    with pytest.raises(ContentError) as info:
        lectures_of(tmp_path, text)
    return info.value.problems


def sessions(tmp_path: Path, start: str, repeat: str) -> list[str]:
    """The session ids a series expands into."""
    text = BASE.replace("2026-11-26 15:00", start) + repeat
    return list(lectures_of(tmp_path, text))


# --- the shipped samples ---


@pytest.fixture(scope="module")
def shipped() -> dict[str, Lecture]:
    pack = load_pack([ROOT / "content" / "study"], [ROOT / "quizzes"], lecture_paths=[SAMPLES])
    return pack.lectures


def test_the_samples_load_with_their_sessions(shipped: dict[str, Lecture]) -> None:
    by_series: dict[str, list[Lecture]] = {}
    for lecture in shipped.values():
        by_series.setdefault(lecture.series, []).append(lecture)
    assert {s: len(found) for s, found in by_series.items()} == {
        "xiangcun-zhenxing": 16,
        "gaozhiliang-fazhan": 10,
        "shizhan-kyqq": 10,
    }
    firsts = {s: found[0] for s, found in by_series.items()}
    assert firsts["xiangcun-zhenxing"].id == "xiangcun-zhenxing-20261126"
    assert firsts["xiangcun-zhenxing"].start == datetime(2026, 11, 26, 15, 0)
    assert by_series["xiangcun-zhenxing"][-1].id == "xiangcun-zhenxing-20270624"
    assert [s.start.date() for s in by_series["gaozhiliang-fazhan"][:3]] == [
        date(2026, 12, 3),
        date(2027, 1, 7),
        date(2027, 2, 4),
    ]
    assert all(s.start.weekday() == 3 for s in by_series["gaozhiliang-fazhan"])
    assert by_series["shizhan-kyqq"][-1].id == "shizhan-kyqq-20270127"
    starts = [s.start for s in shipped.values()]
    assert starts == sorted(starts)  # ordered by start
    assert min(starts) > datetime(2026, 11, 23)  # all upcoming for the samples' week


def test_the_rural_revival_hall_has_a_main_venue_and_township_sub_venues(
    shipped: dict[str, Lecture],
) -> None:
    hall = shipped["xiangcun-zhenxing-20261126"]
    main = [v for v in hall.venues if v.main]
    assert [v.name for v in main] == ["盟委党校主会场"]
    subs = [v for v in hall.venues if not v.main]
    assert len(subs) >= 5
    assert all(v.radius == 300 and v.unit for v in hall.venues)
    for venue in hall.venues:  # within about two degrees of 乌兰浩特
        assert abs(venue.lat - 46.07) < 2
        assert abs(venue.lon - 122.05) < 2
    assert hall.venue("ggm").unit == "xam-wlht-ggm"
    assert hall.audience == ("xam",)
    assert hall.live_url.startswith("https://")
    assert hall.replay_url.startswith("https://")
    assert hall.window == CheckinWindow(opens_before=60, closes_after=45, late_after=15)
    assert hall.quiz == "four-xiang"
    assert hall.end == datetime(2026, 11, 26, 17, 0)


def test_the_samples_name_real_units_and_banks(shipped: dict[str, Lecture]) -> None:
    assert lecture_unit_problems(shipped, load_orgs(ORGS)) == []
    weekly = shipped["shizhan-kyqq-20261125"]
    assert weekly.audience == ("xam-kyqq",)
    assert [v.main for v in weekly.venues] == [True]
    assert weekly.window == CheckinWindow()  # config.yaml's defaults


def test_load_content_reads_the_lectures_folder_with_the_config_window(tmp_path: Path) -> None:
    config = load_config(ROOT / "config.yaml")
    pack = load_content(config)
    assert {"xiangcun-zhenxing-20261126", "shizhan-kyqq-20270127"} <= set(pack.lectures)
    folders = [config.study_dir, config.quiz_dir, config.lectures_dir, config.reminders_dir]
    assert pack.files == len(yaml_files(folders))  # lecture files count too

    write(tmp_path, "config.yaml", "checkin: {opens_before: 20, late_after: 5}\n")
    write(
        tmp_path / "content" / "study",
        "a.yaml",
        "id: a\ntitle: t\nbody: b\npublish: {date: 2026-11-23}\n",
    )
    write(tmp_path / "quizzes", "b.yaml", BANK.format(id="b"))
    config = load_config(tmp_path / "config.yaml")
    assert load_content(config).lectures == {}  # no content/lectures folder: no lectures
    write(tmp_path / "content" / "lectures", "demo.yaml", BASE)
    lecture = load_content(config).lectures["demo"]
    assert lecture.window == CheckinWindow(opens_before=20, closes_after=30, late_after=5)
    assert config_window(config) == lecture.window


# --- one lecture, every field ---


def test_a_one_off_lecture_with_every_field(tmp_path: Path) -> None:
    text = BASE + (
        "audience: [xam-wlht, xam-kyqq]\n"
        "live: https://live.example.com/a\n"
        "replay: https://live.example.com/a/replay\n"
        "notes: |\n  请提前入场。\n"
        "checkin: {opens_before: 15}\n"
    )
    text = text.replace(
        "  - {id: main, name: 主会场, main: true}",
        "  - {id: main, name: 主会场, main: true,\n"
        "     lat: 46.07, lon: 122.05, radius: 300, unit: xam}\n"
        "  - {id: sub, name: 分会场, lat: -12, lon: -45.5, radius: 10}\n"
        "  - {id: online, name: 线上收看}",
    )
    found = lectures_of(tmp_path, text)
    assert list(found) == ["demo"]
    lecture = found["demo"]
    assert (lecture.series, lecture.title, lecture.speaker) == ("demo", "演示讲座", "张三")
    assert (lecture.start, lecture.duration) == (datetime(2026, 11, 26, 15, 0), 90)
    assert lecture.audience == ("xam-wlht", "xam-kyqq")
    assert lecture.notes == "请提前入场。"
    assert lecture.window == CheckinWindow(opens_before=15, closes_after=30, late_after=10)
    main, sub, online = lecture.venues
    assert main == Venue("main", "主会场", True, 46.07, 122.05, 300, "xam")
    assert sub == Venue("sub", "分会场", False, -12.0, -45.5, 10, None)
    assert online == Venue("online", "线上收看")  # no coordinates: radius 0, no location
    assert (lecture.path.name, lecture.line) == ("a.yaml", 1)


@pytest.mark.parametrize(
    "written",
    [
        "2026-11-26 15:00",
        "2026-11-26T15:00",
        "2026-11-26 15:00:00",
        "'2026-11-26 15:00'",
        "2026-11-26 15：00",
        "2026-11-26T15:00:00",
    ],
)
def test_start_in_any_local_form(tmp_path: Path, written: str) -> None:
    found = lectures_of(tmp_path, BASE.replace("2026-11-26 15:00", written))
    assert found["demo"].start == datetime(2026, 11, 26, 15, 0)


def test_a_window_override_takes_the_rest_from_the_default(tmp_path: Path) -> None:
    default = CheckinWindow(opens_before=40, closes_after=50, late_after=20)
    text = BASE + "checkin:\n  late_after: 0\n"
    found = lectures_of(tmp_path, text, default_window=default)
    assert found["demo"].window == CheckinWindow(opens_before=40, closes_after=50, late_after=0)
    assert lectures_of(tmp_path, BASE, default_window=default)["demo"].window == default


# --- every problem at its line and field ---

PROBLEMS = {
    "start_date_only": (BASE.replace("15:00", ""), [(4, "start", "lecture.bad_start")]),
    "start_with_zone": (
        BASE.replace("2026-11-26 15:00", "2026-11-26T15:00:00+08:00"),
        [(4, "start", "lecture.bad_start")],
    ),
    "start_words": (
        BASE.replace("2026-11-26 15:00", "下周四下午"),
        [(4, "start", "lecture.bad_start")],
    ),
    "start_no_such_day": (
        BASE.replace("2026-11-26", "2026-02-30"),
        [(4, "start", "lecture.bad_start")],
    ),
    "start_empty": (BASE.replace("2026-11-26 15:00", ""), [(4, "start", "field.type")]),
    "duration_zero": (
        BASE.replace("duration: 90", "duration: 0"),
        [(5, "duration", "field.range")],
    ),
    "duration_long": (
        BASE.replace("duration: 90", "duration: 601"),
        [(5, "duration", "field.range")],
    ),
    "duration_text": (
        BASE.replace("duration: 90", "duration: 两小时"),
        [(5, "duration", "field.type")],
    ),
    "missing_speaker": (BASE.replace("speaker: 张三\n", ""), [(1, "speaker", "field.missing")]),
    "missing_venues": (BASE.split("venues:")[0], [(1, "venues", "field.missing")]),
    "unknown_field": (BASE + "主持人: 李四\n", [(8, "主持人", "field.unknown")]),
    "misspelt_field": (BASE + "speakers: 李四\n", [(8, "speakers", "field.unknown_hint")]),
    "bad_id": (BASE.replace("id: demo", "id: 演示"), [(1, "id", "field.pattern")]),
    "title_too_long": (BASE.replace("演示讲座", "讲" * 65), [(2, "title", "field.too_long")]),
    "live_not_a_link": (BASE + "live: www.example.com/live\n", [(8, "live", "lecture.bad_url")]),
    "replay_not_a_link": (BASE + "replay: 见通知\n", [(8, "replay", "lecture.bad_url")]),
    "quiz_bad_id": (BASE + "quiz: 补学\n", [(8, "quiz", "field.pattern")]),
    "audience_name": (BASE + "audience: [xam, 兴安盟]\n", [(8, "audience[2]", "field.pattern")]),
    "audience_empty": (BASE + "audience: []\n", [(8, "audience", "field.empty")]),
    "no_main_venue": (
        BASE.replace(", main: true", ""),
        [(6, "venues", "lecture.one_main")],
    ),
    "two_main_venues": (
        BASE + "  - {id: sub, name: 分会场, main: true}\n",
        [(6, "venues", "lecture.one_main")],
    ),
    "venues_empty": (
        BASE.replace("venues:\n  - {id: main, name: 主会场, main: true}\n", "venues: []\n"),
        [(6, "venues", "lecture.one_main")],
    ),
    "venues_not_a_list": (
        BASE.replace("venues:\n  - {id: main, name: 主会场, main: true}\n", "venues: 党校\n"),
        [(6, "venues", "field.type")],
    ),
    "venue_not_a_mapping": (BASE + "  - 分会场\n", [(8, "venues[2]", "field.type")]),
    "venue_without_name": (BASE + "  - {id: sub}\n", [(8, "venues[2].name", "field.missing")]),
    "venue_unknown_field": (
        BASE + "  - id: sub\n    name: 分会场\n    address: 镇政府\n",
        [(10, "venues[2].address", "field.unknown")],
    ),
    "duplicate_venue": (
        BASE + "  - id: sub\n    name: 分会场一\n  - id: sub\n    name: 分会场二\n",
        [(10, "venues[3].id", "lecture.duplicate_venue")],
    ),
    "lat_without_lon": (
        BASE + "  - id: sub\n    name: 分会场\n    lat: 46.07\n    radius: 300\n",
        [(10, "venues[2].lon", "lecture.coords_pair")],
    ),
    "lon_without_lat": (
        BASE + "  - id: sub\n    name: 分会场\n    lon: 122.05\n    radius: 300\n",
        [(10, "venues[2].lat", "lecture.coords_pair")],
    ),
    "coordinates_without_radius": (
        BASE + "  - id: sub\n    name: 分会场\n    lat: 46.07\n    lon: 122.05\n",
        [(10, "venues[2].radius", "lecture.radius_needed")],
    ),
    "radius_without_coordinates": (
        BASE + "  - id: sub\n    name: 分会场\n    radius: 300\n",
        [(10, "venues[2].radius", "lecture.radius_without_coords")],
    ),
    "lat_out_of_range": (
        BASE + "  - {id: sub, name: 分会场,\n     lat: 122.05, lon: 46.07, radius: 300}\n",
        [(9, "venues[2].lat", "field.range")],
    ),
    "lon_out_of_range": (
        BASE + "  - {id: sub, name: 分会场, lat: 46.07, lon: -181, radius: 300}\n",
        [(8, "venues[2].lon", "field.range")],
    ),
    "lat_as_text": (
        BASE
        + "  - id: sub\n    name: 分会场\n    lat: 北纬46度\n    lon: 122.05\n    radius: 300\n",
        [(10, "venues[2].lat", "field.type")],
    ),
    "radius_too_small": (
        BASE + "  - {id: sub, name: 分会场, lat: 46.07, lon: 122.05, radius: 5}\n",
        [(8, "venues[2].radius", "field.range")],
    ),
    "venue_unit_bad_id": (
        BASE + "  - {id: sub, name: 分会场, unit: 葛根庙镇}\n",
        [(8, "venues[2].unit", "field.pattern")],
    ),
    "window_closes_before_late": (
        BASE + "checkin:\n  closes_after: 5\n",
        [(9, "checkin.closes_after", "lecture.window_order")],
    ),
    "window_late_after_close": (
        BASE + "checkin:\n  closes_after: 20\n  late_after: 25\n",
        [(9, "checkin.closes_after", "lecture.window_order")],
    ),
    "window_late_only": (
        BASE + "checkin: {late_after: 40}\n",
        [(8, "checkin.late_after", "lecture.window_order")],
    ),
    "window_opens_too_early": (
        BASE + "checkin:\n  opens_before: 1441\n",
        [(9, "checkin.opens_before", "field.range")],
    ),
    "window_misspelt": (
        BASE + "checkin:\n  late_afer: 5\n",
        [(9, "checkin.late_afer", "field.unknown_hint")],
    ),
    "window_not_a_mapping": (BASE + "checkin: 30\n", [(8, "checkin", "field.type")]),
    "repeat_neither": (
        BASE + "repeat:\n  until: 2027-01-31\n",
        [(8, "repeat", "lecture.repeat_one")],
    ),
    "repeat_both": (
        BASE
        + "repeat:\n  every_weeks: 2\n  monthly: {week: 1, weekday: 周四}\n  until: 2027-01-31\n",
        [(8, "repeat", "lecture.repeat_one")],
    ),
    "repeat_without_until": (
        BASE + "repeat:\n  every_weeks: 2\n",
        [(9, "repeat.until", "field.missing")],
    ),
    "repeat_every_zero": (
        BASE + "repeat: {every_weeks: 0, until: 2027-01-31}\n",
        [(8, "repeat.every_weeks", "field.range")],
    ),
    "repeat_until_not_a_date": (
        BASE + "repeat:\n  every_weeks: 1\n  until: 2027/01/31\n",
        [(10, "repeat.until", "study.bad_date")],
    ),
    "repeat_until_before_start": (
        BASE + "repeat:\n  every_weeks: 1\n  until: 2026-11-25\n",
        [(10, "repeat.until", "lecture.until_before_start")],
    ),
    "repeat_too_many_sessions": (
        BASE + "repeat:\n  every_weeks: 1\n  until: 2040-12-31\n",
        [(10, "repeat.until", "lecture.too_many_sessions")],
    ),
    "repeat_no_session": (
        BASE + "repeat:\n  monthly: {week: 1, weekday: Monday}\n  until: 2026-11-30\n",
        [(10, "repeat.until", "lecture.no_sessions")],
    ),
    "monthly_week_five": (
        BASE + "repeat:\n  monthly:\n    week: 5\n    weekday: 周四\n  until: 2027-06-30\n",
        [(10, "repeat.monthly.week", "lecture.bad_month_week")],
    ),
    "monthly_bad_weekday": (
        BASE + "repeat:\n  monthly:\n    week: -1\n    weekday: 礼拜四\n  until: 2027-06-30\n",
        [(11, "repeat.monthly.weekday", "lecture.bad_weekday")],
    ),
    "monthly_missing_weekday": (
        BASE + "repeat:\n  monthly:\n    week: 2\n  until: 2027-06-30\n",
        [(10, "repeat.monthly.weekday", "field.missing")],
    ),
    "series_id_too_long": (
        BASE.replace("id: demo", "id: " + "x" * 24)
        + "repeat: {every_weeks: 1, until: 2026-12-31}\n",
        [(1, "id", "lecture.series_id_long")],
    ),
}


@pytest.mark.parametrize("case", PROBLEMS, ids=str)
def test_each_problem_at_its_line_and_field(tmp_path: Path, case: str) -> None:
    text, expected = PROBLEMS[case]
    found = problems_of(tmp_path, text)
    assert [(p.line, p.field, p.key) for p in found] == expected
    rendered = found[0].render("en")
    assert rendered.startswith(f"{tmp_path / 'lectures' / 'a.yaml'}:{expected[0][0]}: ")
    assert "{" not in rendered  # every placeholder was filled
    assert "lecture." not in rendered  # the key is in the catalog


def test_every_problem_in_a_lecture_file_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        "id: 讲座\ntitle: ''\nspeaker: 张三\nstart: 明天\nduration: 0\n"
        "live: ftp://x\nvenues:\n  - {id: a, name: 甲}\n  - {id: a, name: 乙, radius: 99}\n"
        "repeat: {monthly: {week: 9, weekday: x}}\n"
    )
    found = problems_of(tmp_path, text)
    assert sorted((p.line, p.field, p.key) for p in found) == [
        (1, "id", "field.pattern"),
        (2, "title", "field.empty"),
        (4, "start", "lecture.bad_start"),
        (5, "duration", "field.range"),
        (6, "live", "lecture.bad_url"),
        (7, "venues", "lecture.one_main"),
        (9, "venues[2].id", "lecture.duplicate_venue"),
        (9, "venues[2].radius", "lecture.radius_without_coords"),
        (10, "repeat.monthly.week", "lecture.bad_month_week"),
        (10, "repeat.monthly.weekday", "lecture.bad_weekday"),
        (10, "repeat.until", "field.missing"),
    ]


def test_messages_are_in_chinese_by_default(tmp_path: Path) -> None:
    found = problems_of(tmp_path, BASE.replace(", main: true", ""))
    assert found[0].render().endswith("venues: 要有且只有一个主会场（main: true），现在有 0 个")
    found = problems_of(
        tmp_path, BASE + "repeat:\n  monthly: {week: 1, weekday: 周八}\n  until: 2027-01-31\n"
    )
    assert (
        found[0]
        .render()
        .endswith("repeat.monthly.weekday: “周八” 不是星期几，应写成 周四 或 Thursday 这样")
    )


def test_a_file_that_is_not_a_mapping_or_not_yaml(tmp_path: Path) -> None:
    assert [(p.line, p.key) for p in problems_of(tmp_path, "- id: demo\n")] == [(1, "field.type")]
    assert [(p.line, p.key) for p in problems_of(tmp_path, "id: [demo\n")] == [(2, "yaml.syntax")]
    assert [(p.line, p.key) for p in problems_of(tmp_path, "# 只有注释\n")] == [(1, "yaml.empty")]


# --- series ---


def test_every_two_weeks_across_the_year_end_until_inclusive(tmp_path: Path) -> None:
    found = sessions(tmp_path, "2026-12-17 15:00", "repeat: {every_weeks: 2, until: 2027-01-28}\n")
    assert found == ["demo-20261217", "demo-20261231", "demo-20270114", "demo-20270128"]
    found = sessions(tmp_path, "2026-12-17 15:00", "repeat: {every_weeks: 2, until: 2027-01-27}\n")
    assert found[-1] == "demo-20270114"


def test_series_sessions_keep_the_local_time_and_the_file(tmp_path: Path) -> None:
    text = BASE.replace("15:00", "19:30") + "quiz: b\nrepeat: {every_weeks: 3, until: 2027-03-31}\n"
    write(tmp_path / "quizzes", "b.yaml", BANK.format(id="b"))
    write(tmp_path / "lectures", "a.yaml", text)
    pack = load_pack([], [tmp_path / "quizzes"], lecture_paths=[tmp_path / "lectures"])
    found = list(pack.lectures.values())
    assert len(found) == 6
    assert {(s.start.hour, s.start.minute, s.series, s.quiz, s.line) for s in found} == {
        (19, 30, "demo", "b", 1)
    }
    assert [s.start.date() for s in found][-1] == date(2027, 3, 11)


def test_monthly_on_the_last_friday(tmp_path: Path) -> None:
    repeat = "repeat:\n  monthly: {week: -1, weekday: 周五}\n  until: 2027-02-26\n"
    found = sessions(tmp_path, "2026-11-27 09:00", repeat)
    assert found == ["demo-20261127", "demo-20261225", "demo-20270129", "demo-20270226"]


def test_monthly_from_a_start_that_is_not_a_session(tmp_path: Path) -> None:
    repeat = "repeat:\n  monthly: {week: 1, weekday: Thursday}\n  until: 2027-03-04\n"
    found = sessions(tmp_path, "2026-11-10 15:00", repeat)  # after 11-05, the first Thursday
    assert found == ["demo-20261203", "demo-20270107", "demo-20270204", "demo-20270304"]


def test_monthly_in_the_fourth_week_with_an_english_weekday(tmp_path: Path) -> None:
    repeat = "repeat:\n  monthly: {week: 4, weekday: wed}\n  until: 2027-03-31\n"
    found = sessions(tmp_path, "2027-01-01 10:00", repeat)
    assert found == ["demo-20270127", "demo-20270224", "demo-20270324"]


def test_nth_weekday() -> None:
    assert nth_weekday(2026, 12, 3, 1) == date(2026, 12, 3)  # first Thursday
    assert nth_weekday(2027, 4, 3, 1) == date(2027, 4, 1)  # on the 1st itself
    assert nth_weekday(2027, 2, 6, -1) == date(2027, 2, 28)  # last Sunday, on the last day
    assert nth_weekday(2028, 2, 1, -1) == date(2028, 2, 29)  # leap year
    assert nth_weekday(2026, 11, 0, 4) == date(2026, 11, 23)


def test_the_session_limit_is_inclusive(tmp_path: Path) -> None:
    # 400 weekly sessions from 2026-11-26 end on 2034-07-20.
    found = sessions(tmp_path, "2026-11-26 15:00", "repeat: {every_weeks: 1, until: 2034-07-20}\n")
    assert len(found) == MAX_SESSIONS
    assert found[-1] == "demo-20340720"


# --- across files ---


def test_quiz_link_to_a_missing_bank(tmp_path: Path) -> None:
    write(
        tmp_path / "lectures",
        "a.yaml",
        BASE + "quiz: nowhere\nrepeat: {every_weeks: 1, until: 2027-01-31}\n",
    )
    write(tmp_path / "quizzes", "b.yaml", BANK.format(id="b"))
    with pytest.raises(ContentError) as info:
        load_pack([], [tmp_path / "quizzes"], lecture_paths=[tmp_path / "lectures"])
    found = info.value.problems
    assert [(p.line, p.field, p.key) for p in found] == [(8, "quiz", "lecture.unknown_quiz")]
    assert found[0].render().endswith("quiz: 补学测试的题库 “nowhere” 不存在")


def test_quiz_link_resolves_against_reference_banks(tmp_path: Path) -> None:
    write(tmp_path / "lectures", "a.yaml", BASE + "quiz: b\n")
    write(tmp_path / "q", "b.yaml", BANK.format(id="b"))
    pack = load_pack([], [], [tmp_path / "q"], lecture_paths=[tmp_path / "lectures"])
    assert pack.lectures["demo"].quiz == "b"


def test_two_files_with_one_id(tmp_path: Path) -> None:
    first = write(tmp_path / "lectures", "a.yaml", BASE)
    write(tmp_path / "lectures", "b.yaml", "# 复制的文件\n" + BASE.replace("26 15", "27 15"))
    with pytest.raises(ContentError) as info:
        load_lectures([tmp_path / "lectures"])
    found = info.value.problems
    assert [(p.path.name, p.line, p.field, p.key) for p in found] == [
        ("b.yaml", 2, "id", "content.duplicate_id")
    ]
    assert f"{first}:1" in found[0].render("en")


def test_a_one_off_lecture_clashing_with_a_series_session(tmp_path: Path) -> None:
    write(tmp_path / "lectures", "a.yaml", BASE + "repeat: {every_weeks: 1, until: 2027-01-31}\n")
    write(tmp_path / "lectures", "b.yaml", BASE.replace("id: demo", "id: demo-20261203"))
    with pytest.raises(ContentError) as info:
        load_lectures([tmp_path / "lectures"])
    found = info.value.problems
    assert [(p.path.name, p.line, p.field, p.key) for p in found] == [
        ("b.yaml", 1, "id", "lecture.duplicate_session")
    ]
    assert "demo-20261203" in found[0].render("en")


def test_unit_problems_against_the_real_org_tree(tmp_path: Path) -> None:
    text = (
        BASE.replace(
            "  - {id: main, name: 主会场, main: true}",
            "  - {id: main, name: 主会场, main: true, unit: xam}\n"
            "  - {id: sub, name: 分会场, unit: xam-wlht-gegenmiao}",
        )
        + "audience:\n  - xam-wlht\n  - xam-kyq\n  - all\n"
        + "repeat: {every_weeks: 1, until: 2027-01-31}\n"
    )
    lectures = lectures_of(tmp_path, text)
    assert len(lectures) == 10
    found = lecture_unit_problems(lectures, load_orgs(ORGS))
    assert [(p.path.name, p.line, p.field, p.key, p.params) for p in found] == [
        ("a.yaml", 11, "audience[2]", "lecture.unknown_unit", {"value": "xam-kyq"}),
        ("a.yaml", 8, "venues[2].unit", "lecture.unknown_unit", {"value": "xam-wlht-gegenmiao"}),
    ]  # once per series, not once per session
    assert found[0].render().endswith("audience[2]: 组织架构里没有单位“xam-kyq”")
    one = lectures_of(tmp_path, BASE + "audience: nowhere\n")
    assert [(p.line, p.field) for p in lecture_unit_problems(one, load_orgs(ORGS))] == [
        (8, "audience")
    ]


def test_lecture_files_are_never_study_items(tmp_path: Path) -> None:
    # The lectures folder inside the study folder: its files are lectures, read once.
    content = tmp_path / "content"
    write(content, "item.yaml", "id: a\ntitle: t\nbody: b\npublish: {date: 2026-11-23}\n")
    write(content / "lectures", "demo.yaml", BASE)
    pack = load_pack([content], [], lecture_paths=[content / "lectures"])
    assert (list(pack.items), list(pack.lectures), pack.files) == (["a"], ["demo"], 2)
    assert sniff_kind(load_file(SAMPLES / "xiangcun-zhenxing.yaml").data) == ""
    # Even a lecture file holding study-item fields is read as a lecture.
    write(content / "lectures", "odd.yaml", BASE.replace("demo", "odd") + "body: 正文\n")
    with pytest.raises(ContentError) as info:
        load_pack([content], [], lecture_paths=[content / "lectures"])
    assert [(p.path.name, p.field, p.key) for p in info.value.problems] == [
        ("odd.yaml", "body", "field.unknown")
    ]
