"""Groups on Telegram: joining, /bindgroup, a /contest with quiz polls and poll answers."""

from __future__ import annotations

import json

from bot.core.clock import ManualClock
from bot.domain.contests import BASE, GAP, SPEED_BONUS, score_for
from tests.draining import drain_all
from tests.telegram_offline import (
    ADMIN,
    ALICE,
    BOB,
    GROUP,
    added_to_group,
    feed,
    message,
    poll_answer,
)


def sent_texts(request, chat_id: int) -> list[str]:
    return [p["text"] for m, p in request.calls if m == "sendMessage" and p["chat_id"] == chat_id]


def polls(request) -> list[dict]:
    return [p for m, p in request.calls if m == "sendPoll"]


async def test_added_to_a_group_records_it_and_greets_through_the_outbox(telegram, clock) -> None:
    channel, request, app = telegram
    await feed(channel, added_to_group(1))
    group = await app.services.groups.get("telegram", str(GROUP["id"]))
    assert (group.title, group.active) == (GROUP["title"], True)
    assert "sendMessage" not in request.methods()  # queued, not sent straight out
    await drain_all(app.sender("telegram", channel.send), clock)
    assert "/contest" in sent_texts(request, GROUP["id"])[0]


async def test_group_chatter_is_ignored_and_private_commands_point_to_the_private_chat(
    telegram, clock
) -> None:
    channel, request, app = telegram
    await feed(channel, message(1, "大家好，今天学习了吗", ALICE, GROUP))
    await feed(channel, message(2, "/quiz@CadreBot", ALICE, GROUP))
    await drain_all(app.sender("telegram", channel.send), clock)
    assert sent_texts(request, GROUP["id"]) == ["这个功能请私聊我使用 🙂"]
    assert await app.services.store.scalar("SELECT COUNT(*) FROM people") == 1  # only who asked


async def test_bindgroup_is_for_admins_and_audited(telegram, clock) -> None:
    channel, request, app = telegram
    await feed(channel, message(1, "/bindgroup 科右前旗", ALICE, GROUP))
    await feed(channel, message(2, "/bindgroup 乌兰浩特市", ADMIN, GROUP))
    await drain_all(app.sender("telegram", channel.send), clock)
    assert sent_texts(request, GROUP["id"]) == [
        "抱歉，这个功能只对管理员开放。",
        "✅ 本群已绑定到“兴安盟 / 乌兰浩特市”。",
    ]
    group = await app.services.groups.get("telegram", str(GROUP["id"]))
    assert (group.unit_id, group.bound_name) == ("xam-wlht", "兴安盟 / 乌兰浩特市")
    entry = (await app.services.audit.recent())[0]
    assert (entry.actor, entry.action, entry.detail) == (
        "telegram:9001",
        "bindgroup",
        {"unit": "xam-wlht", "name": "兴安盟 / 乌兰浩特市"},
    )


async def test_a_contest_runs_polls_scores_answers_and_posts_the_ranking(
    telegram, clock: ManualClock
) -> None:
    channel, request, app = telegram
    sender = app.sender("telegram", channel.send)
    contests = app.services.contests
    await feed(channel, message(1, "/contest party-member-rights 2", ALICE, GROUP))  # not admin
    await feed(channel, message(2, "/contest@CadreBot party-member-rights 2", ADMIN, GROUP))
    await feed(channel, message(3, "/contest party-member-rights", ADMIN, GROUP))  # one at a time
    await contests.tick()
    await drain_all(sender, clock)
    texts = sent_texts(request, GROUP["id"])
    assert texts[0] == "抱歉，这个功能只对管理员开放。"
    assert texts[1].startswith("🏆 擂台比武开始：《党员权利知识测试》\n共 2 题")
    assert "正在进行" in texts[2]
    assert request.methods().index("sendMessage") < request.methods().index("sendPoll")

    row = await app.services.store.one("SELECT id, questions FROM contests")
    bank = app.services.pack.banks["party-member-rights"]
    asked = [bank.question(q) for q in json.loads(row["questions"])]
    results = {"alice": 0, "bob": 0}
    for n, question in enumerate(asked):
        poll = polls(request)[n]
        assert (poll["type"], poll["is_anonymous"]) == ("quiz", False)
        assert poll["open_period"] == question.time_limit
        assert poll["question"].startswith(f"{n + 1}/2 ")
        [right] = poll["correct_option_ids"]
        assert right == min(question.answer)
        poll_id = f"poll{_message_id_of(request, n)}"
        clock.advance(seconds=4)
        update = 10 + 10 * n
        await feed(channel, poll_answer(update, poll_id, [right], ALICE))
        await feed(channel, poll_answer(update, poll_id, [right], ALICE))  # redelivered
        await feed(channel, poll_answer(update + 1, poll_id, [(right + 1) % 2], ALICE))  # again
        clock.advance(seconds=2)
        await feed(channel, poll_answer(update + 2, poll_id, [right if n else 1 - right], BOB))
        results["alice"] += score_for(True, 4, question.time_limit)
        results["bob"] += score_for(bool(n), 6, question.time_limit)
        assert await contests.tick() == 0  # the poll is still open
        clock.advance(seconds=question.time_limit + GAP)
        assert await contests.tick() == 1
        await drain_all(sender, clock)

    ranking = sent_texts(request, GROUP["id"])[-1]
    assert ranking.splitlines()[:4] == [
        "🏆 擂台比武结果：《党员权利知识测试》",
        "参赛 2 人",
        f"🥇 Fang Wang  {results['alice']} 分（答对 2 题，用时 8.0 秒）",
        f"🥈 Lei Zhao  {results['bob']} 分（答对 1 题，用时 6.0 秒）",
    ]
    assert f"答对得 {BASE} 分，另按剩余时间加 0–{SPEED_BONUS} 分" in ranking
    assert results["alice"] > 2 * BASE  # speed earned a bonus
    status = await app.services.store.scalar("SELECT status FROM contests WHERE id = ?", (row[0],))
    assert status == "finished"
    assert await contests.tick() == 0


def _message_id_of(request, n: int) -> int:
    """The message id the recording request gave the n-th poll (its poll id is poll<id>)."""
    seen = 0
    message_id = 100
    for method, _ in request.calls:
        if method in ("sendMessage", "editMessageText", "sendPoll"):
            message_id += 1
            if method == "sendPoll":
                if seen == n:
                    return message_id
                seen += 1
    raise AssertionError("no such poll")


async def test_a_poll_answer_to_an_unknown_poll_changes_nothing(telegram) -> None:
    channel, _, app = telegram
    await feed(channel, poll_answer(1, "somebody-elses-poll", [0], BOB))
    assert await app.services.store.scalar("SELECT COUNT(*) FROM contest_answers") == 0


async def test_a_contest_whose_poll_cannot_be_sent_is_aborted(telegram, clock) -> None:
    channel, request, app = telegram
    await feed(channel, message(1, "/contest party-member-rights 3", ADMIN, GROUP))
    await app.services.contests.tick()
    request.failures["sendPoll"] = [(403, "Forbidden: bot was kicked from the group chat", {})]
    await drain_all(app.sender("telegram", channel.send), clock)
    assert await app.services.contests.tick() == 1
    status = await app.services.store.scalar("SELECT status FROM contests")
    assert status == "aborted"
