"""The WeCom (企业微信) channel: a self-built app's callback server and its sender.

WeCom posts AES-encrypted XML to the callback URL and wants an answer within 5 s, retrying
up to three times. So a callback is verified, decrypted, parsed and queued, and answered at
once; workers hand the events to the dispatcher, one person's events in order. Replies go
through the outbox (WeCom allows 30 messages a minute to a member); a clicked card is
updated in place when the reply is an edit that fits one card.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import os
import zlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

import xmltodict
from aiohttp import web
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException

from bot.channels.base import stop_on_signals
from bot.channels.wecom_api import WeComAPI
from bot.channels.wecom_render import (
    card_bodies,
    fits_card,
    numbered,
    plain_bodies,
    robot_bodies,
    text_bodies,
)
from bot.config import Config
from bot.core.clock import to_db
from bot.core.i18n import t
from bot.core.messages import LOCATION, PHOTO, Attachment, Incoming, Outgoing
from bot.delivery import DeliveryError, RateLimiter, Unreachable
from bot.handlers.dispatch import Dispatcher

log = logging.getLogger(__name__)

ENV = {
    "corp_id": "WECOM_CORP_ID",
    "agent_id": "WECOM_AGENT_ID",
    "secret": "WECOM_SECRET",
    "token": "WECOM_TOKEN",
    "aes_key": "WECOM_AES_KEY",
}
MAX_CALLBACK_BYTES = 64 * 1024  # a callback is a few hundred bytes; refuse anything big
RECENT_EVENTS = 10_000  # event keys remembered in memory, before the database's check
ROBOT_IMAGE_BYTES = 2 * 1024 * 1024  # a group robot's base64 image
APP_IMAGE_BYTES = 10 * 1024 * 1024  # an app's image message; larger go as files
UNSUPPORTED = ("image", "voice", "video", "file", "link")
UNSUPPORTED_KIND = "wecom_unsupported"
TEXT_WORDS = ("文字模式", "text mode", "/text")
CARD_WORDS = ("卡片模式", "card mode", "/cards")


@dataclass(frozen=True)
class WeComSecrets:
    """The app's credentials, read from the environment only."""

    corp_id: str
    agent_id: int
    secret: str
    token: str
    aes_key: str

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> WeComSecrets:
        """Read the five WECOM_* variables; ValueError names those missing or wrong."""
        values = {field: env.get(name, "").strip() for field, name in ENV.items()}
        missing = [ENV[f] for f, v in values.items() if not v]
        if missing:
            raise ValueError(", ".join(missing))
        if not values["agent_id"].isdigit():
            raise ValueError(ENV["agent_id"])
        if len(values["aes_key"]) != 43:  # EncodingAESKey is 43 characters
            raise ValueError(ENV["aes_key"])
        return cls(**{**values, "agent_id": int(values["agent_id"])})

    def hidden(self, proxy: str = "") -> tuple[str, ...]:
        """The values logs must never show (with a proxy's password, if it has one)."""
        password = urlsplit(proxy).password if proxy else None
        return self.secret, self.token, self.aes_key, *([password] if password else [])


@dataclass(frozen=True)
class Click:
    """What a template-card click carries beyond the event: how to update that card."""

    response_code: str = ""
    task_id: str = ""


def parse_xml(xml: str | bytes) -> dict:
    """A decrypted callback's fields."""
    return xmltodict.parse(xml)["xml"]


def to_incoming(fields: Mapping[str, str]) -> tuple[Incoming | None, Click]:
    """The neutral event for a decrypted callback (None for events we do not handle)."""
    user = fields.get("FromUserName") or ""
    created = fields.get("CreateTime") or ""
    kind = fields.get("MsgType") or ""
    common = {"channel": "wecom", "user_ref": user, "chat_ref": user, "display_name": user}
    if not user:
        return None, Click()
    if kind == "text":
        event_id = fields.get("MsgId") or f"{user}:{created}:text"
        return Incoming(text=fields.get("Content") or "", event_id=event_id, **common), Click()
    if kind == "location":
        where = (float(fields.get("Location_X") or 0), float(fields.get("Location_Y") or 0))
        event_id = fields.get("MsgId") or f"{user}:{created}:location"
        return Incoming(kind=LOCATION, location=where, event_id=event_id, **common), Click()
    if kind in UNSUPPORTED:  # a file, picture or voice: say what the bot can take
        event_id = fields.get("MsgId") or f"{user}:{created}:{kind}"
        return Incoming(kind=UNSUPPORTED_KIND, event_id=event_id, **common), Click()
    if kind != "event":
        return None, Click()
    event = (fields.get("Event") or "").lower()
    key = fields.get("EventKey") or ""
    # WeCom's advice: events are de-duplicated by FromUserName + CreateTime; the key and
    # task tell two different clicks within one second apart.
    task = fields.get("TaskId") or ""
    event_id = f"{user}:{created}:{event}:{key}:{task}"
    if event == "template_card_event":
        click = Click(fields.get("ResponseCode") or "", task)
        return Incoming(action=key, event_id=event_id, **common), click
    if event == "click":  # an item of the app's menu: a command, or a button action
        if key.startswith("/"):
            return Incoming(text=key, event_id=event_id, **common), Click()
        return Incoming(action=key, event_id=event_id, **common), Click()
    if event == "subscribe":
        return Incoming(text="/start", event_id=event_id, **common), Click()
    return None, Click()


class WeComChannel:
    """Serves the dispatcher over a WeCom self-built app."""

    name = "wecom"

    def __init__(
        self,
        config: Config,
        secrets: WeComSecrets,
        api: WeComAPI | None = None,
        workers: int = 8,
        queue_size: int = 10_000,
    ):
        self.config = config
        self.secrets = secrets
        self.crypto = WeChatCrypto(secrets.token, secrets.aes_key, secrets.corp_id)
        wc = config.wecom
        self.api = api or WeComAPI(
            wc.api_base, secrets.corp_id, secrets.secret, secrets.agent_id, proxy=wc.proxy
        )
        self.dispatcher: Dispatcher | None = None
        self.wake: Callable[[], None] = lambda: None  # the outbox sender's poke, once running
        self.limiter: RateLimiter | None = None  # the sender's, to count multi-part sends
        self._queues = [asyncio.Queue(queue_size) for _ in range(workers)]
        self._workers: list[asyncio.Task] = []
        self._recent: OrderedDict[str, None] = OrderedDict()
        self._users: dict[str, tuple[bool, bool]] = {}  # user -> (text mode, hinted)
        self._known: set[str] = set()  # members with an account (their name is stored)
        self._runner: web.AppRunner | None = None
        self.port = 0

    # --- serving ----------------------------------------------------------------------

    def web_app(self) -> web.Application:
        """The callback server: GET verifies the URL, POST receives messages and events."""
        app = web.Application(client_max_size=MAX_CALLBACK_BYTES)
        path = self.config.wecom.callback_path
        app.router.add_get(path, self._verify)
        app.router.add_post(path, self._receive)
        return app

    async def start(self, dispatcher: Dispatcher, host: str | None = None, port: int | None = None):
        """Serve callbacks on host:port (config's by default; port 0 picks a free one)."""
        self.attach(dispatcher)
        self._workers = [asyncio.create_task(self._work(q)) for q in self._queues]
        self._runner = web.AppRunner(self.web_app(), access_log=None)
        await self._runner.setup()
        wc = self.config.wecom
        site = web.TCPSite(self._runner, host or wc.host, wc.port if port is None else port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        log.warning("wecom: callbacks on %s:%s%s", host or wc.host, self.port, wc.callback_path)

    async def stop(self) -> None:
        """Stop taking callbacks, finish those taken, close the API session."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self.drain()
        for task in self._workers:
            task.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        await self.api.close()

    async def run(self, dispatcher: Dispatcher, stop: asyncio.Event | None = None) -> None:
        """Serve until SIGINT, SIGTERM or `stop`."""
        if stop is None:
            stop = stop_on_signals()
        await self.start(dispatcher)
        try:
            await stop.wait()
        finally:
            await self.stop()

    async def drain(self) -> None:
        """Wait until every callback taken so far has been handled."""
        await asyncio.gather(*(q.join() for q in self._queues))

    async def _verify(self, request: web.Request) -> web.Response:
        """The URL check when the callback address is saved in the admin console."""
        q = request.query
        try:
            echo = self.crypto.check_signature(
                q.get("msg_signature", ""), q.get("timestamp", ""), q.get("nonce", ""),
                q.get("echostr", ""),
            )  # fmt: skip
        except InvalidSignatureException:
            log.warning("wecom: URL check with a bad signature refused")
            return web.Response(status=403)
        except Exception:  # a malformed echostr (bad base64, wrong corp id)
            log.warning("wecom: URL check could not be decrypted (check the AES key, corp id)")
            return web.Response(status=400)
        return web.Response(text=echo.decode() if isinstance(echo, bytes) else echo)

    async def _receive(self, request: web.Request) -> web.Response:
        """A message or event: checked and queued; the answer goes out at once."""
        q = request.query
        try:
            body = await request.read()
            xml = self.crypto.decrypt_message(
                body, q.get("msg_signature", ""), q.get("timestamp", ""), q.get("nonce", "")
            )
            event, click = to_incoming(parse_xml(xml))
        except web.HTTPRequestEntityTooLarge:
            return web.Response(status=413)
        except InvalidSignatureException:
            log.warning("wecom: callback with a bad signature refused")
            return web.Response(status=403)
        except Exception:  # not XML, no Encrypt, bad padding, another corp's message
            log.warning("wecom: malformed callback refused")
            return web.Response(status=400)
        if event is None or not self._first_time(event.event_id):
            return web.Response(text="")
        queue = self._queues[zlib.crc32(event.user_ref.encode()) % len(self._queues)]
        try:
            queue.put_nowait((event, click))
        except asyncio.QueueFull:
            self._recent.pop(event.event_id, None)  # let WeCom's retry bring it back
            return web.Response(status=503)
        return web.Response(text="")

    def _first_time(self, key: str) -> bool:
        """Whether a retried callback is new to this process (the dispatcher checks again
        in the database, which survives a restart)."""
        if key in self._recent:
            return False
        self._recent[key] = None
        if len(self._recent) > RECENT_EVENTS:
            self._recent.popitem(last=False)
        return True

    async def _work(self, queue: asyncio.Queue) -> None:
        while True:
            event, click = await queue.get()
            try:
                await self.handle(event, click)
            except Exception:  # one bad event must not stop the worker
                log.exception("wecom: event %s failed", event.event_id)
            finally:
                queue.task_done()

    # --- handling ---------------------------------------------------------------------

    async def handle(self, event: Incoming, click: Click = Click()) -> None:
        """Dispatch one event and deliver the replies."""
        assert self.dispatcher is not None
        event = await self._identified(event)
        if event.kind == UNSUPPORTED_KIND:  # queued once per event id, like every reply
            note = Outgoing(t("wecom.unsupported", await self._locale(event.user_ref)))
            await self.dispatcher.queue(event, [note])
            self.wake()
            return
        words = event.text.strip().lower()
        if words in TEXT_WORDS or words in CARD_WORDS:
            on = words in TEXT_WORDS
            await self._set_user(event.user_ref, text_mode=on)
            locale = await self._locale(event.user_ref)
            note = Outgoing(t("wecom.text_mode" if on else "wecom.card_mode", locale))
            await self.dispatcher.queue(event, [note])
            self.wake()
            return
        if words.isdigit():
            event, problem = await self._pick(event, int(words))
            if problem is not None:
                await self.dispatcher.queue(event, [problem])
                self.wake()
                return
        replies = await self.dispatcher.handle(event)
        await self.deliver(event, click, replies)

    async def _identified(self, event: Incoming) -> Incoming:
        """The event, once its sender's account is as WeCom spells it: a roster may list
        ZhangWei for the member WeCom calls zhangwei. A member new to the bot is named
        from the address book, so rankings show 张伟, not zhangwei (one user/get each)."""
        user = event.user_ref
        if user in self._known:
            return event
        known = await self._services().people.claim_spelling(self.name, user)
        self._known.add(user)
        return event if known else await self._named(event)

    async def _named(self, event: Incoming) -> Incoming:
        """The event with the new member's name from the address book, if WeCom gives it."""
        user = event.user_ref
        try:
            name = await self.api.user_name(user)
        except DeliveryError as exc:  # no address-book right, or WeCom busy: keep the id
            log.info("wecom: no name for a new member: %s", exc)
            return event
        return replace(event, display_name=name) if name else event

    async def _pick(self, event: Incoming, number: int) -> tuple[Incoming, Outgoing | None]:
        """A typed number in text mode: the action of that numbered choice."""
        if not await self._text_mode(event.user_ref):
            return event, None
        choices = await self._choices(event.user_ref)
        if not choices:
            return event, None
        if not 1 <= number <= len(choices):
            count = len(choices)
            locale = await self._locale(event.user_ref)
            return event, Outgoing(t("wecom.pick_range", locale, count=count))
        return replace(event, text="", action=choices[number - 1]), None

    async def deliver(self, event: Incoming, click: Click, replies: list[Outgoing]) -> None:
        """Update the clicked card (with the reply that edits it, or as done), queue the
        rest through the outbox and wake the sender."""
        queued: list[Outgoing] = []
        updated = False
        for msg in replies:
            if msg.edit and click.response_code and not updated:
                updated = await self._update_card(event, click, msg)
                if updated:
                    continue
            queued.append(replace(msg, edit=False, notice=False))
        if click.response_code and not updated:
            await self._close_card(event, click)
        if queued:
            await self.dispatcher.queue(event, queued)
            self.wake()

    async def _update_card(self, event: Incoming, click: Click, msg: Outgoing) -> bool:
        """Turn the clicked card into the reply, if it fits one card and the person sees cards."""
        if not fits_card(msg) or await self._text_mode(event.user_ref):
            return False
        body = card_bodies(msg, await self._locale(event.user_ref))[0]["template_card"]
        body["task_id"] = click.task_id
        try:
            await self.api.update_card(event.user_ref, click.response_code, card=body)
        except DeliveryError as exc:  # too late (the code lasts 72 h) or used: send it new
            log.info("wecom: card not updated: %s", exc)
            return False
        return True

    async def _close_card(self, event: Incoming, click: Click) -> None:
        """Grey out the clicked card's buttons so it is not pressed again."""
        done = t("wecom.done", await self._locale(event.user_ref))
        try:
            await self.api.update_card(event.user_ref, click.response_code, replace_name=done)
        except DeliveryError as exc:
            log.info("wecom: card not closed: %s", exc)

    # --- sending (the outbox calls this) -----------------------------------------------

    async def send(self, chat_ref: str, msg: Outgoing) -> str:
        """Send one outbox message to a member or a group robot; return WeCom's msgid."""
        if chat_ref.startswith("robot:"):
            return await self._send_robot(chat_ref, msg)
        if msg.ask_location:  # WeCom has no share-location button: say where it is
            msg = replace(msg, text=t("wecom.location", await self._locale(chat_ref)))
        bodies: list[dict] = []
        if msg.rows and await self._text_mode(chat_ref):
            bodies, actions = numbered(msg, await self._locale(chat_ref))
            await self._set_user(chat_ref, choices=actions)
        elif msg.rows:
            locale = await self._locale(chat_ref)
            if not await self._hinted(chat_ref):
                bodies += text_bodies(t("wecom.hint", locale))
                await self._set_user(chat_ref, hinted=True)
            bodies += card_bodies(msg, locale)
        elif msg.text or msg.title:
            bodies = plain_bodies(msg)
        if msg.attachment is not None:
            bodies.append(await self._media_body(msg.attachment))
        msgid = ""
        for body in bodies:
            answer = await self.api.send({"touser": chat_ref, **body})
            msgid = str(answer.get("msgid", ""))
        if self.limiter is not None and len(bodies) > 1:
            self.limiter.extra(chat_ref, len(bodies) - 1)
        return msgid

    async def _media_body(self, a: Attachment) -> dict:
        kind = "image" if a.kind == PHOTO and len(a.data) <= APP_IMAGE_BYTES else "file"
        media_id = await self.api.upload(kind, a.name, a.data)
        return {"msgtype": kind, kind: {"media_id": media_id}}

    async def _send_robot(self, chat_ref: str, msg: Outgoing) -> str:
        """A post to a group through its robot's webhook."""
        key = await self._services().robots.key(chat_ref)
        if key is None:
            raise Unreachable("the group robot was removed")
        for body in robot_bodies(msg) if (msg.text or msg.title) else []:
            await self.api.robot_send(key, body)
        a = msg.attachment
        if a is not None:
            if a.kind == PHOTO and len(a.data) <= ROBOT_IMAGE_BYTES:
                await self.api.robot_send(key, robot_image(a.data))
            else:
                media_id = await self.api.robot_upload(key, a.name, a.data)
                await self.api.robot_send(key, {"msgtype": "file", "file": {"media_id": media_id}})
        return ""

    # --- per-person state ---------------------------------------------------------------

    def _services(self):
        assert self.dispatcher is not None, "start() or attach() the channel first"
        return self.dispatcher.services

    def attach(self, dispatcher: Dispatcher) -> None:
        """Serve `dispatcher` without a callback server (the sender alone, tests)."""
        self.dispatcher = dispatcher
        # Members can send no files here (see UNSUPPORTED_KIND), and robots cannot pin.
        dispatcher.services.lacks[self.name] = frozenset({"upload", "pin"})

    async def _locale(self, user: str) -> str:
        """The person's language (/lang), else the deployment's."""
        found = await self._services().store.scalar(
            "SELECT p.locale FROM accounts a JOIN people p ON p.id = a.person_id "
            "WHERE a.channel = ? AND a.user_ref = ?",
            (self.name, user),
        )
        return found or self.config.locale

    async def _user(self, user: str) -> tuple[bool, bool]:
        if user not in self._users:
            row = await self._services().store.one(
                "SELECT text_mode, hinted FROM wecom_users WHERE user_ref = ?", (user,)
            )
            forced = not self.config.wecom.cards
            self._users[user] = (forced or bool(row and row[0]), forced or bool(row and row[1]))
        return self._users[user]

    async def _text_mode(self, user: str) -> bool:
        # cards: false in config.yaml holds whatever the person asked for.
        return not self.config.wecom.cards or (await self._user(user))[0]

    async def _hinted(self, user: str) -> bool:
        return (await self._user(user))[1]

    async def _choices(self, user: str) -> list[str]:
        raw = await self._services().store.scalar(
            "SELECT choices FROM wecom_users WHERE user_ref = ?", (user,)
        )
        return json.loads(raw) if raw else []

    async def _set_user(
        self,
        user: str,
        text_mode: bool | None = None,
        hinted: bool | None = None,
        choices: list[str] | None = None,
    ) -> None:
        mode, told = await self._user(user)
        mode = mode if text_mode is None else text_mode
        told = told if hinted is None else hinted
        services = self._services()
        now = to_db(services.clock.now())
        keep = choices is None
        await services.store.write(
            lambda tx: tx.execute(
                "INSERT INTO wecom_users (user_ref, text_mode, hinted, choices, updated_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_ref) DO UPDATE SET "
                "text_mode = excluded.text_mode, hinted = excluded.hinted, "
                "choices = CASE WHEN ? THEN wecom_users.choices ELSE excluded.choices END, "
                "updated_at = excluded.updated_at",
                (user, int(mode), int(told), json.dumps(choices or []), now, int(keep)),
            )
        )
        self._users[user] = (mode, told)


def robot_image(data: bytes) -> dict:
    """A group robot's image post: the bytes in base64 with their MD5."""
    return {
        "msgtype": "image",
        "image": {
            "base64": base64.b64encode(data).decode(),
            "md5": hashlib.md5(data).hexdigest(),  # WeCom asks for MD5; not for security
        },
    }
