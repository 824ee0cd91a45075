"""Group chats: joining and leaving, /bindgroup, /contest with quiz polls, poll answers."""

from __future__ import annotations

from bot.core.messages import JOINED, LEFT, POLL_ANSWER, Outgoing
from bot.core.router import Router
from bot.handlers.context import Context
from bot.handlers.units import resolve_unit


def register(router: Router) -> None:
    """Add this module's handlers to the router."""
    router.event(JOINED)(joined)
    router.event(LEFT)(left)
    router.event(POLL_ANSWER)(poll_answer)
    router.command("bindgroup", group=True)(bindgroup)
    router.command("contest", group=True)(contest)
    router.command("weeklyrank", group=True)(weeklyrank)
    router.private_only = private_only


async def joined(ctx: Context, _: str) -> list[Outgoing]:
    """Record the group the bot was added to and say what it can do there."""
    ev = ctx.event
    await ctx.services.groups.joined(ev.channel, ev.chat_ref, ev.chat_title)
    return [Outgoing(ctx.t("group.welcome"))]


async def left(ctx: Context, _: str) -> list[Outgoing]:
    """Note that the bot was removed from a group."""
    await ctx.services.groups.left(ctx.event.channel, ctx.event.chat_ref)
    return []


async def private_only(ctx: Context, _: str) -> list[Outgoing]:
    """A private-chat command typed in a group: point to the private chat."""
    return [Outgoing(ctx.t("group.private_only"))]


async def bindgroup(ctx: Context, text: str) -> list[Outgoing]:
    """An admin links this group to an org unit in their scope: /bindgroup 乌兰浩特市."""
    if not ctx.event.is_group:
        return [Outgoing(ctx.t("group.only"))]
    scope = await ctx.scope()
    if not scope.is_admin:
        return [Outgoing(ctx.t("admin.only"))]
    if not text.strip():
        return [Outgoing(ctx.t("group.bind_usage"))]
    ev = ctx.event
    bound = await ctx.services.groups.get(ev.channel, ev.chat_ref)
    if bound is not None and bound.unit_id and not scope.covers(bound.unit_id):
        # Another admin's group: theirs to re-bind, not ours to take over.
        return [Outgoing(ctx.t("group.bound_elsewhere"))]
    unit, problem = resolve_unit(ctx, text, scope)
    if unit is None:
        return [problem]
    name = ctx.services.orgs.full_name(unit.id)
    await ctx.services.groups.bind(ctx.actor, ev.channel, ev.chat_ref, ev.chat_title, unit.id, name)
    return [Outgoing(ctx.t("group.bound", name=name))]


async def weeklyrank(ctx: Context, arg: str) -> list[Outgoing]:
    """An admin turns the weekly ranking post (亮晒比) on or off for this bound group:
    /weeklyrank on|off; without a word it says whether it is on."""
    if not ctx.event.is_group:
        return [Outgoing(ctx.t("group.only"))]
    scope = await ctx.scope()
    if not scope.is_admin:
        return [Outgoing(ctx.t("admin.only"))]
    svc, ev = ctx.services.groups, ctx.event
    group = await svc.get(ev.channel, ev.chat_ref)
    if group is None or not group.unit_id:
        return [Outgoing(ctx.t("weeklyrank.unbound"))]
    if not scope.covers(group.unit_id):
        return [Outgoing(ctx.t("scope.outside", unit=ctx.services.orgs.full_name(group.unit_id)))]
    when = ctx.services.config.reports.weekly_post
    at = ctx.t(f"weekday.{when.weekday}") + f" {when.at:%H:%M}"
    word = arg.strip().lower()
    if word in ("on", "开", "开启", "打开"):
        await svc.set_ranking_post(ctx.actor, ev.channel, ev.chat_ref, True)
        return [Outgoing(ctx.t("weeklyrank.on", at=at))]
    if word in ("off", "关", "关闭"):
        await svc.set_ranking_post(ctx.actor, ev.channel, ev.chat_ref, False)
        return [Outgoing(ctx.t("weeklyrank.off"))]
    on = await svc.posts_ranking(ev.channel, ev.chat_ref)
    return [Outgoing(ctx.t("weeklyrank.status_on" if on else "weeklyrank.status_off", at=at))]


async def contest(ctx: Context, arg: str) -> list[Outgoing]:
    """An admin starts a contest in a group bound to a unit in their scope:
    /contest <bank id> [number of questions]."""
    if not ctx.event.is_group:
        return [Outgoing(ctx.t("group.only"))]
    scope = await ctx.scope()
    if not scope.is_admin:
        return [Outgoing(ctx.t("admin.only"))]
    if not scope.superadmin:
        group = await ctx.services.groups.get(ctx.event.channel, ctx.event.chat_ref)
        if group is None or not scope.covers(group.unit_id):
            return [Outgoing(ctx.t("contest.out_of_scope"))]
    banks = ctx.services.pack.banks
    quiz_id, _, count = arg.partition(" ")
    bank = banks.get(quiz_id.strip())
    if bank is None:
        listing = "\n".join(f"• {b.id}  {b.title}" for b in banks.values())
        key = "contest.unknown_bank" if quiz_id else "contest.usage"
        return [Outgoing(ctx.t(key, quiz=quiz_id, banks=listing))]
    limit = int(count) if count.strip().isdigit() else 0
    ev = ctx.event
    started = await ctx.services.contests.start(ctx.actor, ev.channel, ev.chat_ref, bank, limit)
    if started.error:
        return [Outgoing(ctx.t(started.error, title=bank.title))]
    return []  # the announcement and the polls are queued by the contest itself


async def poll_answer(ctx: Context, _: str) -> list[Outgoing]:
    """Score an answer to a contest poll; nothing is said (the poll shows it)."""
    ev = ctx.event
    await ctx.services.contests.answer(
        ev.channel, ev.user_ref, ctx.person.id, ev.poll_ref, ev.choices
    )
    return []
