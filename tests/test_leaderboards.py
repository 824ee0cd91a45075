"""Leaderboards stay within a unit unless its admin opens it to the parent unit's board.

The roster: 王芳 administers 和平街道 (xam-wlht-hp), where 李雷 and 张伟 are cadres; 刘洋
administers 兴安街道 (xam-wlht-xa), where 韩梅 is a cadre; both streets lie in 乌兰浩特市
(xam-wlht). 赵敏 administers 科尔沁右翼前旗 (xam-kyqq), where 孙丽 is a cadre in 察尔森镇.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import App
from bot.config import RegistrationConfig
from bot.content.roster import load_roster
from tests.conftest import Chat

ROSTER = (
    "姓名,手机,单位,角色,职务\n"
    "王芳,13800000001,xam-wlht-hp,管理员,\n"
    "李雷,13800000002,xam-wlht-hp,,\n"
    "张伟,13800000003,xam-wlht-hp,,\n"
    "刘洋,13800000004,xam-wlht-xa,管理员,\n"
    "韩梅,13800000005,xam-wlht-xa,,\n"
    "赵敏,13800000006,xam-kyqq,管理员,\n"
    "孙丽,13800000007,xam-kyqq-ces,,\n"
)
POINTS = {"王芳": 5, "李雷": 20, "张伟": 30, "刘洋": 0, "韩梅": 50, "赵敏": 0, "孙丽": 80}
OPEN_HP = "rank:open:xam-wlht-hp"


@pytest.fixture
async def league(config, open_app, tmp_path: Path) -> App:
    """A roster-mode app: everyone on the roster bound to a console account, with points."""
    config = replace(config, registration=RegistrationConfig(mode="roster", default_unit="xam"))
    app = await open_app(config)
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    rows = load_roster(path, app.services.orgs.units.__contains__)
    await app.services.roster.apply("test", "roster.csv", rows)
    for name, points in POINTS.items():
        assert (await app.services.registration.claim_console(name))[0] == "bound"
        await set_points(app, name, points)
    return app


async def set_points(app: App, name: str, points: int) -> None:
    await app.services.store.write(
        lambda tx: tx.execute("UPDATE people SET points = ? WHERE display_name = ?", (points, name))
    )


async def opened(app: App) -> list[str]:
    rows = await app.services.store.all("SELECT unit_id FROM leaderboard_open ORDER BY unit_id")
    return [r[0] for r in rows]


async def audited(app: App) -> list[tuple[str, str, str, str]]:
    rows = await app.services.store.all(
        "SELECT actor, action, target, detail FROM audit_log "
        "WHERE action LIKE 'leaderboard.%' ORDER BY id"
    )
    return [tuple(r) for r in rows]


def names_on(text: str) -> list[str]:
    """The names listed on a board, top first."""
    return re.findall(r"^(?:🥇|🥈|🥉|\d+\.) (.+?)　\d+ 分", text, re.MULTILINE)


async def test_a_cadre_sees_only_the_people_of_their_own_unit(league: App) -> None:
    li = Chat(league, "李雷")
    await li.send("/rank")
    assert "📍 本单位：和平街道" in li.text
    assert names_on(li.text) == ["张伟", "李雷", "王芳"]
    assert "🥈 李雷　20 分 ← 你" in li.text
    assert "你的排名：第 2 名（共 3 人），20 分" in li.text
    for outsider in ("韩梅", "刘洋", "孙丽", "赵敏"):
        assert outsider not in li.text
    # Not opened: no wider board to go to.
    assert [b.action for b in li.buttons] == ["me", "menu"]
    await li.send("/me")
    assert "本单位排名：第 2 名（共 3 人）" in li.text

    han = Chat(league, "韩梅")
    await han.send("排行榜")
    assert names_on(han.text) == ["韩梅"]
    assert "你的排名：第 1 名（共 2 人），50 分" in han.text


async def test_opening_a_unit_puts_it_alone_on_the_parent_units_board(league: App) -> None:
    await Chat(league, "赵敏").send("/rank open 察尔森镇")  # another subtree's unit
    wang = Chat(league, "王芳")
    await wang.send("/rank open")  # she administers exactly one unit
    assert wang.text == (
        "✅ 已开放：和平街道 的人员将出现在“乌兰浩特市”排行榜中（该榜只列出已加入的单位）。"
    )
    li = Chat(league, "李雷")
    await li.send("/rank")
    assert "📣 本单位已加入“乌兰浩特市”排行" in li.text
    await li.tap("乌兰浩特市排行")
    assert "📍 乌兰浩特市（已加入的 1 个单位）" in li.text
    # 韩梅 has more points, but 兴安街道 has not joined; 孙丽's unit is in another county.
    assert names_on(li.text) == ["张伟（和平街道）", "李雷（和平街道）", "王芳（和平街道）"]
    assert "你的排名：第 2 名（共 3 人），20 分" in li.text
    await li.tap("本单位排行")
    assert "📍 本单位：和平街道" in li.text

    han = Chat(league, "韩梅")
    await han.send("/rank")
    assert "乌兰浩特市排行" not in [b.label for b in han.buttons]
    await han.press("rank:wide")  # an old button, or typed: her unit has not joined
    assert "本单位没有加入上级排行。" in han.text
    assert "张伟" not in han.text

    await Chat(league, "刘洋").send("/rank open 兴安街道")
    await li.press("rank:wide")
    assert "📍 乌兰浩特市（已加入的 2 个单位）" in li.text
    assert names_on(li.text)[0] == "韩梅（兴安街道）"
    assert "你的排名：第 3 名（共 5 人），20 分" in li.text
    await han.press("rank:wide")
    assert "你的排名：第 1 名（共 5 人），50 分" in han.text


async def test_an_admin_cannot_open_a_unit_outside_their_scope(league: App) -> None:
    zhao, li = Chat(league, "赵敏"), Chat(league, "李雷")
    await zhao.send("/rank open 和平街道")
    assert zhao.text == "“和平街道”不在您的管理范围内。"
    replies = await zhao.press(OPEN_HP)  # a forged or stale button
    assert [(m.notice, m.text) for m in replies] == [(True, "“和平街道”不在您的管理范围内。")]
    await li.send("/rank open")
    assert li.text == "抱歉，这个功能只对管理员开放。"
    replies = await li.press(OPEN_HP)
    assert replies[0].notice
    assert await opened(league) == []
    assert await audited(league) == []
    await li.send("/rank")
    assert "乌兰浩特市" not in li.text


async def test_opening_and_closing_are_audited_with_the_change(league: App, monkeypatch) -> None:
    wang = Chat(league, "王芳")
    await wang.send("/rank open 和平街道")
    await wang.send("/rank close")
    assert wang.text == "🔒 已收回：和平街道 的人员不再出现在“乌兰浩特市”排行榜中。"
    assert await audited(league) == [
        ("console:王芳", "leaderboard.open", "xam-wlht-hp", '{"parent": "xam-wlht"}'),
        ("console:王芳", "leaderboard.close", "xam-wlht-hp", '{"parent": "xam-wlht"}'),
    ]
    assert await opened(league) == []

    # The change and its audit entry commit together: no entry, no change.
    def broken(*_, **__):
        raise RuntimeError("audit log unwritable")

    monkeypatch.setattr(league.services.audit, "record", broken)
    await wang.send("/rank open")
    assert await opened(league) == []


async def test_pending_and_inactive_people_are_never_listed(league: App) -> None:
    await Chat(league, "陌生人").send("/start")  # waits to be bound: pending
    await league.services.store.write(
        lambda tx: tx.execute(
            "UPDATE people SET unit_id = 'xam-wlht-hp', points = 100 WHERE display_name = '陌生人'"
        )
    )
    await set_points(league, "张伟", 90)
    await league.services.store.write(
        lambda tx: tx.execute("UPDATE people SET active = 0 WHERE display_name = '张伟'")
    )
    await Chat(league, "王芳").send("/rank open")
    li = Chat(league, "李雷")
    await li.send("/rank")
    assert names_on(li.text) == ["李雷", "王芳"]
    assert "你的排名：第 1 名（共 2 人），20 分" in li.text
    await li.press("rank:wide")
    assert names_on(li.text) == ["李雷（和平街道）", "王芳（和平街道）"]
    assert "陌生人" not in li.text
    assert "张伟" not in li.text


async def test_a_double_tap_of_the_open_button_counts_once(league: App) -> None:
    wang = Chat(league, "王芳")
    await wang.send("/rank")
    assert wang.action_of("加入乌兰浩特市排行") == OPEN_HP
    first = await wang.press(OPEN_HP)
    second = await wang.press(OPEN_HP)
    assert first[0].edit
    assert "✅ 已开放：和平街道" in first[0].text
    assert wang.action_of("退出乌兰浩特市排行") == "rank:close:xam-wlht-hp"
    assert [(m.notice, m.text) for m in second] == [
        (True, "和平街道 已经加入“乌兰浩特市”排行，无需重复开放。")
    ]
    assert await opened(league) == ["xam-wlht-hp"]
    assert [a[1] for a in await audited(league)] == ["leaderboard.open"]
    await wang.tap("退出乌兰浩特市排行")
    assert "🔒 已收回" in wang.text
    assert wang.action_of("加入乌兰浩特市排行") == OPEN_HP
    assert await opened(league) == []


async def test_a_cadre_gets_no_open_button_and_top_units_have_no_wider_board(
    league: App,
) -> None:
    li = Chat(league, "李雷")
    await li.send("/rank")
    assert not any(b.action.startswith("rank:open") for b in li.buttons)
    admin = Chat(league, "admin")  # the superadmin, in no unit
    await admin.send("/rank")
    assert admin.text == "你还没有所属单位，暂时没有排行榜。"
    await admin.send("/rank open 兴安盟")
    assert admin.text == "兴安盟 是最上级单位，没有上级排行。"
    await admin.send("/rank open")  # a superadmin names the unit
    assert "用法：/rank open 单位" in admin.text
    assert "您管理的单位都没有加入上级排行。" in admin.text
    await admin.send("/rank open xam-wlht-xa")
    await admin.send("/rank open")
    assert "已加入上级排行的单位：兴安盟 / 乌兰浩特市 / 兴安街道" in admin.text
    assert await opened(league) == ["xam-wlht-xa"]
