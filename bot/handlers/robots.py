"""/robot: an administrator binds a WeCom group robot (群机器人) to a unit, lists the bound
robots in their scope, turns the weekly ranking post on or off, and removes one."""

from __future__ import annotations

from bot.core.messages import Button, Outgoing
from bot.core.router import Router
from bot.delivery import Recipient
from bot.domain.robots import CHANNEL, Robot, robot_key
from bot.handlers.context import Context
from bot.handlers.units import resolve_unit


def register(router: Router) -> None:
    """Add this module's handlers to the router."""
    router.command("robot")(robot)
    router.action("rb")(button)
    router.keyword("/robot", "群机器人")


async def robot(ctx: Context, arg: str) -> list[Outgoing]:
    """/robot UNIT WEBHOOK [NAME] binds a robot; /robot alone lists those in scope."""
    scope = await ctx.scope()
    if not scope.is_admin:
        return [Outgoing(ctx.t("admin.only"))]
    words = arg.split()
    if not words:
        return [await _listing(ctx)]
    at = next((i for i, w in enumerate(words) if robot_key(w)), None)
    if at is None or at == 0:
        return [Outgoing(ctx.t("robot.usage"))]
    unit, problem = resolve_unit(ctx, " ".join(words[:at]), scope)
    if unit is None:
        return [problem]
    key = robot_key(words[at])
    assert key is not None
    name = ctx.services.orgs.full_name(unit.id)
    title = " ".join(words[at + 1 :]) or ctx.t("robot.default_title", unit=unit.name)
    ref = await ctx.services.robots.bind(ctx.actor, key, title, unit.id, name)
    # A first post shows in the group at once whether the address works.
    hello = Outgoing(ctx.t("robot.test", unit=name))
    await ctx.services.outbox.enqueue("robot", ref, hello, [Recipient(CHANNEL, ref, True)])
    return [Outgoing(ctx.t("robot.bound", title=title, unit=name), rows=[_list_row(ctx)])]


async def button(ctx: Context, arg: str) -> list[Outgoing]:
    """rb:list, rb:week:REF:1|0 and rb:del:REF, each checked against the scope again."""
    scope = await ctx.scope()
    if not scope.is_admin:
        return [Outgoing(ctx.t("admin.only"), notice=True)]
    op, _, rest = arg.partition(":")
    if op == "list":
        return [await _listing(ctx, edit=True)]
    ref, _, flag = rest.partition(":")
    found = next((r for r in await ctx.services.robots.bound() if r.chat_ref == ref), None)
    if found is None or not scope.covers(found.unit_id):
        return [Outgoing(ctx.t("error.unknown_action"), notice=True)]
    if op == "week":
        await ctx.services.groups.set_ranking_post(ctx.actor, CHANNEL, ref, flag == "1")
    elif op == "del":
        await ctx.services.robots.remove(ctx.actor, ref)
    else:
        return [Outgoing(ctx.t("error.unknown_action"), notice=True)]
    return [await _listing(ctx, edit=True)]


async def _listing(ctx: Context, edit: bool = False) -> Outgoing:
    scope = await ctx.scope()
    robots = [r for r in await ctx.services.robots.bound() if scope.covers(r.unit_id)]
    if not robots:
        return Outgoing(ctx.t("robot.none") + "\n\n" + ctx.t("robot.usage"), edit=edit)
    lines, rows = [ctx.t("robot.list")], []
    for i, r in enumerate(robots, 1):
        lines.append(_line(ctx, i, r))
        week = ctx.t("robot.week_off" if r.ranking_post else "robot.week_on", n=i)
        rows.append(
            [
                Button(week, f"rb:week:{r.chat_ref}:{int(not r.ranking_post)}"),
                Button(ctx.t("robot.remove", n=i), f"rb:del:{r.chat_ref}"),
            ]
        )
    return Outgoing("\n".join(lines), rows=rows, edit=edit)


def _line(ctx: Context, number: int, r: Robot) -> str:
    weekly = ctx.t("robot.weekly") if r.ranking_post else ""
    return f"{number}. {r.title} → {ctx.services.orgs.full_name(r.unit_id)}{weekly}"


def _list_row(ctx: Context) -> list[Button]:
    return [Button(ctx.t("robot.list_button"), "rb:list")]
