"""Administrator commands: /broadcast."""

from __future__ import annotations

from bot.core.messages import Outgoing
from bot.core.router import Router
from bot.handlers.context import Context


def register(router: Router) -> None:
    """Add this module's handlers to the router."""
    router.command("broadcast")(broadcast)


async def broadcast(ctx: Context, text: str) -> list[Outgoing]:
    """Queue a message to every registered person; the counts follow when it is done."""
    if not ctx.is_admin:
        return [Outgoing(ctx.t("admin.only"))]
    if not text.strip():
        return [Outgoing(ctx.t("broadcast.usage"))]
    _, count = await ctx.services.broadcasts.send(
        ctx.actor, ctx.event.channel, ctx.event.chat_ref, text.strip()
    )
    return [Outgoing(ctx.t("broadcast.queued", count=count))]
