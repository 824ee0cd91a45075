"""The Telegram channel with real PTB objects; only the HTTP request is recorded offline."""

from __future__ import annotations

import pytest
from telegram import Update

from bot.channels.telegram import TelegramChannel, to_incoming
from tests.telegram_offline import message, press


async def feed(channel: TelegramChannel, data: dict) -> None:
    await channel.application.process_update(Update.de_json(data, channel.application.bot))


async def test_a_text_message_gets_a_reply_with_an_inline_keyboard(telegram) -> None:
    channel, request, _ = telegram
    await feed(channel, message(1, "/study"))
    name, params = request.calls[-1]
    assert name == "sendMessage"
    assert params["chat_id"] == 4242
    assert "党员享有的八项权利" in params["text"]
    buttons = [b for row in params["reply_markup"]["inline_keyboard"] for b in row]
    assert buttons[0]["callback_data"] == "learn:party-member-rights"


async def test_a_button_edits_in_place_and_the_query_is_answered(telegram) -> None:
    channel, request, app = telegram
    await feed(channel, press(2, "learn:party-member-rights"))
    assert request.methods()[-2:] == ["editMessageText", "answerCallbackQuery"]
    assert "+5 积分" in request.calls[-2][1]["text"]
    await feed(channel, press(3, "learn:party-member-rights"))  # a second tap: a toast only
    assert request.calls[-1] == (
        "answerCallbackQuery",
        {"callback_query_id": "cb3", "text": "已经学过了，不重复计分"},
    )
    await feed(channel, press(3, "learn:party-member-rights"))  # the same update again
    assert request.calls[-1] == ("answerCallbackQuery", {"callback_query_id": "cb3"})
    assert request.methods().count("editMessageText") == 1
    assert (await app.services.points.leaderboard())[0].points == 5


async def test_commands_menu_is_set_in_chinese(telegram) -> None:
    channel, request, _ = telegram
    await channel.set_commands()
    name, params = request.calls[-1]
    commands = {c["command"]: c["description"] for c in params["commands"]}
    assert name == "setMyCommands"
    assert commands["study"] == "本周学习内容"


def test_updates_become_neutral_events() -> None:
    update = Update.de_json(message(9, "/start abc"), None)
    event = to_incoming(update)
    assert (event.user_ref, event.chat_ref, event.event_id, event.is_group) == (
        "4242",
        "4242",
        "9",
        False,
    )
    assert event.command == ("/start", "abc")
    assert event.display_name == "Fang Wang"


async def test_send_failures_become_delivery_errors(telegram) -> None:
    from bot.core.messages import Outgoing
    from bot.delivery import Rejected, RetryAfter, Unreachable

    channel, request, _ = telegram
    request.failures["sendMessage"] = [
        (429, "Too Many Requests: retry after 3", {"retry_after": 3}),
        (403, "Forbidden: bot was blocked by the user", {}),
        (400, "Bad Request: chat not found", {}),
    ]
    with pytest.raises(RetryAfter) as slow:
        await channel.send("4242", Outgoing("hi"))
    assert slow.value.seconds == 3
    with pytest.raises(Unreachable):
        await channel.send("4242", Outgoing("hi"))
    with pytest.raises(Rejected, match=r"(?i)chat not found"):
        await channel.send("4242", Outgoing("hi"))
    assert await channel.send("4242", Outgoing("hi")) == "101"  # then it goes through
