"""The weekly ranking post (亮晒比): at `reports.weekly_post`, every group that opted in
gets last week's figures of its unit and the units below it ranked with their cards, as
text and a chart, through the outbox.

Each week's post is claimed in the deliveries table in the same transaction that queues
it, so a restart or a second sweep posts nothing twice; a post missed by more than
`schedule.grace` (the bot was down) is skipped rather than sent days late.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config import Config, WeeklyTime
from bot.content.orgtree import OrgTree
from bot.core.clock import Clock, to_db
from bot.core.messages import PHOTO, Attachment, Outgoing
from bot.delivery import Outbox, Recipient
from bot.domain.access import Scope
from bot.domain.figures import Figures, week_of
from bot.domain.groups import Groups
from bot.reports.summary import Report, chart_name, report_chart, report_text
from bot.storage.sqlite import Store, Tx

log = logging.getLogger(__name__)
WHAT = "ranking"  # the deliveries row of a week's post


def last_occurrence(now: datetime, weekly: WeeklyTime, tz: ZoneInfo) -> datetime:
    """The latest weekly moment at or before `now` (local weekday and time)."""
    local = now.astimezone(tz)
    day = local.date() - timedelta(days=(local.weekday() - weekly.weekday) % 7)
    moment = datetime.combine(day, weekly.at, tz)
    return moment if moment <= local else moment - timedelta(days=7)


class RankingPost:
    """Queues the weekly ranking post for groups that asked for it."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        config: Config,
        orgs: OrgTree,
        figures: Figures,
        groups: Groups,
        outbox: Outbox,
    ):
        self.store = store
        self.clock = clock
        self.config = config
        self.orgs = orgs
        self.figures = figures
        self.groups = groups
        self.outbox = outbox

    async def run_due(self) -> int:
        """Post this week's ranking if it is due and not posted yet; returns the groups
        it was queued for."""
        tz = self.config.tz
        now = self.clock.now()
        due = last_occurrence(now, self.config.reports.weekly_post, tz)
        occurrence = to_db(due)
        claimed = await self.store.scalar(
            "SELECT 1 FROM deliveries WHERE what = ? AND occurrence = ? AND whom = '*'",
            (WHAT, occurrence),
        )
        if claimed:
            return 0
        groups = await self.groups.ranking_groups()
        if not groups:
            return 0  # nothing to claim: a group opting in later this week still gets it
        late = now - due > timedelta(minutes=self.config.schedule.grace)
        if late:
            groups = []
        period = week_of(due.astimezone(tz).date() - timedelta(days=7))
        posts: list[tuple[Recipient, Outgoing]] = []
        everyone = Scope(self.orgs, superadmin=True)  # a group sees its own unit's subtree
        for group in groups:
            if group.unit_id not in self.orgs.units:
                continue
            posts.append((Recipient(group.channel, group.chat_ref, True),
                          await self.post(group.unit_id, period, everyone)))  # fmt: skip
        status = "skipped" if late else "done"

        def write(tx: Tx) -> int:
            claim = tx.execute(
                "INSERT OR IGNORE INTO deliveries (what, occurrence, whom, status, at) "
                "VALUES (?, ?, '*', ?, ?)",
                (WHAT, occurrence, status, to_db(now)),
            )
            if not claim:
                return 0
            for recipient, msg in posts:
                self.outbox.add(tx, WHAT, f"{occurrence}:{recipient.chat_ref}", msg, [recipient])
            return len(posts)

        queued = await self.store.write(write)
        if late:
            log.warning("weekly ranking post of %s skipped: the bot was down", occurrence)
        return queued

    async def post(self, unit_id: str, period, scope: Scope) -> Outgoing:
        """One group's post: the report text with the ranking chart attached."""
        locale = self.config.locale
        total, rows = await self.figures.units(unit_id, period, scope)
        found = Report(unit_id, period, total, self.figures.rank(rows, total))
        text = report_text(found, self.orgs, locale)
        if not any(r.place is not None for r in found.ranked):
            return Outgoing(text)
        png = await asyncio.to_thread(report_chart, found, self.orgs, self.config.reports, locale)
        return Outgoing(
            text, attachment=Attachment(chart_name(found, self.orgs, locale), png, PHOTO)
        )
