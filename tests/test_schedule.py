"""Schedules and reminders with an injected clock: the weekly push once, restarts inside and
beyond the grace period, quiet hours, snooze, lecture reminders and host prompts, deadline
nudges and escalations within scope, administrators' reminders, and the APScheduler jobs."""

from __future__ import annotations

import logging
import random
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.config import RegistrationConfig
from bot.content.models import Reminder
from bot.content.roster import load_roster
from bot.core.clock import ManualClock, from_db
from bot.delivery import decode
from tests.conftest import TZ, Chat
from tests.packs import write_pack
from tests.test_attendance import LECTURE, ROSTER
from tests.test_quiz import RIGHT, take

MONDAY_8 = datetime(2026, 11, 23, 8, 0, tzinfo=TZ)  # the weekly push (config: Monday 08:00)
DEADLINE = datetime(2026, 11, 27, 18, 0)  # the demo item's, naive local
NAMES = ("王芳", "赵敏", "李雷", "韩梅", "马丽", "钱进", "孙悦", "张伟")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=TZ)


@pytest.fixture
def setup(config, tmp_path: Path):
    """A roster-mode config and a pack: the demo item due 11-27 18:00, its quiz due 11-27
    20:00 for 科右前旗 only, the 11-25 lecture, and a Monday 09:00 reminder for 乌兰浩特市."""
    config = replace(config, registration=RegistrationConfig(mode="roster", default_unit="xam"))
    pack = write_pack(tmp_path / "pack", attempts=3)
    pack.items["demo"] = replace(pack.items["demo"], deadline=DEADLINE)
    pack.banks["demo"] = replace(
        pack.banks["demo"], deadline=datetime(2026, 11, 27, 20, 0), audience=("xam-kyqq",)
    )
    pack.lectures[LECTURE.id] = LECTURE
    pack.reminders["party-day"] = Reminder(
        "party-day", "请按时参加主题党日活动", cron="0 9 * * 1", audience=("xam-wlht",)
    )
    return config, pack


@pytest.fixture
async def sched(setup, open_app, clock: ManualClock, tmp_path: Path) -> App:
    """The app with the roster bound on the console and the superadmin registered."""
    config, pack = setup
    app = await open_app(config, pack=pack, rng=random.Random(1))
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    rows = load_roster(path, app.services.orgs.units.__contains__)
    await app.services.roster.apply("test", "roster.csv", rows)
    for name in NAMES:
        await app.services.registration.claim_console(name)
    await Chat(app, "admin").send("/start")  # console:admin is the superadmin
    return app


async def reopen(setup, open_app) -> App:
    """The same database opened again, as after a restart."""
    config, pack = setup
    return await open_app(config, pack=pack, rng=random.Random(1))


async def queued(app: App, kind: str) -> list[tuple[str, datetime, str]]:
    """(chat, not before, text) of every outbox row of batches of `kind`."""
    rows = await app.services.store.all(
        "SELECT o.chat_ref, o.not_before, o.payload FROM outbox o "
        "JOIN outbox_batches b ON b.id = o.batch_id WHERE b.kind = ? ORDER BY o.chat_ref",
        (kind,),
    )
    return [(r[0], from_db(r[1]), decode(r[2]).text) for r in rows]


async def actions(app: App, kind: str, chat: str) -> list[str]:
    rows = await app.services.store.all(
        "SELECT o.payload FROM outbox o JOIN outbox_batches b ON b.id = o.batch_id "
        "WHERE b.kind = ? AND o.chat_ref = ?",
        (kind, chat),
    )
    return [b.action for r in rows for b in decode(r[0]).buttons]


async def at(app: App, clock: ManualClock, moment: datetime) -> list[tuple[str, int, bool]]:
    """Move the clock and sweep: (what, queued, skipped) of each occurrence handled."""
    clock.set(moment)
    return [(r.due.what, r.queued, r.skipped) for r in await app.services.reminders.sweep()]


# --- the weekly push and restarts ------------------------------------------------------


async def test_the_weekly_push_fires_once_and_not_again_after_a_restart(
    sched: App, setup, open_app, clock: ManualClock
) -> None:
    clock.set(MONDAY_8 - timedelta(minutes=1))
    assert await sched.services.reminders.start() == []  # a first start sends nothing before
    assert await at(sched, clock, MONDAY_8 + timedelta(seconds=5)) == [("weekly", 9, False)]
    assert await at(sched, clock, MONDAY_8 + timedelta(seconds=20)) == []
    pushed = await queued(sched, "weekly")
    assert sorted(chat for chat, _, _ in pushed) == sorted([*NAMES, "admin"])
    assert all("每周一学｜党员的权利" in text for _, _, text in pushed)
    await sched.close()

    clock.set(MONDAY_8 + timedelta(minutes=30))
    again = await reopen(setup, open_app)
    assert await again.services.reminders.start() == []
    assert len(await queued(again, "weekly")) == 9
    runs = await again.services.store.all(
        "SELECT status, COUNT(*) FROM deliveries WHERE what = 'weekly' GROUP BY status"
    )
    assert {r[0]: r[1] for r in runs} == {"done": 1, "sent": 9}


async def test_a_push_missed_while_down_goes_out_once_within_the_grace_period(
    sched: App, setup, open_app, clock: ManualClock
) -> None:
    clock.set(local(2026, 11, 22, 22, 0))  # Sunday night: the bot runs, then stops
    await sched.services.reminders.start()
    await sched.close()

    clock.set(MONDAY_8 + timedelta(hours=5, minutes=59))  # back 5 h 59 min after the push
    late = await reopen(setup, open_app)
    started = await late.services.reminders.start()
    assert ("weekly", 9, False) in [(r.due.what, r.queued, r.skipped) for r in started]
    await late.close()

    clock.set(MONDAY_8 + timedelta(hours=6, minutes=30))
    later = await reopen(setup, open_app)
    assert await later.services.reminders.start() == []
    assert len(await queued(later, "weekly")) == 9


async def test_a_push_missed_beyond_the_grace_period_is_skipped_and_logged(
    sched: App, setup, open_app, clock: ManualClock, caplog
) -> None:
    clock.set(local(2026, 11, 22, 22, 0))
    await sched.services.reminders.start()
    await sched.close()

    clock.set(MONDAY_8 + timedelta(hours=6, minutes=1))
    late = await reopen(setup, open_app)
    with caplog.at_level(logging.WARNING, logger="bot.domain.reminders"):
        started = await late.services.reminders.start()
    assert ("weekly", 0, True) in [(r.due.what, r.queued, r.skipped) for r in started]
    assert await queued(late, "weekly") == []
    assert "skipped weekly: 1 occurrence(s) from 2026-11-23 08:00:00+08:00" in caplog.text
    entries = await late.services.audit.recent(action="schedule.skipped")
    assert [(e.target, e.detail["late"], e.detail["why"]) for e in entries] == [
        ("weekly", 361, "down")
    ]
    # The Monday 09:00 reminder was only 5 h late, so it did go out.
    assert len(await queued(late, "reminder")) == 5


async def test_weeks_down_are_summed_up_once_per_kind_of_send(
    sched: App, setup, open_app, clock: ManualClock, caplog
) -> None:
    clock.set(local(2026, 11, 22, 22, 0))
    await sched.services.reminders.start()
    await sched.close()

    clock.set(local(2026, 12, 14, 7, 0))  # three Mondays (and their 09:00 reminders) missed
    late = await reopen(setup, open_app)
    with caplog.at_level(logging.WARNING, logger="bot.domain.reminders"):
        await late.services.reminders.start()
    assert caplog.text.count("skipped weekly: 3 occurrence(s)") == 1
    entries = await late.services.audit.recent(action="schedule.skipped")
    counts = {e.target: e.detail["count"] for e in entries if e.detail["why"] == "down"}
    assert counts["weekly"] == 3
    assert counts["reminder:party-day"] == 3
    assert await queued(late, "weekly") == []
    skipped = await late.services.store.scalar(
        "SELECT COUNT(*) FROM deliveries WHERE what = 'weekly' AND status = 'skipped'"
    )
    assert skipped == 3
    assert await at(late, clock, local(2026, 12, 14, 8, 0)) == [("weekly", 9, False)]


async def test_pushweek_and_the_scheduled_push_never_send_an_item_twice_in_a_week(
    sched: App, clock: ManualClock
) -> None:
    clock.set(MONDAY_8 - timedelta(minutes=10))
    await sched.services.reminders.start()
    admin = Chat(sched, "admin")
    await admin.send("/pushweek")
    assert "《每周一学｜党员的权利》9 人" in admin.text
    assert await at(sched, clock, MONDAY_8) == [("weekly", 0, False)]
    assert len(await queued(sched, "weekly")) == 9


# --- quiet hours and /remind -------------------------------------------------------------


async def test_quiet_hours_hold_non_urgent_sends_until_they_end(
    sched: App, clock: ManualClock
) -> None:
    await Chat(sched, "李雷").send("/remind quiet 07:30-09:00")
    await Chat(sched, "马丽").send("/remind quiet off")
    await Chat(sched, "韩梅").send("/remind off")
    clock.set(MONDAY_8 - timedelta(minutes=1))
    await sched.services.reminders.start()
    await at(sched, clock, MONDAY_8)
    pushed = {chat: not_before for chat, not_before, _ in await queued(sched, "weekly")}
    assert "韩梅" not in pushed
    assert pushed["李雷"] == local(2026, 11, 23, 9, 0)
    assert pushed["马丽"] == MONDAY_8
    sender = sched.sender("console", lambda chat, msg: None)
    clock.set(local(2026, 11, 23, 8, 59))
    assert "李雷" not in [r["chat_ref"] for r in await sender.due()]
    clock.set(local(2026, 11, 23, 9, 0))
    assert "李雷" in [r["chat_ref"] for r in await sender.due()]
    status = await sched.services.store.scalar(
        "SELECT status FROM deliveries WHERE what = 'weekly' AND whom = "
        "(SELECT person_id FROM accounts WHERE user_ref = '李雷')"
    )
    assert status == "deferred"


async def test_the_last_lecture_reminder_is_urgent_and_the_others_wait_until_the_start(
    sched: App, clock: ManualClock
) -> None:
    await Chat(sched, "孙悦").send("/remind quiet 13:30-14:55")
    clock.set(local(2026, 11, 25, 13, 0))
    await sched.services.reminders.start()
    await at(sched, clock, local(2026, 11, 25, 14, 0))  # 1 h before
    hour = {chat: nb for chat, nb, _ in await queued(sched, "lecture")}
    assert hour["孙悦"] == local(2026, 11, 25, 14, 55)  # before the 15:00 start: it waits
    await Chat(sched, "孙悦").send("/remind quiet 13:30-16:00")
    await at(sched, clock, local(2026, 11, 25, 14, 50))  # 10 min before: urgent
    rows = await queued(sched, "lecture")
    last = [nb for chat, nb, text in rows if chat == "孙悦" and "10 分钟" in text]
    assert last == [local(2026, 11, 25, 14, 50)]


async def test_remind_shows_and_changes_the_settings(sched: App) -> None:
    li = Chat(sched, "李雷")
    await li.send("/remind")
    assert "提醒：开启" in li.text
    assert "免打扰时段：22:00-07:00" in li.text
    await li.tap("关闭提醒")
    assert "已关闭提醒" in li.text
    assert (await sched.services.people.find("console", "李雷")).reminders is False
    await li.tap("开启提醒")
    assert "提醒：开启" in li.text
    await li.tap("免打扰时段")
    await li.tap("23:00-06:00")
    assert "免打扰时段：23:00-06:00" in li.text
    await li.send("/remind quiet 25:00-07:00")
    assert "“25:00-07:00” 应写成 开始-结束" in li.text
    assert (await sched.services.people.find("console", "李雷")).quiet_hours == "23:00-06:00"


# --- snooze ------------------------------------------------------------------------------


async def test_snooze_sends_the_reminder_again_later_and_a_second_tap_changes_nothing(
    sched: App, clock: ManualClock
) -> None:
    clock.set(local(2026, 11, 24, 14, 0))
    await sched.services.reminders.start()
    assert ("lecture:xczx-20261125:1440", 8, False) in await at(
        sched, clock, local(2026, 11, 24, 15, 0)
    )
    found = await actions(sched, "lecture", "李雷")
    assert found[0] == f"lv:{LECTURE.id}"  # the first reminder offers leave
    hour = next(a for a in found if a.startswith("snz:h:"))
    morning = next(a for a in found if a.startswith("snz:m:"))
    li = Chat(sched, "李雷")
    clock.set(local(2026, 11, 24, 15, 10))
    replies = await li.press(hour)
    assert replies[0].notice
    assert "11-24 16:10 再提醒您" in replies[0].text
    replies = await li.press(hour)  # a double tap
    assert "已经设好了：11-24 16:10" in replies[0].text
    again = await queued(sched, "snooze")
    assert [(chat, nb) for chat, nb, _ in again] == [("李雷", local(2026, 11, 24, 16, 10))]
    assert "乡村振兴大讲堂" in again[0][2]
    replies = await Chat(sched, "韩梅").press(morning)
    assert "11-25 08:00 再提醒您" in replies[0].text
    replies = await Chat(sched, "韩梅").press("snz:h:99999")
    assert replies[0].text == "这条提醒已无法推迟"


# --- lectures: reminders and host prompts ------------------------------------------------


async def test_lecture_reminders_skip_the_checked_in_and_the_excused(
    sched: App, clock: ManualClock
) -> None:
    clock.set(local(2026, 11, 25, 13, 0))
    await Chat(sched, "马丽").press(f"lv:{LECTURE.id}:work")
    leave_id = await sched.services.store.scalar("SELECT id FROM leaves")
    await Chat(sched, "王芳").press(f"lva:ok:{leave_id}")
    await sched.services.reminders.start()
    clock.set(local(2026, 11, 25, 14, 40))
    await Chat(sched, "李雷").press(f"ci:{LECTURE.id}")
    await at(sched, clock, local(2026, 11, 25, 14, 50))
    rows = await queued(sched, "lecture")
    last = [(chat, text) for chat, _, text in rows if "还有 10 分钟" in text]
    assert sorted(chat for chat, _ in last) == ["孙悦", "张伟", "王芳", "赵敏", "钱进", "韩梅"]
    assert "还有 10 分钟" in last[0][1]
    assert "签到已开放" in last[0][1]
    # The 1-hour reminder, due at the same sweep, gave way to the last one.
    assert await actions(sched, "lecture", "韩梅") == [f"ci:{LECTURE.id}"]
    skipped = await sched.services.audit.recent(action="schedule.skipped")
    assert [(e.target, e.detail["why"]) for e in skipped] == [
        ("lecture:xczx-20261125:60", "superseded")
    ]


async def test_hosts_get_their_venue_code_prompt_when_check_in_opens(
    sched: App, clock: ManualClock
) -> None:
    clock.set(local(2026, 11, 25, 14, 0))
    await sched.services.reminders.start()
    assert ("hosts:xczx-20261125", 3, False) in await at(sched, clock, local(2026, 11, 25, 14, 30))
    prompts = {chat: await actions(sched, "hosts", chat) for chat in ("张伟", "王芳", "赵敏")}
    assert prompts == {
        "张伟": [f"cd:{LECTURE.id}:ggm"],  # the host of the 葛根庙镇 sub-venue
        "王芳": [f"cd:{LECTURE.id}:main"],  # admins of the audience units: the main venue
        "赵敏": [f"cd:{LECTURE.id}:main"],
    }
    zhang = Chat(sched, "张伟")
    await zhang.press(f"cd:{LECTURE.id}:ggm")
    assert "葛根庙镇分会场" in zhang.text
    assert "签到码" in zhang.text
    li = Chat(sched, "李雷")
    await li.press(f"cd:{LECTURE.id}:ggm")
    assert li.text == "只有这个会场的主持人和管理员可以查看签到码。"


# --- deadlines: nudges and escalation -----------------------------------------------------


async def test_nudges_go_only_to_people_who_have_not_finished(
    sched: App, clock: ManualClock
) -> None:
    people = sched.services.people
    await sched.services.study.mark_learned(
        await people.find("console", "李雷"), sched.services.pack.items["demo"]
    )
    await take(sched, await people.find("console", "钱进"), RIGHT)
    clock.set(local(2026, 11, 26, 17, 0))
    await sched.services.reminders.start()
    ran = await at(sched, clock, local(2026, 11, 26, 20, 0))
    assert ("nudge:study:demo", 8, False) in ran  # 9 people, 李雷 learned it
    assert ("nudge:quiz:demo", 2, False) in ran  # 科右前旗: 赵敏 and 孙悦; 钱进 took it
    nudged = await queued(sched, "nudge")
    study = sorted(chat for chat, _, text in nudged if "每周一学" in text)
    assert study == sorted(set(NAMES) - {"李雷"} | {"admin"})
    assert sorted(chat for chat, _, text in nudged if "测试" in text) == ["孙悦", "赵敏"]
    assert "11-27 18:00 截止（还有 22 小时）" in nudged[0][2]
    assert any(a.startswith("snz:h:") for a in await actions(sched, "nudge", "孙悦"))


async def test_escalations_name_only_people_within_each_admins_scope(
    sched: App, clock: ManualClock
) -> None:
    people = sched.services.people
    for name in ("李雷", "钱进"):
        await sched.services.study.mark_learned(
            await people.find("console", name), sched.services.pack.items["demo"]
        )
    clock.set(local(2026, 11, 27, 17, 0))
    await sched.services.reminders.start()
    assert ("escalate:study:demo", 3, False) in await at(sched, clock, local(2026, 11, 27, 18, 0))
    sent = {chat: text for chat, _, text in await queued(sched, "escalate")}
    wang, zhao = sent["王芳"], sent["赵敏"]  # admins of 乌兰浩特市 and 科尔沁右翼前旗
    assert "乌兰浩特市：应完成 5 人，已完成 1 人（20%），未完成 4 人" in wang
    for name in ("韩梅", "马丽", "张伟", "王芳"):
        assert name in wang
    for name in ("孙悦", "赵敏", "钱进", "李雷"):
        assert name not in wang
    assert "科尔沁右翼前旗：应完成 3 人，已完成 1 人（33%），未完成 2 人" in zhao
    assert "孙悦" in zhao
    assert "韩梅" not in zhao
    assert "钱进" not in zhao
    # The superadmin gets the roll-up by unit, the weakest first.
    rollup = sent["admin"]
    assert "全部：已完成 2/9（22%）" in rollup
    assert rollup.index("乌兰浩特市：1/5（20%）") < rollup.index("科尔沁右翼前旗：1/3（33%）")


# --- administrators' reminders ------------------------------------------------------------


async def test_an_administrators_reminder_reaches_its_audience_on_its_cron(
    sched: App, clock: ManualClock
) -> None:
    clock.set(local(2026, 11, 23, 8, 30))
    await sched.services.reminders.start()
    assert await at(sched, clock, local(2026, 11, 23, 8, 59)) == []
    assert await at(sched, clock, local(2026, 11, 23, 9, 0)) == [("reminder:party-day", 5, False)]
    sent = await queued(sched, "reminder")
    assert sorted(chat for chat, _, _ in sent) == sorted(["王芳", "李雷", "韩梅", "马丽", "张伟"])
    assert sent[0][2] == "📌 请按时参加主题党日活动"


# --- the scheduler itself -----------------------------------------------------------------


async def test_the_app_owns_one_scheduler_with_a_few_jobs_in_the_configured_zone(
    sched: App,
) -> None:
    scheduler = sched.scheduler()
    await scheduler.start()
    try:
        jobs = {job.id: job for job in scheduler.aps.get_jobs()}
        assert set(jobs) == {"reminders", "contests"}
        assert str(scheduler.aps.timezone) == "Asia/Shanghai"
        assert jobs["reminders"].trigger.interval == timedelta(seconds=15)
        assert jobs["reminders"].max_instances == 1
        assert jobs["reminders"].coalesce
    finally:
        await scheduler.shutdown()
    assert not scheduler.aps.running


async def test_the_preview_lists_a_week_and_writes_nothing(sched: App) -> None:
    start = local(2026, 11, 23, 0, 0)
    planned = await sched.services.reminders.preview(start, start + timedelta(days=7))
    kinds = [(p.due.kind, p.people) for p in planned]
    assert ("weekly", 9) in kinds
    assert ("reminder", 5) in kinds
    assert [k for k, _ in kinds].count("lecture") == 3
    assert await sched.services.store.scalar("SELECT COUNT(*) FROM outbox") == 0
    assert await sched.services.store.scalar("SELECT COUNT(*) FROM deliveries") == 0
