"""Lecture check-in on Telegram through a real PTB Application: the 签到 button, the
share-location keyboard and a location inside a venue's radius."""

from __future__ import annotations

from dataclasses import replace

from tests.telegram_offline import ALICE, BOB, feed, location, message, press
from tests.test_attendance import LECTURE, at


def sent(request) -> list[dict]:
    return [p for m, p in request.calls if m == "sendMessage"]


async def test_check_in_by_button_and_by_location(telegram, clock) -> None:
    channel, request, app = telegram
    app.services.pack.lectures[LECTURE.id] = replace(LECTURE, audience=("xam",), quiz=None)
    clock.set(at(-10))
    await feed(channel, message(1, "/checkin", ALICE))
    pick, where = sent(request)[-2:]
    assert pick["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == f"ci:{LECTURE.id}"
    assert where["reply_markup"]["keyboard"] == [
        [{"text": "📍 发送位置签到", "request_location": True}]
    ]
    await feed(channel, press(2, f"ci:{LECTURE.id}", ALICE))
    assert "签到成功" in sent(request)[-1]["text"]
    assert "线上" in sent(request)[-1]["text"]
    answered = [m for m, _ in request.calls if m == "answerCallbackQuery"]
    assert answered  # the button stops spinning
    await feed(channel, message(3, "/start", BOB))
    await feed(channel, location(4, 46.0801, 122.0502, BOB))
    reply = sent(request)[-1]
    assert "签到成功" in reply["text"]
    assert "盟委党校主会场" in reply["text"]
    assert reply["reply_markup"] == {"remove_keyboard": True}
    rows = await app.services.store.all("SELECT method, venue_id FROM checkins ORDER BY at")
    assert [tuple(r) for r in rows] == [("button", "online"), ("location", "main")]
