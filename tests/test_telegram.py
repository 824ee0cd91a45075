"""The Telegram channel with real PTB objects; only the HTTP request is recorded offline."""

from __future__ import annotations

import json
import socket
from dataclasses import replace

import httpx
import pytest
from telegram import Update

from bot.channels.telegram import TelegramChannel, to_incoming
from bot.config import TelegramConfig, WebhookConfig
from tests.telegram_offline import ADMIN, ALICE, RecordingRequest, document, feed, message, press


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


async def test_webhook_mode_needs_the_secret_token(telegram, config) -> None:
    _, _, app = telegram
    with socket.socket() as s:  # a free port on the loopback interface
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    hook = WebhookConfig("127.0.0.1", port, "tg-hook", "https://bot.example.org")
    config = replace(config, telegram=TelegramConfig(mode="webhook", webhook=hook))
    request = RecordingRequest()
    channel = TelegramChannel("123:TEST", config, request=request, webhook_secret="s3cret-Token")
    channel.dispatcher = app.dispatcher
    async with channel.application:
        await channel.application.start()
        await channel.start_receiving()
        try:
            # PTB registers the webhook from its own task once the server is up.
            set_hook = await request.wait_for("setWebhook")
            assert set_hook["url"] == "https://bot.example.org/tg-hook"
            assert set_hook["secret_token"] == "s3cret-Token"
            body = json.dumps(message(77, "/study"))
            url = f"http://127.0.0.1:{port}/tg-hook"
            async with httpx.AsyncClient() as client:
                headers = {"Content-Type": "application/json"}
                wrong = {**headers, "X-Telegram-Bot-Api-Secret-Token": "guess"}
                assert (await client.post(url, content=body, headers=wrong)).status_code == 403
                right = {**headers, "X-Telegram-Bot-Api-Secret-Token": "s3cret-Token"}
                assert (await client.post(url, content=body, headers=right)).status_code == 200
            sent = await request.wait_for("sendMessage")  # processed off the request's path
            assert "党员享有的八项权利" in sent["text"]
        finally:
            await channel.application.updater.stop()
            await channel.application.stop()


def _inline(params: dict) -> list[str]:
    return [b["callback_data"] for row in params["reply_markup"]["inline_keyboard"] for b in row]


async def test_a_whole_quiz_runs_in_one_message_edited_in_place(telegram) -> None:
    channel, request, app = telegram
    await feed(channel, message(1, "/quiz party-member-rights"))
    update = 2
    await feed(channel, press(update, "qs:party-member-rights"))
    sent_before = request.methods().count("sendMessage")
    for _ in range(13):
        last_edit = [p for m, p in request.calls if m == "editMessageText"][-1]
        actions = _inline(last_edit)
        answers = [a for a in actions if a.startswith("qa:")]
        if not answers or answers[0].endswith(":0"):  # multiple choice: tick one option first
            update += 1
            await feed(channel, press(update, next(a for a in actions if a.startswith("qm:"))))
            actions = _inline([p for m, p in request.calls if m == "editMessageText"][-1])
            answers = [a for a in actions if a.startswith("qa:")]
        update += 1
        await feed(channel, press(update, answers[0]))
    assert request.methods().count("sendMessage") == sent_before  # no flood of new messages
    queries = {p["callback_query_id"] for m, p in request.calls if m == "answerCallbackQuery"}
    assert queries == {f"cb{n}" for n in range(2, update + 1)}  # every tap answered
    status = await app.services.quizzes.status(1, "party-member-rights")
    assert status.best_score is not None  # finished and scored


async def test_a_failing_update_does_not_stop_the_next_one(telegram, caplog) -> None:
    channel, request, _ = telegram
    request.failures["sendMessage"] = [(400, "Bad Request: message is too long", {})]
    await feed(channel, message(1, "/study"))  # the reply is refused: logged, not raised
    await feed(channel, message(2, "/study"))
    assert request.methods().count("sendMessage") == 2
    assert "党员享有的八项权利" in request.calls[-1][1]["text"]
    assert any("telegram update failed" in r.getMessage() for r in caplog.records)


NEW_BANK = (
    "id: new-bank\ntitle: 新题库\nquestions:\n"
    "  - {id: q1, type: truefalse, text: 题一, answer: true}\n"
    "  - {id: q2, type: truefalse, text: 题二, answer: false}\n"
)


async def test_an_admin_uploads_a_bank_previews_and_publishes_it(telegram) -> None:
    channel, request, app = telegram
    request.files["new-bank.yaml"] = NEW_BANK.encode()
    await feed(channel, document(1, "new-bank.yaml", len(NEW_BANK.encode()), ADMIN))
    assert request.methods()[-3:] == ["getFile", "download", "sendMessage"]
    preview = request.calls[-1][1]
    assert "新题库" in preview["text"]
    publish = next(a for a in _inline(preview) if a.startswith("pub:"))
    await feed(channel, press(2, publish, ADMIN))
    assert request.methods()[-2:] == ["editMessageText", "answerCallbackQuery"]
    assert (app.config.quiz_dir / "new-bank.yaml").read_text(encoding="utf-8") == NEW_BANK
    assert "new-bank" in app.services.pack.banks
    entry = (await app.services.audit.recent(action="publish"))[0]
    assert (entry.actor, entry.target) == ("telegram:9001", "new-bank.yaml")


async def test_an_upload_with_errors_lists_them_and_changes_nothing(telegram) -> None:
    channel, request, app = telegram
    broken = NEW_BANK.replace("answer: false", "answer: maybe")
    request.files["new-bank.yaml"] = broken.encode()
    await feed(channel, document(1, "new-bank.yaml", len(broken.encode()), ADMIN))
    reply = request.calls[-1][1]["text"]
    assert "new-bank.yaml:5:" in reply
    assert "reply_markup" not in request.calls[-1][1]  # nothing to publish
    assert not (app.config.quiz_dir / "new-bank.yaml").exists()
    assert "new-bank" not in app.services.pack.banks


async def test_uploads_are_refused_before_download_for_non_admins_and_big_files(telegram) -> None:
    channel, request, app = telegram
    request.files["new-bank.yaml"] = NEW_BANK.encode()
    await feed(channel, document(1, "new-bank.yaml", 300, ALICE))
    assert "管理员" in request.calls[-1][1]["text"]
    await feed(channel, document(2, "new-bank.yaml", app.config.max_upload_bytes + 1, ADMIN))
    assert "getFile" not in request.methods()
    assert "download" not in request.methods()
    assert await app.services.store.scalar("SELECT COUNT(*) FROM uploads") == 0
