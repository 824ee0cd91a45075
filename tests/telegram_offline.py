"""A recording Bot API request: the network edge is the only thing faked (cf. PTB's
tests/auxil/networking.py). Every call is recorded and answered like the Bot API would."""

from __future__ import annotations

import json
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_USER = {"id": 777000, "is_bot": True, "first_name": "干部学习助手", "username": "CadreBot"}


class RecordingRequest(BaseRequest):
    """Answers Bot API methods offline and keeps (method, parameters) for assertions."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._message_id = 100
        # method -> queued (status, error description, extra parameters) answers
        self.failures: dict[str, list[tuple[int, str, dict[str, Any]]]] = {}

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

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        self.calls.append((name, params))
        if self.failures.get(name):
            status, description, extra = self.failures[name].pop(0)
            body = {"ok": False, "error_code": status, "description": description}
            if extra:
                body["parameters"] = extra
            return status, json.dumps(body).encode()
        result: Any = True
        if name == "getMe":
            result = BOT_USER
        elif name in ("sendMessage", "editMessageText"):
            self._message_id += 1
            result = {
                "message_id": self._message_id,
                "date": 0,
                "text": params.get("text", ""),
                "chat": {"id": int(params.get("chat_id", 1)), "type": "private"},
            }
        elif name == "getUpdates":
            result = []
        return 200, json.dumps({"ok": True, "result": result}).encode()
