"""Standard 5-field crontab expressions as APScheduler 3 triggers.

APScheduler 3's `CronTrigger.from_crontab` numbers weekdays from 0 = Monday, while crontab
(and every cron guide an administrator reads) has 0 and 7 = Sunday, 1 = Monday. Numeric
weekdays are translated to names here, so "0 9 * * 1" means Monday 09:00 as written.
"""

from __future__ import annotations

from datetime import tzinfo

from apscheduler.triggers.cron import CronTrigger

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def cron_trigger(expr: str, tz: tzinfo) -> CronTrigger:
    """The trigger for a crontab expression in `tz`; ValueError says what is wrong."""
    fields = expr.split()
    if len(fields) != 5:
        raise ValueError(f"wrong number of fields: {len(fields)}, expected 5")
    minute, hour, day, month, weekdays = fields
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_weekdays(weekdays),
        timezone=tz,
    )


def _weekdays(field: str) -> str:
    """A crontab day-of-week field (0/7 = Sunday) as APScheduler weekday names."""
    if field in ("*", "?"):
        return "*"
    days: set[int] = set()
    for part in field.split(","):
        spec, _, step_text = part.partition("/")
        step = int(step_text) if step_text.isdigit() and int(step_text) > 0 else None
        if step_text and step is None:
            raise ValueError(f"bad step in day of week: {part!r}")
        if spec == "*":
            low, high = 0, 6
        elif "-" in spec:
            a, _, b = spec.partition("-")
            low, high = _day(a), _day(b)
            if high == 0 and b.strip() == "7":
                high = 7
            if low > high:
                raise ValueError(f"day-of-week range runs backwards: {part!r}")
        else:
            low = high = _day(spec)
        days.update(d % 7 for d in range(low, high + 1, step or 1))
    return ",".join(DAY_NAMES[d] for d in sorted(days))


def _day(text: str) -> int:
    """One crontab weekday: 0-7 or a three-letter English name."""
    text = text.strip().lower()
    if text.isdigit() and 0 <= int(text) <= 7:
        return int(text) % 7
    if text[:3] in DAY_NAMES:
        return DAY_NAMES.index(text[:3])
    raise ValueError(f"bad day of week: {text!r}")
