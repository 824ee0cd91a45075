"""The command line: validate and backup."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.test_console import config_file, run_bot

ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).parent / "fixtures" / "broken"


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args, "--config", str(config_file(tmp_path))],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


def test_validate_the_shipped_content(tmp_path: Path) -> None:
    result = cli(tmp_path, "validate")
    assert result.returncode == 0, result.stdout
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("✓ 内容检查通过：7 个学习内容、7 套题库")


def test_validate_lists_every_problem_and_exits_1(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    folder.mkdir()
    for name in ("quiz_answer_not_option.yaml", "study_bad_week.yaml"):
        shutil.copy(BROKEN / name, folder / name)
    result = cli(tmp_path, "validate", str(folder))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert (
        lines[0] == "new/quiz_answer_not_option.yaml:10: questions[1].answer: "
        "答案 “E” 不在选项中（可选 A/B/C/D）"
    )
    assert lines[1].startswith("new/study_bad_week.yaml:6: publish.week:")
    assert lines[2] == "✗ 发现 2 个问题，内容未生效"


def test_validate_one_new_item_resolves_its_quiz_from_the_quiz_folder(tmp_path: Path) -> None:
    item = tmp_path / "new.yaml"
    item.write_text(
        "id: new-item\ntitle: 新内容\nbody: 正文\npublish: {week: 2026-W50}\n"
        "quiz: party-member-rights\n",
        encoding="utf-8",
    )
    result = cli(tmp_path, "validate", str(item))
    assert result.returncode == 0, result.stdout
    assert "1 个学习内容、0 套题库" in result.stdout


def test_validate_a_missing_path(tmp_path: Path) -> None:
    result = cli(tmp_path, "validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert "不存在" in result.stderr


def test_backup_after_a_session(tmp_path: Path) -> None:
    run_bot(tmp_path, "/study\n1\n", "--user", "alice")
    result = cli(tmp_path, "backup", str(tmp_path / "copy.sqlite3"))
    assert result.returncode == 0
    assert "已备份到" in result.stdout
    db = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert db.execute("SELECT display_name, points FROM people").fetchall() == [("alice", 5)]
    db.close()


def test_backup_without_a_database(tmp_path: Path) -> None:
    result = cli(tmp_path, "backup", str(tmp_path / "copy.sqlite3"))
    assert result.returncode == 1
    assert "先运行一次" in result.stderr


def test_the_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "cadre-bot"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0
    assert "validate" in result.stdout


def test_webhook_mode_without_a_secret_refuses_to_start(tmp_path: Path) -> None:
    result = run_bot(
        tmp_path,
        "",
        extra="telegram:\n  mode: webhook\n  webhook:\n    url: https://bot.example.org\n",
        env={"TELEGRAM_BOT_TOKEN": "123:NOT-A-REAL-TOKEN"},
    )
    assert result.returncode == 2
    assert "TELEGRAM_WEBHOOK_SECRET" in result.stderr
    assert "NOT-A-REAL-TOKEN" not in result.stderr + result.stdout  # the token is never shown


def test_wecom_without_its_secrets_refuses_before_touching_the_database(tmp_path: Path) -> None:
    env = {"WECOM_CORP_ID": "ww0123456789", "WECOM_SECRET": "NOT-A-REAL-SECRET"}
    result = run_bot(tmp_path, "", "--channel", "wecom", env=env)
    assert result.returncode == 2
    assert "WECOM_AGENT_ID" in result.stderr
    assert "NOT-A-REAL-SECRET" not in result.stderr + result.stdout
    assert not (tmp_path / "bot.sqlite3").exists()  # nothing opened, migrated or loaded


def test_secrets_are_masked_in_logs() -> None:
    import io
    import logging

    from bot.cli import Redact

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(Redact(["123:SECRET-TOKEN", ""]))
    log = logging.getLogger("test.redact")
    log.addHandler(handler)
    try:
        log.warning("HTTP Request: POST %s", "https://api.telegram.org/bot123:SECRET-TOKEN/getMe")
        try:
            raise RuntimeError("failed at /bot123:SECRET-TOKEN/sendMessage")
        except RuntimeError:
            log.exception("oops")
    finally:
        log.removeHandler(handler)
    written = stream.getvalue()
    assert "SECRET-TOKEN" not in written
    assert "https://api.telegram.org/bot***/getMe" in written
    assert "RuntimeError: failed at /bot***/sendMessage" in written


def test_roster_import_from_the_command_line(tmp_path: Path) -> None:
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "姓名,手机,单位,角色,职务\n王芳,13800000001,xam-wlht,admin,组织部干事\n"
        "李雷,13800000002,xam,,\n",
        encoding="utf-8",
    )
    first = cli(tmp_path, "roster", "import", str(roster))
    assert first.returncode == 0, first.stderr
    assert "新增 2 人，更新 0 人，不变 0 人，停用 0 人" in first.stdout
    roster.write_text("姓名,手机,单位\n王芳,13800000001,xam-nowhere\n", encoding="utf-8")
    broken = cli(tmp_path, "roster", "import", str(roster))
    assert broken.returncode == 1
    assert "名册.csv:2: unit: 组织架构里没有单位“xam-nowhere”" in broken.stdout
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:  # nothing half-imported
        assert db.execute("SELECT COUNT(*) FROM people WHERE active = 1").fetchone() == (2,)


def test_schedule_previews_a_week_of_the_sample_content_and_sends_nothing(tmp_path: Path) -> None:
    from tests.test_attendance import ROSTER

    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    assert cli(tmp_path, "roster", "import", str(roster)).returncode == 0
    for name in ("李雷", "赵敏", "孙悦"):  # on the console, so the scheduler can reach them
        run_bot(tmp_path, "/start\n", "--user", name)
    path = config_file(tmp_path)
    with path.open("a", encoding="utf-8") as f:
        f.write(
            f"  lectures_dir: {ROOT / 'content' / 'lectures'}\n"
            f"  reminders_dir: {ROOT / 'content' / 'reminders'}\n"
        )
    command = [sys.executable, "-m", "bot", "schedule", "--config", str(path)]
    result = subprocess.run(
        [*command, "--from", "2026-11-23", "--days", "7"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == PREVIEW.splitlines()
    db = sqlite3.connect(tmp_path / "bot.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM outbox").fetchone() == (0,)
    assert db.execute("SELECT COUNT(*) FROM deliveries").fetchone() == (0,)
    bad = subprocess.run(
        [*command, "--from", "23.11.2026"], capture_output=True, text=True, cwd=tmp_path
    )
    assert bad.returncode == 2
    assert "“23.11.2026” 不是日期" in bad.stderr


PREVIEW = """\
计划发送 2026-11-23 至 2026-11-29（Asia/Shanghai），仅预览，不会发送：
每周推送（1 次）
  11-23 周一 08:00  每周一学｜主题教育与调查研究 —— 3 人
讲堂提醒（6 次）
  11-24 周二 16:00  领导干部实战讲堂（科右前旗） · 提前 1 天 —— 2 人
  11-25 周三 15:00  领导干部实战讲堂（科右前旗） · 提前 1 小时 —— 2 人
  11-25 周三 15:00  乡村振兴大讲堂（盟级线上培训） · 提前 1 天 —— 3 人
  11-25 周三 15:50  领导干部实战讲堂（科右前旗） · 提前 10 分钟 —— 2 人
  11-26 周四 14:00  乡村振兴大讲堂（盟级线上培训） · 提前 1 小时 —— 3 人
  11-26 周四 14:50  乡村振兴大讲堂（盟级线上培训） · 提前 10 分钟 —— 3 人
签到码提示（主持人）（2 次）
  11-25 周三 15:30  领导干部实战讲堂（科右前旗） —— 1 人
  11-26 周四 14:00  乡村振兴大讲堂（盟级线上培训） —— 1 人
补学推送（2 次）
  11-25 周三 17:00  领导干部实战讲堂（科右前旗） —— 2 人
  11-26 周四 17:00  乡村振兴大讲堂（盟级线上培训） —— 3 人
截止提醒（2 次）
  11-25 周三 18:00  每周一学｜主题教育与调查研究 · 提前 1 天 —— 3 人
  11-26 周四 18:00  主题教育与调查研究知识测试 · 提前 1 天 —— 3 人
截止通报（管理员）（2 次）
  11-26 周四 18:00  每周一学｜主题教育与调查研究 —— 1 人
  11-27 周五 18:00  主题教育与调查研究知识测试 —— 1 人
共 15 次发送，33 人次。
"""
