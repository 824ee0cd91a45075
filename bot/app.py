"""Builds config, store, content, services and dispatcher; opens and closes them."""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass

from bot.config import Config, ConfigError, default_unit_problems
from bot.content.loader import load_content, pack_unit_problems
from bot.content.models import ContentPack
from bot.content.orgs import load_orgs
from bot.content.problems import ContentError
from bot.core.clock import Clock
from bot.core.i18n import t
from bot.core.messages import Outgoing
from bot.delivery import Limits, Outbox, RateLimiter, Recipient, Sender, SendFn, seconds_of
from bot.domain.access import Access
from bot.domain.announcements import Announcements
from bot.domain.announcements import report_text as announcement_report
from bot.domain.attendance import Attendance
from bot.domain.audit import Audit
from bot.domain.broadcasts import Broadcasts
from bot.domain.contests import Contests
from bot.domain.figures import Figures
from bot.domain.groups import Groups
from bot.domain.leaderboards import Leaderboards
from bot.domain.ledger import Ledger
from bot.domain.people import People
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
from bot.handlers import build_router
from bot.handlers.context import Services
from bot.handlers.dispatch import Dispatcher
from bot.scheduler import Scheduler
from bot.storage.sqlite import Store

log = logging.getLogger(__name__)


@dataclass
class App:
    """Everything a channel needs to serve people."""

    config: Config
    services: Services
    dispatcher: Dispatcher

    @classmethod
    async def open(
        cls,
        config: Config,
        clock: Clock,
        pack: ContentPack | None = None,
        rng: random.Random | None = None,
    ) -> App:
        """Load content (unless given), open the database and wire the services."""
        pack = pack if pack is not None else load_content(config)
        orgs = load_orgs(config.orgs_file)
        problems = default_unit_problems(config, orgs)
        if problems:
            raise ConfigError(problems)
        lecture_problems = pack_unit_problems(pack, orgs)
        if lecture_problems:
            raise ContentError(lecture_problems)
        store = await Store(config.database_path).open()
        tz = config.tz
        outbox = Outbox(store, clock)
        audit = Audit(store, clock)
        people = People(store, clock)
        points = Points(store, clock, tz, config.points)
        study = Study(store, clock, tz, pack, points, config.points.study)
        access = Access(store, clock, config, orgs, audit)
        attendance = Attendance(store, clock, tz, pack, orgs, audit, outbox, people, config.checkin)
        prefs = Prefs(store, config.schedule, tz)
        figures = Figures(store, clock, tz, pack, orgs, attendance, config.reports)
        groups = Groups(store, clock, audit)
        services = Services(
            config=config,
            clock=clock,
            orgs=orgs,
            store=store,
            pack=pack,
            people=people,
            points=points,
            study=study,
            quizzes=Quizzes(
                store,
                clock,
                pack,
                study,
                points,
                config.points.correct,
                config.points.quiz_pass,
                rng,
            ),
            wrong_book=WrongBook(store, clock, pack),
            outbox=outbox,
            broadcasts=Broadcasts(store, clock, outbox, audit, people),
            audit=audit,
            groups=groups,
            contests=Contests(store, clock, pack, outbox, audit, config.locale, rng),
            access=access,
            registration=Registration(
                store, clock, config.registration, audit, outbox, config.is_superadmin
            ),
            roster=Roster(store, clock, audit),
            attendance=attendance,
            prefs=prefs,
            figures=figures,
            ranking_post=RankingPost(store, clock, config, orgs, figures, groups, outbox),
            ledger=Ledger(store, clock, tz, pack, orgs, attendance, figures),
            announcements=Announcements(
                store, clock, tz, orgs, outbox, audit, people, access, config.locale
            ),
            reminders=Reminders(
                store, clock, config, pack, orgs, people, attendance, access, outbox, audit, prefs
            ),
            leaderboards=Leaderboards(store, clock, orgs, audit),
            robots=Robots(store, clock, audit),
        )
        return cls(config, services, Dispatcher(services, build_router()))

    def scheduler(self) -> Scheduler:
        """The app's scheduler: reminders and contests (start it inside the event loop)."""
        services = self.services
        return Scheduler(
            services.reminders,
            services.contests,
            self.config.tz,
            sweeps=[services.announcements.run_due, services.ranking_post.run_due],
        )

    def sender(self, channel: str, send: SendFn, limits: Limits | None = None) -> Sender:
        """The outbox sender for one channel; finished broadcasts are reported back."""
        limiter = RateLimiter(limits or self.config.outbox, seconds_of(self.services.clock))
        return Sender(
            self.services.store, self.services.clock, channel, send, limiter, self.report_batch
        )

    async def report_batch(self, batch_id: int) -> None:
        """Tell whoever started a mass send how it went (through the outbox as well)."""
        broadcasts = self.services.broadcasts
        target = await broadcasts.report_target(batch_id)
        if target is None:
            return
        announcements = self.services.announcements
        announcement = await announcements.batch_announcement(batch_id)
        if announcement is not None:
            found = await announcements.report(announcement)
            if found is not None:
                text = announcement_report(found, self.services.orgs, self.config.locale)
                await self.services.outbox.enqueue(
                    "report", str(batch_id), Outgoing(text), [Recipient(*target)]
                )
            return
        c = await broadcasts.counts(batch_id)
        text = t(
            "broadcast.done",
            self.config.locale,
            sent=c.sent,
            failed=c.failed,
            unreachable=c.unreachable,
            total=c.total,
        )
        await self.services.outbox.enqueue(
            "report", str(batch_id), Outgoing(text), [Recipient(*target)]
        )

    async def close(self) -> None:
        """Stop work started in the background (an admin asks again), close the database."""
        tasks = list(self.services.background.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.services.store.close()
