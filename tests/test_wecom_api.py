"""The WeCom API client against the local fake: tokens, error mapping, uploads, robots."""

from __future__ import annotations

import asyncio
import logging
import socket
import traceback
from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest
from aiohttp import web

from bot.channels.wecom_api import WeComAPI, delivery_error
from bot.delivery import DeliveryError, Halted, Rejected, RetryAfter, Transient, Unreachable
from tests.wecom_fake import FakeWeCom

ROBOT_KEY = "robot-key-5f3c9a"
BUTTON_CARD = {
    "card_type": "button_interaction",
    "main_title": {"title": "本周学习"},
    "task_id": "study-1",
    "button_list": [{"text": "已学习", "key": "done"}],
}


class Ticker:
    """A monotonic clock that only moves when a test moves it."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def ticker() -> Ticker:
    """A clock for the client's token expiry."""
    return Ticker()


@pytest.fixture
async def api(fake_wecom: FakeWeCom, ticker: Ticker) -> AsyncIterator[WeComAPI]:
    """A client of the fake on the test's clock."""
    client = WeComAPI(fake_wecom.base, fake_wecom.corp_id, fake_wecom.secret, 1000002, now=ticker)
    yield client
    await client.close()


def text(touser: str, content: str = "你好") -> dict:
    """A message/send body for a text message."""
    return {"touser": touser, "msgtype": "text", "text": {"content": content}}


def free_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_token_is_fetched_once_and_cached(api: WeComAPI, fake_wecom: FakeWeCom) -> None:
    first = await api.send(text("zhangsan"))
    await api.send(text("lisi"))
    assert fake_wecom.token_calls == 1
    assert first["msgid"]
    assert [m["touser"] for m in fake_wecom.messages] == ["zhangsan", "lisi"]
    assert all(m["agentid"] == 1000002 for m in fake_wecom.messages)


async def test_concurrent_callers_share_one_token_fetch(
    api: WeComAPI,
    fake_wecom: FakeWeCom,
) -> None:
    tokens = await asyncio.gather(*(api.token() for _ in range(5)))
    assert len(set(tokens)) == 1
    assert fake_wecom.token_calls == 1


async def test_token_refreshed_when_the_clock_passes_its_expiry(
    api: WeComAPI,
    fake_wecom: FakeWeCom,
    ticker: Ticker,
) -> None:
    first = await api.token()
    ticker.t += 7200 - 300 - 1  # still inside WeCom's 7200 s minus our 5-minute margin
    assert await api.token() == first
    ticker.t += 1
    second = await api.token()
    assert second != first
    assert fake_wecom.token_calls == 2
    await api.send(text("zhangsan"))
    assert fake_wecom.token_calls == 2


async def test_expired_token_is_refreshed_once_and_the_send_goes_through(
    api: WeComAPI,
    fake_wecom: FakeWeCom,
) -> None:
    await api.token()
    fake_wecom.expire_token()
    answer = await api.send(text("zhangsan"))
    assert answer["errcode"] == 0
    assert fake_wecom.token_calls == 2
    assert len(fake_wecom.messages) == 1


async def test_concurrent_sends_on_an_expired_token_refresh_it_once(
    api: WeComAPI,
    fake_wecom: FakeWeCom,
) -> None:
    await api.token()
    fake_wecom.expire_token()
    await asyncio.gather(*(api.send(text(f"user{i}")) for i in range(5)))
    assert fake_wecom.token_calls == 2
    assert len(fake_wecom.messages) == 5


async def test_a_second_consecutive_expiry_is_raised(
    api: WeComAPI,
    fake_wecom: FakeWeCom,
) -> None:
    fake_wecom.fail_next("message/send", 42001, "access_token expired")
    fake_wecom.fail_next("message/send", 42001, "access_token expired")
    with pytest.raises(Transient, match="42001"):
        await api.send(text("zhangsan"))
    assert fake_wecom.token_calls == 2
    assert fake_wecom.messages == []


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        (-1, Transient),
        (45033, Transient),
        (40001, Halted),
        (40013, Halted),
        (60020, Halted),
        (42001, Transient),
        (45009, RetryAfter),
        (45011, RetryAfter),
        (45035, RetryAfter),
        (45047, RetryAfter),
        (81013, Unreachable),
        (60111, Unreachable),
        (82001, Unreachable),
        (93000, Unreachable),
        (60102, Rejected),  # "UserID already exists": about creating members, not sends
        (40008, Rejected),
        (44004, Rejected),
    ],
)
def test_delivery_error_maps_errcodes(code: int, kind: type[DeliveryError]) -> None:
    error = delivery_error(code, "the errmsg")
    assert type(error) is kind
    assert str(error).startswith(f"wecom {code}: the errmsg")
    if isinstance(error, RetryAfter):
        assert error.seconds == 60


async def test_invaliduser_naming_the_only_recipient_is_unreachable(
    api: WeComAPI,
    fake_wecom: FakeWeCom,
) -> None:
    fake_wecom.respond_next("message/send", {"errcode": 0, "errmsg": "ok", "invaliduser": "Gone"})
    with pytest.raises(Unreachable, match="gone"):
        await api.send(text("gone"))


async def test_one_invalid_user_among_several_is_not_an_error(
    api: WeComAPI,
    fake_wecom: FakeWeCom,
) -> None:
    fake_wecom.invalid_users = {"gone"}
    answer = await api.send(text("gone|zhangsan"))
    assert answer["invaliduser"] == "gone"
    assert len(fake_wecom.messages) == 1


async def test_all_recipients_invalid_81013_is_unreachable(
    api: WeComAPI,
    fake_wecom: FakeWeCom,
) -> None:
    fake_wecom.invalid_users = {"gone"}
    with pytest.raises(Unreachable, match="wecom 81013: user & party & tag all invalid"):
        await api.send(text("gone"))
    assert fake_wecom.messages == []


async def test_frequency_limit_45009_is_retry_after(
    api: WeComAPI,
    fake_wecom: FakeWeCom,
) -> None:
    fake_wecom.fail_next("message/send", 45009, "api freq out of limit")
    with pytest.raises(RetryAfter, match="45009") as caught:
        await api.send(text("zhangsan"))
    assert caught.value.seconds == 60
    await api.send(text("zhangsan"))  # the queued failure was for one call only
    assert len(fake_wecom.messages) == 1


@pytest.mark.parametrize(("status", "kind"), [(502, Transient), (429, RetryAfter), (404, Rejected)])
async def test_http_errors_are_mapped(
    api: WeComAPI,
    fake_wecom: FakeWeCom,
    status: int,
    kind: type[DeliveryError],
) -> None:
    fake_wecom.respond_next("message/send", {"error": "gateway"}, status=status)
    with pytest.raises(kind, match=f"HTTP {status}"):
        await api.send(text("zhangsan"))


async def test_a_server_that_is_not_listening_is_transient() -> None:
    client = WeComAPI(f"http://127.0.0.1:{free_port()}", "corp", "s3cret-value", 1)
    try:
        with pytest.raises(Transient, match="gettoken") as caught:
            await client.send(text("zhangsan"))
        with pytest.raises(Transient, match="webhook/send"):
            await client.robot_send(ROBOT_KEY, text("zhangsan"))
    finally:
        await client.close()
    assert "s3cret-value" not in str(caught.value)


async def test_a_timeout_is_transient(fake_wecom: FakeWeCom) -> None:
    client = WeComAPI(fake_wecom.base, fake_wecom.corp_id, fake_wecom.secret, 1, timeout=0.2)
    fake_wecom.hang_next("message/send")
    try:
        with pytest.raises(Transient, match="message/send"):
            await client.send(text("zhangsan"))
    finally:
        await client.close()
    assert fake_wecom.messages == []


async def test_a_wrong_secret_halts_the_channel_at_gettoken(fake_wecom: FakeWeCom) -> None:
    client = WeComAPI(fake_wecom.base, fake_wecom.corp_id, "wrong-secret-123", 1)
    try:
        with pytest.raises(Halted, match="wecom 40001") as caught:
            await client.send(text("zhangsan"))
    finally:
        await client.close()
    assert "wrong-secret-123" not in str(caught.value)
    assert fake_wecom.messages == []


async def test_chinese_text_is_sent_as_utf8_not_escapes(
    api: WeComAPI,
    fake_wecom: FakeWeCom,
) -> None:
    # The fake refuses \uXXXX escapes with 40033, as WeCom does.
    await api.send(text("zhangsan", "学习强国：本周第三讲"))
    assert fake_wecom.messages[0]["text"]["content"] == "学习强国：本周第三讲"


async def test_send_does_not_change_the_callers_body(api: WeComAPI) -> None:
    body = text("zhangsan")
    await api.send(body)
    assert "agentid" not in body


async def test_button_card_answer_carries_a_response_code_to_update_it(
    api: WeComAPI,
    fake_wecom: FakeWeCom,
) -> None:
    sent = await api.send(
        {"touser": "zhangsan", "msgtype": "template_card", "template_card": BUTTON_CARD}
    )
    code = sent["response_code"]
    await api.update_card("zhangsan", code, replace_name="已完成")
    assert fake_wecom.updates == [
        {
            "userids": ["zhangsan"],
            "agentid": 1000002,
            "response_code": code,
            "button": {"replace_name": "已完成"},
        }
    ]
    with pytest.raises(Rejected, match="response_code"):  # a code updates a card once
        await api.update_card("zhangsan", code, replace_name="again")


async def test_update_card_can_replace_the_whole_card(
    api: WeComAPI,
    fake_wecom: FakeWeCom,
) -> None:
    card = {**BUTTON_CARD, "main_title": {"title": "已学习"}}
    await api.update_card("zhangsan", "code-from-a-click", card=card)
    assert fake_wecom.updates[0]["template_card"] == card
    assert "button" not in fake_wecom.updates[0]


async def test_upload_returns_a_media_id(api: WeComAPI, fake_wecom: FakeWeCom) -> None:
    data = b"%PDF-1.7 lecture notes"
    media_id = await api.upload("file", "第三讲 讲义.pdf", data)
    assert media_id.startswith("media-")
    assert fake_wecom.uploads == [("file", "第三讲 讲义.pdf", data)]


async def test_upload_is_rebuilt_for_the_retry_after_an_expired_token(
    api: WeComAPI,
    fake_wecom: FakeWeCom,
) -> None:
    await api.token()
    fake_wecom.expire_token()
    data = bytes(range(256)) * 40
    assert await api.upload("image", "chart.png", data)
    assert fake_wecom.token_calls == 2
    assert fake_wecom.uploads == [("image", "chart.png", data)]


async def test_call_refuses_a_form_that_cannot_be_sent_twice(api: WeComAPI) -> None:
    with pytest.raises(TypeError, match="function"):
        await api.call("media/upload", form=aiohttp.FormData())  # type: ignore[arg-type]


async def test_robot_send_and_upload(api: WeComAPI, fake_wecom: FakeWeCom) -> None:
    body = {"msgtype": "markdown", "markdown": {"content": "**本周学习**已发布"}}
    await api.robot_send(ROBOT_KEY, body)
    media_id = await api.robot_upload(ROBOT_KEY, "台账.xlsx", b"PK\x03\x04ledger")
    assert fake_wecom.robot == [(ROBOT_KEY, body)]
    assert fake_wecom.uploads == [("file", "台账.xlsx", b"PK\x03\x04ledger")]
    assert media_id.startswith("media-")
    assert fake_wecom.sent_at[-1][1] == f"robot:{ROBOT_KEY}"
    assert fake_wecom.token_calls == 0  # webhooks need no access token


async def test_a_removed_robot_is_unreachable(api: WeComAPI, fake_wecom: FakeWeCom) -> None:
    fake_wecom.invalid_robots = {ROBOT_KEY}
    with pytest.raises(Unreachable, match="93000"):
        await api.robot_send(ROBOT_KEY, {"msgtype": "text", "text": {"content": "hi"}})
    assert fake_wecom.robot == []


async def test_trailing_slash_in_base_is_ignored(fake_wecom: FakeWeCom) -> None:
    client = WeComAPI(fake_wecom.base + "/", fake_wecom.corp_id, fake_wecom.secret, 7)
    try:
        await client.send(text("zhangsan"))
    finally:
        await client.close()
    assert fake_wecom.messages[0]["agentid"] == 7


async def test_no_secret_reaches_exceptions_or_logs(
    fake_wecom: FakeWeCom,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    client = WeComAPI(fake_wecom.base, fake_wecom.corp_id, fake_wecom.secret, 1, timeout=0.2)
    errors: list[BaseException] = []

    async def expect(failure: type[DeliveryError], call: Callable) -> None:
        with pytest.raises(failure) as caught:
            await call()
        errors.append(caught.value)

    try:
        await client.send(text("zhangsan"))
        fake_wecom.expire_token()
        await client.send(text("zhangsan"))  # refreshed: two tokens issued
        # An errmsg echoing what the request carried must not carry it into an exception.
        echo = f"bad {fake_wecom.secret} tok-1 tok-2"
        fake_wecom.fail_next("message/send", 40035, echo)
        await expect(Rejected, lambda: client.send(text("zhangsan")))
        fake_wecom.fail_next("webhook/send", 93000, f"{echo} key={ROBOT_KEY}")
        await expect(Unreachable, lambda: client.robot_send(ROBOT_KEY, text("x")))
        fake_wecom.hang_next("webhook/upload_media")
        await expect(Transient, lambda: client.robot_upload(ROBOT_KEY, "a.txt", b"abcdef"))
        fake_wecom.hang_next("message/send")
        await expect(Transient, lambda: client.send(text("zhangsan")))
    finally:
        await client.close()
    await fake_wecom.close()  # nothing listens now: connection errors on every URL
    await expect(Transient, lambda: client.robot_send(ROBOT_KEY, text("x")))
    await expect(Transient, lambda: client.send(text("zhangsan")))
    await client.close()

    assert "wecom: access token refreshed" in caplog.text
    assert fake_wecom.token_calls == 2
    assert len(errors) == 6
    shown = caplog.text + "".join("".join(traceback.format_exception(error)) for error in errors)
    for secret in (fake_wecom.secret, "tok-1", "tok-2", ROBOT_KEY):
        assert secret not in shown


async def test_calls_go_through_the_configured_proxy(fake_wecom: FakeWeCom) -> None:
    relayed: list[str] = []

    async def relay(request: web.Request) -> web.Response:
        """A forward proxy: passes the request on to where it was going."""
        relayed.append(f"{request.method} {request.url.with_query(None)}")
        headers = {"Content-Type": request.headers.get("Content-Type", "application/json")}
        async with (
            aiohttp.ClientSession() as session,
            session.request(
                request.method, str(request.url), data=await request.read(), headers=headers
            ) as answer,
        ):
            return web.Response(body=await answer.read(), status=answer.status)

    proxy = web.Application()
    proxy.router.add_route("*", "/{tail:.*}", relay)
    runner = web.AppRunner(proxy)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    client = WeComAPI(
        fake_wecom.base, fake_wecom.corp_id, fake_wecom.secret, 1, proxy=f"http://127.0.0.1:{port}"
    )
    try:
        await client.send(text("zhangsan", "经代理发送"))
    finally:
        await client.close()
        await runner.cleanup()
    assert relayed == [
        f"GET {fake_wecom.base}/cgi-bin/gettoken",
        f"POST {fake_wecom.base}/cgi-bin/message/send",
    ]
    assert fake_wecom.messages[-1]["text"]["content"] == "经代理发送"
