"""Binding on Telegram, through a real PTB Application: the share-my-phone keyboard, a
contact that is one's own or not, and an invite link a unit admin approves by button."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.channels.telegram import TelegramChannel
from bot.config import RegistrationConfig
from bot.content.roster import load_roster
from tests.draining import drain_all
from tests.telegram_offline import (
    ADMIN,
    ALICE,
    BOB,
    RecordingRequest,
    contact,
    feed,
    message,
    press,
)

WANG = {"id": 6161, "is_bot": False, "first_name": "Fang", "last_name": "Wang"}
ROSTER = "姓名,手机,单位,角色\n王芳,13800000001,xam-wlht,管理员\n李雷,13800000002,xam-wlht-hp,\n"


@pytest.fixture
async def roster_bot(config, open_app, tmp_path):
    """A roster-mode bot on Telegram; telegram:9001 is a superadmin."""
    config = replace(
        config,
        admins=(*config.admins, "telegram:9001"),
        registration=RegistrationConfig(mode="roster", default_unit="xam"),
    )
    app = await open_app(config)
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    await app.services.roster.apply(
        "test", "roster.csv", load_roster(path, app.services.orgs.units.__contains__)
    )
    request = RecordingRequest()
    channel = TelegramChannel("123:TEST", config, request=request)
    await channel.application.initialize()
    channel.attach(app.dispatcher)
    yield channel, request, app
    await channel.application.shutdown()


def sent(request: RecordingRequest) -> list[dict]:
    return [p for m, p in request.calls if m == "sendMessage"]


async def test_a_newcomer_gets_the_share_phone_keyboard_and_binds_with_own_contact(
    roster_bot,
) -> None:
    channel, request, app = roster_bot
    await feed(channel, message(1, "/start", WANG))
    intro = sent(request)[-1]
    assert "请先验证身份" in intro["text"]
    assert intro["reply_markup"]["keyboard"] == [
        [{"text": "📱 发送我的手机号", "request_contact": True}]
    ]
    assert intro["reply_markup"]["one_time_keyboard"] is True
    await feed(channel, contact(2, "+8613800000001", WANG, WANG))
    bound, menu = sent(request)[-2:]
    assert bound["text"] == "✅ 身份验证成功！欢迎您，王芳（兴安盟 / 乌兰浩特市）。"
    assert bound["reply_markup"] == {"remove_keyboard": True}
    assert "inline_keyboard" in menu["reply_markup"]
    person = await app.services.people.find("telegram", "6161")
    assert (person.display_name, person.role, person.pending) == ("王芳", "admin", False)
    entry = (await app.services.audit.recent(1))[0]
    assert (entry.actor, entry.action, entry.target) == (
        "telegram:6161",
        "bind.contact",
        f"person:{person.id}",
    )
    assert entry.detail["unit"] == "xam-wlht"


async def test_someone_elses_contact_is_refused(roster_bot) -> None:
    channel, request, app = roster_bot
    await feed(channel, contact(1, "13800000002", BOB, ALICE))  # Bob's card, sent by Alice
    assert "只能用您本人的号码验证" in sent(request)[-1]["text"]
    await feed(channel, contact(2, "13800000002", None, ALICE))  # typed in by hand
    assert "只能用您本人的号码验证" in sent(request)[-1]["text"]
    assert (await app.services.people.find("telegram", str(ALICE["id"]))).pending
    assert not [e for e in await app.services.audit.recent() if e.action == "bind.contact"]


async def test_a_contact_not_on_the_roster_leaves_the_person_pending(roster_bot) -> None:
    channel, request, app = roster_bot
    await feed(channel, contact(1, "13912345678", ALICE, ALICE))
    assert "名册中没有这个手机号" in sent(request)[-1]["text"]
    await feed(channel, message(2, "/quiz", ALICE))
    assert "请先验证身份" in sent(request)[-1]["text"]
    assert (await app.services.people.find("telegram", str(ALICE["id"]))).pending


async def test_an_invite_link_and_the_admins_approval_by_button(roster_bot, clock) -> None:
    channel, request, app = roster_bot
    await feed(channel, message(1, "/start", WANG))
    await feed(channel, contact(2, "13800000001", WANG, WANG))  # 王芳: admin of 乌兰浩特市
    await feed(channel, message(3, "/invite 和平街道", WANG))
    made = sent(request)[-1]["text"]
    link = next(w for w in made.split() if w.startswith("https://t.me/CadreBot?start=inv_"))
    code = link.split("start=", 1)[1]
    assert len(code.encode()) <= 64  # Telegram's limit for a start parameter
    await feed(channel, message(4, f"/start {code}", BOB))
    assert "申请加入“兴安盟 / 乌兰浩特市 / 和平街道”" in sent(request)[-1]["text"]
    await feed(channel, message(5, "赵磊", BOB))
    assert "已提交：赵磊" in sent(request)[-1]["text"]
    await drain_all(app.sender("telegram", channel.send), clock)
    ask = sent(request)[-1]
    assert ask["chat_id"] == WANG["id"]
    assert "赵磊 通过邀请链接申请加入" in ask["text"]
    approve = ask["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    await feed(channel, press(6, approve, ADMIN))  # a superadmin may decide too
    await feed(channel, press(7, approve, WANG))  # second tap: already decided
    answers = [p for m, p in request.calls if m == "answerCallbackQuery"]
    assert "已经处理过了（telegram:9001）" in answers[-1]["text"]
    await drain_all(app.sender("telegram", channel.send), clock)
    told = sent(request)[-1]
    assert told["chat_id"] == BOB["id"]
    assert "管理员已同意您加入" in told["text"]
    person = await app.services.people.find("telegram", str(BOB["id"]))
    assert (person.display_name, person.unit_id, person.pending) == ("赵磊", "xam-wlht-hp", False)
