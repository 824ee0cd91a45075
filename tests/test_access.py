"""Roles, scope, binding and audit on a roster-mode deployment, driven as people would.

The roster: 王芳 administers 乌兰浩特市 (xam-wlht), 赵敏 administers 科尔沁右翼前旗 (xam-kyqq),
李雷 and 韩梅 are cadres in each, 张伟 hosts in 和平街道. Console accounts are bound the way
`--user` binds them; "admin" is the configured superadmin.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import App
from bot.config import ConfigError, RegistrationConfig, load_config
from bot.content.roster import load_roster
from bot.core.messages import UPLOAD, Incoming, Upload
from tests.conftest import ROOT, Chat

ROSTER = (
    "姓名,手机,单位,角色,职务\n"
    "王芳,13800000001,xam-wlht,管理员,组织部干事\n"
    "李雷,13800000002,xam-wlht-hp,,社区书记\n"
    "赵敏,13800000003,xam-kyqq,管理员,\n"
    "韩梅,13800000004,xam-kyqq-ces,,\n"
    "张伟,13800000005,xam-wlht-hp,主持人,\n"
    "张伟,13800000006,xam-kyqq,,\n"
)
BOUND = ("王芳", "李雷", "赵敏", "韩梅")


@pytest.fixture
async def league(config, open_app, tmp_path: Path) -> App:
    """A roster-mode app with the roster imported and four console accounts bound."""
    config = replace(config, registration=RegistrationConfig(mode="roster", default_unit="xam"))
    app = await open_app(config)
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    rows = load_roster(path, app.services.orgs.units.__contains__)
    await app.services.roster.apply("test", "roster.csv", rows)
    for name in BOUND:
        assert (await app.services.registration.claim_console(name))[0] == "bound"
    return app


async def snapshot(app: App) -> dict[str, list]:
    """Every table an admin action could change."""
    tables = ("audit_log", "invites", "uploads", "role_grants", "outbox", "contests")
    store = app.services.store
    state = {t: [tuple(r) for r in await store.all(f"SELECT * FROM {t}")] for t in tables}
    for sql in (
        "SELECT id, display_name, unit_id, role, active, pending FROM people",
        "SELECT channel, chat_ref, unit_id, bound_name FROM groups",
        "SELECT id, status FROM join_requests",
    ):
        state[sql] = [tuple(r) for r in await store.all(sql)]
    return state


async def in_group(app: App, user: str, text: str, group: str = "g1") -> None:
    """A command typed in a group chat (replies go through the outbox)."""
    event = Incoming("console", user, group, is_group=True, text=text, chat_title="群")
    await app.dispatcher.handle(event)


def upload_of(chat: Chat, name: str, data: bytes) -> Incoming:
    async def fetch() -> bytes:
        return data

    return Incoming(
        chat.channel, chat.user, chat.user, kind=UPLOAD, upload=Upload(name, len(data), fetch)
    )


async def outbox_chats(app: App, kind: str) -> set[str]:
    rows = await app.services.store.all(
        "SELECT o.chat_ref FROM outbox o JOIN outbox_batches b ON b.id = o.batch_id "
        "WHERE b.kind = ?",
        (kind,),
    )
    return {r[0] for r in rows}


# --- scope ------------------------------------------------------------------------------


async def test_scopes_come_from_the_roster_grants_and_config(league: App) -> None:
    access = league.services.access
    wang = await access.scope("console", "王芳")
    assert wang.admin_units == ("xam-wlht",)
    assert not wang.superadmin
    assert wang.covers("xam-wlht-hp-tj")
    assert not wang.covers("xam-kyqq")
    assert not (await access.scope("console", "李雷")).is_admin
    assert (await access.scope("console", "admin")).covers("xam-kyqq-ces")
    assert not (await access.scope("console", "nobody")).is_admin


async def test_a_broadcast_reaches_only_the_admins_subtree_and_is_audited(league: App) -> None:
    replies = await Chat(league, "王芳").send("/broadcast 周五前完成本周学习")
    assert "2 人" in replies[0].text
    assert await outbox_chats(league, "broadcast") == {"王芳", "李雷"}
    entry = (await league.services.audit.recent(1))[0]
    assert (entry.actor, entry.action) == ("console:王芳", "broadcast")
    assert entry.detail["units"] == ["xam-wlht"]
    assert entry.detail["recipients"] == 2


async def test_the_superadmin_broadcasts_to_everyone_admitted(league: App) -> None:
    await Chat(league, "admin").send("/start")
    await Chat(league, "stranger").send("/start")  # pending: not a recipient
    await Chat(league, "admin").send("/broadcast 通知")
    assert await outbox_chats(league, "broadcast") == {"admin", *BOUND}


OUT_OF_SCOPE = [
    ("/invite 科尔沁右翼前旗", "不在您的管理范围内"),
    ("/members 科尔沁右翼前旗", "不在您的管理范围内"),
    ("/members xam-kyqq-ces", "不在您的管理范围内"),
    ("/grant 李雷 乌兰浩特市", "只对超级管理员开放"),
    ("/revoke 赵敏", "只对超级管理员开放"),
    ("/audit", "只对超级管理员开放"),
    ("/pushweek", "只对超级管理员开放"),
]


@pytest.mark.parametrize(("command", "reply"), OUT_OF_SCOPE)
async def test_an_admin_outside_the_scope_is_refused_and_nothing_changes(
    league: App, command: str, reply: str
) -> None:
    before = await snapshot(league)
    replies = await Chat(league, "王芳").send(command)
    assert reply in replies[0].text
    assert await snapshot(league) == before


@pytest.mark.parametrize(
    "command",
    ["/broadcast 通知", "/invite 乌兰浩特市", "/members 乌兰浩特市", "/admins", "/audit 5"],
)
async def test_a_cadre_is_refused_every_admin_command(league: App, command: str) -> None:
    before = await snapshot(league)
    replies = await Chat(league, "李雷").send(command)
    assert "只对" in replies[0].text
    assert "管理员开放" in replies[0].text
    assert await snapshot(league) == before


async def test_group_binding_and_contests_stay_inside_the_scope(league: App) -> None:
    groups = league.services.groups
    await in_group(league, "王芳", "/bindgroup 科尔沁右翼前旗")
    assert (await groups.get("console", "g1")) is None  # refused: nothing recorded
    await in_group(league, "赵敏", "/bindgroup 科尔沁右翼前旗")
    assert (await groups.get("console", "g1")).unit_id == "xam-kyqq"
    before = await snapshot(league)
    await in_group(league, "王芳", "/bindgroup 乌兰浩特市")  # not theirs to take over
    await in_group(league, "王芳", "/contest party-member-rights 2")
    after = await snapshot(league)
    assert after["contests"] == before["contests"] == []
    assert after["SELECT channel, chat_ref, unit_id, bound_name FROM groups"] == [
        ("console", "g1", "xam-kyqq", "兴安盟 / 科尔沁右翼前旗")
    ]
    replies = await league.services.store.all("SELECT payload FROM outbox ORDER BY id")
    texts = [r[0] for r in replies]
    assert any("其他单位的管理员绑定" in t for t in texts), texts
    assert any("没有绑定到您管理的单位" in t for t in texts)
    await in_group(league, "赵敏", "/contest party-member-rights 2")
    assert len(await league.services.store.all("SELECT id FROM contests")) == 1


# --- roster uploads in chat -------------------------------------------------------------


async def test_an_admin_uploads_a_roster_for_their_units_previews_and_imports_it(
    league: App,
) -> None:
    wang = Chat(league, "王芳")
    data = "姓名,手机,单位\n王芳,13800000001,xam-wlht\n李雷,13800000002,xam-wlht-hp\n"
    data += "马丽,13800000007,xam-wlht-xa\n"
    replies = await league.dispatcher.handle(upload_of(wang, "乌兰浩特市名册.csv", data.encode()))
    wang.last = replies
    # 王芳 and 李雷 keep role and position (no such columns), 张伟 (host,
    # 和平街道) is no longer listed and is deactivated; 科尔沁右翼前旗 is untouched.
    assert "新增 1 人，更新 0 人，不变 2 人，停用 1 人" in replies[0].text
    assert (await league.services.store.scalar("SELECT COUNT(*) FROM people")) == 6
    await wang.tap("发布")
    assert "名册 乌兰浩特市名册.csv 已导入" in wang.text
    store = league.services.store
    active = {r[0] for r in await store.all("SELECT display_name FROM people WHERE active = 1")}
    assert active == {
        "王芳",
        "李雷",
        "马丽",
        "赵敏",
        "韩梅",
        "张伟",
    }  # 张伟 of 科尔沁右翼前旗 stays
    assert await store.scalar("SELECT active FROM people WHERE phone = '13800000005'") == 0
    upload_id = await store.scalar("SELECT id FROM uploads")
    again = await wang.press(f"pub:{upload_id}")  # a double tap imports nothing more
    assert again[0].notice
    assert "已经发布过了" in again[0].text
    actions = [e.action for e in await league.services.audit.recent(10)]
    assert actions.count("roster.import") == 2  # the fixture's and this one, not a third


async def test_a_roster_upload_reaching_outside_the_scope_is_refused_with_lines(
    league: App,
) -> None:
    before = await snapshot(league)
    data = "姓名,手机,单位\n李雷,13800000002,xam-wlht-hp\n钱进,13800000008,xam-kyqq\n"
    data += "韩梅,13800000004,xam-wlht\n"
    replies = await league.dispatcher.handle(
        upload_of(Chat(league, "王芳"), "roster.csv", data.encode())
    )
    text = replies[0].text
    assert "roster.csv:3: unit: 单位“xam-kyqq”不在您的管理范围内" in text
    assert "roster.csv:4: phone: 这个手机号属于您管理范围以外的人员" in text
    assert await snapshot(league) == before


async def test_only_superadmins_publish_content(league: App) -> None:
    before = await snapshot(league)
    bank = (ROOT / "quizzes" / "party-member-rights.yaml").read_bytes()
    replies = await league.dispatcher.handle(upload_of(Chat(league, "王芳"), "bank.yaml", bank))
    assert "只有超级管理员可以发布" in replies[0].text
    assert await snapshot(league) == before


async def test_a_gbk_csv_from_excel_is_read(league: App) -> None:
    data = "姓名,手机,单位\n马丽,13800000007,xam-wlht-xa\n".encode("gbk")
    replies = await league.dispatcher.handle(upload_of(Chat(league, "admin"), "名册.csv", data))
    assert "新增 1 人" in replies[0].text


# --- invites and approval ---------------------------------------------------------------


async def invite_code(app: App, admin: str, unit: str) -> str:
    replies = await Chat(app, admin).send(f"/invite {unit}")
    link = next(w for w in replies[0].text.split() if "inv_" in w)
    return link.split("inv_", 1)[1]


async def ask_to_join(app: App, admin: str, unit: str, user: str, name: str) -> int:
    """`user` follows `admin`'s invite to `unit` and gives `name`; the request's id."""
    newcomer = Chat(app, user)
    await newcomer.send(f"/start inv_{await invite_code(app, admin, unit)}")
    await newcomer.send(name)
    return await app.services.store.scalar("SELECT id FROM join_requests WHERE status = 'waiting'")


async def test_an_invite_names_the_newcomer_and_the_units_admin_approves(league: App) -> None:
    code = await invite_code(league, "王芳", "和平街道")
    newcomer = Chat(league, "xiaoma")
    await newcomer.send(f"/start inv_{code}")
    assert "申请加入“兴安盟 / 乌兰浩特市 / 和平街道”" in newcomer.text
    await newcomer.send("马丽")
    assert "已提交：马丽" in newcomer.text
    await newcomer.send("/study")  # still pending: told it waits
    assert "等待管理员确认" in newcomer.text
    # The nearest admin of 和平街道 is 王芳 (乌兰浩特市), not the superadmin.
    assert await outbox_chats(league, "join") == {"王芳"}
    request_id = await league.services.store.scalar("SELECT id FROM join_requests")
    zhao = Chat(league, "赵敏")
    refused = await zhao.press(f"join:ok:{request_id}")
    assert refused[0].notice
    assert "不在您的管理范围内" in refused[0].text
    assert await league.services.store.scalar("SELECT status FROM join_requests") == "waiting"
    wang = Chat(league, "王芳")
    done = await wang.press(f"join:ok:{request_id}")
    assert done[0].edit
    assert "已同意 马丽" in done[0].text
    again = await wang.press(f"join:no:{request_id}")
    assert again[0].notice
    assert "已经处理过了" in again[0].text
    assert await outbox_chats(league, "join.decided") == {"xiaoma"}
    person = await league.services.people.find("console", "xiaoma")
    assert (person.display_name, person.unit_id, person.pending) == ("马丽", "xam-wlht-hp", False)
    await newcomer.send("/study")
    assert "等待" not in newcomer.text
    actions = [(e.action, e.actor) for e in await league.services.audit.recent(5)]
    assert ("join.approve", "console:王芳") in actions
    assert ("invite", "console:王芳") in actions


async def test_an_approved_name_on_the_roster_binds_to_that_person(league: App) -> None:
    request_id = await ask_to_join(league, "王芳", "xam-wlht-hp", "zw", "张伟")
    await Chat(league, "王芳").press(f"join:ok:{request_id}")
    person = await league.services.people.find("console", "zw")
    assert person.id == await league.services.store.scalar(
        "SELECT id FROM people WHERE phone = '13800000005'"
    )
    assert person.role == "host"


async def test_a_rejected_newcomer_stays_pending_and_is_told(league: App) -> None:
    request_id = await ask_to_join(league, "赵敏", "科尔沁右翼前旗", "x", "某某")
    await Chat(league, "赵敏").press(f"join:no:{request_id}")
    assert (await league.services.people.find("console", "x")).pending
    payload = await league.services.store.scalar(
        "SELECT payload FROM outbox o JOIN outbox_batches b ON b.id = o.batch_id "
        "WHERE b.kind = 'join.decided'"
    )
    assert "未获通过" in payload


async def test_an_invite_expires(league: App, clock) -> None:
    code = await invite_code(league, "王芳", "乌兰浩特市")
    clock.advance(hours=72)
    newcomer = Chat(league, "late")
    await newcomer.send(f"/start inv_{code}")
    assert "已过期" in newcomer.text
    await newcomer.send("马丽")  # not taken as a name: there is no request
    assert "验证身份" in newcomer.text
    assert await league.services.store.scalar("SELECT COUNT(*) FROM join_requests") == 0
    await newcomer.send("/start inv_nonsense")
    assert "邀请链接无效" in newcomer.text


async def test_pending_people_see_only_public_help(league: App) -> None:
    stranger = Chat(league, "stranger")
    for command in ("/start", "/study", "/quiz", "/me", "/rank", "学习"):
        await stranger.send(command)
        assert "验证身份" in stranger.text, command
        assert stranger.last[0].ask_contact == "📱 发送我的手机号"
    await stranger.send("/help")
    assert "验证身份后即可使用" in stranger.text
    assert "/quiz" not in stranger.text
    await stranger.send("/lang en")
    assert "Language set to English" in stranger.text
    assert "verify who you are" in stranger.text
    person = await league.services.people.find("console", "stranger")
    assert person.pending
    assert person.unit_id is None
    assert (await league.services.study.learned_ids(person.id)) == set()


# --- contact binding (domain; the Telegram side is in test_telegram_binding) -------------


async def test_contact_binding_matches_only_ones_own_roster_phone(league: App) -> None:
    registration, people = league.services.registration, league.services.people
    newcomer, _ = await people.register("telegram", "77", "77", "Han", None, True)
    assert (
        await registration.by_contact(newcomer, "telegram", "77", "13800000004", "78")
    ).status == "not_own"
    assert (
        await registration.by_contact(newcomer, "telegram", "77", "13900000000", "77")
    ).status == "no_match"
    assert (
        await registration.by_contact(newcomer, "telegram", "77", "12345", "77")
    ).status == "bad_phone"
    assert (await people.find("telegram", "77")).pending
    bound = await registration.by_contact(newcomer, "telegram", "77", "+86 138 0000 0004", "77")
    assert (bound.status, bound.name, bound.unit_id) == ("bound", "韩梅", "xam-kyqq-ces")
    person = await people.find("telegram", "77")
    assert person.display_name == "韩梅"
    assert not person.pending
    # Her console account stays; a newer Telegram account with her number replaces this one.
    other, _ = await people.register("telegram", "88", "88", "Han", None, True)
    assert (
        await registration.by_contact(other, "telegram", "88", "13800000004", "88")
    ).status == "bound"
    assert await people.find("telegram", "77") is None
    assert (await people.find("console", "韩梅")).id == person.id


# --- console --user, /grant, /revoke, /admins, /members, /audit ---------------------------


async def test_console_user_maps_to_a_roster_person_by_name_or_id(league: App) -> None:
    registration = league.services.registration
    status, found = await registration.claim_console("张伟")
    assert status == "ambiguous"
    assert [f[2] for f in found] == ["xam-wlht-hp", "xam-kyqq"]
    status, found = await registration.claim_console(str(found[1][0]))
    assert status == "bound"
    person = await league.services.people.find("console", str(found[0][0]))
    assert (person.display_name, person.unit_id) == ("张伟", "xam-kyqq")
    assert (await registration.claim_console("王芳"))[0] == "already"
    assert (await registration.claim_console("nobody"))[0] == "none"


async def test_grant_and_revoke_change_the_scope_on_the_next_action(league: App) -> None:
    superadmin, li = Chat(league, "admin"), Chat(league, "李雷")
    assert "只对管理员开放" in (await li.send("/members 和平街道"))[0].text
    await superadmin.send("/grant 李雷 和平街道")
    assert "已授予 李雷“兴安盟 / 乌兰浩特市 / 和平街道”的管理员权限" in superadmin.text
    assert "13800000002" in (await li.send("/members 和平街道"))[0].text
    assert "不在您的管理范围内" in (await li.send("/members 兴安街道"))[0].text
    await superadmin.send("/grant 李雷 和平街道")
    assert "已经是" in superadmin.text
    await superadmin.send("/admins")
    assert "李雷" in superadmin.text
    assert "（授权）" in superadmin.text
    await superadmin.send("/revoke 李雷")
    assert "已收回 李雷 的 1 项权限" in superadmin.text
    assert "只对管理员开放" in (await li.send("/members 和平街道"))[0].text
    await superadmin.send("/grant 张伟 xam-kyqq")
    assert "对应多人" in superadmin.text
    actions = [e.action for e in await league.services.audit.recent(10)]
    assert [a for a in actions if a in ("grant", "revoke")] == ["revoke", "grant"]


async def test_admins_lists_only_what_the_asker_administers(league: App) -> None:
    text = (await Chat(league, "王芳").send("/admins"))[0].text
    assert "王芳" in text
    assert "张伟" in text
    assert "主持人" in text
    assert "赵敏" not in text
    assert "超级管理员" not in text
    text = (await Chat(league, "admin").send("/admins"))[0].text
    assert "赵敏" in text
    assert "console:admin" in text


async def test_phones_are_shown_only_to_admins_in_scope(league: App) -> None:
    text = (await Chat(league, "王芳").send("/members 和平街道"))[0].text
    seen = (await league.services.audit.recent(1))[0]
    assert (seen.actor, seen.action, seen.target) == ("console:王芳", "members.view", "xam-wlht-hp")
    assert "李雷" in text
    assert "13800000002" in text
    assert "社区书记" in text
    for command in ("/me", "/rank", "/admins", "/help"):
        for user in ("李雷", "王芳"):
            replies = await Chat(league, user).send(command)
            assert not any("138000000" in m.text for m in replies), (user, command)


async def test_the_audit_command_shows_the_latest_entries(league: App) -> None:
    await Chat(league, "王芳").send("/invite 乌兰浩特市")
    text = (await Chat(league, "admin").send("/audit 2"))[0].text
    assert "最近 2 条操作记录" in text
    assert "console:王芳 invite xam-wlht" in text


def test_python_m_bot_audit_prints_entries_since_a_date(tmp_path: Path) -> None:
    config_path = tmp_path / "config.yaml"
    db = tmp_path / "bot.sqlite3"
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    text = text.replace("path: data/bot.sqlite3", f"path: {db}")
    text = text.replace("study_dir: content/study", f"study_dir: {ROOT / 'content/study'}")
    text = text.replace("quiz_dir: quizzes", f"quiz_dir: {ROOT / 'quizzes'}")
    text = text.replace("orgs_file: content/orgs.yaml", f"orgs_file: {ROOT / 'content/orgs.yaml'}")
    config_path.write_text(text, encoding="utf-8")
    roster = tmp_path / "r.csv"
    roster.write_text(ROSTER, encoding="utf-8")

    def bot(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args, "--config", str(config_path)],
            cwd=ROOT, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip

    assert bot("roster", "import", str(roster)).returncode == 0
    out = bot("audit", "--since", "2000-01-01")
    assert out.returncode == 0
    at, actor, action, target, detail = out.stdout.strip().split("\t")
    assert (actor, action, target) == ("cli", "roster.import", "r.csv")
    assert '"added": 6' in detail
    assert at.endswith("+08:00")
    assert bot("audit", "--since", "2999-01-01").stdout == ""
    assert bot("audit", "--since", "2000-01-01", "--action", "grant").stdout == ""
    bad = bot("audit", "--since", "yesterday")
    assert bad.returncode == 2
    assert "日期格式不对" in bad.stderr


# --- open registration and config -------------------------------------------------------


async def test_open_mode_admits_anyone_into_the_default_unit(app: App) -> None:
    await Chat(app, "newcomer").send("/start")
    person = await app.services.people.find("console", "newcomer")
    assert (person.unit_id, person.pending) == ("xam", False)


async def test_a_default_unit_missing_from_the_org_tree_is_reported_with_its_line(
    tmp_path: Path, clock
) -> None:
    text = (
        (ROOT / "config.yaml")
        .read_text(encoding="utf-8")
        .replace("default_unit: xam", "default_unit: nowhere")
    )
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    config = replace(
        load_config(path),
        database_path=tmp_path / "db.sqlite3",
        orgs_file=ROOT / "content/orgs.yaml",
        study_dir=ROOT / "content/study",
        quiz_dir=ROOT / "quizzes",
    )
    with pytest.raises(ConfigError) as info:
        await App.open(config, clock)
    line = text.splitlines().index("  default_unit: nowhere") + 1
    rendered = info.value.problems[0].render("en")
    assert rendered.endswith(
        f"config.yaml:{line}: registration.default_unit: unit 'nowhere' is not in the org tree "
        "(content.orgs_file)"
    )


def test_registration_mode_must_be_open_or_roster(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("registration:\n  mode: closed\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.problems[0].line == 2
    assert info.value.problems[0].field == "registration.mode"


async def test_a_later_step_of_the_same_person_is_not_admitted_by_a_race(league: App) -> None:
    # Two first messages at once create one pending person, not two.
    chats = [Chat(league, "twin") for _ in range(2)]
    await asyncio.gather(*(c.send("/start") for c in chats))
    count = await league.services.store.scalar(
        "SELECT COUNT(*) FROM accounts WHERE user_ref = 'twin'"
    )
    assert count == 1


async def test_messages_to_outbox_carry_no_phone(league: App) -> None:
    await Chat(league, "王芳").send("/broadcast 通知")
    payloads = [r[0] for r in await league.services.store.all("SELECT payload FROM outbox")]
    assert payloads
    assert not any("138000000" in p for p in payloads)


async def test_help_lists_the_admin_commands_to_admins_only(league: App) -> None:
    cadre = (await Chat(league, "李雷").send("/help"))[0].text
    unit_admin = (await Chat(league, "王芳").send("/help"))[0].text
    superadmin = (await Chat(league, "admin").send("/help"))[0].text
    assert "/invite" not in cadre
    assert "/invite" in unit_admin
    assert "/grant" not in unit_admin
    assert "/grant" in superadmin


# --- the edges found in review ----------------------------------------------------------


async def test_someone_taken_off_the_roster_sees_public_help_only(league: App, tmp_path) -> None:
    li = Chat(league, "李雷")
    await li.send("/study")
    assert "党员" in li.text  # this week's item
    rows = load_roster(_roster(tmp_path), league.services.orgs.units.__contains__)
    await league.services.roster.apply("test", "roster.csv", [r for r in rows if r.name != "李雷"])
    await li.send("/study")
    assert "账号已停用" in li.text
    await li.send("/help")
    assert "/quiz" not in li.text


def _roster(tmp_path: Path) -> Path:
    path = tmp_path / "again.csv"
    path.write_text(ROSTER, encoding="utf-8")
    return path


async def test_a_console_name_that_wrote_before_the_roster_listed_it_binds(league: App) -> None:
    early = Chat(league, "马丽")
    await early.send("/start")
    assert (await league.services.people.find("console", "马丽")).pending
    data = "姓名,手机,单位\n马丽,13800000007,xam-wlht-xa\n"
    await league.services.roster.apply(
        "test", "r.csv", [*load_roster(_roster_text(league, data), lambda u: True)]
    )
    assert (await league.services.registration.claim_console("马丽"))[0] == "bound"
    person = await league.services.people.find("console", "马丽")
    assert (person.unit_id, person.pending) == ("xam-wlht-xa", False)


def _roster_text(app: App, text: str) -> Path:
    path = app.config.database_path.parent / "extra.csv"
    path.write_text(text, encoding="utf-8")
    return path


async def test_another_admins_upload_is_not_theirs_to_publish_or_cancel(league: App) -> None:
    data = "姓名,手机,单位\n李雷,13800000002,xam-wlht-hp\n".encode()
    await league.dispatcher.handle(upload_of(Chat(league, "王芳"), "r.csv", data))
    upload_id = await league.services.store.scalar("SELECT id FROM uploads")
    before = await snapshot(league)
    for action in (f"pub:{upload_id}", f"pubx:{upload_id}"):
        replies = await Chat(league, "赵敏").press(action)
        assert replies[0].notice
    assert await snapshot(league) == before
    await Chat(league, "admin").press(f"pubx:{upload_id}")  # a superadmin may
    assert await league.services.store.scalar("SELECT status FROM uploads") == "cancelled"


async def test_a_roster_publish_that_no_longer_fits_names_its_file(league: App) -> None:
    wang = Chat(league, "王芳")
    data = "姓名,手机,单位\n李雷,13800000002,xam-wlht-hp\n".encode()
    await league.dispatcher.handle(upload_of(wang, "乌兰浩特.csv", data))
    # Meanwhile a superadmin moves 李雷 to 科尔沁右翼前旗: the upload now reaches outside.
    await league.services.store.write(
        lambda tx: tx.execute("UPDATE people SET unit_id = 'xam-kyqq' WHERE display_name = '李雷'")
    )
    upload_id = await league.services.store.scalar("SELECT id FROM uploads")
    replies = await wang.press(f"pub:{upload_id}")
    assert "乌兰浩特.csv" in replies[0].text
    assert "乌兰浩特.csv:2: phone: 这个手机号属于您管理范围以外的人员" in replies[0].text
    assert await league.services.store.scalar("SELECT status FROM uploads") == "pending"


async def test_requests_lists_waiting_requests_in_scope_with_buttons(league: App) -> None:
    await ask_to_join(league, "王芳", "和平街道", "n1", "新人甲")
    await ask_to_join(league, "赵敏", "科尔沁右翼前旗", "n2", "新人乙")
    replies = await Chat(league, "王芳").send("/requests")
    assert "待处理的加入申请 1 个" in replies[0].text
    assert "新人甲" in replies[1].text
    assert [b.label for b in replies[1].buttons] == ["✅ 同意", "❌ 拒绝"]
    assert "新人乙" not in "".join(m.text for m in replies)
    assert "待处理的加入申请 2 个" in (await Chat(league, "admin").send("/requests"))[0].text
    assert "只对管理员开放" in (await Chat(league, "李雷").send("/requests"))[0].text


async def test_a_newcomer_is_told_when_no_admin_can_be_notified(config, open_app) -> None:
    config = replace(
        config, admins=(), registration=RegistrationConfig(mode="roster", default_unit="xam")
    )
    app = await open_app(config)
    code = (await app.services.registration.invite("cli", "xam-wlht")).code
    newcomer = Chat(app, "lonely")
    await newcomer.send(f"/start inv_{code}")
    await newcomer.send("孤单")
    assert "目前没有能收到通知的管理员" in newcomer.text
    assert await app.services.store.scalar("SELECT status FROM join_requests") == "waiting"


async def test_requests_says_when_nothing_waits(league: App) -> None:
    assert "没有待处理" in (await Chat(league, "王芳").send("/requests"))[0].text


def test_validate_and_run_report_an_unknown_default_unit(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        f"database:\n  path: {tmp_path / 'db.sqlite3'}\n"
        f"content:\n  study_dir: {ROOT / 'content/study'}\n  quiz_dir: {ROOT / 'quizzes'}\n"
        f"  orgs_file: {ROOT / 'content/orgs.yaml'}\n"
        "registration:\n  mode: open\n  default_unit: nowhere\n",
        encoding="utf-8",
    )

    def bot(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args, "--config", str(path)],
            cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False, input="",
        )  # fmt: skip

    checked = bot("validate")
    assert checked.returncode == 1
    assert (
        "config.yaml:9: registration.default_unit: 单位“nowhere”不在组织架构文件" in checked.stdout
    )
    ran = bot("run", "--channel", "console")
    assert ran.returncode == 2
    assert "registration.default_unit" in ran.stderr
