"""Deadlines on study items and quiz banks, and administrators' reminder files (自定义提醒):
what parses, every problem at its file, line and field, and the shipped samples."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.config import load_config
from bot.content.lectures import lecture_unit_problems
from bot.content.loader import bank_unit_problems, load_content, load_pack, pack_unit_problems
from bot.content.models import Reminder
from bot.content.orgs import load_orgs
from bot.content.problems import ContentError, Problem
from bot.content.reminders import load_reminders, reminder_unit_problems

ROOT = Path(__file__).resolve().parent.parent
ORGS = ROOT / "content" / "orgs.yaml"

VALID = """\
reminders:
  - id: party-day
    cron: "0 9 1-7 * mon"
    text: 今天是主题党日。
  - id: year-end
    at: 2026-12-01 09:00
    audience: [xam-kyqq, xam-tq]
    urgent: true
    text: |
      年终述职材料请于 12 月 15 日前报送。
"""
ITEM = "id: {id}\ntitle: 标题\nbody: 正文\npublish: {publish}\n"
BANK = (
    "id: {id}\ntitle: 题库\nquestions:\n  - {{id: q1, type: truefalse, text: 题, answer: true}}\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def reminder_problems(tmp_path: Path, text: str) -> list[tuple[int, str, str]]:
    """(line, field, key) of every problem one reminder file has (failing if none)."""
    path = write(tmp_path / "reminders", "a.yaml", text)
    with pytest.raises(ContentError) as info:
        load_reminders([tmp_path / "reminders"])
    assert all(p.path == path for p in info.value.problems)
    return [(p.line, p.field, p.key) for p in info.value.problems]


def one_reminder(**fields: str) -> str:
    """A file with one reminder (id on line 2) whose other fields follow in order."""
    lines = ["reminders:", "  - id: r1", "    text: 提醒内容"]
    lines += [f"    {key}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def study_problems(tmp_path: Path, text: str) -> list[Problem]:
    write(tmp_path / "study", "a.yaml", text)
    with pytest.raises(ContentError) as info:
        load_pack([tmp_path / "study"])
    return info.value.problems


# --- reminder files ---


def test_a_valid_file_gives_reminders_with_their_fields_and_lines(tmp_path: Path) -> None:
    write(tmp_path / "reminders", "a.yaml", VALID)
    found = load_reminders([tmp_path / "reminders"])
    assert list(found) == ["party-day", "year-end"]
    monthly, once = found["party-day"], found["year-end"]
    assert monthly == Reminder(
        id="party-day",
        text="今天是主题党日。",
        cron="0 9 1-7 * mon",
        path=tmp_path / "reminders" / "a.yaml",
        line=2,
    )
    assert (once.cron, once.at) == (None, datetime(2026, 12, 1, 9, 0))
    assert once.audience == ("xam-kyqq", "xam-tq")
    assert once.urgent is True
    assert once.text == "年终述职材料请于 12 月 15 日前报送。"  # the block's newline stripped
    assert (monthly.line_of("reminders[1].cron"), once.line_of("reminders[2].at")) == (3, 6)
    assert once.line_of("reminders[2].audience[2]") == 7
    assert once.line_of("reminders[2].nothing") == once.line == 5


def test_a_date_time_may_be_written_several_ways(tmp_path: Path) -> None:
    for i, at in enumerate(("2026-12-01T09:00", "2026-12-01 09:00:00", "'2026-12-1 9:00'")):
        write(tmp_path / "reminders", f"{i}.yaml", one_reminder(at=at).replace("r1", f"r{i}"))
    found = load_reminders([tmp_path / "reminders"])
    assert {r.at for r in found.values()} == {datetime(2026, 12, 1, 9, 0)}


def test_a_bad_cron_names_file_line_field_and_the_schedulers_complaint(tmp_path: Path) -> None:
    path = write(tmp_path / "reminders", "a.yaml", one_reminder(cron='"0 9 1 * * *"'))
    with pytest.raises(ContentError) as info:
        load_reminders([path])
    (problem,) = info.value.problems
    assert (problem.path, problem.line, problem.field) == (path, 4, "reminders[1].cron")
    assert problem.key == "reminder.bad_cron"
    assert problem.render("en").endswith(
        "reminders[1].cron: '0 9 1 * * *' is not a valid cron expression: "
        "wrong number of fields: 6, expected 5"
    )
    found = reminder_problems(tmp_path, one_reminder(cron='"61 9 * * *"'))
    assert found == [(4, "reminders[1].cron", "reminder.bad_cron")]


def test_weekdays_are_numbered_as_in_crontab(tmp_path: Path) -> None:
    # 1 = Monday and 0 or 7 = Sunday as every crontab guide says (APScheduler's own
    # numbering starts at Monday = 0; bot.content.cron translates, as the scheduler does).
    folder = tmp_path / "ok"
    for i, weekday in enumerate(("1", "mon", "7", "0", "1-5", "mon-fri")):
        write(folder, f"{i}.yaml", one_reminder(cron=f'"0 9 * * {weekday}"').replace("r1", f"r{i}"))
    found = load_reminders([folder])
    weekdays = [found[f"r{i}"].cron.split()[4] for i in range(len(found))]
    assert weekdays == ["1", "mon", "7", "0", "1-5", "mon-fri"]  # kept as written
    for weekday in ("8", "5-1", "monday-x"):
        found = reminder_problems(tmp_path, one_reminder(cron=f'"0 9 * * {weekday}"'))
        assert found == [(4, "reminders[1].cron", "reminder.bad_cron")], weekday


def test_cron_and_at_are_exclusive_and_one_is_needed(tmp_path: Path) -> None:
    both = one_reminder(cron='"0 9 * * mon"', at="2026-12-01 09:00")
    assert reminder_problems(tmp_path, both) == [(5, "reminders[1].at", "reminder.cron_or_at")]
    neither = one_reminder(urgent="true")
    assert reminder_problems(tmp_path, neither) == [(2, "reminders[1]", "reminder.cron_or_at")]


def test_a_cron_firing_more_than_once_an_hour_is_refused(tmp_path: Path) -> None:
    for cron in ("*/30 * * * *", "0,30 9 * * mon", "0,59 9 1 * *", "* 9 25 12 *"):
        found = reminder_problems(tmp_path, one_reminder(cron=f'"{cron}"'))
        assert found == [(4, "reminders[1].cron", "reminder.too_often")], cron
    path = write(tmp_path / "reminders", "a.yaml", one_reminder(cron='"0,30 9 * * mon"'))
    with pytest.raises(ContentError) as info:
        load_reminders([path])
    assert info.value.problems[0].params == {
        "value": "0,30 9 * * mon",
        "first": "09:00",
        "second": "09:30",
        "minutes": 30,
    }
    # Once an hour is the most allowed, and rare schedules are fine.
    for i, cron in enumerate(("0 * * * *", "0 8-18 * * mon-fri", "30 9 29 2 *")):
        write(tmp_path / "ok", f"{i}.yaml", one_reminder(cron=f'"{cron}"').replace("r1", f"r{i}"))
    assert len(load_reminders([tmp_path / "ok"])) == 3


def test_a_cron_that_never_fires_is_refused(tmp_path: Path) -> None:
    found = reminder_problems(tmp_path, one_reminder(cron='"0 9 31 2 *"'))
    assert found == [(4, "reminders[1].cron", "reminder.cron_never")]


def test_at_needs_a_local_date_and_time(tmp_path: Path) -> None:
    for at in ("2026-12-01", "2026-12-01T09:00:00+08:00", "下周一上午", "2026-02-30 09:00"):
        found = reminder_problems(tmp_path, one_reminder(at=at))
        assert found == [(4, "reminders[1].at", "reminder.bad_at")], at


def test_field_problems_point_at_their_reminder(tmp_path: Path) -> None:
    text = (
        "reminders:\n"
        "  - id: ok\n"
        "    cron: '0 9 * * mon'\n"
        "    text: 好的\n"
        "  - id: Bad Id\n"  # line 5
        "    cron: '0 9 * * mon'\n"
        "    text: ''\n"
        "    urgent: 是\n"
        "    audience: [xam, 兴安盟]\n"
        "    when: 明天\n"  # line 10
        "  - 只有一句话\n"
        "  - {cron: '0 9 * * mon'}\n"
    )
    assert reminder_problems(tmp_path, text) == [
        (5, "reminders[2].id", "field.pattern"),
        (7, "reminders[2].text", "field.empty"),
        (8, "reminders[2].urgent", "field.type"),
        (9, "reminders[2].audience[2]", "field.pattern"),
        (10, "reminders[2].when", "field.unknown"),
        (11, "reminders[3]", "field.type"),
        (12, "reminders[4].id", "field.missing"),
        (12, "reminders[4].text", "field.missing"),
    ]


def test_text_is_limited_to_one_message(tmp_path: Path) -> None:
    text = one_reminder(cron="'0 9 * * mon'").replace("提醒内容", "长" * 3797)
    assert reminder_problems(tmp_path, text) == [(3, "reminders[1].text", "field.too_long")]
    write(tmp_path / "ok", "a.yaml", text.replace("长" * 3797, "长" * 3796))
    assert len(load_reminders([tmp_path / "ok"])["r1"].text) == 3796


def test_the_file_needs_a_list_of_reminders(tmp_path: Path) -> None:
    assert reminder_problems(tmp_path, "reminders: []\n") == [(1, "reminders", "field.empty")]
    assert reminder_problems(tmp_path, "reminders: 每月提醒\n") == [(1, "reminders", "field.type")]
    assert reminder_problems(tmp_path, "- id: a\n") == [(1, "", "field.type")]
    assert reminder_problems(tmp_path, "reminder:\n  - id: a\n") == [
        (1, "reminder", "field.unknown_hint"),
        (1, "reminders", "field.missing"),
    ]


def test_a_repeated_id_is_reported_against_the_first(tmp_path: Path) -> None:
    folder = tmp_path / "reminders"
    write(folder, "a.yaml", VALID)
    later = write(folder, "b.yaml", "# again\n" + one_reminder(cron="'0 9 * * fri'"))
    (later.parent / "b.yaml").write_text(
        later.read_text(encoding="utf-8").replace("r1", "year-end"), encoding="utf-8"
    )
    with pytest.raises(ContentError) as info:
        load_reminders([folder])
    (problem,) = info.value.problems
    assert (problem.path, problem.line, problem.field) == (later, 3, "reminders[1].id")
    assert problem.key == "content.duplicate_id"
    assert problem.params["other"].endswith("a.yaml:5")
    same_file = VALID + "  - {id: party-day, cron: '0 10 * * *', text: 又一条}\n"
    assert reminder_problems(tmp_path / "one-file", same_file) == [
        (11, "reminders[3].id", "content.duplicate_id")
    ]


def test_audience_units_are_checked_against_the_org_tree(tmp_path: Path) -> None:
    text = VALID.replace("[xam-kyqq, xam-tq]", "[xam-kyqq, xam-kyq, all]")
    write(tmp_path / "reminders", "a.yaml", text)
    reminders = load_reminders([tmp_path / "reminders"])
    (problem,) = reminder_unit_problems(reminders, load_orgs(ORGS))
    assert (problem.line, problem.field, problem.key) == (
        7,
        "reminders[2].audience[2]",
        "lecture.unknown_unit",
    )
    assert problem.render().endswith("reminders[2].audience[2]: 组织架构里没有单位“xam-kyq”")
    write(tmp_path / "reminders", "a.yaml", VALID)
    assert reminder_unit_problems(load_reminders([tmp_path / "reminders"]), load_orgs(ORGS)) == []


# --- load_pack and load_content ---


def test_load_pack_reads_reminder_folders_as_reminders_only(tmp_path: Path) -> None:
    study = tmp_path / "study"
    write(study, "a.yaml", ITEM.format(id="a", publish="{date: 2026-11-23}"))
    write(study / "reminders", "r.yaml", VALID)  # inside the study folder, still reminders
    pack = load_pack([study], reminder_paths=[study / "reminders"])
    assert list(pack.items) == ["a"]
    assert list(pack.reminders) == ["party-day", "year-end"]
    assert pack.files == 2
    with pytest.raises(ContentError) as info:
        load_pack([study])  # without reminder_paths the file is read as a study item
    assert {p.key for p in info.value.problems} >= {"field.missing"}


def test_reminder_problems_stop_the_pack_like_any_other(tmp_path: Path) -> None:
    write(tmp_path / "r", "a.yaml", one_reminder(cron="'*/5 * * * *'"))
    with pytest.raises(ContentError) as info:
        load_pack([], reminder_paths=[tmp_path / "r"])
    assert [(p.line, p.field, p.key) for p in info.value.problems] == [
        (4, "reminders[1].cron", "reminder.too_often")
    ]


def test_load_content_reads_the_reminders_folder_when_it_exists(tmp_path: Path) -> None:
    config = load_config(ROOT / "config.yaml")
    pack = load_content(config)
    assert {"party-day", "kyqq-leitai-2026"} <= set(pack.reminders)
    absent = replace(config, reminders_dir=tmp_path / "nothing")
    assert load_content(absent).reminders == {}


# --- deadlines ---


def test_a_study_deadline_is_a_local_date_time_or_the_end_of_a_day(tmp_path: Path) -> None:
    cases = {
        "2026-11-27 18:00": datetime(2026, 11, 27, 18, 0),
        "2026-11-27T18:00": datetime(2026, 11, 27, 18, 0),
        "2026-11-27 18:00:00": datetime(2026, 11, 27, 18, 0),
        "2026-11-27": datetime(2026, 11, 27, 23, 59),
        "'2026-11-27'": datetime(2026, 11, 27, 23, 59),
    }
    for i, deadline in enumerate(cases):
        item = ITEM.format(id=f"d{i}", publish="{week: 2026-W48}") + f"deadline: {deadline}\n"
        write(tmp_path, f"{i}.yaml", item)
    pack = load_pack([tmp_path])
    assert [pack.items[f"d{i}"].deadline for i in range(len(cases))] == list(cases.values())
    write(tmp_path / "none", "a.yaml", ITEM.format(id="a", publish="{week: 2026-W48}"))
    assert load_pack([tmp_path / "none"]).items["a"].deadline is None


def test_a_bad_deadline_names_its_line(tmp_path: Path) -> None:
    for deadline in ("2026-11-31", "2026/11/27", "本周五", "2026-11-27T18:00:00+08:00", "[1]"):
        text = ITEM.format(id="a", publish="{date: 2026-11-23}") + f"deadline: {deadline}\n"
        found = [(p.line, p.field, p.key) for p in study_problems(tmp_path, text)]
        expected = "field.type" if deadline == "[1]" else "deadline.bad"
        assert found == [(5, "deadline", expected)], deadline


def test_a_rotating_item_has_no_single_deadline(tmp_path: Path) -> None:
    text = ITEM.format(id="a", publish="{rotate: {every: 6, slot: 1}}") + "deadline: 2026-11-27\n"
    (problem,) = study_problems(tmp_path, text)
    assert (problem.line, problem.field, problem.key) == (5, "deadline", "deadline.rotating")
    assert "give it a date or week publish" in problem.render("en")


def test_a_deadline_before_the_publish_start_is_refused(tmp_path: Path) -> None:
    text = ITEM.format(id="a", publish="{week: 2026-W48}") + "deadline: 2026-11-22 18:00\n"
    (problem,) = study_problems(tmp_path, text)
    assert (problem.line, problem.field, problem.key) == (5, "deadline", "deadline.before_publish")
    assert problem.render().endswith("截止时间 2026-11-22 18:00 早于发布日期 2026-11-23")
    same_day = ITEM.format(id="a", publish="{date: 2026-11-23}") + "deadline: 2026-11-23\n"
    write(tmp_path / "ok", "a.yaml", same_day)
    assert load_pack([tmp_path / "ok"]).items["a"].deadline == datetime(2026, 11, 23, 23, 59)


def test_a_bank_takes_a_deadline_and_an_audience(tmp_path: Path) -> None:
    bank = BANK.format(id="b") + "deadline: 2026-11-29 20:00\naudience:\n  - xam-wlht\n  - xam-x\n"
    write(tmp_path / "q", "b.yaml", bank)
    write(tmp_path / "q", "plain.yaml", BANK.format(id="plain"))
    banks = load_pack([], [tmp_path / "q"]).banks
    assert banks["b"].deadline == datetime(2026, 11, 29, 20, 0)
    assert banks["b"].audience == ("xam-wlht", "xam-x")
    assert (banks["plain"].deadline, banks["plain"].audience) == (None, ("all",))
    (problem,) = bank_unit_problems(banks, load_orgs(ORGS))
    assert (problem.path.name, problem.line, problem.field) == ("b.yaml", 8, "audience[2]")
    assert problem.params == {"value": "xam-x"}


def test_a_banks_bad_deadline_and_audience_are_reported(tmp_path: Path) -> None:
    bank = BANK.format(id="b") + "deadline: 周日\naudience: [兴安盟]\n"
    write(tmp_path / "q", "b.yaml", bank)
    with pytest.raises(ContentError) as info:
        load_pack([], [tmp_path / "q"])
    assert [(p.line, p.field, p.key) for p in info.value.problems] == [
        (5, "deadline", "deadline.bad"),
        (6, "audience[1]", "field.pattern"),
    ]


def test_pack_unit_problems_covers_lectures_banks_and_reminders(tmp_path: Path) -> None:
    write(tmp_path / "q", "b.yaml", BANK.format(id="b") + "audience: xam-nowhere\n")
    write(tmp_path / "r", "r.yaml", VALID.replace("xam-tq]", "xam-nowhere]"))
    write(
        tmp_path / "l",
        "l.yaml",
        "id: l\ntitle: 讲座\nspeaker: 张三\nstart: 2026-11-26 15:00\nduration: 60\n"
        "audience: [xam-nowhere]\nvenues:\n  - {id: main, name: 主会场, main: true}\n",
    )
    pack = load_pack(
        [], [tmp_path / "q"], lecture_paths=[tmp_path / "l"], reminder_paths=[tmp_path / "r"]
    )
    found = pack_unit_problems(pack, load_orgs(ORGS))
    assert sorted((p.path.name, p.line, p.field) for p in found) == [
        ("b.yaml", 5, "audience"),
        ("l.yaml", 6, "audience[1]"),
        ("r.yaml", 7, "reminders[2].audience[2]"),
    ]
    assert lecture_unit_problems(pack.lectures, load_orgs(ORGS)) == [
        p for p in found if p.path.name == "l.yaml"
    ]


# --- the shipped samples ---


def test_the_samples_have_a_deadline_in_the_week_of_2026_11_23() -> None:
    config = load_config(ROOT / "config.yaml")
    pack = load_content(config)
    current = pack.published(date(2026, 11, 23))[0][1]
    assert current.id == "theme-education"
    assert current.publish.kind == "week"
    assert datetime(2026, 11, 23) < current.deadline < datetime(2026, 11, 30)
    dated = [b for b in pack.banks.values() if b.deadline is not None]
    assert [b.id for b in dated] == ["theme-education"]
    assert dated[0].deadline == datetime(2026, 11, 27, 18, 0)
    # The rotation still has an item every week: a new one took theme-education's slot.
    assert pack.published(date(2027, 1, 4))[0][1].id == "sanwen-sanda"


def test_the_sample_reminders_load_and_name_real_units() -> None:
    config = load_config(ROOT / "config.yaml")
    pack = load_content(config)
    assert pack.reminders["party-day"].cron == "0 9 1-7 * mon"
    once = pack.reminders["kyqq-leitai-2026"]
    assert (once.at, once.audience, once.urgent) == (
        datetime(2026, 12, 1, 9, 0),
        ("xam-kyqq",),
        False,
    )
    assert pack_unit_problems(pack, load_orgs(config.orgs_file)) == []
