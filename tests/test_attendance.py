"""Lecture-hall attendance with an injected clock: windows, codes, locations, leave,
make-up study and the roll-up on a small known dataset."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.app import App
from bot.config import RegistrationConfig
from bot.content.models import CheckinWindow, Lecture, Venue
from bot.content.roster import load_roster
from bot.core.clock import ManualClock
from bot.core.messages import LOCATION, Incoming
from bot.domain.attendance import distance_m
from tests.conftest import TZ, Chat
from tests.packs import write_pack
from tests.test_quiz import RIGHT, WRONG, take

# 王芳 administers 乌兰浩特市, 赵敏 科尔沁右翼前旗; three cadres in 和平街道, two in 科右前旗;
# 张伟 hosts at 葛根庙镇 (the sub-venue).
ROSTER = (
    "姓名,手机,单位,角色\n"
    "王芳,13800000001,xam-wlht,管理员\n"
    "赵敏,13800000002,xam-kyqq,管理员\n"
    "李雷,13800000003,xam-wlht-hp,\n"
    "韩梅,13800000004,xam-wlht-hp,\n"
    "马丽,13800000005,xam-wlht-hp,\n"
    "钱进,13800000006,xam-kyqq-ces,\n"
    "孙悦,13800000007,xam-kyqq,\n"
    "张伟,13800000008,xam-wlht-ggm,主持人\n"
)
START = datetime(2026, 11, 25, 15, 0)  # naive local, as content gives it
MAIN = Venue("main", "盟委党校主会场", main=True, lat=46.0800, lon=122.0500, radius=300)
GGM = Venue("ggm", "葛根庙镇分会场", lat=46.2000, lon=122.2000, radius=200, unit="xam-wlht-ggm")
LECTURE = Lecture(
    id="xczx-20261125",
    series="xczx",
    title="乡村振兴大讲堂",
    speaker="刘焕鑫",
    start=START,
    duration=90,
    audience=("xam-wlht", "xam-kyqq"),
    live_url="https://live.example.org/xczx",
    replay_url="https://replay.example.org/xczx",
    notes="加强党对“三农”工作的全面领导",
    quiz="demo",
    venues=(MAIN, GGM),
    window=CheckinWindow(30, 30, 10),
)


def at(minutes: float) -> datetime:
    """`minutes` after the lecture's start, as an aware time."""
    return START.replace(tzinfo=TZ) + timedelta(minutes=minutes)


@pytest.fixture
async def hall(config, open_app, clock: ManualClock, tmp_path: Path) -> App:
    """A roster-mode app with the roster, a demo quiz bank and the lecture above."""
    config = replace(config, registration=RegistrationConfig(mode="roster", default_unit="xam"))
    pack = write_pack(tmp_path / "pack", attempts=3)
    pack.lectures[LECTURE.id] = LECTURE
    app = await open_app(config, pack=pack, rng=random.Random(1))
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    await app.services.roster.apply(
        "test", "roster.csv", load_roster(path, app.services.orgs.units.__contains__)
    )
    for line in ROSTER.splitlines()[1:]:
        await app.services.registration.claim_console(line.split(",")[0])
    clock.set(at(-60))
    return app


async def person(app: App, name: str):
    return await app.services.people.find("console", name)


async def check_in(app: App, name: str, method: str = "button", venue: str = "online"):
    return await app.services.attendance.check_in(await person(app, name), LECTURE, method, venue)


# --- windows ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "status"),
    [
        (-30.01, "not_open"),
        (-30, "present"),  # exactly at the opening
        (9.99, "present"),
        (10, "late"),  # exactly at the late threshold
        (29.99, "late"),
        (30, "closed"),  # exactly at the close
    ],
)
async def test_window_edges(hall: App, clock: ManualClock, minutes: float, status: str) -> None:
    clock.set(at(minutes))
    assert (await check_in(hall, "李雷")).status == status


async def test_the_replies_say_when_the_window_opens_or_closed(hall: App, clock) -> None:
    li = Chat(hall, "李雷")
    clock.set(at(-45))
    await li.press(f"ci:{LECTURE.id}")
    assert "签到还没开始，11-25 14:30 开始" in li.text
    clock.set(at(31))
    await li.press(f"ci:{LECTURE.id}")
    assert "签到已于 15:30 结束" in li.text


async def test_a_second_check_in_changes_nothing(hall: App, clock) -> None:
    clock.set(at(-5))
    first = await check_in(hall, "李雷")
    clock.set(at(12))
    again = await check_in(hall, "李雷", "location", "main")
    assert first.status == "present"
    assert (again.status, again.at, again.venue_id) == ("already", first.at, "online")
    rows = await hall.services.store.all("SELECT status, venue_id FROM checkins")
    assert [tuple(r) for r in rows] == [("present", "online")]


async def test_someone_outside_the_audience_is_not_expected(hall: App, clock) -> None:
    clock.set(at(0))
    await hall.services.store.write(
        lambda tx: tx.execute("UPDATE people SET unit_id = 'xam-aes' WHERE display_name = '李雷'")
    )
    assert (await check_in(hall, "李雷")).status == "not_expected"


# --- codes ------------------------------------------------------------------------------


async def test_venue_codes_rotate_and_an_old_photo_fails(hall: App, clock) -> None:
    host, li = Chat(hall, "张伟"), Chat(hall, "李雷")
    clock.set(at(-10).replace(second=0))  # at the start of a code period
    await host.send(f"/code {LECTURE.id} ggm")
    code = re.search(r"签到码：(\d{6})", host.text)[1]
    assert "葛根庙镇分会场" in host.text
    assert "60 秒后更换" in host.text
    clock.advance(seconds=75)  # the next period, within the 20 s grace
    await li.send(f"/checkin {code}")
    assert "签到成功" in li.text
    assert "葛根庙镇分会场" in li.text
    han = Chat(hall, "韩梅")
    clock.advance(seconds=10)  # 25 s into the next period: the old code is gone
    await han.send(f"/checkin {code}")
    assert "签到码不对或已过期" in han.text
    clock.set(at(-10).replace(second=0) + timedelta(hours=1))  # the photo, an hour later
    await han.send(f"/checkin {code}")
    assert "签到码不对或已过期" in han.text
    rows = await hall.services.store.all("SELECT person_id, method, venue_id FROM checkins")
    assert [(r[1], r[2]) for r in rows] == [("code", "ggm")]


async def test_only_hosts_and_admins_see_a_code(hall: App, clock) -> None:
    clock.set(at(-10))
    assert (
        "只有这个会场的主持人和管理员"
        in (await Chat(hall, "李雷").send(f"/code {LECTURE.id} main"))[0].text
    )
    assert (
        "只有这个会场的主持人和管理员"
        in (await Chat(hall, "张伟").send(f"/code {LECTURE.id} main"))[0].text
    )
    assert "签到码" in (await Chat(hall, "王芳").send("/code xczx main"))[0].text  # by series
    entry = (await hall.services.audit.recent(1))[0]
    assert (entry.actor, entry.action, entry.target) == ("console:王芳", "code.show", LECTURE.id)


# --- location ---------------------------------------------------------------------------


async def share(app: App, name: str, lat: float, lon: float) -> str:
    event = Incoming("console", name, name, kind=LOCATION, location=(lat, lon))
    return "\n".join(m.text for m in await app.dispatcher.handle(event))


async def test_a_location_inside_the_radius_checks_in_and_outside_does_not(hall, clock) -> None:
    clock.set(at(-5))
    inside = (46.0800 + 0.002, 122.0500)  # about 222 m north of the main venue
    assert 200 < distance_m(*inside, MAIN.lat, MAIN.lon) < 250
    assert "签到成功" in await share(hall, "李雷", *inside)
    outside = (46.0800 + 0.003, 122.0500)  # about 333 m: beyond the 300 m radius
    assert "不在任何会场的签到范围内" in await share(hall, "韩梅", *outside)
    rows = await hall.services.store.all("SELECT method, venue_id FROM checkins")
    assert [tuple(r) for r in rows] == [("location", "main")]


# --- leave ------------------------------------------------------------------------------


async def test_leave_goes_to_the_persons_admin_and_only_they_decide(hall: App, clock) -> None:
    li = Chat(hall, "李雷")
    await li.send("/leave")
    await li.tap("乡村振兴大讲堂")
    await li.tap("病假")
    assert "请假申请已提交" in li.text
    store = hall.services.store
    asked = await store.all(
        "SELECT o.chat_ref, o.payload FROM outbox o JOIN outbox_batches b ON b.id = o.batch_id "
        "WHERE b.kind = 'leave'"
    )
    assert [r[0] for r in asked] == ["王芳"]
    assert "事由：病假" in asked[0][1]
    leave_id = await store.scalar("SELECT id FROM leaves")
    refused = await Chat(hall, "赵敏").press(f"lva:ok:{leave_id}")
    assert "不在您的管理范围内" in refused[0].text
    assert await store.scalar("SELECT status FROM leaves") == "pending"
    done = await Chat(hall, "王芳").press(f"lva:ok:{leave_id}")
    assert "已批准请假" in done[0].text
    again = await Chat(hall, "王芳").press(f"lva:no:{leave_id}")
    assert "已经处理过了" in again[0].text
    told = await store.scalar(
        "SELECT o.payload FROM outbox o JOIN outbox_batches b ON b.id = o.batch_id "
        "WHERE b.kind = 'leave.decided'"
    )
    assert "请假已批准" in told
    clock.set(at(91))
    standing = await hall.services.attendance.status_of(LECTURE, await person(hall, "李雷"))
    assert (standing.status, standing.leave_reason) == ("excused", "sick")


async def test_no_leave_once_the_lecture_has_started(hall: App, clock) -> None:
    clock.set(at(1))
    li = Chat(hall, "李雷")
    await li.press(f"lv:{LECTURE.id}:work")
    assert "已经开始，不能再请假" in li.text


# --- make-up and statuses ---------------------------------------------------------------


async def test_after_the_end_the_absent_and_excused_get_the_make_up_once(hall: App, clock) -> None:
    reminders = hall.services.reminders
    clock.set(at(-5))
    for name in ("王芳", "李雷", "韩梅", "赵敏", "孙悦", "张伟"):
        await check_in(hall, name)
    clock.set(at(-50))
    li = Chat(hall, "马丽")
    await li.press(f"lv:{LECTURE.id}:work")  # 马丽 asks leave; 钱进 just does not come
    leave_id = await hall.services.store.scalar("SELECT id FROM leaves")
    await Chat(hall, "王芳").press(f"lva:ok:{leave_id}")
    clock.set(at(89))
    assert await reminders.start() == []  # not over yet
    clock.set(at(90))
    assert [(r.due.kind, r.queued) for r in await reminders.sweep()] == [("makeup", 2)]
    assert await reminders.sweep() == []  # once only
    rows = await hall.services.store.all(
        "SELECT o.chat_ref, o.payload FROM outbox o JOIN outbox_batches b ON b.id = o.batch_id "
        "WHERE b.kind = 'makeup' ORDER BY o.chat_ref"
    )
    assert [r[0] for r in rows] == ["钱进", "马丽"]
    assert "https://replay.example.org/xczx" in rows[0][1]
    assert "quiz:demo" in rows[0][1]


async def test_passing_the_make_up_quiz_turns_absent_into_made_up(hall: App, clock) -> None:
    att = hall.services.attendance
    clock.set(at(100))
    qian, sun = await person(hall, "钱进"), await person(hall, "孙悦")
    await take(hall, sun, WRONG)
    await take(hall, qian, RIGHT)
    statuses = {a.person.display_name: a.status for a in await att.attendees(LECTURE)}
    assert statuses["钱进"] == "made_up"
    assert statuses["孙悦"] == "absent"


async def test_a_quiz_passed_before_the_lecture_ended_is_not_a_make_up(hall: App, clock) -> None:
    clock.set(at(60))
    await take(hall, await person(hall, "钱进"), RIGHT)
    clock.set(at(100))
    standing = await hall.services.attendance.status_of(LECTURE, await person(hall, "钱进"))
    assert standing.status == "absent"


# --- roll-up ----------------------------------------------------------------------------


async def dataset(hall: App, clock) -> None:
    """李雷 present online, 韩梅 late at 葛根庙, 王芳 present at the main venue, 赵敏
    present online; 马丽 excused; 钱进, 孙悦, 张伟 absent (钱进 makes up)."""
    clock.set(at(-50))
    await Chat(hall, "马丽").press(f"lv:{LECTURE.id}:training")
    leave_id = await hall.services.store.scalar("SELECT id FROM leaves")
    await Chat(hall, "王芳").press(f"lva:ok:{leave_id}")
    clock.set(at(-5))
    await check_in(hall, "李雷")
    await check_in(hall, "王芳", "location", "main")
    await check_in(hall, "赵敏")
    clock.set(at(15))
    await check_in(hall, "韩梅", "code", "ggm")


async def test_the_roll_up_live_and_after(hall: App, clock) -> None:
    await dataset(hall, clock)
    clock.set(at(20))
    live = (await Chat(hall, "admin").send(f"/roll {LECTURE.id}"))[0].text
    assert "实时签到（进行中）" in live
    assert "应到 8，实到 4（50%），其中迟到 1；请假 1，缺席 0，未签到 3，补学 0" in live
    clock.set(at(100))
    await take(hall, await person(hall, "钱进"), RIGHT)
    final = (await Chat(hall, "admin").send("/roll xczx"))[0].text
    assert "出勤统计" in final
    assert "应到 8，实到 4（50%），其中迟到 1；请假 1，缺席 2，未签到 0，补学 1" in final
    assert "• 线上：2" in final
    assert "• 盟委党校主会场：1" in final
    assert "• 葛根庙镇分会场：1" in final
    assert "• 乌兰浩特市：应到 5 实到 3（60%）迟到 1 请假 1 缺席 1 补学 0" in final
    assert "• 科尔沁右翼前旗：应到 3 实到 1（33%）迟到 0 请假 0 缺席 1 补学 1" in final


async def test_a_unit_admin_rolls_up_their_own_people_by_township(hall: App, clock) -> None:
    await dataset(hall, clock)
    clock.set(at(100))
    text = (await Chat(hall, "王芳").send(f"/roll {LECTURE.id}"))[0].text
    assert "应到 5，实到 3（60%），其中迟到 1；请假 1，缺席 1" in text
    assert "• 乌兰浩特市：应到 1 实到 1（100%）" in text  # 王芳 herself, at the city level
    assert "• 和平街道：应到 3 实到 2（67%）迟到 1 请假 1 缺席 0" in text
    assert "• 葛根庙镇：应到 1 实到 0（0%）迟到 0 请假 0 缺席 1" in text
    assert "科尔沁右翼前旗" not in text
    assert "只对管理员开放" in (await Chat(hall, "李雷").send(f"/roll {LECTURE.id}"))[0].text


async def test_lectures_lists_the_session_with_its_buttons(hall: App, clock) -> None:
    li = Chat(hall, "李雷")
    clock.set(at(-60))
    await li.send("/lectures")
    assert "乡村振兴大讲堂" in li.text
    assert "14:30 开始签到" in li.text
    assert li.buttons[0].action == f"lv:{LECTURE.id}"
    clock.set(at(-10))
    await li.send("大讲堂")
    assert li.buttons[0].action == f"ci:{LECTURE.id}"
    await li.tap("签到")
    assert "签到成功" in li.text
    await li.send("/lectures")
    assert "已签到" in li.text
    assert li.buttons == []


def test_python_m_bot_attendance_exports_the_list_as_csv(tmp_path: Path) -> None:
    import csv
    import subprocess
    import sys

    from tests.conftest import ROOT
    from tests.test_console import config_file

    path = config_file(tmp_path)
    with path.open("a", encoding="utf-8") as f:
        f.write(f"  lectures_dir: {ROOT / 'content' / 'lectures'}\n")
    roster = tmp_path / "r.csv"
    roster.write_text("姓名,手机,单位\n钱进,13800000006,xam-kyqq-ces\n", encoding="utf-8")

    def bot(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args, "--config", str(path)],
            cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip

    assert bot("roster", "import", str(roster)).returncode == 0
    out = tmp_path / "att.csv"
    done = bot("attendance", "shizhan-kyqq-20261125", "--csv", str(out))
    assert done.returncode == 0, done.stderr
    assert "已导出《领导干部实战讲堂（科右前旗）》出勤名单 1 人" in done.stdout
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0] == ["姓名", "编号", "单位", "状态", "方式", "会场", "签到时间", "请假事由"]
    assert rows[1][0] == "钱进"
    assert rows[1][2] == "兴安盟 / 科尔沁右翼前旗 / 察尔森镇"
    missing = bot("attendance", "nope", "--csv", str(out))
    assert missing.returncode == 1
    assert "没有找到讲座“nope”" in missing.stderr
