"""The console channel: a chat in the terminal, buttons as numbered choices.

Interactive use shows a prompt and greets with /start. With piped stdin it reads line
by line, echoes each line so the transcript reads like a chat, and ends at end of input.
"""

from __future__ import annotations

import asyncio
import itertools
from pathlib import Path
from typing import TextIO

from bot.core.i18n import t
from bot.core.messages import Attachment, Button, Incoming, Outgoing
from bot.handlers.dispatch import Dispatcher

QUIT_WORDS = {"/quit", "/exit", "退出"}


class ConsoleChannel:
    """Reads lines from `stdin`, writes replies to `stdout`."""

    name = "console"

    def __init__(
        self,
        user: str,
        stdin: TextIO,
        stdout: TextIO,
        interactive: bool,
        locale: str = "zh",
        files: Path | None = None,
    ):
        self.user = user
        self.files = files  # where attachments are saved (None: only named)
        self.locale = locale
        self.stdin = stdin
        self.stdout = stdout
        self.interactive = interactive
        self.buttons: list[Button] = []
        self._ids = itertools.count(1)

    async def run(self, dispatcher: Dispatcher) -> None:
        """Chat until end of input or /quit."""
        if self.interactive:
            self._write(t("console.banner", self.locale, user=self.user) + "\n")
            await self._handle(dispatcher, self._event(text="/start"))
        while True:
            line = await self._read_line()
            if line is None:
                return
            text = line.strip()
            if not text:
                continue
            if not self.interactive:
                self._write(f"> {text}\n")
            if text.lower() in QUIT_WORDS:
                return
            if text.isdigit() and not 1 <= int(text) <= len(self.buttons) and self.buttons:
                self._write("  ⓘ " + t("console.pick", self.locale, count=len(self.buttons)) + "\n")
                continue
            await self._handle(dispatcher, self.to_event(text))

    def to_event(self, text: str) -> Incoming:
        """A typed line as an event: a number picks one of the last buttons shown."""
        if text.isdigit() and 1 <= int(text) <= len(self.buttons):
            return self._event(action=self.buttons[int(text) - 1].action)
        return self._event(text=text)

    async def send(self, chat_ref: str, msg: Outgoing) -> str:
        """Print a message from the outbox, marked with whom it is for."""
        if chat_ref != self.user:
            self._write(f"[→ {chat_ref}]\n")
        self.render(msg)
        return str(next(self._ids))

    def render(self, msg: Outgoing) -> None:
        """Print a message; its buttons become the numbered choices."""
        if msg.notice:
            self._write(f"  ⓘ {msg.text}\n")
            return
        out = [msg.title, msg.text] if msg.title else [msg.text]
        number = 0
        for row in msg.rows:
            cells = []
            for button in row:
                number += 1
                cells.append(f"[{number}] {button.label}")
            out.append("  " + "   ".join(cells))
        if msg.attachment is not None:
            out.append(f"  📎 {self._save(msg.attachment)}")
        self.buttons = msg.buttons
        self._write("\n".join(out) + "\n\n")

    def _save(self, attachment: Attachment) -> str:
        """Write an attachment where the person can open it; its path (or its name)."""
        if self.files is None or not attachment.data:
            return attachment.name
        self.files.mkdir(parents=True, exist_ok=True)
        path = self.files / Path(attachment.name).name  # never a path out of the folder
        path.write_bytes(attachment.data)
        return str(path)

    async def _handle(self, dispatcher: Dispatcher, event: Incoming) -> None:
        for reply in await dispatcher.handle(event):
            self.render(reply)

    def _event(self, text: str = "", action: str = "") -> Incoming:
        return Incoming(
            channel=self.name,
            user_ref=self.user,
            chat_ref=self.user,
            text=text,
            action=action,
            display_name=self.user,
        )

    async def _read_line(self) -> str | None:
        if self.interactive:
            self._write("> ")
        # Reading in a thread keeps the event loop free for scheduled work meanwhile.
        line = await asyncio.to_thread(self.stdin.readline)
        return line if line else None

    def _write(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()
