"""config.yaml: defaults, a full valid file, and each broken key with its line and message."""

from __future__ import annotations

import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config, parse_weekly

FIXTURES = Path(__file__).parent / "fixtures" / "config"
ROOT = Path(__file__).resolve().parent.parent


def test_shipped_config_is_valid_and_documented() -> None:
    config = load_config(ROOT / "config.yaml")
    assert config.timezone == "Asia/Shanghai"
    assert config.database_path == ROOT / "data" / "bot.sqlite3"
    assert config.study_dir == ROOT / "content" / "study"
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    assert text.count("#") > 20  # documented in place
    assert "TELEGRAM_BOT_TOKEN" in text
    assert "token:" not in text
    assert config.wecom.proxy == ""  # connect directly unless a proxy is configured


def test_full_valid_config(tmp_path: Path) -> None:
    config = load_config(FIXTURES / "full_valid.yaml")
    assert config.locale == "en"
    assert config.database_path == FIXTURES / "db" / "test.sqlite3"
    assert config.quiz_dir == FIXTURES / "banks"
    assert config.is_superadmin("telegram", "123456789")
    assert not config.is_superadmin("telegram", "1")
    assert (config.weekly_push.weekday, config.weekly_push.at) == (2, time(9, 30))
    assert (config.points.study, config.points.daily_cap) == (3, 40)
    assert config.telegram.base_file_url.endswith("/file/bot")


def test_a_config_of_comments_only_is_all_defaults() -> None:
    config = load_config(FIXTURES / "minimal.yaml")
    assert config.locale == "zh"
    assert config.admins == ()
    assert config.study_dir == FIXTURES / "content" / "study"


def test_defaults(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("locale: zh\n", encoding="utf-8")
    config = load_config(path)
    assert config.database_path == tmp_path / "data" / "bot.sqlite3"
    assert (config.weekly_push.weekday, config.weekly_push.at) == (0, time(8, 0))
    assert config.points.daily_cap == 50
    assert (config.telegram.mode, config.telegram.local_mode) == ("polling", False)
    assert (config.outbox.overall_per_second, config.outbox.group_per_minute) == (30, 20)
    assert config.max_upload_bytes == 1024 * 1024


def test_the_schedule_section(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "schedule:\n  lecture_reminders: [10m, 2h, 1天]\n  nudge_before: 1h30m\n"
        "  grace: 0m\n  quiet_hours: 23:00-06:30\n  morning: 09:15\n",
        encoding="utf-8",
    )
    sched = load_config(path).schedule
    assert sched.lecture_reminders == (1440, 120, 10)  # the last is the one with 签到
    assert (sched.nudge_before, sched.grace) == (90, 0)
    assert str(sched.quiet_hours) == "23:00-06:30"
    assert sched.quiet_hours.contains(time(0, 0))
    assert not sched.quiet_hours.contains(time(6, 30))
    assert sched.morning == time(9, 15)
    path.write_text("schedule:\n  quiet_hours: off\n", encoding="utf-8")
    assert load_config(path).schedule.quiet_hours is None
    path.write_text("locale: zh\n", encoding="utf-8")
    defaults = load_config(path).schedule
    assert (defaults.lecture_reminders, defaults.grace) == ((1440, 60, 10), 360)
    assert str(defaults.quiet_hours) == "22:00-07:00"


def test_webhook_and_paid_broadcasts(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "telegram:\n  mode: webhook\n  local_mode: true\n  webhook:\n"
        "    url: https://bot.example.org/\n    port: 8080\n    path: /hook/\n"
        "outbox:\n  overall_per_second: 300\n  paid_broadcast: true\n",
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.telegram.local_mode
    assert (config.telegram.webhook.port, config.telegram.webhook.path) == (8080, "hook")
    assert (config.outbox.overall_per_second, config.outbox.paid_broadcast) == (300, True)


def test_the_reports_section(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "reports:\n  gold: 92.5\n  yellow: 80\n  red: 65\n  prior_people: 50\n"
        "  weights: {study: 2, quiz: 1, attendance: 0}\n",
        encoding="utf-8",
    )
    reports = load_config(path).reports
    assert (reports.gold, reports.yellow, reports.red, reports.prior_people) == (92.5, 80, 65, 50)
    assert (reports.weights.study, reports.weights.quiz, reports.weights.attendance) == (2, 1, 0)
    path.write_text("locale: zh\n", encoding="utf-8")
    defaults = load_config(path).reports
    assert (defaults.gold, defaults.yellow, defaults.red, defaults.prior_people) == (90, 75, 60, 20)
    assert (defaults.weights.study, defaults.weights.quiz, defaults.weights.attendance) == (1, 1, 1)
    shipped = load_config(ROOT / "config.yaml").reports
    assert shipped == defaults  # config.yaml documents the defaults


BROKEN = [
    ("locale: zh\ncolour: red\n", "config.yaml:2: colour: unknown field"),
    (
        "database:\n  paht: x.db\n",
        "config.yaml:2: database.paht: unknown field; did you mean 'path'?",
    ),
    ("database:\n  path: 5\n", None),  # a number is accepted as text
    (
        "points:\n  daily_cap: many\n",
        "config.yaml:2: points.daily_cap: expected a whole number, got text",
    ),
    ("timezone: Mars/Olympus\n", "config.yaml:1: timezone: unknown time zone 'Mars/Olympus'"),
    ("locale: fr\n", "config.yaml:1: locale: 'fr' is not allowed; use one of: zh, en"),
    ("admins: [alice]\n", "config.yaml:1: admins[1]: 'alice' must be channel:user"),
    (
        "schedule:\n  weekly_push: someday\n",
        "config.yaml:2: schedule.weekly_push: 'someday' must be a weekday",
    ),
    (
        "schedule:\n  lecture_reminders: [24h, soon]\n",
        "config.yaml:2: schedule.lecture_reminders[2]: 'soon' must be a duration such as 24h",
    ),
    (
        "schedule:\n  grace: 8d\n",
        "config.yaml:2: schedule.grace: '8d' must be a duration such as 24h",
    ),
    (
        "schedule:\n  quiet_hours: 22:00\n",
        "config.yaml:2: schedule.quiet_hours: '22:00' must be start-end, e.g. 22:00-07:00",
    ),
    (
        "schedule:\n  morning: 8am\n",
        "config.yaml:2: schedule.morning: '8am' must be a time of day, e.g. 08:00",
    ),
    (
        "telegram: yes\n",
        "config.yaml:1: telegram: expected a mapping (key: value), got true or false",
    ),
    (
        "points: {study: -1}\n",
        "config.yaml:1: points.study: -1 is out of range; must be from 0 to 1000",
    ),
    (
        "telegram:\n  mode: webhook\n  webhook:\n    url: http://bot.example.org\n",
        "config.yaml:4: telegram.webhook.url: webhook mode needs a public URL starting with "
        "https://",
    ),
    (
        "telegram:\n  mode: hooks\n",
        "config.yaml:2: telegram.mode: 'hooks' is not allowed; use one of: polling, webhook",
    ),
    (
        "outbox:\n  overall_per_second: 200\n",
        "config.yaml:2: outbox.overall_per_second: 200 per second is above the free limit of 30",
    ),
    (
        "outbox:\n  overall_per_second: 2000\n  paid_broadcast: true\n",
        "config.yaml:2: outbox.overall_per_second: 2000 is out of range; must be from 1 to 1000",
    ),
    (
        "reports:\n  gold: 70\n  yellow: 75\n",
        "config.yaml:3: reports.yellow: thresholds must fall from gold to yellow to red "
        "(now gold 70, yellow 75, red 60)",
    ),
    (
        "reports:\n  yellow: 80\n  red: 80\n",
        "config.yaml:3: reports.red: thresholds must fall from gold to yellow to red "
        "(now gold 90, yellow 80, red 80)",
    ),
    (
        "reports:\n  gold: 101\n",
        "config.yaml:2: reports.gold: 101 is out of range; must be from 0 to 100",
    ),
    ("reports:\n  red: high\n", "config.yaml:2: reports.red: expected a number, got text"),
    ("reports:\n  red: true\n", "config.yaml:2: reports.red: expected a number, got true"),
    (
        "reports:\n  prior_people: -1\n",
        "config.yaml:2: reports.prior_people: -1 is out of range",
    ),
    (
        "reports:\n  weights: {study: 0, quiz: 0, attendance: 0}\n",
        "config.yaml:2: reports.weights: the weights of study, quiz and attendance must not "
        "all be 0",
    ),
    (
        "reports:\n  weights:\n    studies: 1\n",
        "config.yaml:3: reports.weights.studies: unknown field; did you mean 'study'?",
    ),
    (
        "wecom:\n  proxy: 10.1.2.3:3128\n",
        "config.yaml:2: wecom.proxy: the proxy must start with http:// or https://, "
        "e.g. http://10.1.2.3:3128; got '10.1.2.3:3128'",
    ),
    (
        "content:\n  max_upload_bytes: 50000000\n",
        "config.yaml:2: content.max_upload_bytes: 50000000 is out of range",
    ),
]


@pytest.mark.parametrize(("text", "message"), BROKEN)
def test_broken_config_names_line_key_and_problem(
    tmp_path: Path, text: str, message: str | None
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    if message is None:
        load_config(path)
        return
    with pytest.raises(ConfigError) as info:
        load_config(path)
    rendered = info.value.render("en", tmp_path)
    assert rendered.startswith(message), rendered


def test_every_problem_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("locale: fr\ntimezone: Nowhere/Here\nextra: 1\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert [p.line for p in info.value.problems] == [1, 2, 3]


def test_bot_stops_with_exit_status_2_on_a_bad_config(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("locale: zh\ndatabse:\n  path: x\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run", "--config", str(path)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert result.returncode == 2
    assert f"{path}:2: databse: 未知字段，是不是想写 “database”？" in result.stderr


@pytest.mark.parametrize(
    ("text", "weekday", "at"),
    [
        ("Monday 08:00", 0, time(8)),
        ("mon 8:05", 0, time(8, 5)),
        ("周日 21:00", 6, time(21)),
        ("星期三 07:30", 2, time(7, 30)),
    ],
)
def test_weekly_push_forms(text: str, weekday: int, at: time) -> None:
    parsed = parse_weekly(text)
    assert parsed is not None
    assert (parsed.weekday, parsed.at) == (weekday, at)


@pytest.mark.parametrize("text", ["Monday", "Funday 08:00", "Monday 25:00", "08:00 Monday"])
def test_weekly_push_rejects(text: str) -> None:
    assert parse_weekly(text) is None
