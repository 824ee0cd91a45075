"""Admin content uploads: a YAML file sent in a private chat, previewed, then published."""

from __future__ import annotations

from datetime import date, timedelta

from bot.content.models import Publish, QuizBank, monday_of
from bot.content.roster import looks_like_roster
from bot.core.limits import MAX_MESSAGE_CHARS
from bot.core.messages import UPLOAD, Button, Outgoing
from bot.core.router import Router
from bot.domain.access import Scope
from bot.domain.publishing import Preview, Publishing, kind_of
from bot.domain.roster import RosterPreview
from bot.domain.staging import ROSTER, Change, PackDiff, Refused
from bot.handlers.announce import take_file
from bot.handlers.context import Context
from bot.handlers.render import clip

MAX_PROBLEMS = 20  # the rest is summed up: one message must hold them


def register(router: Router) -> None:
    """Add this module's handlers to the router."""
    router.event(UPLOAD)(upload)
    router.action("pub")(publish)
    router.action("pubx")(cancel)


async def upload(ctx: Context, _: str) -> list[Outgoing]:
    """Check a file an admin sent and show what publishing it would change: content for
    superadmins, a roster (CSV, or YAML with `people:`) for any admin within scope."""
    sent = ctx.event.upload
    scope = await ctx.scope()
    if ctx.event.is_group:
        # Files are shared in groups all the time; only an admin gets a pointer.
        return [Outgoing(ctx.t("upload.private_only"))] if scope.is_admin else []
    if not scope.is_admin:
        return [Outgoing(ctx.t("upload.admin_only"))]
    if sent is None:
        return []
    waiting = await ctx.services.announcements.awaiting_file(ctx.actor)
    if waiting is not None and not sent.name.lower().endswith((".yaml", ".yml")):
        # The admin asked to attach a file to a notice (content files still publish).
        return await take_file(ctx, waiting)
    publishing = _publishing(ctx)
    try:
        name, data = await publishing.receive(sent)
        if looks_like_roster(name, data):
            return [await _roster_preview(ctx, await ctx.services.roster.stage(
                ctx.actor, name, data, scope))]  # fmt: skip
        if not scope.superadmin:
            return [Outgoing(ctx.t("upload.content_superadmin"))]
        preview = await publishing.stage(ctx.actor, name, data, ctx.services.pack)
    except Refused as refusal:
        return [Outgoing(_refusal(ctx, refusal))]
    if preview.upload_id is None:
        return [Outgoing(ctx.t("upload.identical", name=preview.name))]
    kind = ctx.t(f"upload.kind_{preview.kind}")
    lines = [ctx.t("upload.preview", name=preview.name, kind=kind), *_changes(ctx, preview.diff)]
    lines += ["", ctx.t("upload.confirm")]
    return [Outgoing(clip("\n".join(lines), MAX_MESSAGE_CHARS), rows=[_buttons(ctx, preview)])]


async def _roster_preview(ctx: Context, preview: RosterPreview) -> Outgoing:
    """What importing a roster would do, with publish and cancel buttons."""
    counts = preview.counts.describe(ctx.locale)
    text = ctx.t("upload.roster_preview", name=preview.name, counts=counts)
    return Outgoing(text, rows=[_buttons(ctx, preview)])


def _buttons(ctx: Context, preview: Preview | RosterPreview) -> list[Button]:
    return [
        Button(ctx.t("btn.publish"), f"pub:{preview.upload_id}"),
        Button(ctx.t("btn.cancel_upload"), f"pubx:{preview.upload_id}"),
    ]


async def publish(ctx: Context, arg: str) -> list[Outgoing]:
    """Publish a pending upload (once), if it still fits the content as it is now."""
    scope = await ctx.scope()
    if not scope.is_admin or not arg.isdigit():
        return [_not_allowed(ctx, scope.is_admin)]
    found = await kind_of(ctx.services.store, int(arg))
    if found is not None and found[1] != ctx.actor and not scope.superadmin:
        return [_not_allowed(ctx, False)]  # another admin's upload is theirs to decide
    if found is not None and found[0] == ROSTER:
        return await _publish_roster(ctx, int(arg), scope)
    if not scope.superadmin:
        return [Outgoing(ctx.t("upload.content_superadmin"), notice=True)]
    try:
        outcome = await _publishing(ctx).publish(int(arg), ctx.actor, ctx.services.pack)
    except Refused as refusal:
        head = ctx.t("upload.publish_refused", name=refusal.params.get("name", ""))
        return [Outgoing(_refusal(ctx, refusal, head))]
    if not outcome.done:
        return [_decided_before(ctx, outcome.name, outcome.status)]
    assert outcome.pack is not None
    ctx.services.use_pack(outcome.pack)
    lines = [ctx.t("upload.published", name=outcome.name), *_changes(ctx, outcome.diff)]
    return [Outgoing(clip("\n".join(lines), MAX_MESSAGE_CHARS), edit=True)]


async def _publish_roster(ctx: Context, upload_id: int, scope: Scope) -> list[Outgoing]:
    try:
        outcome = await ctx.services.roster.publish(upload_id, ctx.actor, scope)
    except Refused as refusal:
        head = ctx.t("upload.publish_refused", name=refusal.params.get("name", ""))
        return [Outgoing(_refusal(ctx, refusal, head))]
    if not outcome.done or outcome.counts is None:
        return [_decided_before(ctx, outcome.name, outcome.status)]
    counts = outcome.counts.describe(ctx.locale)
    return [Outgoing(ctx.t("upload.roster_done", name=outcome.name, counts=counts), edit=True)]


async def cancel(ctx: Context, arg: str) -> list[Outgoing]:
    """Drop a pending upload."""
    scope = await ctx.scope()
    if not scope.is_admin or not arg.isdigit():
        return [_not_allowed(ctx, scope.is_admin)]
    found = await kind_of(ctx.services.store, int(arg))
    if found is not None and found[1] != ctx.actor and not scope.superadmin:
        return [_not_allowed(ctx, False)]
    outcome = await _publishing(ctx).cancel(int(arg), ctx.actor)
    if not outcome.done:
        return [_decided_before(ctx, outcome.name, outcome.status)]
    return [Outgoing(ctx.t("upload.cancelled", name=outcome.name), edit=True)]


def _publishing(ctx: Context) -> Publishing:
    s = ctx.services
    return Publishing(s.config, s.clock, s.store, s.audit)


def _not_allowed(ctx: Context, is_admin: bool) -> Outgoing:
    key = "upload.admin_only" if not is_admin else "error.unknown_action"
    return Outgoing(ctx.t(key), notice=True)


def _decided_before(ctx: Context, name: str, status: str) -> Outgoing:
    """A toast for a second tap: the upload is already published or cancelled, or gone."""
    key = f"upload.already_{status}" if name else "upload.not_found"
    return Outgoing(ctx.t(key), notice=True)


def _refusal(ctx: Context, refusal: Refused, head: str = "") -> str:
    """Why an upload was refused, with its first problems as `file:line: field: message`."""
    lines = [head] if head else []
    lines.append(ctx.t(refusal.key, **refusal.params))
    lines += [p.render(ctx.locale) for p in refusal.problems[:MAX_PROBLEMS]]
    if len(refusal.problems) > MAX_PROBLEMS:
        lines.append(ctx.t("upload.more", count=len(refusal.problems) - MAX_PROBLEMS))
    return clip("\n".join(lines), MAX_MESSAGE_CHARS)


def _changes(ctx: Context, diff: PackDiff) -> list[str]:
    """New, changed and removed items and banks, one line each under a heading."""
    if not diff:
        return [ctx.t("upload.no_change")]
    today = ctx.services.study.today()
    lines: list[str] = []
    for heading, changes in (
        ("upload.new", diff.new),
        ("upload.changed", diff.changed),
        ("upload.removed", diff.removed),
    ):
        if changes:
            lines.append(ctx.t(heading))
            lines += [_change(ctx, c, today, heading == "upload.removed") for c in changes]
    return lines


def _change(ctx: Context, change: Change, today: date, removed: bool) -> str:
    obj, kind = change.obj, ctx.t(f"upload.kind_{change.kind}")
    if removed:
        detail = ""
    elif isinstance(obj, QuizBank):
        detail = ctx.t("upload.questions", count=len(obj.questions))
    else:
        detail = _when(ctx, obj.publish, today)
    return ctx.t("upload.line", kind=kind, title=obj.title, id=change.id) + detail


def _when(ctx: Context, publish: Publish, today: date) -> str:
    """When a study item shows, in words: a date, a week, or its turn in a rotation."""
    if publish.kind == "rotate":
        start = publish.latest_start(today)
        assert start is not None  # a rotation has always started
        if start == monday_of(today):
            return ctx.t("upload.when_rotate_now", every=publish.every, slot=publish.slot)
        following = start + timedelta(weeks=publish.every)
        return ctx.t("upload.when_rotate", every=publish.every, slot=publish.slot, date=following)
    assert publish.start is not None
    year, week, _ = publish.start.isocalendar()
    if publish.kind == "week":
        text = ctx.t("upload.when_week", week=f"{year}-W{week:02d}", date=publish.start)
    else:
        text = ctx.t("upload.when_date", date=publish.start)
    return text + (ctx.t("upload.when_due") if publish.start <= today else "")
