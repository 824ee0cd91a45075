"""Naming units and people in admin commands: by id, name or full name, within scope."""

from __future__ import annotations

from bot.content.orgtree import Unit
from bot.core.messages import Outgoing
from bot.domain.access import Scope
from bot.domain.people import Person
from bot.handlers.context import Context

MAX_CHOICES = 10  # candidates listed when a name is ambiguous


def resolve_unit(ctx: Context, text: str, scope: Scope) -> tuple[Unit | None, Outgoing]:
    """The one unit `text` names inside `scope`, else None and the reply that says why."""
    orgs = ctx.services.orgs
    found = orgs.find_all(text)
    if not found:
        return None, Outgoing(ctx.t("unit.unknown", text=text.strip()))
    inside = [u for u in found if scope.covers(u.id)]
    if not inside:
        # An admin never learns more about units outside their scope than the name typed.
        return None, Outgoing(ctx.t("scope.outside", unit=text.strip()))
    if len(inside) > 1:
        units = "\n".join(f"• {u.id}  {orgs.full_name(u.id)}" for u in inside[:MAX_CHOICES])
        return None, Outgoing(ctx.t("unit.ambiguous", text=text.strip(), units=units))
    return inside[0], Outgoing("")


async def admin_unit(ctx: Context, arg: str, usage: str) -> tuple[Unit | None, Outgoing]:
    """For `/command UNIT` by an admin: the unit if the sender's scope covers it, else the
    reply (not an admin, usage, unknown or outside the scope)."""
    scope = await ctx.scope()
    if not scope.is_admin:
        return None, Outgoing(ctx.t("admin.only"))
    if not arg.strip():
        return None, Outgoing(ctx.t(usage))
    return resolve_unit(ctx, arg, scope)


async def resolve_person(ctx: Context, text: str) -> tuple[Person | None, Outgoing]:
    """The one admitted person `text` names (an id or an exact name), else the reply."""
    text = text.strip()
    people = await ctx.services.people.named(text, MAX_CHOICES + 1)
    if not people:
        return None, Outgoing(ctx.t("person.unknown", text=text))
    if len(people) > 1:
        orgs = ctx.services.orgs
        lines = "\n".join(
            f"• {p.id}  {p.display_name}  {orgs.full_name(p.unit_id or '')}"
            for p in people[:MAX_CHOICES]
        )
        return None, Outgoing(ctx.t("person.ambiguous", text=text, people=lines))
    return people[0], Outgoing("")
