"""Administrator commands: /broadcast, /pushweek."""

from __future__ import annotations

from bot.core.messages import Outgoing
from bot.core.router import Router
from bot.handlers.context import Context


def register(router: Router) -> None:
    """Add this module's handlers to the router."""
    router.command("broadcast")(broadcast)
    router.command("pushweek")(pushweek)


async def broadcast(ctx: Context, text: str) -> list[Outgoing]:
    """Queue a message to everyone in the admin's scope; the counts follow when it is done."""
    scope = await ctx.scope()
    if not scope.is_admin:
        return [Outgoing(ctx.t("admin.only"))]
    if not text.strip():
        return [Outgoing(ctx.t("broadcast.usage"))]
    _, count = await ctx.services.broadcasts.send(
        ctx.actor, ctx.event.channel, ctx.event.chat_ref, text.strip(), scope
    )
    return [Outgoing(ctx.t("broadcast.queued", count=count))]


async def pushweek(ctx: Context, _: str) -> list[Outgoing]:
    """Queue this week's study item for everyone (the scheduler does it every week)."""
    if not ctx.is_superadmin:  # it goes to the whole tree
        return [Outgoing(ctx.t("superadmin.only"))]
    report_to = f"{ctx.event.channel}:{ctx.event.chat_ref}"
    pushed = await ctx.services.reminders.push_weekly(ctx.actor, report_to)
    if not pushed:
        return [Outgoing(ctx.t("push.none"))]
    items = ctx.t("list.sep").join(ctx.t("push.item", title=t, count=n) for t, n in pushed)
    return [Outgoing(ctx.t("push.queued", items=items))]
