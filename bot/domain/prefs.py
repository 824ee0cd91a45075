"""A person's reminder preferences: reminders on or off (/remind) and quiet hours (免打扰),
and when a non-urgent message to them may go out."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.config import QuietHours, ScheduleConfig, parse_quiet
from bot.domain.people import Person
from bot.domain.plan import next_local
from bot.storage.sqlite import Store

OFF = "off"


class Prefs:
    """Reads and keeps reminder preferences; works out deferrals for quiet hours."""

    def __init__(self, store: Store, schedule: ScheduleConfig, tz: ZoneInfo):
        self.store = store
        self.schedule = schedule
        self.tz = tz
        self._parsed: dict[str | None, QuietHours | None] = {None: schedule.quiet_hours, OFF: None}

    def quiet(self, person: Person) -> QuietHours | None:
        """The person's quiet hours: their own, none, or the deployment's."""
        stored = person.quiet_hours
        if stored not in self._parsed:
            self._parsed[stored] = parse_quiet(stored) if stored else self.schedule.quiet_hours
        return self._parsed[stored]

    def release(self, person: Person, now: datetime) -> datetime | None:
        """When a non-urgent message to `person` may go out: None for now, else the end
        of the quiet hours `now` falls in."""
        quiet = self.quiet(person)
        if quiet is None or not quiet.contains(now.astimezone(self.tz).time()):
            return None
        return next_local(now, quiet.end, self.tz)

    def morning(self, person: Person, now: datetime) -> datetime:
        """The next morning for a snooze: the configured hour, or when quiet hours end."""
        at = next_local(now, self.schedule.morning, self.tz)
        return self.release(person, at) or at

    async def set_reminders(self, person_id: int, on: bool) -> None:
        """Switch scheduled reminders on or off for a person."""
        await self.store.write(
            lambda tx: tx.execute(
                "UPDATE people SET reminders = ? WHERE id = ?", (int(on), person_id)
            )
        )

    async def set_quiet(self, person_id: int, value: str | None) -> None:
        """Keep a person's quiet hours: '22:00-07:00', 'off', or None for the default."""
        await self.store.write(
            lambda tx: tx.execute(
                "UPDATE people SET quiet_hours = ? WHERE id = ?", (value, person_id)
            )
        )
