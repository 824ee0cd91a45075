"""A recording Bot API request: the network edge is the only thing faked (cf. PTB's
tests/auxil/networking.py). Every call is recorded and answered like the Bot API would."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import unquote

from telegram import Update
from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 777000, "is_bot": True, "first_name": "干部学习助手", "username": "CadreBot"}


class RecordingRequest(BaseRequest):
    """Answers Bot API methods offline and keeps (method, parameters) for assertions."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._message_id = 100
        # method -> queued (status, error description, extra parameters) answers
        self.failures: dict[str, list[tuple[int, str, dict[str, Any]]]] = {}
        # file_path -> bytes served by getFile and the file download
        self.files: dict[str, bytes] = {}
        # After this many sendMessage calls, further ones hang (a crash with sends in flight);
        # `in_flight` is set once `hang_count` of them are hanging.
        self.hang_after: int | None = None
        self.hang_count = 0
        self.in_flight = asyncio.Event()
        self._called = asyncio.Condition()

    @property
    def read_timeout(self) -> float | None:
        """No network, no waiting."""
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    def methods(self) -> list[str]:
        """Names of the methods called so far."""
        return [m for m, _ in self.calls]

    async def wait_for(self, method: str) -> dict[str, Any]:
        """Parameters of the first call to `method`, waiting (on calls, not a clock) for it."""

        def called() -> bool:
            return method in self.methods()

        # A deadline only so a broken test fails instead of hanging CI.
        async with asyncio.timeout(30), self._called:
            await self._called.wait_for(called)
        return next(p for m, p in self.calls if m == method)

    async def _record(self, name: str, params: dict[str, Any]) -> None:
        self.calls.append((name, params))
        async with self._called:
            self._called.notify_all()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a file download: the bytes themselves
            path = unquote(url.split("/file/bot", 1)[1].split("/", 1)[1])
            await self._record("download", {"file_path": path})
            return 200, self.files[path]
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        await self._record(name, params)
        hang = self.hang_after is not None and name == "sendMessage"
        if hang and self.methods().count("sendMessage") > self.hang_after:
            if self.methods().count("sendMessage") - self.hang_after >= self.hang_count:
                self.in_flight.set()
            await asyncio.Event().wait()  # never answered: cancelled by the "crash"
        if self.failures.get(name):
            status, description, extra = self.failures[name].pop(0)
            body = {"ok": False, "error_code": status, "description": description}
            if extra:
                body["parameters"] = extra
            return status, json.dumps(body).encode()
        result: Any = True
        if name == "getMe":
            result = BOT_USER
        elif name in ("sendPhoto", "sendDocument"):
            self._message_id += 1
            result = {
                "message_id": self._message_id,
                "date": 0,
                "caption": params.get("caption", ""),
                "chat": {"id": int(params.get("chat_id", 1)), "type": "private"},
            }
        elif name in ("sendMessage", "editMessageText"):
            self._message_id += 1
            result = {
                "message_id": self._message_id,
                "date": 0,
                "text": params.get("text", ""),
                "chat": {"id": int(params.get("chat_id", 1)), "type": "private"},
            }
        elif name == "sendPoll":
            self._message_id += 1
            options = [o if isinstance(o, str) else o["text"] for o in params["options"]]
            result = {
                "message_id": self._message_id,
                "date": 0,
                "chat": {"id": int(params["chat_id"]), "type": "supergroup", "title": "G"},
                "poll": {
                    "id": f"poll{self._message_id}",
                    "question": params["question"],
                    "options": [
                        {"text": o, "voter_count": 0, "persistent_id": str(i)}
                        for i, o in enumerate(options)
                    ],
                    "total_voter_count": 0,
                    "is_closed": False,
                    "is_anonymous": params.get("is_anonymous", True),
                    "type": params.get("type", "regular"),
                    "allows_multiple_answers": False,
                    "allows_revoting": False,
                    "members_only": False,
                    "correct_option_ids": params.get("correct_option_ids"),
                },
            }
        elif name == "getFile":
            path = params["file_id"]  # tests name a file's id after its path
            result = {
                "file_id": path,
                "file_unique_id": path,
                "file_size": len(self.files[path]),
                "file_path": path,
            }
        elif name == "getUpdates":
            result = []
        return 200, json.dumps({"ok": True, "result": result}).encode()


# --- updates as the Bot API sends them ----------------------------------------------------

ALICE = {"id": 4242, "is_bot": False, "first_name": "Fang", "last_name": "Wang"}
BOB = {"id": 5151, "is_bot": False, "first_name": "Lei", "last_name": "Zhao"}
ADMIN = {"id": 9001, "is_bot": False, "first_name": "Admin"}
GROUP = {"id": -100123, "type": "supergroup", "title": "乌兰浩特市干部学习群"}


def private(user: dict) -> dict:
    """A person's private chat with the bot."""
    return {"id": user["id"], "type": "private"}


def message(update_id: int, text: str, user: dict = ALICE, chat: dict | None = None) -> dict:
    """A text message (private unless `chat` is given)."""
    chat = chat or private(user)
    body = {"message_id": update_id, "date": 0, "chat": chat, "from": user, "text": text}
    return {"update_id": update_id, "message": body}


def document(update_id: int, name: str, size: int, user: dict = ALICE) -> dict:
    """A file sent in a private chat; its file_id is its name (see RecordingRequest.files)."""
    doc = {"file_id": name, "file_unique_id": name, "file_name": name, "file_size": size}
    body = {"message_id": update_id, "date": 0, "chat": private(user), "from": user}
    return {"update_id": update_id, "message": {**body, "document": doc}}


def contact(update_id: int, phone: str, owner: dict | None, user: dict = ALICE) -> dict:
    """A shared contact card: the sender's own (owner is the sender), someone else's, or
    one typed in by hand (no owner)."""
    card = {"phone_number": phone, "first_name": (owner or user)["first_name"]}
    if owner is not None:
        card["user_id"] = owner["id"]
    body = {"message_id": update_id, "date": 0, "chat": private(user), "from": user}
    return {"update_id": update_id, "message": {**body, "contact": card}}


def location(update_id: int, lat: float, lon: float, user: dict = ALICE) -> dict:
    """A location shared in a private chat (the share-location keyboard button)."""
    body = {"message_id": update_id, "date": 0, "chat": private(user), "from": user}
    where = {"latitude": lat, "longitude": lon}
    return {"update_id": update_id, "message": {**body, "location": where}}


def press(update_id: int, data: str, user: dict = ALICE) -> dict:
    """A tap on an inline button of an earlier bot message."""
    old = {"message_id": 55, "date": 0, "chat": private(user), "text": "old"}
    query = {"id": f"cb{update_id}", "from": user, "chat_instance": "ci", "data": data}
    return {"update_id": update_id, "callback_query": {**query, "message": old}}


def added_to_group(update_id: int, by: dict = ADMIN, chat: dict = GROUP) -> dict:
    """The bot made a member of a group by `by`."""
    member = {"user": BOT_USER, "status": "left"}
    return {
        "update_id": update_id,
        "my_chat_member": {
            "chat": chat,
            "from": by,
            "date": 0,
            "old_chat_member": member,
            "new_chat_member": {**member, "status": "member"},
        },
    }


def poll_answer(update_id: int, poll_id: str, options: list[int], user: dict = ALICE) -> dict:
    """A vote in a non-anonymous poll."""
    answer = {
        "poll_id": poll_id,
        "user": user,
        "option_ids": options,
        "option_persistent_ids": [str(o) for o in options],
    }
    return {"update_id": update_id, "poll_answer": answer}


async def feed(channel, data: dict) -> None:
    """Hand one update to the channel's PTB Application, as polling or a webhook would."""
    await channel.application.process_update(Update.de_json(data, channel.application.bot))
