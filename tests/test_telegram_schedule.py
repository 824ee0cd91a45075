"""Scheduled reminders on Telegram through a real PTB Application: a lecture reminder with
its buttons, snoozed from the chat and sent again an hour later."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.draining import drain_all
from tests.telegram_offline import ALICE, BOB, feed, message, press
from tests.test_attendance import LECTURE, at


def sent(request) -> list[dict]:
    return [p for m, p in request.calls if m == "sendMessage"]


async def test_a_lecture_reminder_is_sent_snoozed_and_sent_again(telegram, clock) -> None:
    channel, request, app = telegram
    pack = app.services.pack
    pack.lectures[LECTURE.id] = replace(LECTURE, audience=("xam",), quiz=None)
    app.services.use_pack(pack)
    await feed(channel, message(1, "/start", ALICE))
    await feed(channel, message(2, "/start", BOB))
    clock.set(at(-24 * 60 - 1))
    await app.services.reminders.start()
    clock.set(at(-24 * 60))
    ran = await app.services.reminders.sweep()
    assert [(r.due.what, r.queued) for r in ran] == [(f"lecture:{LECTURE.id}:1440", 2)]
    sender = app.sender("telegram", channel.send)
    before = len(sent(request))
    await drain_all(sender, clock)
    reminders = sent(request)[before:]
    assert sorted(p["chat_id"] for p in reminders) == [ALICE["id"], BOB["id"]]
    assert "《乡村振兴大讲堂》将于 11-25 15:00 开始（还有 1 天）" in reminders[0]["text"]
    keyboard = reminders[0]["reply_markup"]["inline_keyboard"]
    assert keyboard[0][0]["callback_data"] == f"lv:{LECTURE.id}"
    snooze = keyboard[1][0]["callback_data"]
    assert snooze.startswith("snz:h:")
    assert keyboard[1][1]["text"] == "🌅 明早提醒"

    await feed(channel, press(3, snooze, ALICE))
    toast = [p for m, p in request.calls if m == "answerCallbackQuery"][-1]
    assert toast["text"] == "⏰ 好的，11-24 16:00 再提醒您"
    await feed(channel, press(4, snooze, ALICE))  # a double tap
    assert [p for m, p in request.calls if m == "answerCallbackQuery"][-1]["text"].startswith(
        "⏰ 已经设好了"
    )
    before = len(sent(request))
    clock.advance(minutes=59)
    assert (await sender.drain_once())[0] == 0  # not yet
    clock.advance(minutes=1, seconds=1)
    await drain_all(sender, clock)
    again = sent(request)[before:]
    assert [p["chat_id"] for p in again] == [ALICE["id"]]
    assert "乡村振兴大讲堂" in again[0]["text"]
    assert clock.now() - at(-24 * 60) < timedelta(hours=1, minutes=2)
