"""Handlers through the dispatcher, as a person on a phone would use them."""

from __future__ import annotations

from bot.app import App
from bot.core.i18n import t
from bot.core.limits import MAX_ACTION_BYTES
from tests.conftest import Chat


async def test_newcomer_reads_the_item_takes_the_quiz_and_sees_points(chat: Chat) -> None:
    await chat.send("/start")
    assert "欢迎你，alice" in chat.text
    await chat.tap("本周学习")
    assert "党员享有的八项权利" in chat.text
    assert "读完后请点" in chat.text
    await chat.tap("标记已学")
    assert "+5 积分" in chat.text
    assert "标记已学" not in [b.label for b in chat.buttons]
    await chat.tap("参加测试")
    assert "共 13 题" in chat.text
    await chat.tap("开始答题")
    answered = 0
    while "测试结束" not in chat.text:
        assert "题 ·" in chat.text
        await chat.tap(chat.buttons[0].action)  # always the first option (or 正确)
        if "提交答案" in chat.text.split("————————")[-1]:
            await chat.tap("提交答案")
        answered += 1
    assert answered == 13
    assert "得分" in chat.text
    assert "分及格" in chat.text
    await chat.tap("我的")
    assert "学习积分：" in chat.text
    assert "已学内容：1/6 期" in chat.text


async def test_every_button_fits_telegram_callback_data(chat: Chat) -> None:
    seen: set[str] = set()
    todo = ["/start", "/study", "/quiz", "/archive", "/me", "/rank", "/help", "/review"]
    for command in todo:
        await chat.send(command)
        for button in chat.buttons:
            assert len(button.action.encode()) <= MAX_ACTION_BYTES
            seen.add(button.action.split(":")[0])
    assert {"study", "quiz", "arch", "me", "rank", "menu", "rv", "learn"} <= seen


async def test_a_redelivered_event_is_handled_once(chat: Chat, app: App) -> None:
    await chat.send("/study")
    learn = chat.action_of("标记已学")
    first = await chat.press(learn, event_id="update-1")
    second = await chat.press(learn, event_id="update-1")
    assert first
    assert second == []
    assert (await app.services.points.leaderboard())[0].points == 5


async def test_a_second_tap_on_learned_changes_nothing(chat: Chat, app: App) -> None:
    await chat.send("/study")
    learn = chat.action_of("标记已学")
    await chat.press(learn)
    replies = await chat.press(learn)
    assert [(m.notice, m.text) for m in replies] == [(True, "已经学过了，不重复计分")]
    assert (await app.services.points.leaderboard())[0].points == 5


async def test_plain_words_reach_the_right_feature(chat: Chat) -> None:
    cases = {
        "我要学习": "本周学习",
        "学习积分": "学习积分：",
        "排行榜": "排行榜",
        "去答题": "请选择测试",
        "错题": "错题本",
        "往期": "往期学习",
        "帮助": "/quiz",
    }
    for words, expected in cases.items():
        await chat.send(words)
        assert expected in chat.text, words
    await chat.send("今天天气不错")
    assert "没太明白" in chat.text


async def test_language_switch_is_remembered(chat: Chat) -> None:
    await chat.send("/lang en")
    assert chat.text == "Language set to English."
    await chat.send("/study")
    assert "This week's study" in chat.text
    await chat.send("/lang")
    assert [b.label for b in chat.buttons] == ["中文", "English"]
    await chat.tap("中文")
    assert chat.text == "已切换为中文。"


async def test_ranking_shows_top_and_own_place(app: App) -> None:
    alice, bob, carol = Chat(app, "alice"), Chat(app, "bob"), Chat(app, "carol")
    for person in (alice, bob):
        await person.send("/study")
        await person.tap("标记已学")
    await carol.send("/rank")
    # Open registration admits everyone into 兴安盟: one unit, one board, nothing wider.
    assert "📍 本单位：兴安盟" in carol.text
    assert [b.action for b in carol.buttons] == ["me", "menu"]
    assert "🥇 alice" in carol.text
    assert "🥇 bob" in carol.text
    assert "你的排名：第 3 名（共 3 人），0 分" in carol.text


async def test_stale_quiz_buttons_get_a_notice_not_a_second_answer(chat: Chat, app: App) -> None:
    await chat.send("/quiz party-member-rights")
    await chat.tap("开始答题")
    option = chat.buttons[0].action
    await chat.press(option)
    replies = await chat.press(option)
    assert [(m.notice, m.text) for m in replies] == [(True, "这道题已经作答")]
    assert await app.services.store.scalar("SELECT COUNT(*) FROM quiz_answers") == 1


async def test_unknown_quiz_and_garbled_actions_are_answered(chat: Chat) -> None:
    await chat.send("/quiz nothing-here")
    assert "没有找到测试“nothing-here”" in chat.text
    replies = await chat.press("qa:x:y")
    assert replies[0].notice


async def test_a_handler_error_is_reported_politely(chat: Chat, app: App, monkeypatch) -> None:
    async def broken(*_):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(app.services.study, "learned_ids", broken)
    await chat.send("/study")
    assert chat.text == t("error.internal", "zh")


async def test_feedback_and_next_question_split_when_too_long(chat: Chat, app: App) -> None:
    from dataclasses import replace

    bank = app.services.pack.banks["party-member-rights"]
    long = [replace(q, explanation="解" * 2000, text=q.text + "题" * 2000) for q in bank.questions]
    app.services.pack.banks[bank.id] = replace(bank, questions=tuple(long))
    await chat.send("/quiz party-member-rights")
    await chat.tap("开始答题")
    replies = await chat.tap(
        chat.buttons[-1].action if "提交" in chat.text else chat.buttons[0].action
    )
    assert all(len(m.text) <= 4096 for m in replies)
    assert len(replies) == 2
    assert "解析" in replies[0].text
    assert "第 2/13 题" in replies[1].text


async def test_the_quiz_list_pages_when_there_are_many_banks(chat: Chat, app: App) -> None:
    from dataclasses import replace

    banks = app.services.pack.banks
    base = banks["party-member-rights"]
    for i in range(10):
        banks[f"extra-{i}"] = replace(base, id=f"extra-{i}", title=f"附加测试 {i}")
    await chat.send("/quiz")
    assert len([b for b in chat.buttons if b.action.startswith("quiz:")]) == 6
    await chat.tap("下一页")
    await chat.tap("下一页")
    assert "附加测试 9" in " ".join(b.label for b in chat.buttons)
    await chat.tap("上一页")
    assert chat.action_of("下一页") == "ql:2"


async def test_broadcast_is_for_admins_and_reports_counts(app: App, clock) -> None:
    from bot.core.messages import Outgoing

    bob, admin = Chat(app, "bob"), Chat(app, "admin")
    await bob.send("/broadcast 大家好")
    assert bob.text == "抱歉，这个功能只对管理员开放。"
    assert await app.services.store.scalar("SELECT COUNT(*) FROM outbox") == 0
    await Chat(app, "carol").send("/start")
    await admin.send("/broadcast 请于本周五前完成“每周一学”。")
    assert "共 3 人" in admin.text
    delivered: list[tuple[str, str]] = []

    async def send(chat_ref: str, msg: Outgoing) -> str:
        delivered.append((chat_ref, msg.text))
        return "1"

    sender = app.sender("console", send)
    for _ in range(5):
        await sender.drain_once()
        clock.advance(seconds=1)
    assert sorted(c for c, t in delivered if "每周一学" in t) == ["admin", "bob", "carol"]
    assert delivered[-1] == ("admin", "📢 广播发送完成：成功 3，失败 0，无法送达 0（共 3）。")
