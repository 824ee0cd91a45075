"""Announcements and reports on Telegram through real PTB objects: a notice with a file,
pinned in the bound group, sent as documents; /report's chart as a photo."""

from __future__ import annotations

from bot.delivery import Limits
from tests.draining import drain_all
from tests.telegram_offline import (
    ADMIN,
    ALICE,
    GROUP,
    added_to_group,
    document,
    feed,
    message,
    press,
)

PDF = b"%PDF-1.4 \xe5\xad\xa6\xe4\xb9\xa0\xe5\xae\x89\xe6\x8e\x92"


def calls_of(request, *methods: str) -> list[tuple[str, dict]]:
    return [(m, p) for m, p in request.calls if m in methods]


async def test_a_notice_with_a_file_is_pinned_in_the_group_and_sent_to_people(
    telegram, clock
) -> None:
    channel, request, app = telegram
    await feed(channel, message(1, "/start", ALICE))
    await feed(channel, added_to_group(2))
    await feed(channel, message(3, "/bindgroup 乌兰浩特市", ADMIN, GROUP))
    await feed(channel, message(4, "/announce 请于周五前完成本周学习。", ADMIN))
    await feed(channel, press(5, "an:1:pin", ADMIN))
    await feed(channel, press(6, "an:1:file", ADMIN))
    request.files["学习安排.pdf"] = PDF
    await feed(channel, document(7, "学习安排.pdf", len(PDF), ADMIN))
    preview = calls_of(request, "sendMessage")[-1][1]["text"]
    assert "📎 附件：学习安排.pdf" in preview
    await feed(channel, press(8, "an:1:send", ADMIN))
    before = len(request.calls)
    sender = app.sender("telegram", channel.send, Limits(overall_per_second=30))
    await drain_all(sender, clock)
    sent = calls_of(request, "sendDocument", "pinChatMessage")
    docs = [p for m, p in sent if m == "sendDocument"]
    assert sorted(p["chat_id"] for p in docs) == sorted([GROUP["id"], ALICE["id"], ADMIN["id"]])
    assert {p["caption"] for p in docs} == {"📢【通知】\n\n请于周五前完成本周学习。"}
    assert all(p["document"].startswith("attach://") for p in docs)
    pins = [p for m, p in sent if m == "pinChatMessage"]
    assert [p["chat_id"] for p in pins] == [GROUP["id"]]  # the group only
    report = [p["text"] for m, p in request.calls[before:] if m == "sendMessage"]
    assert report[-1].splitlines()[:3] == [
        "📬 通知 #1 送达情况：",
        "群 1 个：已送达 1，失败 0，待发 0",
        "个人 2 人：已送达 2，失败 0，无法送达 0，待发 0",
    ]


async def test_a_pin_refused_by_telegram_leaves_the_notice_sent(telegram, clock) -> None:
    channel, request, app = telegram
    await feed(channel, added_to_group(1))
    await feed(channel, message(2, "/bindgroup 乌兰浩特市", ADMIN, GROUP))
    await feed(channel, message(3, "/announce 通知", ADMIN))
    await feed(channel, press(4, "an:1:people", ADMIN))
    await feed(channel, press(5, "an:1:pin", ADMIN))
    await feed(channel, press(6, "an:1:send", ADMIN))
    request.failures["pinChatMessage"] = [(400, "Bad Request: not enough rights", {})]
    await drain_all(app.sender("telegram", channel.send), clock)
    found = await app.services.announcements.report(1)
    assert found is not None
    assert [(g.status, g.error) for g in found.groups] == [("sent", "")]


async def test_report_sends_its_chart_as_a_photo(telegram) -> None:
    channel, request, _ = telegram
    await feed(channel, message(1, "/report", ADMIN))
    (photo,) = [p for m, p in request.calls if m == "sendPhoto"]
    assert photo["chat_id"] == ADMIN["id"]
    assert photo["caption"].startswith("📊 兴安盟 · 2026-11")
    text = [p["text"] for m, p in request.calls if m == "sendMessage"][-1]
    assert text.startswith("📊 兴安盟 · 2026-11 学习情况")
