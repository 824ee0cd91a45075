"""The console channel, driven through stdin end to end."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from bot.app import App
from bot.channels.console import ConsoleChannel

ROOT = Path(__file__).resolve().parent.parent


def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(
        f"database:\n  path: {tmp_path / 'bot.sqlite3'}\n"
        f"content:\n  study_dir: {ROOT / 'content' / 'study'}\n  quiz_dir: {ROOT / 'quizzes'}\n"
        f"  orgs_file: {ROOT / 'content' / 'orgs.yaml'}\n",
        encoding="utf-8",
    )
    return path


def run_bot(
    tmp_path: Path, stdin: str, *args: str, extra: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`python -m bot run` with `extra` appended to the config; no channel secrets but `env`."""
    secrets = ("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "WECOM_CORP_ID", "WECOM_AGENT_ID",
               "WECOM_SECRET", "WECOM_TOKEN", "WECOM_AES_KEY")  # fmt: skip
    env = {**{k: v for k, v in os.environ.items() if k not in secrets}, **(env or {})}
    path = config_file(tmp_path)
    with path.open("a", encoding="utf-8") as f:
        f.write(extra)
    return subprocess.run(
        [sys.executable, "-m", "bot", "run", "--config", str(path), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env=env,
    )


def test_piped_stdin_prints_the_replies_and_exits_0(tmp_path: Path) -> None:
    result = run_bot(
        tmp_path,
        "/start\n/study\n",
        "--channel",
        "console",
        "--user",
        "alice",
        "--now",
        "2026-11-18T10:00",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "> /start" in out
    assert "欢迎你，alice" in out
    assert "📖 每周一学｜党员享有的八项权利" in out
    assert "[1] ✅ 标记已学" in out
    assert (tmp_path / "bot.sqlite3").exists()


def test_a_whole_session_by_numbers(tmp_path: Path) -> None:
    # /study, mark learned (1), take the quiz (1), start (1), pick the first option (1);
    # the quiz is shuffled, so the whole attempt is driven in test_handlers instead.
    lines = ["/study", "1", "1", "1", "1", "/me"]
    result = run_bot(
        tmp_path, "\n".join(lines) + "\n", "--user", "王芳", "--now", "2026-11-18T10:00"
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "🎉 已记录学习，+5 积分" in out
    assert "共 13 题" in out
    assert "第 1/13 题" in out
    assert "👤 王芳" in out
    assert "学习积分：" in out


def test_the_console_is_the_default_without_a_token(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "/help\n")
    assert result.returncode == 0
    assert "/quiz" in result.stdout


def test_now_rehearses_another_week(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "/study\n", "--now", "2026-11-23T08:00")
    assert "主题教育" in result.stdout.split("\n")[1]


def test_a_bad_now_stops_with_status_2(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "", "--now", "next tuesday")
    assert result.returncode == 2
    assert "--now" in result.stderr


async def test_numbers_pick_buttons_and_out_of_range_numbers_are_explained(app: App) -> None:
    out = io.StringIO()
    console = ConsoleChannel("alice", io.StringIO("/study\n9\n3\n/quit\n/me\n"), out, False)
    await console.run(app.dispatcher)
    text = out.getvalue()
    assert "请输入 1 到 4 之间的数字" in text
    assert "📚 往期学习（第 1/2 页" in text  # 3 = the 往期 button
    assert "> /me" not in text  # stopped at /quit


def test_piped_input_delivers_what_it_queued_before_exiting(tmp_path: Path) -> None:
    result = run_bot(
        tmp_path,
        "/pushweek\n",
        "--user",
        "admin",
        "--now",
        "2026-11-18T10:00",
        extra="admins: [console:admin]\n",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "📚 本周学习内容已加入发送队列" in out
    assert "📚 每周一学：每周一学｜党员享有的八项权利" in out  # the push itself, via the outbox
    assert "📢 广播发送完成：成功 1，失败 0，无法送达 0（共 1）。" in out


ROSTER_MODE = "registration:\n  mode: roster\n  default_unit: xam\n"


def test_console_user_is_the_roster_person_of_that_name_in_roster_mode(tmp_path: Path) -> None:
    roster = tmp_path / "r.csv"
    roster.write_text("姓名,手机,单位\n王芳,13800000001,xam-wlht\n", encoding="utf-8")
    path = config_file(tmp_path)
    with path.open("a", encoding="utf-8") as f:
        f.write(ROSTER_MODE)
    imported = subprocess.run(
        [sys.executable, "-m", "bot", "roster", "import", str(roster), "--config", str(path)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    known = run_bot(tmp_path, "/me\n", "--channel", "console", "--user", "王芳", extra=ROSTER_MODE)
    assert "您的身份是名册中的 王芳" in known.stdout
    assert "请先验证身份" not in known.stdout
    unknown = run_bot(
        tmp_path, "/me\n", "--channel", "console", "--user", "无名", extra=ROSTER_MODE
    )
    assert "名册中没有“无名”" in unknown.stdout
    assert "请先验证身份" in unknown.stdout
