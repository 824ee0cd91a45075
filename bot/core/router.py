"""Routes an Incoming to a handler: by button action prefix, by /command, or by keyword."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from bot.core.messages import Incoming

Handler = Callable[[Any, str], Awaitable[list]]


class Router:
    """A lookup table from actions, commands and plain-language keywords to handlers."""

    def __init__(self) -> None:
        self.commands: dict[str, Handler] = {}
        self.actions: dict[str, Handler] = {}
        self.events: dict[str, Handler] = {}
        self.group_commands: set[str] = set()
        self.private_only: Handler | None = None  # what other commands get in a group
        self.keywords: list[tuple[str, str]] = []  # (keyword, command), checked in order
        self.fallback: Handler | None = None
        self.public: set[Handler] = set()  # what people not yet admitted may use
        self.pending: Handler | None = None  # what they get for anything else

    def command(
        self, *names: str, group: bool = False, public: bool = False
    ) -> Callable[[Handler], Handler]:
        """Register a handler for `/name arg`; `group` lets it run in group chats too,
        `public` lets people not yet admitted use it."""

        def register(fn: Handler) -> Handler:
            for name in names:
                self.commands["/" + name] = fn
                if group:
                    self.group_commands.add("/" + name)
            if public:
                self.public.add(fn)
            return fn

        return register

    def action(self, *prefixes: str, public: bool = False) -> Callable[[Handler], Handler]:
        """Register a handler for button actions `prefix` or `prefix:payload`."""

        def register(fn: Handler) -> Handler:
            for prefix in prefixes:
                taken = self.actions.get(prefix)
                if taken is not None and taken is not fn:
                    # Two features on one prefix: the later would silently take the other's taps.
                    raise ValueError(
                        f"button action prefix {prefix!r} is taken by {taken.__name__}"
                    )
                self.actions[prefix] = fn
            if public:
                self.public.add(fn)
            return fn

        return register

    def event(self, *kinds: str, public: bool = False) -> Callable[[Handler], Handler]:
        """Register a handler for platform events of these kinds (see Incoming.kind)."""

        def register(fn: Handler) -> Handler:
            for kind in kinds:
                self.events[kind] = fn
            if public:
                self.public.add(fn)
            return fn

        return register

    def keyword(self, command: str, *words: str) -> None:
        """Let plain text containing one of `words` run `command`."""
        self.keywords.extend((w.lower(), command) for w in words)

    def route(self, event: Incoming) -> tuple[Handler | None, str]:
        """The handler for an event and the argument to give it."""
        if event.kind:
            return self.events.get(event.kind), ""
        if event.is_group:
            # In a group only group commands are answered; chatter is none of our business.
            name, arg = event.command
            if not name:
                return None, ""
            if name in self.group_commands:
                return self.commands[name], arg
            return (self.private_only if name in self.commands else None), arg
        if event.action:
            prefix, _, payload = event.action.partition(":")
            return self.actions.get(prefix), payload
        name, arg = event.command
        if name:
            return self.commands.get(name, self.fallback), arg
        text = event.text.strip().lower()
        for word, command in self.keywords:
            if word in text:
                cmd, _, arg = command.partition(" ")
                return self.commands.get(cmd), arg
        return self.fallback, event.text.strip()
