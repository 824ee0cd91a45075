"""The weekly ranking post (亮晒比): groups opt in with /weeklyrank (admins in scope,
audited), and at reports.weekly_post each gets last week's ranking with a chart, once."""

from __future__ import annotations

from datetime import datetime

from bot.app import App
from bot.core.clock import ManualClock
from bot.core.messages import PHOTO, Incoming, Outgoing
from bot.delivery import decode
from tests import test_figures
from tests.conftest import TZ

base, november = test_figures.base, test_figures.november  # the known dataset
MONDAY = datetime(2026, 11, 30, 9, 0, tzinfo=TZ)  # reports.weekly_post: Monday 09:00


async def in_group(app: App, user: str, text: str, chat: str = "g-wlht") -> None:
    event = Incoming("console", user, chat, True, text, chat_title="乌兰浩特市学习群")
    await app.dispatcher.handle(event)


async def replies(app: App, chat: str = "g-wlht") -> list[str]:
    rows = await app.services.store.all(
        "SELECT payload FROM outbox WHERE chat_ref = ? AND key LIKE 'reply:%' ORDER BY id", (chat,)
    )
    return [decode(r[0]).text for r in rows]


async def posts(app: App) -> list[tuple[str, Outgoing]]:
    rows = await app.services.store.all(
        "SELECT chat_ref, payload FROM outbox WHERE key LIKE 'ranking:%' ORDER BY id"
    )
    return [(r[0], decode(r[1])) for r in rows]


async def test_groups_opt_in_and_get_last_weeks_ranking_once(
    november: App, clock: ManualClock
) -> None:
    app = november
    await in_group(app, "王芳", "/bindgroup 乌兰浩特市")
    await in_group(app, "李雷", "/weeklyrank on")  # not an admin
    await in_group(app, "赵敏", "/weeklyrank on")  # another subtree's admin
    await in_group(app, "王芳", "/weeklyrank")
    await in_group(app, "王芳", "/weeklyrank on")
    await in_group(app, "王芳", "/weeklyrank on")  # again: nothing changes
    said = await replies(app)
    assert said[1:] == [
        "抱歉，这个功能只对管理员开放。",
        "“兴安盟 / 乌兰浩特市”不在您的管理范围内。",
        "本群未开启亮晒比。开启后 每周一 09:00 发布上周各单位排名：/weeklyrank on",
        "🏆 已开启亮晒比：每周一 09:00 在本群发布上周各单位排名（含金牌、黄牌、红牌和图表）。",
        "🏆 已开启亮晒比：每周一 09:00 在本群发布上周各单位排名（含金牌、黄牌、红牌和图表）。",
    ]
    audit = await app.services.audit.recent(action="weeklyrank")
    assert [(e.actor, e.target, e.detail) for e in audit] == [
        ("console:王芳", "console:g-wlht", {"on": True})
    ]

    clock.set(MONDAY.replace(hour=8, minute=59))
    assert await app.services.ranking_post.run_due() == 0  # last week's moment is long gone
    clock.set(MONDAY.replace(second=5))
    assert await app.services.ranking_post.run_due() == 1
    assert await app.services.ranking_post.run_due() == 0  # once a week
    ((chat, post),) = await posts(app)
    assert chat == "g-wlht"
    assert post.attachment is not None
    assert post.attachment.kind == PHOTO
    assert post.attachment.name == "学习排名_乌兰浩特市_2026-W48.png"
    lines = post.text.splitlines()
    assert lines[0] == "📊 乌兰浩特市 · 2026-W48 学习情况"
    assert "🎓 出勤率 80.0%（应到 5 · 实到 4 · 请假 1 · 补学 0）" in lines  # the lecture of 25th
    # W48: composites 66.7 (王芳), 33.3 (张伟) and 33.3 (和平街道, 3 people), each shrunk
    # toward 乌兰浩特市's 40.0 with a prior of 20 people.
    assert lines[-4:] == [
        "🥇 乌兰浩特市（本级） 41.3 分（1 人） 🟥红牌",
        "🥈 葛根庙镇 39.7 分（1 人） 🟥红牌",
        "🥉 和平街道 39.1 分（3 人） 🟥红牌",
        "— 暂无数据：兴安街道",
    ]


async def test_a_post_missed_while_the_bot_was_down_is_skipped(
    november: App, clock: ManualClock
) -> None:
    app = november
    await in_group(app, "王芳", "/bindgroup 乌兰浩特市")
    await in_group(app, "王芳", "/weeklyrank on")
    clock.set(MONDAY.replace(hour=16))  # 7 hours late: past schedule.grace (6 h)
    assert await app.services.ranking_post.run_due() == 0
    assert await posts(app) == []
    status = await app.services.store.scalar(
        "SELECT status FROM deliveries WHERE what = 'ranking' AND whom = '*'"
    )
    assert status == "skipped"
    await in_group(app, "王芳", "/weeklyrank off")
    clock.set(datetime(2026, 12, 7, 9, 1, tzinfo=TZ))
    assert await app.services.ranking_post.run_due() == 0  # opted out
    assert await posts(app) == []
