"""Shared fixtures: a manual clock, a config on a temp database, the app, and a chat driver."""

from __future__ import annotations

import random
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.config import Config, load_config
from bot.core.clock import ManualClock
from bot.core.messages import Button, Incoming, Outgoing

# The fake WeCom API's fixture (fake_wecom), for every test module that asks for it.
pytest_plugins = ["tests.wecom_fake"]

ROOT = Path(__file__).resolve().parent.parent
TZ = ZoneInfo("Asia/Shanghai")
# Wednesday of the week whose rotation slot is 3: the party-member-rights item is current.
WEDNESDAY = datetime(2026, 11, 18, 10, 0, tzinfo=TZ)


@pytest.fixture
def clock() -> ManualClock:
    """A clock that only moves when a test moves it."""
    return ManualClock(WEDNESDAY)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    """The shipped config.yaml, with the database in the test's temp folder."""
    return replace(load_config(ROOT / "config.yaml"), database_path=tmp_path / "bot.sqlite3")


@pytest.fixture
async def open_app(clock: ManualClock) -> AsyncIterator[Callable[..., Awaitable[App]]]:
    """Opens apps on a given config and pack (same clock); closes them after the test."""
    opened: list[App] = []

    async def opener(config: Config, **kw) -> App:
        opened.append(await App.open(config, clock, **kw))
        return opened[-1]

    yield opener
    for application in opened:
        await application.close()


@pytest.fixture
async def app(config: Config, clock: ManualClock) -> AsyncIterator[App]:
    """The real app on the shipped content and a fresh SQLite file."""
    application = await App.open(config, clock, rng=random.Random(7))
    yield application
    await application.close()


class Chat:
    """Drives the dispatcher as one person would: typing text and tapping buttons."""

    def __init__(self, app: App, user: str = "alice", channel: str = "console"):
        self.app = app
        self.user = user
        self.channel = channel
        self.last: list[Outgoing] = []
        self._events = 0

    @property
    def text(self) -> str:
        """All text of the last replies."""
        return "\n".join(m.text for m in self.last)

    @property
    def buttons(self) -> list[Button]:
        """Buttons of the last reply that had any."""
        for msg in reversed(self.last):
            if msg.rows:
                return msg.buttons
        return []

    async def send(self, text: str, event_id: str = "") -> list[Outgoing]:
        """Type a line."""
        return await self._dispatch(text=text, event_id=event_id)

    async def tap(self, label_or_action: str, event_id: str = "") -> list[Outgoing]:
        """Tap the button whose label contains `label_or_action` (or whose action equals it)."""
        return await self.press(self.action_of(label_or_action), event_id)

    async def press(self, action: str, event_id: str = "") -> list[Outgoing]:
        """Send a button action as is, e.g. from an older message still on screen."""
        return await self._dispatch(action=action, event_id=event_id)

    def action_of(self, label_or_action: str) -> str:
        """The action of a button on the last reply, found by label text or exact action."""
        for button in self.buttons:
            if button.action == label_or_action or label_or_action in button.label:
                return button.action
        labels = [b.label for b in self.buttons]
        raise AssertionError(f"no button {label_or_action!r} in {labels}")

    async def _dispatch(
        self, text: str = "", action: str = "", event_id: str = ""
    ) -> list[Outgoing]:
        event = Incoming(
            self.channel,
            self.user,
            self.user,
            text=text,
            action=action,
            event_id=event_id,
            display_name=self.user,
        )
        replies = await self.app.dispatcher.handle(event)
        # A notice (a toast on Telegram) leaves the message with the buttons in place.
        if any(not m.notice for m in replies):
            self.last = replies
        return replies


@pytest.fixture
def chat(app: App) -> Chat:
    """A chat as alice."""
    return Chat(app)


@pytest.fixture
async def telegram(config: Config, open_app, clock: ManualClock, tmp_path: Path):
    """A real PTB Application on the real app, the network edge recorded offline.

    Yields (channel, request, app); telegram user 9001 is an administrator. The app serves
    copies of the shipped content, so a test may publish uploads into them.
    """
    from bot.channels.telegram import TelegramChannel
    from tests.telegram_offline import RecordingRequest

    study, quizzes = tmp_path / "content" / "study", tmp_path / "quizzes"
    shutil.copytree(ROOT / "content" / "study", study)
    shutil.copytree(ROOT / "quizzes", quizzes)
    config = replace(
        config,
        admins=(*config.admins, "telegram:9001"),
        study_dir=study,
        quiz_dir=quizzes,
    )
    application = await open_app(config, rng=random.Random(7))
    request = RecordingRequest()
    channel = TelegramChannel("123:TEST", config, request=request)
    channel.dispatcher = application.dispatcher
    await channel.application.initialize()
    yield channel, request, application
    await channel.application.shutdown()
