"""What every channel provides."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import Protocol

from bot.core.messages import Outgoing
from bot.handlers.dispatch import Dispatcher


class Channel(Protocol):
    """A platform connection: it feeds events to the dispatcher and shows the replies."""

    name: str

    async def run(self, dispatcher: Dispatcher) -> None:
        """Serve until the platform closes (end of input, shutdown signal)."""
        ...

    async def send(self, chat_ref: str, msg: Outgoing) -> str:
        """Deliver one message; return the platform's message id."""
        ...


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGINT or SIGTERM (where the loop can watch signals)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    return stop
