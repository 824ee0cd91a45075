"""/announce and `python -m bot announce`: drafts edited with buttons, groups and people in
the admin's scope only, pinning, files, scheduled sends across a restart, the delivery
report per group and per person, and the command line."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.cli import main
from bot.content.roster import load_roster
from bot.core.clock import ManualClock
from bot.core.messages import DOCUMENT, UPLOAD, Incoming, Outgoing, Upload
from bot.delivery import Rejected, Unreachable, decode
from tests import test_figures
from tests.conftest import TZ, Chat
from tests.draining import drain_all
from tests.test_console import config_file, run_bot

ROSTER = test_figures.ROSTER
base = test_figures.base  # roster mode: 王芳 administers 乌兰浩特市, 赵敏 科尔沁右翼前旗
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=TZ)
WLHT_PEOPLE = ["吴刚", "张伟", "李雷", "王芳", "韩梅", "马丽"]  # everyone under 乌兰浩特市
TEXT = "请各支部于本周五前完成《党员的八项权利》学习。"


@pytest.fixture
async def league(base: App, clock: ManualClock) -> App:
    """Groups bound by each admin: 和平街道 (g-hp) and 科尔沁右翼前旗 (g-kyqq)."""
    clock.set(NOW)
    for admin, unit, chat, title in (
        ("王芳", "和平街道", "g-hp", "和平街道干部学习群"),
        ("赵敏", "科尔沁右翼前旗", "g-kyqq", "科右前旗学习群"),
    ):
        event = Incoming("console", admin, chat, True, f"/bindgroup {unit}", chat_title=title)
        await base.dispatcher.handle(event)
    await base.services.store.write(lambda tx: tx.execute("DELETE FROM outbox"))  # bind replies
    return base


async def queued(app: App) -> list[tuple[str, int, Outgoing]]:
    rows = await app.services.store.all(
        "SELECT chat_ref, is_group, payload FROM outbox WHERE key LIKE 'announce:%' ORDER BY id"
    )
    return [(r[0], r[1], decode(r[2])) for r in rows]


async def test_an_announcement_reaches_the_scope_only_pinned_in_groups_and_once(
    league: App,
) -> None:
    chat = Chat(league, "王芳")
    (preview,) = await chat.send(f"/announce {TEXT}")
    assert preview.text.splitlines() == [
        "📝 通知预览（#1），确认无误后点“发送”：",
        "────────",
        "📢【通知】乌兰浩特市",
        "",
        TEXT,
        "────────",
        "发往：1 个群 · 6 人",
        "群：和平街道干部学习群",
        "发送时间：立即发送",
    ]
    (pinned,) = await chat.tap("置顶")
    assert pinned.edit
    assert "✅ 置顶" in [b.label for b in pinned.buttons]
    assert await queued(league) == []  # a preview sends nothing
    (done,) = await chat.tap("发送")
    assert done.text == ("✅ 通知 #1 已加入发送队列：1 个群，6 人。发完后会把送达情况告诉您。")
    sent = await queued(league)
    assert sent[0][:2] == ("g-hp", 1)
    assert sorted((c, g) for c, g, _ in sent[1:]) == [(p, 0) for p in sorted(WLHT_PEOPLE)]
    group_msg, person_msg = sent[0][2], sent[1][2]
    assert group_msg.pin
    assert not person_msg.pin
    assert person_msg.text == f"📢【通知】乌兰浩特市\n\n{TEXT}"
    (again,) = await chat.press("an:1:send")  # a double tap
    assert again.notice
    assert again.text == "这条通知已经发出。"
    assert len(await queued(league)) == 7
    entries = await league.services.audit.recent(action="announce")
    assert [(e.actor, e.target) for e in entries] == [("console:王芳", "1")]
    assert entries[0].detail["groups"] == 1
    assert entries[0].detail["people"] == 6
    assert entries[0].detail["units"] == ["xam-wlht"]


async def test_only_admins_and_only_their_own_drafts(league: App) -> None:
    (reply,) = await Chat(league, "李雷").send(f"/announce {TEXT}")
    assert reply.text == "抱歉，这个功能只对管理员开放。"
    await Chat(league, "王芳").send(f"/announce {TEXT}")
    (other,) = await Chat(league, "赵敏").press("an:1:send")  # another admin's draft
    assert other.notice
    assert await queued(league) == []
    (reply,) = await Chat(league, "赵敏").send("/announce 科右前旗的通知")
    assert "发往：1 个群 · 3 人" in reply.text  # their own subtree: g-kyqq, 赵敏 孙悦 钱进


async def test_the_delivery_report_names_each_failed_group_and_person(
    league: App, clock: ManualClock
) -> None:
    chat = Chat(league, "王芳")
    await chat.send(f"/announce {TEXT}")
    await chat.tap("发送")
    seen: list[str] = []

    async def send(chat_ref: str, msg: Outgoing) -> str:
        seen.append(chat_ref)
        if chat_ref == "g-hp":
            raise Rejected("not enough rights to send text messages to the chat")
        if chat_ref == "李雷":
            raise Unreachable("bot was blocked by the user")
        return "1"

    await drain_all(league.sender("console", send), clock)
    report = await league.services.store.scalar(
        "SELECT payload FROM outbox WHERE key LIKE 'report:%' AND chat_ref = '王芳'"
    )
    assert decode(report).text.splitlines() == [
        "📬 通知 #1 送达情况：",
        "群 1 个：已送达 0，失败 1，待发 0",
        "个人 6 人：已送达 5，失败 0，无法送达 1，待发 0",
        "未送达的群：",
        "• 和平街道干部学习群（not enough rights to send text messages to the chat）",
        "未送达的人员：",
        "• 李雷 · 兴安盟 / 乌兰浩特市 / 和平街道（已屏蔽机器人或已退出）",
    ]
    (shown,) = await chat.press("an:1:report")  # the same, on demand
    assert shown.text == decode(report).text


async def test_a_scheduled_announcement_goes_at_its_time_even_after_a_restart(
    league: App, clock: ManualClock, config, open_app
) -> None:
    chat = Chat(league, "王芳")
    await chat.send(f"/announce {TEXT}")
    (menu,) = await chat.tap("定时")
    assert [b.label for b in menu.buttons] == ["立即发送", "11-18 20:00", "11-19 08:00",
                                               "11-19 09:00", "11-23 09:00"]  # fmt: skip
    (preview,) = await chat.tap("11-19 08:00")
    assert "发送时间：2026-11-19 08:00" in preview.text
    (done,) = await chat.tap("发送")
    assert done.text.startswith("⏰ 通知 #1 将于 2026-11-19 08:00 发出")
    assert await league.services.announcements.run_due() == []
    assert await queued(league) == []
    await league.close()  # the bot stops overnight
    clock.set(datetime(2026, 11, 19, 8, 0, 10, tzinfo=TZ))
    restarted = await open_app(league.config, pack=league.services.pack)
    assert await restarted.services.announcements.run_due() == [1]
    assert await restarted.services.announcements.run_due() == []  # once
    assert len(await queued(restarted)) == 7
    actions = [e.action for e in await restarted.services.audit.recent()]
    assert sorted(a for a in actions if a.startswith("announce")) == [
        "announce",
        "announce.schedule",
    ]


async def test_a_scheduled_announcement_of_an_admin_who_lost_the_role_is_dropped(
    league: App, clock: ManualClock, tmp_path: Path
) -> None:
    chat = Chat(league, "王芳")
    await chat.send(f"/announce {TEXT}")
    await chat.press("an:1:at:202611190800")
    await chat.tap("发送")
    path = tmp_path / "roster2.csv"
    demoted = ROSTER.replace("王芳,13800000001,xam-wlht,管理员", "王芳,13800000001,xam-wlht,干部")
    path.write_text(demoted, encoding="utf-8")
    await league.services.roster.apply(
        "test", "roster2.csv", load_roster(path, league.services.orgs.units.__contains__)
    )
    clock.set(datetime(2026, 11, 19, 8, 1, tzinfo=TZ))
    assert await league.services.announcements.run_due() == []
    assert await queued(league) == []
    ann = await league.services.announcements.get(1)
    assert ann is not None
    assert ann.status == "cancelled"
    dropped = await league.services.audit.recent(action="announce.dropped")
    assert [(e.actor, e.target) for e in dropped] == [("console:王芳", "1")]


async def test_a_file_is_attached_stored_once_and_sent_with_each_copy(
    league: App, clock: ManualClock
) -> None:
    chat = Chat(league, "王芳")
    await chat.send(f"/announce {TEXT}")
    (waiting,) = await chat.tap("附件")
    assert waiting.text.endswith("📎 请把要附加的文件发给我（不超过 20 MB）。")
    data = b"%PDF-1.4 study plan"

    async def fetch() -> bytes:
        return data

    def upload(name: str) -> Incoming:
        file = Upload(name, len(data), fetch)
        return Incoming("console", "王芳", "王芳", kind=UPLOAD, upload=file)

    (refused,) = await league.dispatcher.handle(upload("plan.exe"))
    assert refused.text.startswith("“plan.exe”不能作为通知附件。")
    (preview,) = await league.dispatcher.handle(upload("学习安排.pdf"))
    assert "📎 附件：学习安排.pdf" in preview.text
    chat.last = [preview]
    await chat.tap("发送")
    assert await league.services.store.scalar("SELECT COUNT(*) FROM files") == 1
    got: list[tuple[str, str, bytes]] = []

    async def send(chat_ref: str, msg: Outgoing) -> str:
        if msg.text.startswith("📬"):  # the delivery report to 王芳
            return "1"
        assert msg.attachment is not None
        got.append((chat_ref, msg.attachment.name, msg.attachment.data))
        assert msg.attachment.kind == DOCUMENT
        return "1"

    await drain_all(league.sender("console", send), clock)
    assert len(got) == 7
    assert {(name, body) for _, name, body in got} == {("学习安排.pdf", data)}


async def test_nobody_to_reach_is_said_before_anything_is_queued(league: App) -> None:
    chat = Chat(league, "王芳")
    await chat.send(f"/announce {TEXT}")
    await chat.tap("群")
    (preview,) = await chat.tap("个人")
    assert "发往：0 个群 · 0 人" in preview.text
    (reply,) = await chat.tap("发送")
    assert reply.notice
    assert reply.text.startswith("这条通知没有可以送达的群或人员")
    assert await queued(league) == []


# --- the command line -------------------------------------------------------------------


def test_the_command_line_previews_queues_and_reports(tmp_path: Path, capsys) -> None:
    run_bot(tmp_path, "/start\n", "--user", "李雷")  # someone to reach, on the console
    path = str(config_file(tmp_path))
    assert main(["announce", "--config", path, "--text", TEXT, "--pin"]) == 0
    out = capsys.readouterr().out
    assert "发往：0 个群 · 1 人" in out
    assert "（仅预览，未发送。确认无误后加 --yes 发送）" in out
    db = sqlite3.connect(tmp_path / "bot.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM announcements").fetchone() == (0,)
    assert main(["announce", "--config", path, "--text", TEXT, "--yes"]) == 0
    assert "通知 #1 已加入发送队列" in capsys.readouterr().out
    assert db.execute("SELECT chat_ref FROM outbox WHERE key LIKE 'announce:1:%'").fetchall() == [
        ("李雷",)
    ]
    assert main(["announce", "--config", path, "--status", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[:2] == [
        "📬 通知 #1 正在发送：",
        "个人 1 人：已送达 0，失败 0，无法送达 0，待发 1",
    ]


def test_the_command_line_refuses_bad_input_and_changes_nothing(tmp_path: Path, capsys) -> None:
    path = str(config_file(tmp_path))
    later = (datetime.now(TZ) - timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    cases = [
        (["--text", TEXT, "--org", "火星"], "没有找到单位“火星”"),
        (["--text", TEXT, "--at", "明天"], "明天"),
        (["--text", TEXT, "--at", later, "--yes"], "这个时间已经过去了"),
        (["--text", TEXT, "--file", str(tmp_path / "nope.pdf")], "nope.pdf"),
        ([], "请用 --text 或 --text-file 给出通知内容"),
    ]
    for args, said in cases:
        assert main(["announce", "--config", path, *args]) == 2, args
        assert said in capsys.readouterr().err, args
    db = sqlite3.connect(tmp_path / "bot.sqlite3")
    assert db.execute("SELECT COUNT(*) FROM announcements").fetchone() == (0,)
