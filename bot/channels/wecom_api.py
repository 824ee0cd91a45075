"""The WeCom (企业微信) server API over aiohttp: the network edge of the WeCom channel.

Every answer carries an errcode; `delivery_error` turns it into the neutral delivery
errors the outbox understands. The access token, the corp secret and robot keys travel
in URLs, so no message built here keeps a query string or one of those values.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections.abc import Callable
from typing import Any

import aiohttp

from bot.delivery import DeliveryError, Halted, Rejected, RetryAfter, Transient, Unreachable

log = logging.getLogger(__name__)

TOKEN_EXPIRED = frozenset({40014, 42001, 41001})  # invalid / expired / missing access_token
BUSY = frozenset({-1, 45033})  # system busy; too many concurrent calls
SLOW_DOWN = frozenset({45009, 45011, 45035, 45047})  # frequency limits
# The recipient cannot be reached: userid invalid or unknown, every recipient invalid,
# a robot's webhook invalid (the robot was removed from its group).
GONE = frozenset({40003, 46004, 60111, 81013, 82001, 93000})
# Deployment problems an admin fixes (secret, corp id, IP allow-list, disabled app): the
# channel holds everything and tries again every minute, so nothing queued is lost however
# long the fix takes.
DEPLOYMENT = frozenset({40001, 40013, 40091, 50003, 60020})
SLOW_DOWN_SECONDS = 60.0
HALT_SECONDS = 60.0
TOKEN_MARGIN = 300.0  # refresh this long before WeCom's expiry, never at the edge
_QUERY = re.compile(r"\?\S*")


def delivery_error(code: int, message: str) -> DeliveryError:
    """The neutral delivery error for a WeCom errcode."""
    text = f"wecom {code}: {message}"
    if code in SLOW_DOWN:
        error = RetryAfter(SLOW_DOWN_SECONDS)
        error.args = (f"{text} (retry after {SLOW_DOWN_SECONDS:g}s)",)
        return error
    if code in GONE:
        return Unreachable(text)
    if code in DEPLOYMENT:
        return Halted(text, HALT_SECONDS)
    if code in BUSY or code in TOKEN_EXPIRED:
        return Transient(text)
    return Rejected(text)


def _errcode(answer: dict) -> int:
    try:
        return int(answer.get("errcode", 0))
    except (TypeError, ValueError):
        return -1  # a garbled errcode: treat it like "system busy"


def _names(value: Any) -> set[str]:
    """Userids in an "invaliduser" field (a "|"-joined string, or a list)."""
    # Lower-cased: WeCom userids are case-insensitive.
    items = value.split("|") if isinstance(value, str) else (value or [])
    return {str(item).lower() for item in items if item}


def _media_form(name: str, data: bytes) -> aiohttp.FormData:
    """A multipart body with the file as field "media"."""
    # quote_fields=False sends the filename as UTF-8: percent-encoded names would show
    # up percent-encoded in the chat.
    form = aiohttp.FormData(quote_fields=False)
    safe = "".join(c for c in name if c.isprintable()) or "file"
    form.add_field("media", data, filename=safe, content_type="application/octet-stream")
    return form


class WeComAPI:
    """Calls the WeCom server API with a cached access token, refreshed once when refused."""

    def __init__(
        self,
        base: str,
        corp_id: str,
        secret: str,
        agent_id: int,
        *,
        now: Callable[[], float] = time.monotonic,
        timeout: float = 10.0,
        proxy: str = "",
    ):
        self.base = base.rstrip("/")
        self.proxy = proxy or None  # every call goes through it when set
        self.corp_id = corp_id
        self.agent_id = agent_id
        self.now = now
        self.timeout = timeout
        self._secret = secret
        self._session: aiohttp.ClientSession | None = None
        self._token: str | None = None
        self._dropped: str | None = None  # still scrubbed: late answers may echo it
        self._expires_at = 0.0
        self._lock = asyncio.Lock()
        self._keys: set[str] = set()

    async def close(self) -> None:
        """Close the HTTP session (a later call opens a new one)."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def token(self) -> str:
        """The access token, fetched (once for all concurrent callers) when due."""
        if self._token is not None and self.now() < self._expires_at:
            return self._token
        async with self._lock:
            if self._token is not None and self.now() < self._expires_at:
                return self._token
            started = self.now()
            query = {"corpid": self.corp_id, "corpsecret": self._secret}
            answer = self._checked(await self._request("GET", "gettoken", query))
            token = answer.get("access_token")
            if not token:
                raise Transient("wecom gettoken: no access_token in the answer")
            expires_in = float(answer.get("expires_in") or 7200)
            self._token = str(token)
            self._expires_at = started + expires_in - TOKEN_MARGIN
            log.info("wecom: access token refreshed")
            return self._token

    async def call(
        self,
        path: str,
        body: dict | None = None,
        *,
        params: dict | None = None,
        form: Callable[[], aiohttp.FormData] | None = None,
        method: str = "POST",
    ) -> dict:
        """POST JSON `body` (or the multipart body `form()` builds) to cgi-bin/`path`
        (or GET it with `params`)."""
        # `form` is a factory: a consumed FormData cannot be sent again on a token retry.
        if isinstance(form, aiohttp.FormData):
            raise TypeError("form must be a function returning a new FormData")
        token = await self.token()
        answer = await self._post(path, token, body, params, form, method)
        if _errcode(answer) in TOKEN_EXPIRED:
            # Only one refresh: if the new token is refused too, something else is wrong.
            self._drop(token)
            answer = await self._post(path, await self.token(), body, params, form, method)
        return self._checked(answer)

    async def send(self, body: dict) -> dict:
        """message/send as this app; returns the answer ("msgid", maybe "response_code")."""
        answer = await self.call("message/send", {**body, "agentid": self.agent_id})
        recipients = _names(body.get("touser", ""))
        if len(recipients) == 1 and recipients <= _names(answer.get("invaliduser")):
            raise Unreachable(f"wecom message/send: invalid user {body['touser']}")
        return answer

    async def user_name(self, userid: str) -> str:
        """A member's name from the address book (user/get); empty if WeCom gives none."""
        answer = await self.call("user/get", params={"userid": userid}, method="GET")
        return str(answer.get("name") or "")

    async def update_card(
        self,
        userid: str,
        response_code: str,
        *,
        card: dict | None = None,
        replace_name: str = "",
    ) -> None:
        """Replace a sent template card for `userid`, or only relabel its buttons."""
        body: dict[str, Any] = {
            "userids": [userid],
            "agentid": self.agent_id,
            "response_code": response_code,
        }
        if card is not None:
            body["template_card"] = card
        else:
            body["button"] = {"replace_name": replace_name}
        answer = await self.call("message/update_template_card", body)
        if userid.lower() in _names(answer.get("invaliduser")):
            raise Unreachable(f"wecom message/update_template_card: invalid user {userid}")

    async def upload(self, kind: str, name: str, data: bytes) -> str:
        """Upload temporary media ("image" or "file"); returns its media_id."""
        answer = await self.call(
            "media/upload", params={"type": kind}, form=lambda: _media_form(name, data)
        )
        return self._media_id("media/upload", answer)

    async def robot_send(self, key: str, body: dict) -> None:
        """Post a message through a group robot's webhook."""
        self._keys.add(key)
        self._checked(await self._request("POST", "webhook/send", {"key": key}, body=body))

    async def robot_upload(self, key: str, name: str, data: bytes) -> str:
        """Upload a file for a group robot; returns its media_id."""
        self._keys.add(key)
        query = {"key": key, "type": "file"}
        form = _media_form(name, data)
        answer = self._checked(await self._request("POST", "webhook/upload_media", query, form))
        return self._media_id("webhook/upload_media", answer)

    async def _post(
        self,
        path: str,
        token: str,
        body: dict | None,
        params: dict | None,
        form: Callable[[], aiohttp.FormData] | None,
        method: str = "POST",
    ) -> dict:
        query = {**(params or {}), "access_token": token}
        return await self._request(method, path, query, form() if form else None, body)

    async def _request(
        self,
        method: str,
        path: str,
        query: dict,
        form: aiohttp.FormData | None = None,
        body: dict | None = None,
    ) -> dict:
        """One HTTP exchange; transport and HTTP failures become delivery errors."""
        data: Any = form
        headers = {}
        if body is not None:
            # WeCom refuses \uXXXX escapes (errcode 40033), json.dumps' default output.
            data = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        try:
            async with self._open().request(
                method,
                f"{self.base}/cgi-bin/{path}",
                params=query,
                data=data,
                headers=headers,
                proxy=self.proxy,
            ) as response:
                status = response.status
                retry_after = response.headers.get("Retry-After", "")
                raw = await response.read()
        except (aiohttp.ClientError, TimeoutError) as exc:
            # `from None`: a chained aiohttp error may print the URL, secrets included.
            raise Transient(f"wecom {path}: {self._describe(exc)}") from None
        if status == 429:
            seconds = float(retry_after) if retry_after.isdigit() else SLOW_DOWN_SECONDS
            error = RetryAfter(seconds)
            error.args = (f"wecom {path}: HTTP 429 (retry after {seconds:g}s)",)
            raise error
        if status >= 500:
            raise Transient(f"wecom {path}: HTTP {status}")
        if status >= 400:
            raise Rejected(f"wecom {path}: HTTP {status}")
        try:
            answer = json.loads(raw)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise Transient(f"wecom {path}: the answer is not a JSON object")
        return answer

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            timeout = aiohttp.ClientTimeout(total=self.timeout)
            self._session = aiohttp.ClientSession(timeout=timeout)
        return self._session

    def _checked(self, answer: dict) -> dict:
        """The answer, or its errcode raised as a delivery error."""
        code = _errcode(answer)
        if code:
            raise delivery_error(code, self._scrub(str(answer.get("errmsg", ""))))
        return answer

    @staticmethod
    def _media_id(path: str, answer: dict) -> str:
        media_id = answer.get("media_id")
        if not media_id:
            raise Transient(f"wecom {path}: no media_id in the answer")
        return str(media_id)

    def _drop(self, token: str) -> None:
        """Forget `token`, unless a concurrent caller has replaced it already."""
        if self._token == token:
            self._token = None
            self._dropped = token

    def _describe(self, exc: BaseException) -> str:
        """An aiohttp exception's class and text, without query strings or secrets."""
        text = self._scrub(_QUERY.sub("", str(exc)))
        name = type(exc).__name__
        return f"{name}: {text}" if text else name

    def _scrub(self, text: str) -> str:
        for secret in (self._secret, self._token, self._dropped, *self._keys):
            if secret:
                text = text.replace(secret, "***")
        return text
