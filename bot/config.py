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
_CLOCK = r"(\d{1,2}):(\d{2})"
_SPAN = re.compile(_CLOCK + r"\s*[-–~至到]\s*" + _CLOCK)
_DURATION = re.compile(r"(\d+)\s*(d|h|m|天|小时|分钟|分)")
_UNIT_MINUTES = {"d": 1440, "天": 1440, "h": 60, "小时": 60, "m": 1, "分钟": 1, "分": 1}
OFF_WORDS = ("off", "none", "关闭", "无")
_ADMIN = re.compile(r"(" + "|".join(CHANNELS) + r"):\S+")


class ConfigError(ContentError):
    """config.yaml is missing keys, has unknown ones or values of the wrong type."""


@dataclass(frozen=True)
class WeeklyTime:
    """A weekday (0 = Monday) and a local time of day."""

    weekday: int
    at: time


@dataclass(frozen=True)
class QuietHours:
    """A daily span of local time when non-urgent messages wait (may cross midnight)."""

    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def contains(self, at: time) -> bool:
        """Whether the local time of day `at` falls in the span."""
        if self.start <= self.end:
            return self.start <= at < self.end
        return at >= self.start or at < self.end


@dataclass(frozen=True)
class ScheduleConfig:
    """What the scheduler sends when: the weekly push, lecture reminders (minutes before
    the start), deadline nudges, how late a missed run may still go out, quiet hours."""

    weekly_push: WeeklyTime = WeeklyTime(0, time(8, 0))
    lecture_reminders: tuple[int, ...] = (24 * 60, 60, 10)
    nudge_before: int = 24 * 60
    grace: int = 6 * 60
    quiet_hours: QuietHours | None = QuietHours(time(22, 0), time(7, 0))
    morning: time = time(8, 0)  # "tomorrow morning" for a snoozed reminder


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


# WeCom's published caps: 30 messages a minute to one member from one app, 150,000 calls
# an hour to one API (about 41 a second sustained), 20 a minute to one group robot.
WECOM_LIMITS = Limits(
    overall_per_second=40, private_per_second=30, group_per_minute=20, private_per_minute=30
)


@dataclass(frozen=True)
class WeComConfig:
    """The WeCom (企业微信) self-built app: its API server, where callbacks are served,
    whether buttons are shown as template cards, and the send rates."""

    api_base: str = "https://qyapi.weixin.qq.com"
    host: str = "127.0.0.1"
    port: int = 8080
    callback_path: str = "/wecom/callback"
    cards: bool = True
    limits: Limits = WECOM_LIMITS
    proxy: str = ""  # an HTTP proxy for the calls to api_base (a government network's)


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
class ReportWeights:
    """How much each rate counts in a unit's composite score (亮晒比 rankings)."""

    study: float = 1.0
    quiz: float = 1.0
    attendance: float = 1.0


@dataclass(frozen=True)
class ReportsConfig:
    """Reports: card thresholds (percent of the participation-adjusted score: at or above
    `gold` 金牌, below `red` 红牌, below `yellow` 黄牌), the prior in people that shrinks a
    small unit's score toward the overall mean, and the weights of the composite."""

    gold: float = 90
    yellow: float = 75
    red: float = 60
    prior_people: int = 20
    weights: ReportWeights = ReportWeights()
    weekly_post: WeeklyTime = WeeklyTime(0, time(9, 0))  # 亮晒比 to groups that opt in


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
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    max_upload_bytes: int = 1024 * 1024
    orgs_file: Path = Path("content/orgs.yaml")
    lectures_dir: Path = Path("content/lectures")
    reminders_dir: Path = Path("content/reminders")
    checkin: CheckinConfig = field(default_factory=CheckinConfig)
    outbox: Limits = field(default_factory=Limits)
    registration: RegistrationConfig = field(default_factory=RegistrationConfig)
    points: PointsConfig = field(default_factory=PointsConfig)
    reports: ReportsConfig = field(default_factory=ReportsConfig)
    telegram: TelegramConfig = field(default_factory=TelegramConfig)
    wecom: WeComConfig = field(default_factory=WeComConfig)
    path: Path | None = None

    @property
    def weekly_push(self) -> WeeklyTime:
        """When the current study item is pushed each week."""
        return self.schedule.weekly_push

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
    "wecom",
    "outbox",
    "registration",
    "checkin",
    "reports",
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


def parse_duration(value: str) -> int | None:
    """Minutes in '24h', '10m', '1h30m', '2d' or '1天'; None if it is not that shape."""
    text = value.strip().lower().replace(" ", "")
    parts = _DURATION.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    return sum(int(n) * _UNIT_MINUTES[u] for n, u in parts)


def parse_quiet(value: str) -> QuietHours | None:
    """Parse '22:00-07:00'; None if it is not that shape (or the span is empty)."""
    match = _SPAN.fullmatch(value.strip())
    if not match:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h1, m1) == (h2, m2):
        return None
    return QuietHours(time(h1, m1), time(h2, m2))


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
        ch,
        m,
        "content",
        ("study_dir", "quiz_dir", "orgs_file", "lectures_dir", "reminders_dir", "max_upload_bytes"),
    )
    cc = ch.child("content.")
    kwargs["study_dir"] = base / cc.text(content, "study_dir", "content/study")
    kwargs["quiz_dir"] = base / cc.text(content, "quiz_dir", "quizzes")
    kwargs["orgs_file"] = base / cc.text(content, "orgs_file", "content/orgs.yaml")
    kwargs["lectures_dir"] = base / cc.text(content, "lectures_dir", "content/lectures")
    kwargs["reminders_dir"] = base / cc.text(content, "reminders_dir", "content/reminders")
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

    kwargs["schedule"] = _schedule(ch, m)

    pts = _section(ch, m, "points", ("study", "correct", "quiz_pass", "daily_cap"))
    pc = ch.child("points.")
    kwargs["points"] = PointsConfig(
        study=pc.integer(pts, "study", 5, 0, 1000),
        correct=pc.integer(pts, "correct", 1, 0, 1000),
        quiz_pass=pc.integer(pts, "quiz_pass", 5, 0, 1000),
        daily_cap=pc.integer(pts, "daily_cap", 50, 0, 100000),
    )
    kwargs["telegram"] = _telegram(ch, m)
    kwargs["wecom"] = _wecom(ch, m)
    kwargs["outbox"] = _outbox(ch, m)
    kwargs["registration"] = _registration(ch, m)
    kwargs["checkin"] = _checkin(ch, m)
    kwargs["reports"] = _reports(ch, m)
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


def _wecom(ch: Checker, m: YMap) -> WeComConfig:
    """The wecom section: the API address, the callback listener and the send rates."""
    keys = ("api_base", "proxy", "listen", "callback_path", "cards", "outbox")
    wm = _section(ch, m, "wecom", keys)
    wc = ch.child("wecom.")
    listen = _section(wc, wm, "listen", ("host", "port"))
    lc = wc.child("listen.")
    ob = _section(wc, wm, "outbox", ("overall_per_second", "member_per_minute", "robot_per_minute"))
    oc = wc.child("outbox.")
    api_base = wc.text(wm, "api_base", WeComConfig.api_base).rstrip("/")
    if not api_base.startswith(("https://", "http://")):
        ch.report(wm.line_of("api_base"), "config.wecom_api_base", "wecom.api_base", value=api_base)
    proxy = wc.text(wm, "proxy", "").strip()
    if proxy and not proxy.startswith(("http://", "https://")):
        ch.report(wm.line_of("proxy"), "config.wecom_proxy", "wecom.proxy", value=proxy)
    path = "/" + wc.text(wm, "callback_path", WeComConfig.callback_path).strip("/")
    member = oc.integer(ob, "member_per_minute", 30, 1, 30)
    return WeComConfig(
        api_base=api_base,
        host=lc.text(listen, "host", "127.0.0.1"),
        port=lc.integer(listen, "port", 8080, 1, 65535),
        callback_path=path,
        cards=wc.boolean(wm, "cards", True),
        proxy=proxy,
        limits=Limits(
            overall_per_second=oc.integer(ob, "overall_per_second", 40, 1, 160),
            private_per_second=member,
            private_per_minute=member,
            group_per_minute=oc.integer(ob, "robot_per_minute", 20, 1, 20),
        ),
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


def _schedule(ch: Checker, m: YMap) -> ScheduleConfig:
    """The schedule section: every time and duration checked with its line."""
    keys = ("weekly_push", "lecture_reminders", "nudge_before", "grace", "quiet_hours", "morning")
    sched = _section(ch, m, "schedule", keys)
    sc = ch.child("schedule.")
    default = ScheduleConfig()
    raw = sc.text(sched, "weekly_push", "Monday 08:00")
    weekly = parse_weekly(raw)
    if weekly is None:
        ch.report(
            sched.line_of("weekly_push"), "config.bad_weekly", "schedule.weekly_push", value=raw
        )
    offsets = default.lecture_reminders
    if sched.get("lecture_reminders") is not None:
        given = sc.string_list(sched, "lecture_reminders", scalar_ok=False)
        parsed = [parse_duration(x) for x in given]
        for i, (text, minutes) in enumerate(zip(given, parsed, strict=True)):
            if minutes is None or minutes > 30 * 1440:
                line = sched["lecture_reminders"].line_of(i)
                name = f"schedule.lecture_reminders[{i + 1}]"
                ch.report(line, "config.bad_duration", name, value=text)
        offsets = tuple(sorted({x for x in parsed if x}, reverse=True))

    def duration(key: str, default_minutes: int, low: int, high: int) -> int:
        text = sc.text(sched, key, "", allow_empty=True)
        if not text:
            return default_minutes
        minutes = parse_duration(text)
        if minutes is None or not low <= minutes <= high:
            ch.report(sched.line_of(key), "config.bad_duration", f"schedule.{key}", value=text)
            return default_minutes
        return minutes

    nudge = duration("nudge_before", default.nudge_before, 1, 30 * 1440)
    grace = duration("grace", default.grace, 0, 7 * 1440)
    quiet: QuietHours | None = default.quiet_hours
    # YAML reads a bare `off` as false.
    text = "off" if sched.get("quiet_hours") is False else ""
    text = text or sc.text(sched, "quiet_hours", "", allow_empty=True)
    if text.lower() in OFF_WORDS:
        quiet = None
    elif text:
        quiet = parse_quiet(text)
        if quiet is None:
            line = sched.line_of("quiet_hours")
            ch.report(line, "config.bad_quiet", "schedule.quiet_hours", value=text)
    morning = default.morning
    # An unquoted 08:00 is a YAML 1.1 base-60 number: read the text as written.
    if isinstance(sched.get("morning"), int):
        text = sched.raw.get("morning", "")
    else:
        text = sc.text(sched, "morning", "", allow_empty=True)
    if text:
        match = re.fullmatch(_CLOCK, text.strip())
        if match and int(match[1]) < 24 and int(match[2]) < 60:
            morning = time(int(match[1]), int(match[2]))
        else:
            ch.report(sched.line_of("morning"), "config.bad_time", "schedule.morning", value=text)
    return ScheduleConfig(weekly or default.weekly_push, offsets, nudge, grace, quiet, morning)


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


def _reports(ch: Checker, m: YMap) -> ReportsConfig:
    """Card thresholds (0..100, gold > yellow > red), the prior and the weights."""
    keys = ("gold", "yellow", "red", "prior_people", "weights", "weekly_post")
    rp = _section(ch, m, "reports", keys)
    rc = ch.child("reports.")
    default = ReportsConfig()
    raw = rc.text(rp, "weekly_post", "Monday 09:00")
    weekly = parse_weekly(raw)
    if weekly is None:
        ch.report(rp.line_of("weekly_post"), "config.bad_weekly", "reports.weekly_post", value=raw)
    gold = _number(rc, rp, "gold", default.gold, 0, 100)
    yellow = _number(rc, rp, "yellow", default.yellow, 0, 100)
    red = _number(rc, rp, "red", default.red, 0, 100)
    values = {"gold": gold, "yellow": yellow, "red": red}
    if not gold > yellow:
        ch.report(rp.line_of("yellow"), "report.card_order", "reports.yellow", **values)
    elif not yellow > red:
        ch.report(rp.line_of("red"), "report.card_order", "reports.red", **values)
    wm = _section(rc, rp, "weights", ("study", "quiz", "attendance"))
    wc = rc.child("weights.")
    weights = ReportWeights(
        study=_number(wc, wm, "study", 1.0, 0, 100),
        quiz=_number(wc, wm, "quiz", 1.0, 0, 100),
        attendance=_number(wc, wm, "attendance", 1.0, 0, 100),
    )
    if not (weights.study or weights.quiz or weights.attendance):
        ch.report(rp.line_of("weights"), "report.no_weights", "reports.weights")
    return ReportsConfig(
        gold=gold,
        yellow=yellow,
        red=red,
        prior_people=rc.integer(rp, "prior_people", default.prior_people, 0, 1_000_000),
        weights=weights,
        weekly_post=weekly or default.weekly_post,
    )


def _number(ch: Checker, m: YMap, key: str, default: float, low: float, high: float) -> float:
    """A whole or decimal number within [low, high] (true/false is not a number)."""
    if key not in m:
        return default
    if isinstance(m[key], bool) or not isinstance(m[key], int | float):
        return ch.get(m, key, float, default)  # reports the wrong type
    value = m[key]
    if not low <= value <= high:
        ch.report(m.line_of(key), "field.range", ch.name(key), value=value, low=low, high=high)
        return default
    return value


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
