"""/report [unit] [period]: an administrator's figures for a unit and period, the units
below it ranked with cards, and a chart; buttons switch the period and drill down."""

from __future__ import annotations

import asyncio
import io
import logging

from bot.core.clock import to_db
from bot.core.i18n import t
from bot.core.limits import MAX_ACTION_BYTES
from bot.core.messages import PHOTO, Attachment, Button, Outgoing
from bot.core.router import Router
from bot.delivery import Recipient
from bot.domain.access import Scope
from bot.domain.figures import Period, parse_period
from bot.handlers.context import Context
from bot.handlers.render import clip
from bot.handlers.units import resolve_unit
from bot.reports.summary import Report, chart_name, report_chart, report_text, root_name
from bot.reports.xlsx import ledger_name, ledger_xlsx

MAX_DRILL_BUTTONS = 6
log = logging.getLogger(__name__)


def register(router: Router) -> None:
    """Add this module's handlers to the router."""
    router.command("report")(report)
    router.action("rp")(report_button)
    router.action("rpx")(ledger_button)
    router.keyword("/report", "报表", "统计报告")


def split_args(text: str, today) -> tuple[str, Period | None]:
    """(unit text, period) from "[unit] [period]": the longest tail of words that reads
    as a period is the period; no such tail means the current month. None: unreadable."""
    words = text.split()
    for i in range(len(words)):
        period = parse_period(" ".join(words[i:]), today)
        if period is not None:
            return " ".join(words[:i]), period
    return text.strip(), parse_period("", today)


async def report(ctx: Context, arg: str) -> list[Outgoing]:
    """The report for a unit (default: the admin's own) and period (default: this month)."""
    scope = await ctx.scope()
    if not scope.is_admin:
        return [Outgoing(ctx.t("admin.only"))]
    if arg.strip() in ("help", "帮助", "?", "？"):
        return [Outgoing(ctx.t("report.usage"))]
    unit_text, period = split_args(arg, ctx.services.figures.today())
    root = None
    if unit_text:
        unit, problem = resolve_unit(ctx, unit_text, scope)
        if unit is None:
            return [Outgoing(problem.text + "\n\n" + ctx.t("report.usage"))]
        root = unit.id
    return await show(ctx, scope, root, period)


async def _target(ctx: Context, payload: str) -> tuple[Scope, str | None, Period | None] | Outgoing:
    """(scope, unit, period) a button's payload "unit|period" names, or the refusal: not
    an admin, or a unit outside the scope (checked on every tap: buttons can be forged)."""
    scope = await ctx.scope()
    if not scope.is_admin:
        return Outgoing(ctx.t("admin.only"))
    unit_id, _, period_text = payload.partition("|")
    root = unit_id or None
    if root is not None and (root not in ctx.services.orgs.units or not scope.covers(root)):
        return Outgoing(ctx.t("scope.outside", unit=root))
    return scope, root, parse_period(period_text, ctx.services.figures.today())


async def report_button(ctx: Context, payload: str) -> list[Outgoing]:
    """A period or drill-down button: the report it names."""
    found = await _target(ctx, payload)
    if isinstance(found, Outgoing):
        return [found]
    return await show(ctx, *found)


async def ledger_button(ctx: Context, payload: str) -> list[Outgoing]:
    """The study ledger (学习台账) XLSX of a unit and period, for the admin's scope."""
    found = await _target(ctx, payload)
    if isinstance(found, Outgoing):
        return [found]
    scope, root, period = found
    if period is None:
        return [Outgoing(ctx.t("report.usage"))]
    svc = ctx.services
    key = f"ledger:{ctx.actor}:{root or ''}|{period}"
    if key in svc.background:  # a second tap while it is being built
        return [Outgoing(ctx.t("report.ledger_busy"), notice=True)]
    where = Recipient(ctx.event.channel, ctx.event.chat_ref)
    locale, actor = ctx.locale, ctx.actor

    async def build() -> None:
        """Build and write the workbook, then send it through the outbox."""
        try:
            book = await svc.ledger.build(root, period, scope)
            buffer = io.BytesIO()
            await asyncio.to_thread(ledger_xlsx, book, buffer, locale)
            name = ledger_name(book, locale)
            caption = t("report.ledger_caption", locale, name=name)
            msg = Outgoing(caption, attachment=Attachment(name, buffer.getvalue()))
            ref = f"{actor}:{root or ''}|{period}:{to_db(svc.clock.now())}"
            await svc.audit.note(actor, "ledger", root or "*", period=str(period))
            await svc.outbox.enqueue("ledger", ref, msg, [where])
        except Exception:  # the admin must hear of it; the trace goes to the log
            log.exception("ledger for %s failed", key)
            await svc.outbox.enqueue(
                "ledger", f"{key}:failed:{to_db(svc.clock.now())}",
                Outgoing(t("error.internal", locale)), [where],
            )  # fmt: skip
        finally:
            svc.background.pop(key, None)

    # A league's ledger takes tens of seconds: built aside, so the bot keeps answering.
    svc.background[key] = asyncio.create_task(build())
    return [Outgoing(ctx.t("report.ledger_wait"))]


async def show(
    ctx: Context, scope: Scope, root: str | None, period: Period | None
) -> list[Outgoing]:
    """The chart (when there are units to compare) and the text with buttons."""
    svc = ctx.services
    if period is None:
        return [Outgoing(ctx.t("report.usage"))]
    if period.start > svc.figures.today():
        return [Outgoing(ctx.t("report.future", period=str(period)))]
    if root is None and not scope.superadmin and len(scope.admin_units) == 1:
        root = scope.admin_units[0]
    if root is None and len(svc.orgs.roots) == 1 and scope.superadmin:
        root = svc.orgs.roots[0]  # one tree: its top unit is the whole, named as such
    total, rows = await svc.figures.units(root, period, scope)
    ranked = svc.figures.rank(rows, total)
    found = Report(root, period, total, ranked)
    replies = []
    if any(r.place is not None for r in ranked):
        png = await asyncio.to_thread(report_chart, found, svc.orgs, svc.config.reports, ctx.locale)
        name = root_name(svc.orgs, root, ctx.locale)
        caption = ctx.t("report.chart_caption", unit=name, period=str(period))
        replies.append(
            Outgoing(
                caption, attachment=Attachment(chart_name(found, svc.orgs, ctx.locale), png, PHOTO)
            )
        )
    text = clip(report_text(found, svc.orgs, ctx.locale), 4000)
    replies.append(Outgoing(text, rows=_buttons(ctx, scope, found)))
    return replies


def _buttons(ctx: Context, scope: Scope, found: Report) -> list[list[Button]]:
    """Periods, the units below (busiest first) and the one above, and the ledger."""
    orgs = ctx.services.orgs
    root = found.root or ""
    today = ctx.services.figures.today()

    def button(label: str, unit: str, period: Period | None, prefix: str = "rp") -> Button | None:
        if period is None:
            return None
        action = f"{prefix}:{unit}|{period}"
        return Button(label, action) if len(action.encode()) <= MAX_ACTION_BYTES else None

    periods = [
        button(ctx.t("btn.report_week"), root, parse_period("week", today)),
        button(ctx.t("btn.report_month"), root, parse_period("month", today)),
        button(ctx.t("btn.report_last_month"), root, parse_period("last month", today)),
    ]
    rows = [[b for b in periods if b is not None]]
    below = [
        r.unit.unit_id
        for r in sorted(found.ranked, key=lambda r: -r.unit.people)
        if r.unit.unit_id != root and orgs.children(r.unit.unit_id) and r.unit.people
    ]
    drill = [
        button(ctx.t("btn.report_unit", unit=orgs.units[u].name), u, found.period)
        for u in below[:MAX_DRILL_BUTTONS]
    ]
    drill = [b for b in drill if b is not None]
    rows += [drill[i : i + 3] for i in range(0, len(drill), 3)]
    tail = []
    parent = orgs.units[root].parent if root in orgs.units else None
    if parent is not None and scope.covers(parent):
        up = button(ctx.t("btn.report_up"), parent, found.period)
        if up is not None:
            tail.append(up)
    ledger = button(ctx.t("btn.report_ledger"), root, found.period, "rpx")
    if ledger is not None:
        tail.append(ledger)
    if tail:
        rows.append(tail)
    return [r for r in rows if r]
