"""config.yaml -> frozen dataclasses, validated with line numbers (ConfigError)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.content.fields import Checker
from bot.content.orgtree import OrgTree
from bot.content.problems import ContentError, Problem
from bot.content.yamlload import YMap, load_file
from bot.core.i18n import LOCALES
from bot.delivery import Limits

CHANNELS = ("console", "telegram", "wecom")
_WEEKDAYS = {
    "monday": 0,
    "mon": 0,
    "周一": 0,
    "星期一": 0,
    "tuesday": 1,
    "tue": 1,
    "周二": 1,
    "星期二": 1,
    "wednesday": 2,
    "wed": 2,
    "周三": 2,
    "星期三": 2,
    "thursday": 3,
    "thu": 3,
    "周四": 3,
    "星期四": 3,
    "friday": 4,
    "fri": 4,
    "周五": 4,
    "星期五": 4,
    "saturday": 5,
    "sat": 5,
    "周六": 5,
    "星期六": 5,
    "sunday": 6,
    "sun": 6,
    "周日": 6,
    "星期日": 6,
    "星期天": 6,
}
_WEEKLY = re.compile(r"(\S+)\s+(\d{1,2}):(\d{2})")
_ADMIN = re.compile(r"(" + "|".join(CHANNELS) + r"):\S+")


class ConfigError(ContentError):
    """config.yaml is missing keys, has unknown ones or values of the wrong type."""


@dataclass(frozen=True)
class WeeklyTime:
    """A weekday (0 = Monday) and a local time of day."""

    weekday: int
    at: time


@dataclass(frozen=True)
class PointsConfig:
    """学习积分 awarded for each kind of activity, and the daily cap."""

    study: int = 5
    correct: int = 1
    quiz_pass: int = 5
    daily_cap: int = 50


@dataclass(frozen=True)
class WebhookConfig:
    """Where PTB's webhook server listens and the public HTTPS URL Telegram posts to."""

    listen: str = "127.0.0.1"
    port: int = 8443
    path: str = "telegram"
    url: str = ""


@dataclass(frozen=True)
class TelegramConfig:
    """How updates arrive (polling or webhook) and which Bot API server to use."""

    mode: str = "polling"
    base_url: str = ""
    base_file_url: str = ""
    local_mode: bool = False
    webhook: WebhookConfig = WebhookConfig()


@dataclass(frozen=True)
class CheckinConfig:
    """Lecture check-in: the default window (minutes; a lecture may set its own) and how
    often a venue's code changes, with the previous code still accepted for `code_grace`."""

    opens_before: int = 30
    closes_after: int = 30
    late_after: int = 10
    code_seconds: int = 60
    code_grace: int = 20


@dataclass(frozen=True)
class RegistrationConfig:
    """Who is admitted: anyone into `default_unit` (open) or roster people only (roster)."""

    mode: str = "open"
    default_unit: str = ""
    invite_hours: int = 72
    line: int = 1  # where default_unit is written, to point at it if the org tree lacks it


@dataclass(frozen=True)
class Config:
    """The validated configuration, paths resolved against the config file's folder."""

    timezone: str = "Asia/Shanghai"
    locale: str = "zh"
    database_path: Path = Path("data/bot.sqlite3")
    study_dir: Path = Path("content/study")
    quiz_dir: Path = Path("quizzes")
    admins: tuple[str, ...] = ()
    weekly_push: WeeklyTime = WeeklyTime(0, time(8, 0))
    max_upload_bytes: int = 1024 * 1024
    orgs_file: Path = Path("content/orgs.yaml")
    lectures_dir: Path = Path("content/lectures")
    checkin: CheckinConfig = field(default_factory=CheckinConfig)
    outbox: Limits = field(default_factory=Limits)
    registration: RegistrationConfig = field(default_factory=RegistrationConfig)
    points: PointsConfig = field(default_factory=PointsConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    path: Path | None = None

    @property
    def tz(self) -> ZoneInfo:
        """The configured time zone."""
        return ZoneInfo(self.timezone)

    def is_superadmin(self, channel: str, user_ref: str) -> bool:
        """Whether a chat account is listed under `admins` (superadmins: the whole tree)."""
        return f"{channel}:{user_ref}" in self.admins


TOP_KEYS = (
    "timezone",
    "locale",
    "database",
    "content",
    "admins",
    "schedule",
    "points",
    "telegram",
    "outbox",
    "registration",
    "checkin",
)
# Telegram's published limits; above 30/s only with paid broadcasts (Telegram Stars).
FREE_OVERALL, PAID_OVERALL = 30, 1000


def parse_weekly(value: str) -> WeeklyTime | None:
    """Parse 'Monday 08:00' or '周一 08:00'; None if it is not that shape."""
    match = _WEEKLY.fullmatch(value.strip())
    if not match or match[1].lower() not in _WEEKDAYS:
        return None
    hour, minute = int(match[2]), int(match[3])
    if hour > 23 or minute > 59:
        return None
    return WeeklyTime(_WEEKDAYS[match[1].lower()], time(hour, minute))


def load_config(path: Path | str) -> Config:
    """Read and validate config.yaml; raise ConfigError listing every problem."""
    path = Path(path)
    doc = load_file(path)
    if [p.key for p in doc.problems] == ["yaml.empty"]:
        doc.problems.clear()  # a config of comments only means "all defaults"
        doc.data = YMap.empty()
    problems: list[Problem] = list(doc.problems)
    if doc.data is None:
        raise ConfigError(problems)
    ch = Checker(path, problems)
    m = ch.mapping(doc.data, 1, TOP_KEYS)
    if m is None:
        raise ConfigError(problems)
    base = path.resolve().parent
    kwargs: dict = {"path": path}

    tz = ch.text(m, "timezone", "Asia/Shanghai")
    try:
        ZoneInfo(tz)
        kwargs["timezone"] = tz
    except (ZoneInfoNotFoundError, ValueError):
        ch.report(m.line_of("timezone"), "config.bad_timezone", "timezone", value=tz)
    kwargs["locale"] = ch.choice(m, "locale", LOCALES, "zh")

    db = _section(ch, m, "database", ("path",))
    kwargs["database_path"] = base / ch.child("database.").text(db, "path", "data/bot.sqlite3")
    content = _section(
        ch, m, "content", ("study_dir", "quiz_dir", "orgs_file", "lectures_dir", "max_upload_bytes")
    )
    cc = ch.child("content.")
    kwargs["study_dir"] = base / cc.text(content, "study_dir", "content/study")
    kwargs["quiz_dir"] = base / cc.text(content, "quiz_dir", "quizzes")
    kwargs["orgs_file"] = base / cc.text(content, "orgs_file", "content/orgs.yaml")
    kwargs["lectures_dir"] = base / cc.text(content, "lectures_dir", "content/lectures")
    # Bots may download at most 20 MB from Telegram.
    kwargs["max_upload_bytes"] = cc.integer(
        content, "max_upload_bytes", 1024 * 1024, 1024, 20 * 1024 * 1024
    )

    admins = ch.string_list(m, "admins", scalar_ok=False) if m.get("admins") is not None else []
    for i, admin in enumerate(admins):
        if not _ADMIN.fullmatch(admin):
            line = m["admins"].line_of(i)
            ch.report(
                line,
                "config.bad_admin",
                f"admins[{i + 1}]",
                value=admin,
                channels="/".join(CHANNELS),
            )
    kwargs["admins"] = tuple(admins)

    sched = _section(ch, m, "schedule", ("weekly_push",))
    raw = ch.child("schedule.").text(sched, "weekly_push", "Monday 08:00")
    weekly = parse_weekly(raw)
    if weekly is None:
        ch.report(
            sched.line_of("weekly_push"), "config.bad_weekly", "schedule.weekly_push", value=raw
        )
    else:
        kwargs["weekly_push"] = weekly

    pts = _section(ch, m, "points", ("study", "correct", "quiz_pass", "daily_cap"))
    pc = ch.child("points.")
    kwargs["points"] = PointsConfig(
        study=pc.integer(pts, "study", 5, 0, 1000),
        correct=pc.integer(pts, "correct", 1, 0, 1000),
        quiz_pass=pc.integer(pts, "quiz_pass", 5, 0, 1000),
        daily_cap=pc.integer(pts, "daily_cap", 50, 0, 100000),
    )
    kwargs["telegram"] = _telegram(ch, m)
    kwargs["outbox"] = _outbox(ch, m)
    kwargs["registration"] = _registration(ch, m)
    kwargs["checkin"] = _checkin(ch, m)
    if problems:
        raise ConfigError(problems)
    return Config(**kwargs)


def _telegram(ch: Checker, m: YMap) -> TelegramConfig:
    """The telegram section; webhook mode needs a public https URL."""
    keys = ("mode", "base_url", "base_file_url", "local_mode", "webhook")
    tg = _section(ch, m, "telegram", keys)
    tc = ch.child("telegram.")
    wh = _section(tc, tg, "webhook", ("listen", "port", "path", "url"))
    wc = tc.child("webhook.")
    mode = tc.choice(tg, "mode", ("polling", "webhook"), "polling")
    webhook = WebhookConfig(
        listen=wc.text(wh, "listen", "127.0.0.1"),
        port=wc.integer(wh, "port", 8443, 1, 65535),
        path=wc.text(wh, "path", "telegram").strip("/"),
        url=wc.text(wh, "url", "", allow_empty=True),
    )
    if mode == "webhook" and not webhook.url.startswith("https://"):
        field_name = "telegram.webhook.url"
        ch.report(wh.line_of("url"), "config.webhook_url", field_name, value=webhook.url)
    return TelegramConfig(
        mode=mode,
        base_url=tc.text(tg, "base_url", "", allow_empty=True),
        base_file_url=tc.text(tg, "base_file_url", "", allow_empty=True),
        local_mode=tc.boolean(tg, "local_mode", False),
        webhook=webhook,
    )


def _outbox(ch: Checker, m: YMap) -> Limits:
    """Send rates; more than 30/s overall only with paid broadcasts switched on."""
    keys = ("overall_per_second", "private_per_second", "group_per_minute", "paid_broadcast")
    ob = _section(ch, m, "outbox", keys)
    oc = ch.child("outbox.")
    paid = oc.boolean(ob, "paid_broadcast", False)
    overall = oc.integer(ob, "overall_per_second", FREE_OVERALL, 1, PAID_OVERALL)
    if overall > FREE_OVERALL and not paid:
        ch.report(
            ob.line_of("overall_per_second"),
            "config.paid_rate",
            "outbox.overall_per_second",
            value=overall,
            free=FREE_OVERALL,
        )
    return Limits(
        overall_per_second=overall,
        private_per_second=oc.integer(ob, "private_per_second", 1, 1, 30),
        group_per_minute=oc.integer(ob, "group_per_minute", 20, 1, 60),
        paid_broadcast=paid,
    )


def _checkin(ch: Checker, m: YMap) -> CheckinConfig:
    """Lecture check-in defaults."""
    keys = ("opens_before", "closes_after", "late_after", "code_seconds", "code_grace")
    ci = _section(ch, m, "checkin", keys)
    cc = ch.child("checkin.")
    return CheckinConfig(
        opens_before=cc.integer(ci, "opens_before", 30, 0, 24 * 60),
        closes_after=cc.integer(ci, "closes_after", 30, 0, 24 * 60),
        late_after=cc.integer(ci, "late_after", 10, 0, 24 * 60),
        code_seconds=cc.integer(ci, "code_seconds", 60, 10, 3600),
        code_grace=cc.integer(ci, "code_grace", 20, 0, 3600),
    )


def default_unit_problems(config: Config, orgs: OrgTree) -> list[Problem]:
    """registration.default_unit must name a unit of the org tree."""
    unit = config.registration.default_unit
    if not unit or unit in orgs.units:
        return []
    path, field_name = config.path or Path("config.yaml"), "registration.default_unit"
    line = config.registration.line
    return [Problem(path, line, "config.unknown_unit", {"value": unit}, field_name)]


def _registration(ch: Checker, m: YMap) -> RegistrationConfig:
    """The registration section; the default unit is checked against the org tree later."""
    reg = _section(ch, m, "registration", ("mode", "default_unit", "invite_hours"))
    rc = ch.child("registration.")
    return RegistrationConfig(
        mode=rc.choice(reg, "mode", ("open", "roster"), "open"),
        default_unit=rc.text(reg, "default_unit", "", allow_empty=True),
        invite_hours=rc.integer(reg, "invite_hours", 72, 1, 24 * 30),
        line=reg.line_of("default_unit"),
    )


def _section(ch: Checker, m: YMap, key: str, allowed: tuple[str, ...]) -> YMap:
    """A nested mapping (empty when absent or wrong), its unknown keys reported."""
    value = m.get(key)
    checked = None
    if value is not None:
        checked = ch.child(f"{key}.").mapping(value, m.line_of(key), allowed, field=key)
    return checked if checked is not None else YMap.empty(m.line_of(key))
