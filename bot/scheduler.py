"""The app's one scheduler (APScheduler 3.11, AsyncIOScheduler in the configured time zone).

It holds a few jobs that ask the domain what is due, never a job per person or per
reminder: what is due is derived from content plus the deliveries table, so nothing has to
be rebuilt from jobs after a restart, and the injected clock (tests, `run --now`) decides.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.domain.contests import Contests
from bot.domain.reminders import Ran, Reminders

log = logging.getLogger(__name__)
SWEEP_SECONDS = 15  # how often due reminders are looked for (they go out this late at most)
CONTEST_SECONDS = 1  # group contests move on question by question


class Scheduler:
    """Starts, runs and stops the scheduled jobs of one app."""

    def __init__(
        self,
        reminders: Reminders,
        contests: Contests,
        timezone,
        sweeps: Sequence[Callable[[], Awaitable[object]]] = (),
    ):
        self.reminders = reminders
        self.contests = contests
        # More work that is due by the clock (scheduled announcements, the weekly ranking
        # post), run with the reminders, each on its own so one failing stops no other.
        self.sweeps = tuple(sweeps)
        self.aps = AsyncIOScheduler(
            timezone=timezone,
            # A late or overlapping run is folded into the next one, never run twice at once.
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )

    async def start(self) -> list[Ran]:
        """Skip what was missed beyond the grace period, then start the jobs; the first
        sweep runs at once, in the background, and sends what is still due."""
        skipped = await self.reminders.resume()
        self.aps.add_job(
            self.sweep,
            IntervalTrigger(seconds=SWEEP_SECONDS),
            id="reminders",
            name="reminders",
            next_run_time=datetime.now(self.aps.timezone),
        )
        self.aps.add_job(
            self.tick, IntervalTrigger(seconds=CONTEST_SECONDS), id="contests", name="contests"
        )
        self.aps.start()
        return skipped

    async def sweep(self) -> None:
        """Send what is due (the reminders job)."""
        for run in (self.reminders.sweep, *self.sweeps):
            try:
                await run()
            except Exception:  # the next sweep tries again; the job must stay scheduled
                log.exception("sweep %s failed", getattr(run, "__qualname__", run))

    async def tick(self) -> None:
        """Move running contests on (the contests job)."""
        try:
            await self.contests.tick()
        except Exception:  # a bad contest must not stop the others
            log.exception("contest tick failed")

    async def shutdown(self) -> None:
        """Stop the jobs; a run in progress is not waited for (its transaction decides)."""
        if self.aps.running:
            self.aps.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler stops on the loop's next turn
