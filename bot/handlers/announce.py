"""/announce: an administrator drafts a notice, sets it up with buttons (groups, people,
pin, a file, a time), previews whom it reaches, and sends it; the delivery report follows."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.core.messages import Button, Outgoing
from bot.core.router import Router
from bot.domain.announcements import (
    CANCELLED,
    DRAFT,
    MAX_FILE_BYTES,
    QUEUED,
    SCHEDULED,
    Announcement,
    Refused,
    attachment_for,
    file_problem,
    report_text,
)
from bot.handlers.context import Context
from bot.handlers.render import clip

SCHEDULE_WORDS = ("定时", "at")


def register(router: Router) -> None:
    """Add this module's handlers to the router."""
    router.command("announce")(announce)
    router.action("an")(button)
    router.keyword("/announce", "发通知", "发布通知")


async def announce(ctx: Context, arg: str) -> list[Outgoing]:
    """/announce TEXT drafts a notice; /announce alone shows the open draft or the usage;
    /announce 定时 2026-11-25 09:00 sets the draft's time; /announce list the last ones."""
    scope = await ctx.scope()
    if not scope.is_admin:
        return [Outgoing(ctx.t("admin.only"))]
    svc = ctx.services.announcements
    words = arg.split(maxsplit=1)
    if not arg.strip():
        draft = await svc.open_draft(ctx.actor)
        return [await preview(ctx, draft)] if draft else [Outgoing(ctx.t("announce.usage"))]
    if words[0].lower() in ("list", "列表", "记录"):
        return [await listing(ctx)]
    if words[0].lower() in SCHEDULE_WORDS and len(words) == 2:
        moment = parse_moment(words[1], ctx)
        draft = await svc.open_draft(ctx.actor)
        if moment is not None and draft is not None:
            return await _set_time(ctx, draft, moment)
    # A unit admin's notice is signed with their unit (and reaches its subtree).
    root = scope.admin_units[0] if not scope.superadmin and len(scope.admin_units) == 1 else None
    report_to = f"{ctx.event.channel}:{ctx.event.chat_ref}"
    try:
        draft = await svc.draft(ctx.actor, report_to, arg.strip(), root)
    except Refused as no:
        return [Outgoing(ctx.t(no.key, **no.params))]
    return [await preview(ctx, draft)]


def parse_moment(text: str, ctx: Context) -> datetime | None:
    """A local time like 2026-11-25 09:00 (or 2026-11-25T09:00) as an aware datetime."""
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        return None
    tz = ctx.services.config.tz
    return moment if moment.tzinfo else moment.replace(tzinfo=tz)


async def preview(ctx: Context, ann: Announcement, edit: bool = False) -> Outgoing:
    """The draft as people will see it, whom it reaches, and the buttons to change it."""
    svc = ctx.services.announcements
    scope = await ctx.scope()
    audience = await svc.audience(ann, scope)
    msg = svc.message(ann)
    lines = [ctx.t("announce.preview", id=ann.id), "────────", msg.text, "────────"]
    if ann.file_name:
        lines.append(ctx.t("announce.file", name=ann.file_name))
    lines.append(ctx.t("announce.reach", groups=len(audience.groups), people=audience.person_count))
    if ann.to_groups and audience.groups:
        names = ctx.t("list.sep").join(g.title for g in audience.groups[:8])
        more = ctx.t("report.and_more", count=len(audience.groups) - 8)
        lines.append(
            ctx.t("announce.groups", names=names + (more if len(audience.groups) > 8 else ""))
        )
    lines.append(ctx.t("announce.when", when=_when(ctx, ann)))
    if ann.awaiting_file:
        lines += ["", ctx.t("announce.send_file", limit=MAX_FILE_BYTES // (1024 * 1024))]
    return Outgoing(clip("\n".join(lines), 4000), rows=_buttons(ctx, ann), edit=edit)


def _when(ctx: Context, ann: Announcement) -> str:
    if ann.send_at is None:
        return ctx.t("announce.now")
    return f"{ann.send_at.astimezone(ctx.services.config.tz):%Y-%m-%d %H:%M}"


def _tick(ctx: Context, on: bool, key: str) -> str:
    return ("✅ " if on else "⬜ ") + ctx.t(key)


def _buttons(ctx: Context, ann: Announcement) -> list[list[Button]]:
    a = f"an:{ann.id}"
    targets = [
        Button(_tick(ctx, ann.to_groups, "btn.announce_groups"), f"{a}:groups"),
        Button(_tick(ctx, ann.to_people, "btn.announce_people"), f"{a}:people"),
    ]
    if ctx.can("pin"):
        targets.append(Button(_tick(ctx, ann.pin, "btn.announce_pin"), f"{a}:pin"))
    extras = [Button(ctx.t("btn.announce_time"), f"{a}:when")]
    if ctx.can("upload"):
        extras.insert(0, Button(ctx.t("btn.announce_file"), f"{a}:file"))
    return [
        targets,
        extras,
        [
            Button(ctx.t("btn.announce_send"), f"{a}:send"),
            Button(ctx.t("btn.announce_cancel"), f"{a}:cancel"),
        ],
    ]


def presets(now: datetime) -> list[datetime]:
    """Sending times offered as buttons: tonight 20:00, tomorrow 08:00 and 09:00, next
    Monday 09:00 (those still ahead)."""
    today = now.date()
    tomorrow = today + timedelta(days=1)
    monday = today + timedelta(days=7 - today.weekday())
    wanted = [(today, time(20)), (tomorrow, time(8)), (tomorrow, time(9)), (monday, time(9))]
    moments = [datetime.combine(d, t, now.tzinfo) for d, t in wanted]
    return sorted({m for m in moments if m > now})


async def button(ctx: Context, payload: str) -> list[Outgoing]:
    """The draft's buttons: toggles, file, time, send, cancel and the delivery report."""
    scope = await ctx.scope()
    if not scope.is_admin:
        return [Outgoing(ctx.t("admin.only"))]
    svc = ctx.services.announcements
    ident, _, rest = payload.partition(":")
    what, _, value = rest.partition(":")
    ann = await svc.get(int(ident)) if ident.isdigit() else None
    if ann is None or ann.actor != ctx.actor:
        return [Outgoing(ctx.t("error.unknown_action"), notice=True)]
    try:
        if what == "report":
            return [await _report(ctx, ann)]
        if ann.status != DRAFT and what != "cancel":
            return [Outgoing(ctx.t(f"announce.already_{ann.status}"), notice=True)]
        if what in ("groups", "people", "pin"):
            field = {"groups": "to_groups", "people": "to_people", "pin": "pin"}[what]
            ann = await svc.change(ann.id, ctx.actor, **{field: not getattr(ann, field)})
            return [await preview(ctx, ann, edit=True)]
        if what == "file":
            ann = await svc.change(ann.id, ctx.actor, awaiting_file=True)
            return [await preview(ctx, ann, edit=True)]
        if what == "when":
            return [_time_menu(ctx, ann)]
        if what == "at":
            moment = None
            if value != "now":
                moment = datetime.strptime(value, "%Y%m%d%H%M").replace(
                    tzinfo=ctx.services.config.tz
                )
            return await _set_time(ctx, ann, moment, edit=True)
        if what == "send":
            return [await _send(ctx, ann)]
        if what == "cancel":
            ann = await svc.cancel(ann.id, ctx.actor)
            return [Outgoing(ctx.t("announce.cancelled", id=ann.id), edit=True)]
    except Refused as no:
        return [Outgoing(ctx.t(no.key, **no.params), notice=True)]
    return [Outgoing(ctx.t("error.unknown_action"), notice=True)]


def _time_menu(ctx: Context, ann: Announcement) -> Outgoing:
    """Preset sending times as buttons, and how to type another."""
    now = ctx.services.clock.now().astimezone(ctx.services.config.tz)
    choices = [Button(ctx.t("announce.now"), f"an:{ann.id}:at:now")]
    choices += [Button(f"{m:%m-%d %H:%M}", f"an:{ann.id}:at:{m:%Y%m%d%H%M}") for m in presets(now)]
    rows = [choices[i : i + 3] for i in range(0, len(choices), 3)]
    return Outgoing(ctx.t("announce.time_menu"), rows=rows, edit=True)


async def _set_time(
    ctx: Context, ann: Announcement, moment: datetime | None, edit: bool = False
) -> list[Outgoing]:
    if moment is not None and moment <= ctx.services.clock.now():
        return [Outgoing(ctx.t("announce.past"))]
    ann = await ctx.services.announcements.change(ann.id, ctx.actor, send_at=moment)
    return [await preview(ctx, ann, edit=edit)]


async def _send(ctx: Context, ann: Announcement) -> Outgoing:
    """Queue or schedule the draft (once, whatever the taps)."""
    svc = ctx.services.announcements
    scope = await ctx.scope()
    audience = await svc.audience(ann, scope)
    ann = await svc.confirm(ann.id, ctx.actor, scope)
    report = [[Button(ctx.t("btn.announce_report"), f"an:{ann.id}:report")]]
    if ann.status == SCHEDULED:
        cancel = [[Button(ctx.t("btn.announce_unschedule"), f"an:{ann.id}:cancel")]]
        text = ctx.t("announce.scheduled", id=ann.id, when=_when(ctx, ann),
                     groups=len(audience.groups), people=audience.person_count)  # fmt: skip
        return Outgoing(text, rows=cancel, edit=True)
    text = ctx.t("announce.queued", id=ann.id, groups=len(audience.groups),
                 people=audience.person_count)  # fmt: skip
    return Outgoing(text, rows=report, edit=True)


async def _report(ctx: Context, ann: Announcement) -> Outgoing:
    """Where an announcement stands, per group and per person."""
    if ann.status in (DRAFT, SCHEDULED, CANCELLED):
        return Outgoing(ctx.t(f"announce.already_{ann.status}"), notice=True)
    found = await ctx.services.announcements.report(ann.id)
    if found is None:
        return Outgoing(ctx.t("announce.already_draft"), notice=True)
    text = report_text(found, ctx.services.orgs, ctx.locale)
    return Outgoing(clip(text, 4000), rows=[[Button(ctx.t("btn.refresh"), f"an:{ann.id}:report")]])


async def listing(ctx: Context) -> Outgoing:
    """The admin's last announcements with their state and report buttons."""
    found = await ctx.services.announcements.recent(ctx.actor)
    if not found:
        return Outgoing(ctx.t("announce.none"))
    lines = [ctx.t("announce.list_title")]
    rows = []
    for ann in found:
        state = ctx.t(f"announce.state_{ann.status}")
        lines.append(f"#{ann.id} {state} · {clip(ann.text.splitlines()[0], 30)}")
        if ann.status == QUEUED:
            rows.append([Button(f"📋 #{ann.id}", f"an:{ann.id}:report")])
        elif ann.status == SCHEDULED:
            rows.append([Button(f"✖ #{ann.id} {_when(ctx, ann)}", f"an:{ann.id}:cancel")])
    return Outgoing("\n".join(lines), rows=rows)


async def take_file(ctx: Context, ann: Announcement) -> list[Outgoing]:
    """A file sent while a draft waits for one becomes its attachment (checked first)."""
    sent = ctx.event.upload
    if sent is None:
        return []
    problem = file_problem(sent.name, sent.size)
    if problem is None:
        data = await sent.fetch()
        problem = file_problem(sent.name, len(data))  # the size announced may be wrong
    if problem is not None:
        return [Outgoing(ctx.t(problem[0], **problem[1]))]
    try:
        ann = await ctx.services.announcements.attach(
            ann.id, ctx.actor, attachment_for(sent.name, data)
        )
    except Refused as no:
        return [Outgoing(ctx.t(no.key, **no.params))]
    return [await preview(ctx, ann)]
