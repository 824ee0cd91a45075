"""Lecture halls (大讲堂): /lectures, check-in by button, code or location, /code for hosts,
/leave with an admin's decision, and /roll for the live and final figures."""

from __future__ import annotations

from bot.content.models import Lecture, Venue
from bot.core.i18n import t
from bot.core.limits import MAX_MESSAGE_CHARS
from bot.core.messages import LOCATION, Button, Outgoing
from bot.core.router import Router
from bot.domain.attendance import (
    ABSENT,
    EXCUSED,
    LATE,
    MADE_UP,
    NOT_YET,
    PRESENT,
    CheckIn,
    LeaveRequest,
    Tally,
)
from bot.handlers.context import Context
from bot.handlers.render import clip

REASONS = ("work", "sick", "personal", "training")  # 工作冲突, 病假, 事假, 外出培训
MAX_LISTED = 8


def register(router: Router) -> None:
    """Add this module's handlers to the router."""
    router.command("lectures")(lectures)
    router.action("lec")(lectures)
    router.command("checkin")(checkin)
    router.action("ci")(checkin_button)
    router.event(LOCATION)(location)
    router.command("code")(code)
    router.action("cd")(code_button)
    router.command("leave")(leave)
    router.action("lv")(leave_button)
    router.action("lva")(decide_leave)
    router.command("roll")(roll)
    router.keyword("/checkin", "签到")
    router.keyword("/lectures", "大讲堂", "讲堂", "讲座")


def _when(ctx: Context, lecture: Lecture) -> str:
    return lecture.start.strftime("%m-%d %H:%M")


async def lectures(ctx: Context, _: str) -> list[Outgoing]:
    """Current and upcoming sessions for the person, with check-in and leave buttons."""
    att = ctx.services.attendance
    mine = [s for s in att.upcoming() if att.expects(s, ctx.person)][:MAX_LISTED]
    if not mine:
        return [Outgoing(ctx.t("lectures.none"))]
    now = ctx.services.clock.now()
    lines, rows = [ctx.t("lectures.head")], []
    for s in mine:
        window = att.window(s)
        standing = await att.status_of(s, ctx.person)
        state = _state(ctx, s, standing.status if standing else NOT_YET, window, now)
        lines.append(ctx.t("lectures.line", when=_when(ctx, s), title=s.title, speaker=s.speaker,
                           minutes=s.duration, state=state))  # fmt: skip
        if s.live_url:
            lines.append(ctx.t("lectures.live", url=s.live_url))
        if standing and standing.status == NOT_YET and window.opens <= now < window.closes:
            rows.append([Button(ctx.t("btn.checkin", title=s.title[:20]), f"ci:{s.id}")])
        elif standing and standing.status == NOT_YET and now < window.start:
            rows.append([Button(ctx.t("btn.leave", title=s.title[:20]), f"lv:{s.id}")])
    return [Outgoing(clip("\n".join(lines), MAX_MESSAGE_CHARS), rows=rows)]


def _state(ctx: Context, lecture: Lecture, status: str, window, now) -> str:
    tz = ctx.services.config.tz
    if status in (PRESENT, LATE, EXCUSED, MADE_UP, ABSENT):
        return ctx.t(f"attendance.{status}")
    if now < window.opens:
        return ctx.t("lectures.opens_at", at=window.opens.astimezone(tz).strftime("%H:%M"))
    if now < window.closes:
        return ctx.t("lectures.open_now")
    return ctx.t("lectures.in_progress")


async def checkin(ctx: Context, arg: str) -> list[Outgoing]:
    """/checkin CODE at a venue; /checkin alone lists the open sessions with buttons."""
    att = ctx.services.attendance
    code = arg.strip()
    if code:
        matches = await att.by_code(ctx.person, code)
        if not matches:
            return [Outgoing(ctx.t("checkin.bad_code"))]
        lecture, venue = matches[0]
        return [_checked(ctx, await att.check_in(ctx.person, lecture, "code", venue.id))]
    open_ = [s for s in att.open_now() if att.expects(s, ctx.person)]
    if not open_:
        return await _none_open(ctx)
    rows = [[Button(ctx.t("btn.checkin", title=s.title[:20]), f"ci:{s.id}")] for s in open_]
    replies = [Outgoing(ctx.t("checkin.pick"), rows=rows)]
    if any(v.radius for s in open_ for v in s.venues):  # at a venue, one tap shares where
        replies.append(Outgoing(ctx.t("checkin.at_venue"), ask_location=ctx.t("btn.location")))
    return replies


async def _none_open(ctx: Context) -> list[Outgoing]:
    att = ctx.services.attendance
    nxt = [s for s in att.upcoming(30) if att.expects(s, ctx.person)]
    if not nxt:
        return [Outgoing(ctx.t("checkin.none_open"))]
    opens = att.window(nxt[0]).opens.astimezone(ctx.services.config.tz)
    return [Outgoing(ctx.t("checkin.next", title=nxt[0].title,
                           at=opens.strftime("%m-%d %H:%M")))]  # fmt: skip


async def checkin_button(ctx: Context, session_id: str) -> list[Outgoing]:
    """The 签到 button: check in online to that session."""
    lecture = ctx.services.pack.lectures.get(session_id)
    if lecture is None:
        return [Outgoing(ctx.t("lectures.unknown", text=session_id), notice=True)]
    result = await ctx.services.attendance.check_in(ctx.person, lecture, "button")
    return [_checked(ctx, result)]


async def location(ctx: Context, _: str) -> list[Outgoing]:
    """A shared location inside a venue's radius checks in there."""
    where = ctx.event.location
    if where is None or ctx.event.is_group:
        return []
    att = ctx.services.attendance
    matches = att.near(ctx.person, *where)
    if not matches:
        return [Outgoing(ctx.t("checkin.not_near"))]
    lecture, venue = matches[0]
    return [_checked(ctx, await att.check_in(ctx.person, lecture, "location", venue.id))]


def _checked(ctx: Context, result: CheckIn) -> Outgoing:
    """The reply to a check-in, whichever way it came."""
    tz = ctx.services.config.tz
    lecture, window = result.lecture, result.window
    venue = _venue_name(ctx, lecture, result.venue_id)
    if result.status in (PRESENT, LATE):
        at = result.at.astimezone(tz).strftime("%H:%M:%S") if result.at else ""
        text = ctx.t(f"checkin.{result.status}", title=lecture.title, at=at, venue=venue)
        return Outgoing(text, drop_keyboard=True)
    if result.status == "already":
        at = result.at.astimezone(tz).strftime("%H:%M:%S") if result.at else ""
        return Outgoing(ctx.t("checkin.already", title=lecture.title, at=at, venue=venue))
    if result.status == "not_open" and window is not None:
        at = window.opens.astimezone(tz).strftime("%m-%d %H:%M")
        return Outgoing(ctx.t("checkin.not_open", title=lecture.title, at=at))
    if result.status == "closed" and window is not None:
        at = window.closes.astimezone(tz).strftime("%H:%M")
        return Outgoing(ctx.t("checkin.closed", title=lecture.title, at=at))
    return Outgoing(ctx.t("checkin.not_expected", title=lecture.title))


def _venue_name(ctx: Context, lecture: Lecture, venue_id: str) -> str:
    venue = lecture.venue(venue_id)
    return venue.name if venue else ctx.t("venue.online")


async def code(ctx: Context, arg: str) -> list[Outgoing]:
    """A host or admin asks for a venue's current code: /code <lecture> <venue>."""
    parts = arg.split()
    if len(parts) != 2:
        return [Outgoing(ctx.t("code.usage"))]
    att = ctx.services.attendance
    lecture = att.lecture(parts[0])
    if lecture is None:
        return [Outgoing(ctx.t("lectures.unknown", text=parts[0]))]
    venue = _find_venue(lecture, parts[1])
    if venue is None:
        venues = "、".join(f"{v.id}（{v.name}）" for v in lecture.venues)
        return [Outgoing(ctx.t("code.unknown_venue", text=parts[1], venues=venues))]
    scope = await ctx.scope()
    units = [venue.unit] if venue.unit else list(lecture.audience)
    if not any(scope.hosts(None if u == "all" else u) for u in units):
        return [Outgoing(ctx.t("code.hosts_only"))]
    value, left = await att.code(lecture, venue)
    await ctx.services.audit.note(ctx.actor, "code.show", lecture.id, venue=venue.id)
    return [Outgoing(ctx.t("code.show", title=lecture.title, venue=venue.name, code=value,
                           seconds=left))]  # fmt: skip


async def code_button(ctx: Context, arg: str) -> list[Outgoing]:
    """cd:<session>:<venue>, from the prompt hosts get when check-in opens."""
    session_id, _, venue_id = arg.partition(":")
    return await code(ctx, f"{session_id} {venue_id}")


def _find_venue(lecture: Lecture, text: str) -> Venue | None:
    return next((v for v in lecture.venues if text in (v.id, v.name)), None)


async def leave(ctx: Context, _: str) -> list[Outgoing]:
    """Ask for leave: pick a session that has not started."""
    att = ctx.services.attendance
    now = ctx.services.clock.now()
    ahead = [
        s for s in att.upcoming(30) if att.expects(s, ctx.person) and now < att.window(s).start
    ][:MAX_LISTED]
    if not ahead:
        return [Outgoing(ctx.t("leave.none"))]
    rows = [[Button(f"{_when(ctx, s)} {s.title[:20]}", f"lv:{s.id}")] for s in ahead]
    return [Outgoing(ctx.t("leave.pick"), rows=rows)]


async def leave_button(ctx: Context, arg: str) -> list[Outgoing]:
    """lv:<session> asks for the reason; lv:<session>:<reason> sends the request."""
    session_id, _, reason = arg.partition(":")
    lecture = ctx.services.pack.lectures.get(session_id)
    if lecture is None:
        return [Outgoing(ctx.t("lectures.unknown", text=session_id), notice=True)]
    if reason not in REASONS:
        rows = [[Button(ctx.t(f"leave.reason_{r}"), f"lv:{session_id}:{r}") for r in REASONS]]
        return [Outgoing(ctx.t("leave.why", title=lecture.title), rows=rows, edit=True)]
    services = ctx.services
    admins = await services.access.admin_chats(ctx.person.unit_id or "")
    locale = services.config.locale
    who = ctx.person.display_name
    unit = services.orgs.full_name(ctx.person.unit_id or "")

    def notify(request: LeaveRequest) -> Outgoing:
        text = t(
            "leave.ask_admin",
            locale,
            name=who,
            unit=unit,
            title=lecture.title,
            when=_when(ctx, lecture),
            reason=t(f"leave.reason_{request.reason}", locale),
        )
        rows = [
            [
                Button(t("btn.approve", locale), f"lva:ok:{request.id}"),
                Button(t("btn.reject", locale), f"lva:no:{request.id}"),
            ]
        ]
        return Outgoing(text, rows=rows)  # fmt: skip

    status, _request = await services.attendance.ask_leave(
        ctx.person, lecture, reason, notify, admins
    )
    return [Outgoing(ctx.t(f"leave.{status}", title=lecture.title), edit=True)]


async def decide_leave(ctx: Context, arg: str) -> list[Outgoing]:
    """An admin approves (lva:ok:<id>) or rejects (lva:no:<id>) a leave request."""
    verdict, _, leave_id = arg.partition(":")
    if verdict not in ("ok", "no") or not leave_id.isdigit():
        return [Outgoing(ctx.t("error.unknown_action"), notice=True)]
    scope = await ctx.scope()
    if not scope.is_admin:
        return [Outgoing(ctx.t("admin.only"), notice=True)]
    services = ctx.services
    locale = services.config.locale

    def tell(request: LeaveRequest, approved: bool) -> Outgoing:
        lecture = services.pack.lectures.get(request.session_id)
        title = lecture.title if lecture else request.session_id
        key = "leave.approved" if approved else "leave.rejected"
        return Outgoing(t(key, locale, title=title))

    status, request = await services.attendance.decide_leave(
        scope, ctx.actor, int(leave_id), verdict == "ok", tell
    )
    if status in ("not_found", "out_of_scope") or request is None:
        return [Outgoing(ctx.t(f"leave.{status}"), notice=True)]
    if status == "already":
        return [Outgoing(ctx.t("leave.decided_before", by=request.decided_by or ""), notice=True)]
    key = "leave.decided_ok" if verdict == "ok" else "leave.decided_no"
    return [Outgoing(ctx.t(key), edit=True)]


async def roll(ctx: Context, arg: str) -> list[Outgoing]:
    """/roll <lecture>: 应到/实到/迟到/请假/缺席/补学 with rates, per venue and per unit."""
    scope = await ctx.scope()
    if not scope.is_admin:
        return [Outgoing(ctx.t("admin.only"))]
    if not arg.strip():
        return [Outgoing(ctx.t("roll.usage"))]
    lecture = ctx.services.attendance.lecture(arg)
    if lecture is None:
        return [Outgoing(ctx.t("lectures.unknown", text=arg.strip()))]
    r = await ctx.services.attendance.rollup(lecture, scope)
    orgs = ctx.services.orgs
    head = "roll.head_live" if r.live else "roll.head"
    lines = [ctx.t(head, title=lecture.title, when=_when(ctx, lecture)), _figures(ctx, r.total)]
    if r.venues:
        lines.append(ctx.t("roll.by_venue"))
        for venue_id, count in sorted(r.venues.items(), key=lambda kv: -kv[1]):
            lines.append(f"• {_venue_name(ctx, lecture, venue_id)}：{count}")
    if len(r.units) > 1:
        lines.append(ctx.t("roll.by_unit"))
        for unit_id, tally in r.units.items():
            name = orgs.units[unit_id].name if unit_id in orgs.units else "—"
            lines.append(f"• {name}：" + _figures(ctx, tally, short=True))
    return [Outgoing(clip("\n".join(lines), MAX_MESSAGE_CHARS))]


def _figures(ctx: Context, tally: Tally, short: bool = False) -> str:
    c = tally.counts
    key = "roll.short" if short else "roll.figures"
    return ctx.t(
        key,
        expected=tally.expected,
        attended=tally.attended,
        rate=f"{tally.rate(tally.attended):.0%}",
        late=c[LATE],
        excused=c[EXCUSED],
        absent=c[ABSENT],
        not_yet=c[NOT_YET],
        made_up=c[MADE_UP],
    )
