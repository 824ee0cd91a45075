"""Mass sends through Telegram: the weekly push, /broadcast, 429, 403 and a crash mid-send."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import replace

from bot.channels.telegram import TelegramChannel
from bot.delivery import Limits
from tests.draining import drain_all
from tests.telegram_offline import ADMIN, RecordingRequest, feed, message


def person(n: int) -> dict:
    return {"id": 20_000 + n, "is_bot": False, "first_name": f"干部{n}"}


async def register(channel: TelegramChannel, count: int) -> None:
    for n in range(count):
        await feed(channel, message(1000 + n, "/start", person(n)))


def sends(request: RecordingRequest) -> list[tuple[int, str]]:
    return [(p["chat_id"], p["text"]) for m, p in request.calls if m == "sendMessage"]


async def test_a_deep_link_opens_the_quiz_it_names(telegram) -> None:
    channel, request, _ = telegram
    await feed(channel, message(1, "/start quiz_party-member-rights"))
    texts = [p["text"] for _, p in sends_with_markup(request)]
    assert texts[0].startswith("欢迎你，Fang Wang！")
    assert "党员权利知识测试" in texts[1]
    buttons = request.calls[-1][1]["reply_markup"]["inline_keyboard"]
    assert any(b["callback_data"].startswith("qs:party-member-rights") for r in buttons for b in r)


def sends_with_markup(request: RecordingRequest) -> list[tuple[str, dict]]:
    return [(m, p) for m, p in request.calls if m == "sendMessage"]


async def test_the_weekly_push_goes_through_the_outbox_once_per_week(telegram, clock) -> None:
    channel, request, app = telegram
    await register(channel, 3)
    before = len(sends(request))
    await feed(channel, message(1, "/pushweek", person(0)))  # not an admin
    assert sends(request)[-1][1] == "抱歉，这个功能只对超级管理员开放。"
    await feed(channel, message(2, "/pushweek", ADMIN))
    queued = "📚 本周学习内容已加入发送队列：《每周一学｜党员享有的八项权利》4 人"
    assert sends(request)[-1][1].startswith(queued)
    await feed(channel, message(3, "/pushweek", ADMIN))  # again the same week: nobody new
    assert sends(request)[-1][1] == "本周没有需要推送的学习内容（或大家都已收到）。"
    assert await app.services.store.scalar("SELECT COUNT(*) FROM outbox") == 4
    await drain_all(app.sender("telegram", channel.send), clock)
    pushed = [(c, t) for c, t in sends(request)[before:] if t.startswith("📚 每周一学")]
    assert sorted(c for c, _ in pushed) == sorted([20_000, 20_001, 20_002, 9001])
    markup = next(p["reply_markup"] for m, p in request.calls if p.get("text", "") == pushed[0][1])
    actions = [b["callback_data"] for row in markup["inline_keyboard"] for b in row]
    assert actions == ["study:party-member-rights", "quiz:party-member-rights"]
    assert "广播发送完成：成功 4" in sends(request)[-1][1]
    await register(channel, 4)  # a newcomer this week gets it with the next push
    await feed(channel, message(4, "/pushweek", ADMIN))
    assert "4 人" not in sends(request)[-1][1]
    assert "1 人" in sends(request)[-1][1]


async def test_429_waits_then_succeeds_and_403_marks_unreachable(telegram, clock) -> None:
    channel, request, app = telegram
    await register(channel, 2)
    await feed(channel, message(1, "/broadcast 请于周五前完成本周学习", ADMIN))
    request.failures["sendMessage"] = [
        (429, "Too Many Requests: retry after 5", {"retry_after": 5}),
        (403, "Forbidden: bot was blocked by the user", {}),
    ]
    start = clock.now()
    await drain_all(app.sender("telegram", channel.send), clock)
    assert (clock.now() - start).total_seconds() >= 5  # it waited as told
    got = Counter(c for c, t in sends(request) if t == "请于周五前完成本周学习")
    assert sum(got.values()) == 4  # 3 sent + the 429 attempt; the blocked person once
    assert "成功 2，失败 0，无法送达 1（共 3）" in sends(request)[-1][1]
    unreachable = await app.services.store.scalar(
        "SELECT COUNT(*) FROM accounts WHERE unreachable_at IS NOT NULL"
    )
    assert unreachable == 1
    await feed(channel, message(2, "/broadcast 第二条通知", ADMIN))
    assert "共 2 人" in sends(request)[-1][1]  # the blocked person is no longer sent to
    blocked = await app.services.store.scalar(
        "SELECT user_ref FROM accounts WHERE unreachable_at IS NOT NULL"
    )
    await feed(
        channel, message(3, "/start", {"id": int(blocked), "is_bot": False, "first_name": "X"})
    )
    await feed(channel, message(4, "/broadcast 第三条通知", ADMIN))
    assert "共 3 人" in sends(request)[-1][1]  # writing to the bot again makes them reachable


async def test_a_crash_mid_broadcast_resumes_without_duplicates(
    telegram, open_app, clock, config
) -> None:
    channel, request, app = telegram
    await register(channel, 40)
    await feed(channel, message(1, "/broadcast 大讲堂今晚七点开讲", ADMIN))
    request.hang_after = len(sends(request)) + 25  # 25 go through, the next 5 hang in flight
    request.hang_count = 5
    sender = app.sender("telegram", channel.send, Limits(overall_per_second=30))
    drain = asyncio.create_task(sender.drain_once())
    await request.in_flight.wait()
    drain.cancel()  # the process dies with 5 sends in flight
    in_flight = await app.services.store.scalar(
        "SELECT COUNT(*) FROM outbox WHERE status = 'sending'"
    )
    first_run = [c for c, t in sends(request) if t == "大讲堂今晚七点开讲"]

    config = replace(config, admins=(*config.admins, "telegram:9001"))
    restarted = await open_app(config)
    request2 = RecordingRequest()
    channel2 = TelegramChannel("123:TEST", config, request=request2)
    await channel2.application.initialize()
    try:
        sender2 = restarted.sender("telegram", channel2.send)
        assert await sender2.recover() == in_flight
        await drain_all(sender2, clock)
    finally:
        await channel2.application.shutdown()
    second_run = [c for c, t in sends(request2) if t == "大讲堂今晚七点开讲"]
    everyone = Counter(first_run) + Counter(second_run)
    assert len(everyone) == 41  # 40 people and the admin: nobody lost
    duplicates = sum(n - 1 for n in everyone.values())
    assert 0 < duplicates <= in_flight == 5
    assert "成功 41" in sends(request2)[-1][1]
