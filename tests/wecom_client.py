"""What WeCom does to the bot, for tests and benchmarks: real callbacks encrypted and signed
with wechatpy's WeChatCrypto, posted to the channel's HTTP server."""

from __future__ import annotations

import base64
import hashlib
import itertools
from xml.sax.saxutils import escape

import aiohttp
from wechatpy.enterprise.crypto import PrpCrypto, WeChatCrypto

from bot.channels.wecom import WeComSecrets
from tests.wecom_fake import FakeWeCom

AGENT_ID = 1000002
CALLBACK_TOKEN = "cb-token-for-tests"
# An EncodingAESKey is 43 characters: 32 bytes in base64 without the trailing "=".
AES_KEY = base64.b64encode(hashlib.sha256(b"wecom tests").digest()).decode().rstrip("=")


def secrets() -> WeComSecrets:
    """Credentials matching the fake API's corp and secret."""
    return WeComSecrets(FakeWeCom.corp_id, AGENT_ID, FakeWeCom.secret, CALLBACK_TOKEN, AES_KEY)


def signature(token: str, timestamp: str, nonce: str, encrypted: str) -> str:
    """WeCom's msg_signature: SHA-1 of the four values sorted."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()).hexdigest()


class WeComClient:
    """Posts callbacks as WeCom would, to the channel's callback URL."""

    def __init__(self, url: str, creds: WeComSecrets | None = None):
        self.url = url
        self.creds = creds or secrets()
        self.crypto = WeChatCrypto(self.creds.token, self.creds.aes_key, self.creds.corp_id)
        self._session: aiohttp.ClientSession | None = None
        self._ids = itertools.count(1)
        self.time = 1_795_000_000  # CreateTime of the next event; moves one second per event

    @property
    def session(self) -> aiohttp.ClientSession:
        """The HTTP session, opened on first use (inside the event loop)."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        return self._session

    async def close(self) -> None:
        """Close the HTTP session."""
        if self._session is not None:
            await self._session.close()

    def encrypted(self, xml: str, nonce: str = "n0nce") -> tuple[bytes, dict]:
        """The body and query of a callback carrying `xml`."""
        stamp = str(self.time)
        wrapped = self.crypto.encrypt_message(xml, nonce, stamp)
        sig = wrapped.split("<MsgSignature><![CDATA[")[1].split("]]>")[0]
        query = {"msg_signature": sig, "timestamp": stamp, "nonce": nonce}
        return wrapped.encode(), query

    async def post(self, xml: str, *, bad_signature: bool = False) -> int:
        """Post one callback; returns the HTTP status."""
        body, query = self.encrypted(xml)
        if bad_signature:
            query["msg_signature"] = "0" * 40
        async with self.session.post(self.url, data=body, params=query) as response:
            await response.read()
            return response.status

    async def verify(self, echo: str, *, bad_signature: bool = False) -> tuple[int, str]:
        """The URL check WeCom makes when the callback address is saved."""
        echostr = PrpCrypto(self.crypto.key).encrypt(echo, self.creds.corp_id).decode()
        stamp, nonce = "1795000000", "verify"
        sig = signature(self.creds.token, stamp, nonce, echostr)
        if bad_signature:
            sig = "0" * 40
        query = {"msg_signature": sig, "timestamp": stamp, "nonce": nonce, "echostr": echostr}
        async with self.session.get(self.url, params=query) as response:
            return response.status, await response.text()

    def _head(self, user: str, kind: str) -> str:
        self.time += 1
        return (
            f"<ToUserName><![CDATA[{self.creds.corp_id}]]></ToUserName>"
            f"<FromUserName><![CDATA[{user}]]></FromUserName>"
            f"<CreateTime>{self.time}</CreateTime><MsgType><![CDATA[{kind}]]></MsgType>"
            f"<AgentID>{self.creds.agent_id}</AgentID>"
        )

    def text(self, user: str, content: str, msg_id: int | None = None) -> str:
        """A text message's plain XML."""
        number = msg_id if msg_id is not None else next(self._ids)
        return (
            f"<xml>{self._head(user, 'text')}<Content><![CDATA[{content}]]></Content>"
            f"<MsgId>{number}</MsgId></xml>"
        )

    def click(self, user: str, key: str, task_id: str, code: str) -> str:
        """A template-card button click's plain XML."""
        return (
            f"<xml>{self._head(user, 'event')}<Event><![CDATA[template_card_event]]></Event>"
            f"<EventKey><![CDATA[{key}]]></EventKey><TaskId><![CDATA[{task_id}]]></TaskId>"
            f"<CardType><![CDATA[button_interaction]]></CardType>"
            f"<ResponseCode><![CDATA[{code}]]></ResponseCode></xml>"
        )

    def location(self, user: str, lat: float, lng: float) -> str:
        """A shared location's plain XML."""
        return (
            f"<xml>{self._head(user, 'location')}<Location_X>{lat}</Location_X>"
            f"<Location_Y>{lng}</Location_Y><Scale>15</Scale>"
            f"<Label><![CDATA[{escape('乌兰浩特')}]]></Label><MsgId>{next(self._ids)}</MsgId></xml>"
        )
