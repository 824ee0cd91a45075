"""Who may do what: /admins, /grant, /revoke, /members (phones for admins in scope) and
/audit (superadmins)."""

from __future__ import annotations

from bot.core.clock import from_db
from bot.core.limits import MAX_MESSAGE_CHARS
from bot.core.messages import Outgoing
from bot.core.router import Router
from bot.domain.access import ADMIN, GRANTABLE
from bot.handlers.context import Context
from bot.handlers.render import clip
from bot.handlers.units import admin_unit, resolve_person, resolve_unit

AUDIT_DEFAULT, AUDIT_MAX = 20, 50
MEMBERS_SHOWN = 50


def register(router: Router) -> None:
    """Add this module's handlers to the router."""
    router.command("admins")(admins)
    router.command("grant")(grant)
    router.command("revoke")(revoke)
    router.command("members")(members)
    router.command("audit")(audit)


async def admins(ctx: Context, _: str) -> list[Outgoing]:
    """Who administers or hosts which unit, as far as the asker's own scope reaches."""
    scope = await ctx.scope()
    if not scope.is_admin:
        return [Outgoing(ctx.t("admin.only"))]
    orgs = ctx.services.orgs
    lines = [ctx.t("admins.head")]
    if scope.superadmin:
        lines.append(ctx.t("admins.super", accounts="、".join(ctx.services.config.admins) or "—"))
    holders = await ctx.services.access.holders(scope)
    for h in holders:
        source = ctx.t("admins.granted") if h.source == "grant" else ""
        role = ctx.t(f"role.{h.role}")
        unit = orgs.full_name(h.unit_id)
        lines.append(ctx.t("admins.line", name=h.name, id=h.person_id, unit=unit, role=role)
                     + source)  # fmt: skip
    if not holders:
        lines.append(ctx.t("admins.none"))
    return [Outgoing(clip("\n".join(lines), MAX_MESSAGE_CHARS))]


async def grant(ctx: Context, arg: str) -> list[Outgoing]:
    """A superadmin gives someone a role over a unit: /grant 张三 乌兰浩特市 [admin|host]."""
    if not ctx.is_superadmin:
        return [Outgoing(ctx.t("superadmin.only"))]
    parts = arg.split()
    role = parts.pop() if len(parts) == 3 and parts[-1] in GRANTABLE else ADMIN
    if len(parts) != 2:
        return [Outgoing(ctx.t("grant.usage"))]
    person, problem = await resolve_person(ctx, parts[0])
    if person is None:
        return [problem]
    unit, problem = resolve_unit(ctx, parts[1], await ctx.scope())
    if unit is None:
        return [problem]
    added = await ctx.services.access.grant(ctx.actor, person, unit.id, role)
    key = "grant.done" if added else "grant.had"
    name = ctx.services.orgs.full_name(unit.id)
    return [Outgoing(ctx.t(key, name=person.display_name, unit=name, role=ctx.t(f"role.{role}")))]


async def revoke(ctx: Context, arg: str) -> list[Outgoing]:
    """A superadmin takes roles away: /revoke 张三 [unit] (all of them without a unit)."""
    if not ctx.is_superadmin:
        return [Outgoing(ctx.t("superadmin.only"))]
    parts = arg.split()
    if len(parts) not in (1, 2):
        return [Outgoing(ctx.t("revoke.usage"))]
    person, problem = await resolve_person(ctx, parts[0])
    if person is None:
        return [problem]
    unit_id = None
    if len(parts) == 2:
        unit, problem = resolve_unit(ctx, parts[1], await ctx.scope())
        if unit is None:
            return [problem]
        unit_id = unit.id
    gone = await ctx.services.access.revoke(ctx.actor, person, unit_id)
    if not gone:
        return [Outgoing(ctx.t("revoke.none", name=person.display_name))]
    return [Outgoing(ctx.t("revoke.done", name=person.display_name, count=gone))]


async def members(ctx: Context, arg: str) -> list[Outgoing]:
    """The people of one unit with their phones, for admins whose scope covers it."""
    unit, problem = await admin_unit(ctx, arg, "members.usage")
    if unit is None:
        return [problem]
    found = await ctx.services.people.in_unit(unit.id)
    # Phone numbers are personal data: who looked at whose is on record.
    await ctx.services.audit.note(ctx.actor, "members.view", unit.id, people=len(found))
    lines = [ctx.t("members.head", unit=ctx.services.orgs.full_name(unit.id), count=len(found))]
    for person, phone, position, bound in found[:MEMBERS_SHOWN]:
        state = "" if person.active else ctx.t("members.inactive")
        if person.active and not bound:
            state = ctx.t("members.unbound")
        role = "" if person.role == "cadre" else ctx.t(f"role.{person.role}")
        lines.append(
            ctx.t("members.line", name=person.display_name, id=person.id,
                  position=" ".join(filter(None, (position, role))), phone=phone or "—")
            + state
        )  # fmt: skip
    if len(found) > MEMBERS_SHOWN:
        lines.append(ctx.t("members.more", count=len(found) - MEMBERS_SHOWN))
    return [Outgoing(clip("\n".join(lines), MAX_MESSAGE_CHARS))]


async def audit(ctx: Context, arg: str) -> list[Outgoing]:
    """The latest audit entries for a superadmin: /audit [n]."""
    if not ctx.is_superadmin:
        return [Outgoing(ctx.t("superadmin.only"))]
    wanted = int(arg) if arg.strip().isdigit() else AUDIT_DEFAULT
    entries = await ctx.services.audit.recent(min(max(wanted, 1), AUDIT_MAX))
    if not entries:
        return [Outgoing(ctx.t("audit.empty"))]
    tz = ctx.services.config.tz
    lines = [ctx.t("audit.head", count=len(entries))]
    for e in entries:
        at = from_db(e.at).astimezone(tz).strftime("%m-%d %H:%M")
        lines.append(f"{at} {e.actor} {e.action} {e.target}".rstrip())
    return [Outgoing(clip("\n".join(lines), MAX_MESSAGE_CHARS))]
