"""The WeCom channel end to end: real encrypted callbacks to the channel's HTTP server on
127.0.0.1, the real app on a SQLite file, and the fake WeCom API as the only stand-in."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace

import pytest

from bot.app import App
from bot.channels.wecom import WeComChannel, WeComSecrets, to_incoming
from bot.config import Config
from bot.content.roster import load_roster
from bot.core.clock import ManualClock
from tests.test_attendance import LECTURE, at
from tests.wecom_client import WeComClient, secrets
from tests.wecom_fake import FakeWeCom

ADMIN = "zhangwei"


@dataclass
class WeCom:
    """The running channel, its app, its sender, and a client posting callbacks."""

    app: App
    channel: WeComChannel
    client: WeComClient
    fake: FakeWeCom
    clock: ManualClock

    async def settle(self) -> None:
        """Handle every accepted callback, then send what that queued."""
        await self.channel.drain()
        sender = self.app.sender("wecom", self.channel.send, self.app.config.wecom.limits)

        async def advance(seconds: float) -> None:
            self.clock.advance(seconds=seconds)

        await sender.flush(sleep=advance)

    async def say(self, user: str, text: str) -> None:
        """`user` types `text`."""
        assert await self.client.post(self.client.text(user, text)) == 200
        await self.settle()

    async def tap(self, user: str, key: str, task_id: str = "task-1") -> dict | None:
        """`user` presses the card button with `key`; returns the card they see next (the
        clicked one updated in place, or a new one)."""
        updates, cards = len(self.fake.updates), len(self.cards(user))
        code = f"rc-{next(_codes)}"
        assert await self.client.post(self.client.click(user, key, task_id, code)) == 200
        await self.settle()
        sent = self.cards(user)[cards:]
        if sent:
            return sent[0]
        updated = [u["template_card"] for u in self.fake.updates[updates:] if "template_card" in u]
        return updated[-1] if updated else None

    def cards(self, user: str) -> list[dict]:
        """Template cards sent to `user`, oldest first."""
        return [
            m["template_card"]
            for m in self.fake.messages
            if m["touser"] == user and m["msgtype"] == "template_card"
        ]

    def texts(self, user: str) -> list[str]:
        """Text and markdown sent to `user`, oldest first."""
        out = []
        for m in self.fake.messages:
            if m["touser"] == user and m["msgtype"] in ("text", "markdown"):
                out.append(m[m["msgtype"]]["content"])
        return out

    async def count(self, table: str) -> int:
        """Rows in a table of the app's database."""
        return await self.app.services.store.scalar(f"SELECT COUNT(*) FROM {table}")


_codes = itertools.count(1)


@pytest.fixture
async def wecom(config: Config, clock: ManualClock, fake_wecom: FakeWeCom) -> AsyncIterator[WeCom]:
    """The app served over WeCom, talking to the fake API."""
    async with serving(config, clock, fake_wecom) as served:
        yield served


@pytest.fixture
async def wecom_roster(
    config: Config, clock: ManualClock, fake_wecom: FakeWeCom
) -> AsyncIterator[WeCom]:
    """The same in roster mode: only people on the roster are admitted."""
    roster_mode = replace(config.registration, mode="roster")
    async with serving(replace(config, registration=roster_mode), clock, fake_wecom) as served:
        yield served


@asynccontextmanager
async def serving(config: Config, clock: ManualClock, fake_wecom: FakeWeCom):
    """The app on `config` served over WeCom, with ADMIN a superadmin."""
    cfg = replace(
        config,
        wecom=replace(config.wecom, api_base=fake_wecom.base),
        admins=(*config.admins, f"wecom:{ADMIN}"),
    )
    app = await App.open(cfg, clock)
    channel = WeComChannel(cfg, secrets())
    await channel.start(app.dispatcher, host="127.0.0.1", port=0)
    url = f"http://127.0.0.1:{channel.port}{cfg.wecom.callback_path}"
    client = WeComClient(url)
    try:
        yield WeCom(app, channel, client, fake_wecom, clock)
    finally:
        await client.close()
        await channel.stop()
        await app.close()


async def test_url_verification_answers_the_decrypted_echostr(wecom: WeCom) -> None:
    assert await wecom.client.verify("echo-5931") == (200, "echo-5931")
    status, _ = await wecom.client.verify("echo-5931", bad_signature=True)
    assert status == 403


async def test_bad_signature_is_refused_and_nothing_recorded(wecom: WeCom) -> None:
    status = await wecom.client.post(wecom.client.text("lisi", "/start"), bad_signature=True)
    assert status == 403
    garbage = await wecom.client.session.post(wecom.client.url, data=b"<xml>no</xml>")
    assert garbage.status == 400
    await wecom.settle()
    assert await wecom.count("processed_events") == 0
    assert await wecom.count("people") == 0
    assert await wecom.count("outbox") == 0
    assert wecom.fake.messages == []


async def test_start_shows_the_menu_as_cards_with_a_hint_first(wecom: WeCom) -> None:
    await wecom.say("lisi", "/start")
    assert "文字模式" in wecom.texts("lisi")[0]
    cards = wecom.cards("lisi")
    # Seven menu buttons: a card holds six, the seventh goes on a second card.
    assert [len(c["button_list"]) for c in cards] == [6, 1]
    assert cards[0]["card_type"] == "button_interaction"
    assert cards[0]["main_title"]["title"].startswith("欢迎你")
    assert cards[0]["task_id"] != cards[1]["task_id"]
    await wecom.say("lisi", "/me")
    assert sum("文字模式" in t for t in wecom.texts("lisi")) == 1  # the hint comes once


async def test_a_whole_quiz_by_card_clicks(wecom: WeCom) -> None:
    await wecom.say("lisi", "/quiz")
    choose = wecom.cards("lisi")[0]
    assert "党员权利" in choose["button_list"][0]["text"]
    intro = await wecom.tap("lisi", choose["button_list"][0]["key"], choose["task_id"])
    # The clicked card turned into the quiz's intro, in place.
    assert intro == wecom.fake.updates[-1]["template_card"]
    assert intro["task_id"] == choose["task_id"]
    assert intro["button_list"][0]["text"] == "▶️ 开始答题"
    card = await wecom.tap("lisi", intro["button_list"][0]["key"], intro["task_id"])
    clicks = 2
    while card is not None and clicks < 60:
        if await wecom.app.services.store.scalar(
            "SELECT COUNT(*) FROM quiz_attempts WHERE finished_at IS NOT NULL"
        ):
            break
        first = card["button_list"][0]["key"]
        if first.startswith("qm:"):  # a multiple-choice question: tick, then submit
            card = await wecom.tap("lisi", first, card["task_id"])
            assert card is not None
            first = card["button_list"][-1]["key"]
        card = await wecom.tap("lisi", first, card["task_id"])
        clicks += 1
    row = await wecom.app.services.store.one(
        "SELECT total, score FROM quiz_attempts WHERE finished_at IS NOT NULL"
    )
    assert row is not None
    assert (row["total"], row["score"] is not None) == (13, True)
    # Every click was answered once, and each clicked card was updated once.
    codes = [u["response_code"] for u in wecom.fake.updates]
    assert len(codes) == len(set(codes)) >= 13


async def test_lecture_check_in_by_card_and_by_location(wecom: WeCom, clock) -> None:
    wecom.app.services.pack.lectures[LECTURE.id] = replace(LECTURE, audience=("xam",), quiz=None)
    clock.set(at(-10))
    await wecom.say("lisi", "/checkin")
    card = wecom.cards("lisi")[-1]
    assert card["button_list"][0]["key"] == f"ci:{LECTURE.id}"
    assert "“+”→“位置”" in wecom.texts("lisi")[-1]
    await wecom.tap("lisi", f"ci:{LECTURE.id}", card["task_id"])
    done = wecom.fake.updates[-1]
    assert "template_card" in done or done["button"]["replace_name"]
    assert "签到成功" in "\n".join(wecom.texts("lisi") + _updated_texts(wecom))
    await wecom.say("wangfang", "/start")
    assert await wecom.client.post(wecom.client.location("wangfang", 46.0801, 122.0502)) == 200
    await wecom.settle()
    assert any("盟委党校主会场" in t for t in wecom.texts("wangfang"))
    rows = await wecom.app.services.store.all("SELECT method, venue_id FROM checkins ORDER BY at")
    assert [tuple(r) for r in rows] == [("button", "online"), ("location", "main")]


def _updated_texts(wecom: WeCom) -> list[str]:
    cards = [u["template_card"] for u in wecom.fake.updates if "template_card" in u]
    return [c.get("sub_title_text", "") + c.get("main_title", {}).get("title", "") for c in cards]


async def test_a_retried_callback_counts_once(wecom: WeCom) -> None:
    xml = wecom.client.text("lisi", "/me", msg_id=777)
    for _ in range(3):  # WeCom retries up to three times
        assert await wecom.client.post(xml) == 200
    await wecom.settle()
    assert await wecom.count("processed_events") == 1
    assert await wecom.count("outbox") == 1
    # After a restart the memory is gone; the database still knows the message.
    fresh = WeComChannel(wecom.app.config, secrets())
    fresh.attach(wecom.app.dispatcher)
    event, click = to_incoming({"FromUserName": "lisi", "MsgType": "text", "Content": "/me",
                                "MsgId": "777"})  # fmt: skip
    assert event is not None
    await fresh.handle(event, click)
    assert await wecom.count("outbox") == 1


async def test_an_expired_token_is_refreshed_once(wecom: WeCom) -> None:
    await wecom.say("lisi", "/me")
    assert wecom.fake.token_calls == 1
    wecom.fake.expire_token()
    before = len(wecom.fake.messages)
    await wecom.say("lisi", "/help")
    assert wecom.fake.token_calls == 2
    assert len(wecom.fake.messages) > before
    statuses = await wecom.app.services.store.all("SELECT DISTINCT status FROM outbox")
    assert [r[0] for r in statuses] == ["sent"]


async def test_text_mode_numbers_the_buttons_and_takes_a_number(wecom: WeCom) -> None:
    await wecom.say("lisi", "文字模式")
    assert "回复数字" in wecom.texts("lisi")[-1]
    await wecom.say("lisi", "/start")
    menu = wecom.texts("lisi")[-1]
    assert "1. 📖 本周学习" in menu
    assert "2. 📝 答题" in menu
    assert wecom.cards("lisi") == []
    await wecom.say("lisi", "2")
    assert "请选择测试" in wecom.texts("lisi")[-1]
    await wecom.say("lisi", "99")
    assert "1 到 8" in wecom.texts("lisi")[-1]
    await wecom.say("lisi", "卡片模式")
    await wecom.say("lisi", "/quiz")
    assert wecom.cards("lisi")


async def test_unreachable_member_is_marked(wecom: WeCom) -> None:
    await wecom.say("lisi", "/start")
    wecom.fake.invalid_users.add("lisi")
    await wecom.say("lisi", "/me")
    failed = await wecom.app.services.store.all(
        "SELECT status FROM outbox WHERE status = 'unreachable'"
    )
    assert failed


async def test_admin_binds_a_group_robot_and_announcements_reach_it(wecom: WeCom) -> None:
    key = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
    url = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={key}"
    await wecom.say("lisi", f"/robot 乌兰浩特市 {url} 市直学习群")
    assert "管理员" in "\n".join(wecom.texts("lisi") + _card_texts(wecom, "lisi"))
    assert wecom.fake.robot == []
    await wecom.say(ADMIN, f"/robot 乌兰浩特市 {url} 市直学习群")
    assert any("市直学习群" in t for t in wecom.texts(ADMIN) + _card_texts(wecom, ADMIN))
    assert [k for k, _ in wecom.fake.robot] == [key]
    assert "已接入" in wecom.fake.robot[0][1]["text"]["content"]
    audit = await wecom.app.services.store.all("SELECT action, detail FROM audit_log")
    assert any(r[0] == "bindrobot" for r in audit)
    assert all(key not in (r[1] or "") for r in audit)  # the key is never written down
    await wecom.say(ADMIN, "/announce 周五下午三点召开理论学习中心组学习会")
    preview = [
        c for c in wecom.cards(ADMIN) if any(b["key"].startswith("an:") for b in c["button_list"])
    ]
    send = next(b for c in preview for b in c["button_list"] if "发送" in b["text"])
    await wecom.tap(ADMIN, send["key"], preview[0]["task_id"])
    posts = [b["text"]["content"] for _, b in wecom.fake.robot if b["msgtype"] == "text"]
    assert any("理论学习中心组" in p for p in posts)


def _card_texts(wecom: WeCom, user: str) -> list[str]:
    return [
        c.get("main_title", {}).get("title", "") + c.get("sub_title_text", "")
        for c in wecom.cards(user)
    ]


def test_secrets_come_from_the_environment_and_name_what_is_missing() -> None:
    env = {"WECOM_CORP_ID": "ww1", "WECOM_AGENT_ID": "1000002", "WECOM_SECRET": "s"}
    with pytest.raises(ValueError, match="WECOM_TOKEN, WECOM_AES_KEY"):
        WeComSecrets.from_env(env)
    env |= {"WECOM_TOKEN": "t", "WECOM_AES_KEY": "short"}
    with pytest.raises(ValueError, match="WECOM_AES_KEY"):
        WeComSecrets.from_env(env)
    env["WECOM_AES_KEY"] = "a" * 43
    assert WeComSecrets.from_env(env).agent_id == 1000002
    hidden = WeComSecrets.from_env(env).hidden("http://bot:pr0xy-pass@10.1.2.3:3128")
    assert hidden == ("s", "t", "a" * 43, "pr0xy-pass")  # a proxy's password is a secret too


async def test_a_lecture_reminder_reaches_wecom_as_a_card_and_is_snoozed(
    wecom: WeCom, clock
) -> None:
    pack = wecom.app.services.pack
    pack.lectures[LECTURE.id] = replace(LECTURE, audience=("xam",), quiz=None)
    wecom.app.services.use_pack(pack)
    await wecom.say("lisi", "/start")
    await wecom.say("wangfang", "/start")
    clock.set(at(-24 * 60 - 1))
    await wecom.app.services.reminders.start()
    clock.set(at(-24 * 60))
    ran = await wecom.app.services.reminders.sweep()
    assert [(r.due.what, r.queued) for r in ran] == [(f"lecture:{LECTURE.id}:1440", 2)]
    await wecom.settle()
    cards = {user: wecom.cards(user)[-1] for user in ("lisi", "wangfang")}
    for card in cards.values():
        assert card["main_title"]["title"] == "📣 大讲堂提醒"
        assert "《乡村振兴大讲堂》将于 11-25 15:00 开始（还有 1 天）" in card["sub_title_text"]
    snooze = next(b for b in cards["lisi"]["button_list"] if b["key"].startswith("snz:h:"))
    before = len(wecom.cards("lisi"))
    await wecom.tap("lisi", snooze["key"], cards["lisi"]["task_id"])
    assert any("再提醒" in t for t in wecom.texts("lisi"))
    clock.advance(minutes=60, seconds=1)
    await wecom.settle()
    assert len(wecom.cards("lisi")) == before + 1  # sent again an hour later
    assert len(wecom.cards("wangfang")) == 3  # the menu (two cards), then one reminder


async def test_a_picture_gets_a_short_answer_once(wecom: WeCom) -> None:
    client = wecom.client
    xml = client.text("lisi", "x", msg_id=4242).replace(
        "<MsgType><![CDATA[text]]></MsgType>", "<MsgType><![CDATA[image]]></MsgType>"
    )
    assert await client.post(xml) == 200
    assert await client.post(xml) == 200  # retried
    await wecom.settle()
    assert wecom.texts("lisi") == [
        "暂时只能处理文字、位置和按钮。需要上传文件的操作请联系管理员在电脑上完成。"
    ]


def test_a_unit_id_is_not_taken_for_a_robot_key() -> None:
    from bot.domain.robots import robot_key

    key = "693a91f6-7b2c-4bc4-97a0-0ec2a1fa5aaa"
    assert robot_key(f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={key}") == key
    assert robot_key(key) == key
    assert robot_key("xam-kyqq-ces-ces") is None
    assert robot_key("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=short") is None


async def test_the_weekly_study_item_is_read_and_marked_learned(wecom: WeCom) -> None:
    await wecom.say("lisi", "/study")
    # The item is longer than a card: its text comes first, then a card with the buttons.
    assert any("党员享有的八项权利" in t for t in wecom.texts("lisi"))
    card = wecom.cards("lisi")[-1]
    done = next(b for b in card["button_list"] if "标记已学" in b["text"])
    await wecom.tap("lisi", done["key"], card["task_id"])
    learned = await wecom.app.services.store.scalar("SELECT COUNT(*) FROM study_done")
    assert learned == 1
    points = await wecom.app.services.store.scalar("SELECT points FROM people")
    assert points == wecom.app.config.points.study


async def test_a_new_member_is_known_by_their_address_book_name(wecom: WeCom) -> None:
    wecom.fake.names["lisi"] = "李四"
    await wecom.say("lisi", "/start")
    await wecom.say("lisi", "/me")
    assert wecom.cards("lisi")[0]["main_title"]["title"].startswith("欢迎你，李四")
    assert wecom.fake.user_lookups == 1  # once per new member, not per message
    await wecom.say("wangwu", "/start")  # not in the address book: the id stays the name
    names = await wecom.app.services.store.all("SELECT display_name FROM people ORDER BY id")
    assert [r[0] for r in names] == ["李四", "wangwu"]


ROSTER = "姓名,手机,单位,账号\n王芳,13800000001,xam-wlht,WangFang\n李雷,13800000002,xam,\n"


async def test_a_roster_listed_member_is_reached_before_writing_and_known_in_any_case(
    wecom_roster: WeCom, tmp_path
) -> None:
    wecom = wecom_roster
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER, encoding="utf-8")
    rows = load_roster(path, wecom.app.services.orgs.units.__contains__)
    assert (await wecom.app.services.roster.apply("cli", "roster.csv", rows)).linked == 1
    # WeCom lets an app write to any member it can see: 王芳 gets the notice unasked.
    await wecom.say(ADMIN, "/announce 请于本周五前完成《党员的八项权利》学习")
    preview = next(c for c in reversed(wecom.cards(ADMIN)) if "an:" in str(c["button_list"]))
    assert "发往：0 个群 · 2 人" in preview["sub_title_text"]  # no robot: people, by default
    send = next(b for b in preview["button_list"] if "发送" in b["text"])
    await wecom.tap(ADMIN, send["key"], preview["task_id"])
    assert any("八项权利" in t for t in wecom.texts("WangFang"))
    # She writes back; WeCom spells her wangfang. She is 王芳 of the roster, not a newcomer.
    await wecom.say("wangfang", "/me")
    assert "王芳" in "\n".join(wecom.texts("wangfang") + _card_texts(wecom, "wangfang"))
    assert wecom.fake.user_lookups == 1  # the admin only: her name came from the roster
    accounts = await wecom.app.services.store.all("SELECT user_ref FROM accounts ORDER BY 1")
    assert [r[0] for r in accounts] == ["wangfang", ADMIN]  # her account as WeCom spells it
    assert await wecom.count("people") == 3  # 王芳, 李雷 and the admin: nobody pending


async def test_a_member_not_on_the_roster_is_told_the_wecom_way_in(wecom_roster: WeCom) -> None:
    await wecom_roster.say("zhaolei", "/start")
    said = "\n".join(wecom_roster.texts("zhaolei") + _card_texts(wecom_roster, "zhaolei"))
    assert "企业微信账号还不在名册中" in said
    assert "手机号" not in said  # no share-my-phone button on WeCom
    await wecom_roster.say("zhaolei", "/start inv_nosuchcode")
    assert wecom_roster.texts("zhaolei")[-1].startswith("这个邀请码无效")


async def test_admins_see_wecom_commands_and_no_buttons_wecom_cannot_serve(wecom: WeCom) -> None:
    await wecom.say(ADMIN, "/help")
    said = "\n".join(wecom.texts(ADMIN) + _card_texts(wecom, ADMIN))
    assert "/robot" in said
    assert "/bindgroup" not in said
    await wecom.say(ADMIN, "/announce 周五下午三点召开理论学习中心组学习会")
    preview = next(c for c in reversed(wecom.cards(ADMIN)) if "an:" in str(c["button_list"]))
    labels = [b["text"] for b in preview["button_list"]]
    assert not any("附件" in label or "置顶" in label for label in labels)
    assert any("发送" in label for label in labels)  # five buttons: one card
