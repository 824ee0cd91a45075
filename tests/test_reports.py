"""/report: an admin's figures, ranking with cards and a chart for a unit and period, on
the small known dataset of tests.test_figures; scope; the period and drill-down buttons."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from bot.app import App
from bot.core.messages import PHOTO
from bot.delivery import decode
from bot.domain.figures import Period
from bot.handlers.reports import split_args
from tests import test_figures
from tests.conftest import Chat

# The small known dataset of the figures tests, as fixtures here too.
base, november = test_figures.base, test_figures.november

PNG = b"\x89PNG\r\n\x1a\n"
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))
NOVEMBER = Period(date(2026, 11, 1), date(2026, 11, 30))


async def test_a_unit_admin_gets_the_chart_and_exact_figures_of_their_unit(november: App) -> None:
    chat = Chat(november, "王芳")  # administers 乌兰浩特市
    chart, text = await chat.send("/report 2026-11")
    assert chart.attachment is not None
    assert chart.attachment.kind == PHOTO
    assert chart.attachment.data.startswith(PNG)
    assert chart.attachment.name == "学习排名_乌兰浩特市_2026-11.png"
    assert chart.text == "📊 乌兰浩特市 · 2026-11 各单位综合得分"
    assert text.text.splitlines() == [
        "📊 乌兰浩特市 · 2026-11 学习情况",
        "",
        "👥 参学人数 5 人",
        "📖 学习完成率 38.5%（应学 13 · 已学 5）",
        "📝 测试参与率 20.0%（1 人）· 平均分 100.0",
        "🎓 出勤率 80.0%（应到 5 · 实到 4 · 请假 1 · 补学 0）",
        "⭐ 人均积分 5.6（共 28 分）",
        "🔁 学习 4 人次 · 签到 4 人次",
        "",
        "🏆 排名（按人均、参学人数调整后的综合得分）",
        "🥇 和平街道 46.4 分（3 人） 🟥红牌",
        "🥈 乌兰浩特市（本级） 46.3 分（1 人） 🟥红牌",
        "🥉 葛根庙镇 45.5 分（1 人） 🟥红牌",
        "— 暂无数据：兴安街道",
    ]
    actions = [b.action for b in text.buttons]
    assert actions == [
        "rp:xam-wlht|2026-W49",  # the clock is on 2 December
        "rp:xam-wlht|2026-12",
        "rp:xam-wlht|2026-11",
        "rp:xam-wlht-hp|2026-11",  # drill down, the busiest first
        "rp:xam-wlht-ggm|2026-11",
        "rpx:xam-wlht|2026-11",  # no ⬆: the league is not theirs
    ]


async def test_drilling_down_and_switching_the_period(november: App) -> None:
    chat = Chat(november, "王芳")
    await chat.send("/report 2026-11")
    replies = await chat.tap("rp:xam-wlht-hp|2026-11")
    assert replies[-1].text.startswith("📊 和平街道 · 2026-11 学习情况")
    assert "👥 参学人数 3 人" in replies[-1].text
    assert "rp:xam-wlht|2026-11" in [b.action for b in replies[-1].buttons]  # ⬆ back up
    replies = await chat.tap("上月")
    assert replies[-1].text.startswith("📊 和平街道 · 2026-11 学习情况")  # December's last month


async def test_a_superadmin_sees_the_league(november: App) -> None:
    replies = await Chat(november, "admin").send("/report 2026-11")
    text = replies[-1].text.splitlines()
    assert text[0] == "📊 兴安盟 · 2026-11 学习情况"
    assert text[2:4] == ["👥 参学人数 9 人", "📖 学习完成率 33.3%（应学 21 · 已学 7）"]
    assert text[10:13] == [
        "🥇 乌兰浩特市 43.7 分（5 人） 🟥红牌",
        "🥈 科尔沁右翼前旗 42.5 分（3 人） 🟥红牌",
        "🥉 阿尔山市 42.2 分（1 人） 🟥红牌",
    ]


async def test_nothing_outside_the_scope(november: App) -> None:
    chat = Chat(november, "王芳")
    for typed in ("/report 科尔沁右翼前旗", "/report 兴安盟 2026-11"):
        (reply,) = await chat.send(typed)
        assert reply.attachment is None
        assert "不在您的管理范围内" in reply.text
        assert "参学人数" not in reply.text
    for action in (
        "rp:xam-kyqq|2026-11",
        "rp:xam|2026-11",
        "rpx:xam-kyqq|2026-11",
        "rp:nope|2026-11",
    ):
        (reply,) = await chat.press(action)
        assert "不在您的管理范围内" in reply.text, action
    (reply,) = await Chat(november, "李雷").send("/report")
    assert reply.text == "抱歉，这个功能只对管理员开放。"


async def test_a_future_period_and_an_unknown_unit(november: App) -> None:
    chat = Chat(november, "admin")
    (reply,) = await chat.send("/report 2027-01")
    assert reply.text == "2027-01 还没有开始，没有可统计的数据"
    (reply,) = await chat.send("/report 火星 上月")
    assert reply.text.startswith("没有找到单位“火星”")
    assert "用法：/report [单位] [时段]" in reply.text


@pytest.mark.parametrize(
    ("typed", "unit", "period"),
    [
        ("", "", NOVEMBER),
        ("乌兰浩特市", "乌兰浩特市", NOVEMBER),
        ("乌兰浩特市 上月", "乌兰浩特市", OCTOBER),
        ("科尔沁右翼前旗 last month", "科尔沁右翼前旗", OCTOBER),
        ("2026-10", "", OCTOBER),
        ("和平街道 2026-10-01..2026-10-31", "和平街道", OCTOBER),
    ],
)
def test_the_unit_and_the_period_are_told_apart(typed: str, unit: str, period: Period) -> None:
    assert split_args(typed, date(2026, 11, 21)) == (unit, period)


async def test_the_report_in_english(november: App) -> None:
    chat = Chat(november, "王芳")
    await chat.send("/lang en")
    chart, text = await chat.send("/report 2026-11")
    assert chart.attachment is not None
    assert chart.attachment.name == "ranking_乌兰浩特市_2026-11.png"
    assert text.text.splitlines()[3] == "📖 Study completion 38.5% (5 of 13)"
    assert "🥈 乌兰浩特市 (own staff) 46.3 (1 people) 🟥Red" in text.text


async def test_the_ledger_button_sends_the_admins_scope_as_xlsx(november: App) -> None:
    import io

    from openpyxl import load_workbook

    chat = Chat(november, "王芳")
    await chat.send("/report 2026-11")
    action = chat.action_of("学习台账")
    (reply,) = await chat.press(action)
    assert reply.text.startswith("📥 正在生成学习台账")
    (again,) = await chat.press(action)  # a second tap while it is built: built once
    assert again.notice
    await asyncio.gather(*november.services.background.values())
    assert november.services.background == {}
    (payload,) = [
        r[0]
        for r in await november.services.store.all(
            "SELECT payload FROM outbox WHERE key LIKE 'ledger:%' AND chat_ref = '王芳'"
        )
    ]
    sent = decode(payload)
    assert sent.attachment is not None
    assert sent.attachment.name == "学习台账_乌兰浩特市_2026-11.xlsx"
    data = await november.services.store.scalar(
        "SELECT content FROM files WHERE sha256 = ?", (sent.attachment.sha256,)
    )
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames[0] == "汇总"
    names = {
        row[1]
        for ws in book.worksheets[1:]
        for row in ws.iter_rows(min_row=3, values_only=True)
        if row[1]
    }
    assert names == {"王芳", "李雷", "韩梅", "马丽", "张伟"}  # 吴刚 left; nobody of 科右前旗
    entries = await november.services.audit.recent(action="ledger")
    assert [(e.actor, e.target, e.detail) for e in entries] == [
        ("console:王芳", "xam-wlht", {"period": "2026-11"})
    ]
    (refused,) = await chat.press("rpx:xam-kyqq|2026-11")
    assert refused.attachment is None
    assert "不在您的管理范围内" in refused.text
