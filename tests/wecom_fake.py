"""A fake WeCom server API on 127.0.0.1 (aiohttp): the network edge is the only thing
faked. It answers like WeCom (errcodes included), records what the bot sends, and can be
told to fail, for tests and benchmarks."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import deque
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

# Cards whose send answer carries a response_code (the ones a click can update).
INTERACTIVE = frozenset({"button_interaction", "vote_interaction", "multiple_interaction"})
# A \uXXXX escape not itself escaped: WeCom answers those with errcode 40033.
_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\u[0-9a-fA-F]{4}")
_HANG = -1  # a queued "answer" that never comes


def _answer(errcode: int = 0, errmsg: str = "ok", **extra: Any) -> web.Response:
    return web.json_response({"errcode": errcode, "errmsg": errmsg, **extra})


class FakeWeCom:
    """The WeCom server API, in memory: records what the bot sends and can be told to fail."""

    corp_id = "ww-test-corp"
    secret = "test-secret"

    def __init__(self) -> None:
        self.messages: list[dict] = []
        self.updates: list[dict] = []
        self.robot: list[tuple[str, dict]] = []
        self.uploads: list[tuple[str, str, bytes]] = []
        self.token_calls = 0
        self.sent_at: list[tuple[float, str]] = []
        self.invalid_users: set[str] = set()
        self.names: dict[str, str] = {}  # userid -> name in the address book
        self.user_lookups = 0
        self.invalid_robots: set[str] = set()  # webhook keys of removed robots (93000)
        self.base = ""
        self._tokens: dict[str, bool] = {}  # every token issued -> still valid
        self._current: str | None = None
        self._queued: dict[str, deque[tuple[int, dict]]] = {}
        self._used_codes: set[str] = set()
        self._ids = 0
        self._release = asyncio.Event()
        self._server: TestServer | None = None
        self.app = web.Application()
        route = self.app.router
        route.add_get("/cgi-bin/gettoken", self._gettoken)
        route.add_post("/cgi-bin/message/send", self._send)
        route.add_get("/cgi-bin/user/get", self._user_get)
        route.add_post("/cgi-bin/message/update_template_card", self._update)
        route.add_post("/cgi-bin/media/upload", self._upload)
        route.add_post("/cgi-bin/webhook/send", self._robot_send)
        route.add_post("/cgi-bin/webhook/upload_media", self._robot_upload)

    async def start(self) -> FakeWeCom:
        """Listen on a free port of 127.0.0.1; sets `base`."""
        self._server = TestServer(self.app, host="127.0.0.1")
        # No access log: request lines carry tokens and keys, and benchmarks stay quiet.
        await self._server.start_server(access_log=None)
        self.base = f"http://127.0.0.1:{self._server.port}"
        return self

    async def close(self) -> None:
        """Stop listening (hanging requests are let go first)."""
        self._release.set()
        if self._server is not None:
            await self._server.close()

    # control

    def expire_token(self) -> None:
        """The current token now answers 42001; a new gettoken gives a new, valid one."""
        if self._current is not None:
            self._tokens[self._current] = False

    def fail_next(self, path: str, errcode: int, errmsg: str = "failed") -> None:
        """Queue one error answer for `path` (e.g. "message/send")."""
        self.respond_next(path, {"errcode": errcode, "errmsg": errmsg})

    def respond_next(self, path: str, answer: dict, status: int = 200) -> None:
        """Queue one answer (any JSON, any HTTP status) for `path`."""
        self._queued.setdefault(path, deque()).append((status, answer))

    def hang_next(self, path: str) -> None:
        """The next request to `path` gets no answer until the fake closes (a timeout)."""
        self._queued.setdefault(path, deque()).append((_HANG, {}))

    # routes

    async def _canned(self, path: str) -> web.Response | None:
        """A queued answer for `path`, if any."""
        queue = self._queued.get(path)
        if not queue:
            return None
        status, answer = queue.popleft()
        if status == _HANG:
            await self._release.wait()
            return web.Response(status=503)
        return web.json_response(answer, status=status)

    def _refused(self, request: web.Request) -> web.Response | None:
        """The error answer for a missing, unknown or expired access token."""
        token = request.query.get("access_token")
        if not token:
            return _answer(41001, "access_token missing")
        if token not in self._tokens:
            return _answer(40014, "invalid access_token")
        if not self._tokens[token]:
            return _answer(42001, "access_token expired")
        return None

    async def _accepted(self, path: str, request: web.Request) -> dict | web.Response:
        """An app API call's JSON body, or the answer that refuses it (queued, token, body)."""
        if canned := await self._canned(path):
            return canned
        if refused := self._refused(request):
            return refused
        return await self._json(request)

    async def _json(self, request: web.Request) -> dict | web.Response:
        """The posted JSON, or WeCom's error for what it refuses."""
        text = await request.text()
        if _ESCAPE.search(text):
            return _answer(40033, "invalid charset. please check your request")
        try:
            body = json.loads(text)
        except ValueError:
            return _answer(47001, "data format error")
        return body if isinstance(body, dict) else _answer(47001, "data format error")

    async def _media(self, request: web.Request) -> tuple[str, bytes] | web.Response:
        """(filename, bytes) of the multipart field "media"."""
        if not request.content_type.startswith("multipart/"):
            return _answer(44001, "empty media data")
        reader = await request.multipart()
        async for part in reader:
            if getattr(part, "name", None) == "media":
                return part.filename or "", bytes(await part.read())
        return _answer(44001, "empty media data")

    def _next_id(self, prefix: str) -> str:
        self._ids += 1
        return f"{prefix}-{self._ids}"

    async def _gettoken(self, request: web.Request) -> web.Response:
        self.token_calls += 1
        if canned := await self._canned("gettoken"):
            return canned
        if request.query.get("corpid") != self.corp_id:
            return _answer(40013, "invalid corpid")
        if request.query.get("corpsecret") != self.secret:
            return _answer(40001, "invalid credential")
        self._current = f"tok-{len(self._tokens) + 1}"
        self._tokens[self._current] = True
        return _answer(access_token=self._current, expires_in=7200)

    async def _user_get(self, request: web.Request) -> web.Response:
        self.user_lookups += 1
        if canned := await self._canned("user/get"):
            return canned
        if refused := self._refused(request):
            return refused
        userid = request.query.get("userid", "")
        if userid not in self.names:
            return _answer(60111, "userid not found")
        return _answer(userid=userid, name=self.names[userid])

    async def _send(self, request: web.Request) -> web.Response:
        body = await self._accepted("message/send", request)
        if isinstance(body, web.Response):
            return body
        if "agentid" not in body:
            return _answer(41011, "missing agentid")
        touser = str(body.get("touser", ""))
        recipients = [u for u in touser.split("|") if u]
        invalid = [u for u in recipients if u in self.invalid_users]
        if recipients and len(invalid) == len(recipients):
            return _answer(81013, "user & party & tag all invalid", invaliduser=touser)
        self.messages.append(body)
        self.sent_at.append((time.monotonic(), touser))
        extra: dict[str, Any] = {"invaliduser": "|".join(invalid), "msgid": self._next_id("msg")}
        card = body.get("template_card") or {}
        if body.get("msgtype") == "template_card" and card.get("card_type") in INTERACTIVE:
            extra["response_code"] = self._next_id("code")
        return _answer(**extra)

    async def _update(self, request: web.Request) -> web.Response:
        body = await self._accepted("message/update_template_card", request)
        if isinstance(body, web.Response):
            return body
        code = str(body.get("response_code", ""))
        # WeCom lets each response_code update a card once; the errcode here is a guess.
        if not code or code in self._used_codes:
            return _answer(40035, "invalid response_code")
        self._used_codes.add(code)
        self.updates.append(body)
        return _answer(invaliduser=[])

    async def _upload(self, request: web.Request) -> web.Response:
        if canned := await self._canned("media/upload"):
            return canned
        if refused := self._refused(request):
            return refused
        kind = request.query.get("type", "")
        if kind not in {"image", "voice", "video", "file"}:
            return _answer(40004, "invalid media type")
        media = await self._media(request)
        if isinstance(media, web.Response):
            return media
        self.uploads.append((kind, *media))
        created = str(int(time.time()))
        return _answer(type=kind, media_id=self._next_id("media"), created_at=created)

    def _robot_refused(self, request: web.Request) -> web.Response | None:
        key = request.query.get("key", "")
        if not key or key in self.invalid_robots:
            return _answer(93000, "invalid webhook url")
        return None

    async def _robot_send(self, request: web.Request) -> web.Response:
        if canned := await self._canned("webhook/send"):
            return canned
        if refused := self._robot_refused(request):
            return refused
        body = await self._json(request)
        if isinstance(body, web.Response):
            return body
        key = request.query["key"]
        self.robot.append((key, body))
        self.sent_at.append((time.monotonic(), f"robot:{key}"))
        return _answer()

    async def _robot_upload(self, request: web.Request) -> web.Response:
        if canned := await self._canned("webhook/upload_media"):
            return canned
        if refused := self._robot_refused(request):
            return refused
        kind = request.query.get("type", "")
        if kind not in {"file", "voice"}:
            return _answer(40004, "invalid media type")
        media = await self._media(request)
        if isinstance(media, web.Response):
            return media
        self.uploads.append((kind, *media))
        created = str(int(time.time()))
        return _answer(type=kind, media_id=self._next_id("media"), created_at=created)


@pytest.fixture
async def fake_wecom() -> AsyncIterator[FakeWeCom]:
    """A started FakeWeCom, closed after the test."""
    fake = await FakeWeCom().start()
    try:
        yield fake
    finally:
        await fake.close()
