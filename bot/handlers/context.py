"""What a handler gets: the services, the person who wrote, and their language."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.config import Config
from bot.content.models import ContentPack
from bot.content.orgtree import OrgTree
from bot.core.catalog import CATALOG
from bot.core.clock import Clock
from bot.core.i18n import t
from bot.core.messages import Incoming
from bot.delivery import Outbox
from bot.domain.access import Access, Scope
from bot.domain.announcements import Announcements
from bot.domain.attendance import Attendance
from bot.domain.audit import Audit
from bot.domain.broadcasts import Broadcasts
from bot.domain.contests import Contests
from bot.domain.figures import Figures
from bot.domain.groups import Groups
from bot.domain.leaderboards import Leaderboards
from bot.domain.ledger import Ledger
from bot.domain.people import People, Person
from bot.domain.points import Points
from bot.domain.prefs import Prefs
from bot.domain.quizzes import Quizzes
from bot.domain.ranking_post import RankingPost
from bot.domain.registration import Registration
from bot.domain.reminders import Reminders
from bot.domain.review import WrongBook
from bot.domain.robots import Robots
from bot.domain.roster import Roster
from bot.domain.study import Study
from bot.storage.sqlite import Store


@dataclass
class Services:
    """The domain services, built once by the app and shared by every handler."""

    config: Config
    clock: Clock
    orgs: OrgTree
    store: Store
    pack: ContentPack
    people: People
    points: Points
    study: Study
    quizzes: Quizzes
    wrong_book: WrongBook
    outbox: Outbox
    broadcasts: Broadcasts
    audit: Audit
    groups: Groups
    contests: Contests
    access: Access
    registration: Registration
    roster: Roster
    attendance: Attendance
    prefs: Prefs
    figures: Figures
    ledger: Ledger
    announcements: Announcements
    ranking_post: RankingPost
    reminders: Reminders
    leaderboards: Leaderboards
    robots: Robots
    # How a deep-link payload reaches people on the running channel; Telegram sets a
    # t.me link once it knows the bot's username.
    deep_link: Callable[[str], str] = field(default=lambda payload: f"/start {payload}")
    # What a channel's people cannot do ("upload" a file, "pin" in a group), by channel
    # name; a handler leaves out the buttons for it.
    lacks: dict[str, frozenset[str]] = field(default_factory=dict)
    # Long work started by a handler (a league's ledger) that answers through the outbox
    # when done, by key, so the same request twice runs once.
    background: dict[str, asyncio.Task] = field(default_factory=dict)

    def use_pack(self, pack: ContentPack) -> None:
        """Serve newly published content from now on (every service reads the new pack)."""
        self.pack = pack
        self.study.pack = pack
        self.quizzes.pack = pack
        self.wrong_book.pack = pack
        self.contests.pack = pack
        self.attendance.pack = pack
        self.figures.pack = pack
        self.ledger.pack = pack
        self.reminders.use_pack(pack)


@dataclass
class Context:
    """One event being handled."""

    services: Services
    event: Incoming
    person: Person
    new_person: bool = False
    _scope: Scope | None = field(default=None, repr=False)

    @property
    def locale(self) -> str:
        """The person's language, else the deployment's."""
        return self.person.locale or self.services.config.locale

    @property
    def is_superadmin(self) -> bool:
        """Whether the sender is a superadmin (listed under `admins` in config.yaml)."""
        return self.services.config.is_superadmin(self.event.channel, self.event.user_ref)

    async def scope(self) -> Scope:
        """The sender's scope, read from the database once for this event."""
        if self._scope is None:
            self._scope = await self.services.access.scope(self.event.channel, self.event.user_ref)
        return self._scope

    @property
    def actor(self) -> str:
        """The sender as the audit log names them: channel:user_ref."""
        return f"{self.event.channel}:{self.event.user_ref}"

    def t(self, key: str, **params: Any) -> str:
        """Catalog text in the person's language, worded for their channel if it has to be."""
        variant = f"{key}@{self.event.channel}"
        return t(variant if variant in CATALOG else key, self.locale, **params)

    def can(self, feature: str) -> bool:
        """Whether the sender's channel lets them do `feature` ("upload", "pin")."""
        return feature not in self.services.lacks.get(self.event.channel, ())
