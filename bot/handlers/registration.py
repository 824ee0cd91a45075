"""Getting admitted: the share-my-phone button, invite links (/invite, the newcomer's name,
the admin's approve/reject buttons), and what people not yet admitted are told."""

from __future__ import annotations

from bot.core.i18n import t
from bot.core.messages import CONTACT, Button, Outgoing
from bot.core.router import Router
from bot.domain.registration import MAX_NAME_CHARS, WAITING, JoinRequest
from bot.handlers.context import Context
from bot.handlers.render import main_menu
from bot.handlers.units import admin_unit

INVITE_PREFIX = "inv_"
MAX_REQUESTS_SHOWN = 10  # one message each; more wait for the next /requests


def register(router: Router) -> None:
    """Add this module's handlers to the router."""
    router.event(CONTACT, public=True)(contact)
    router.command("invite")(invite)
    router.action("join")(decide)
    router.command("requests")(requests)
    router.pending = waiting_room


async def waiting_room(ctx: Context, _: str) -> list[Outgoing]:
    """Anything from someone not yet admitted: their name if an invite asked for it,
    else how to get admitted."""
    text = ctx.event.text.strip()
    request = await ctx.services.registration.open_request(ctx.person.id)
    if request is not None and request.status == WAITING:
        unit = ctx.services.orgs.full_name(request.unit_id)
        return [Outgoing(ctx.t("join.waiting", name=request.name, unit=unit))]
    if request is not None and text and not ctx.event.action and not text.startswith("/"):
        return await _state_name(ctx, request, text)
    return pending_intro(ctx)


def pending_intro(ctx: Context) -> list[Outgoing]:
    """How to get admitted: share one's phone, or ask the unit's admin for an invite."""
    name = ctx.person.display_name
    if not ctx.person.active and not ctx.person.pending:
        return [Outgoing(ctx.t("person.inactive", name=name))]
    return [Outgoing(ctx.t("pending.intro", name=name), ask_contact=ctx.t("btn.share_phone"))]


async def follow_invite(ctx: Context, code: str) -> list[Outgoing]:
    """/start inv_<code>: check the code and ask the newcomer for their name."""
    ev = ctx.event
    status, unit_id = await ctx.services.registration.open_invite(
        ctx.person, ev.channel, ev.user_ref, ev.chat_ref, code
    )
    if status == "ok":
        unit = ctx.services.orgs.full_name(unit_id)
        return [Outgoing(ctx.t("invite.ask_name", unit=unit))]
    if status == "already":
        return [Outgoing(ctx.t("invite.already"), rows=main_menu(ctx))]
    return [Outgoing(ctx.t(f"invite.{status}"))]


async def _state_name(ctx: Context, request: JoinRequest, text: str) -> list[Outgoing]:
    name = " ".join(text.split())
    if not 2 <= len(name) <= MAX_NAME_CHARS:
        return [Outgoing(ctx.t("join.bad_name", most=MAX_NAME_CHARS))]
    services = ctx.services
    unit = services.orgs.full_name(request.unit_id)
    admins = await services.access.admin_chats(request.unit_id)
    locale = services.config.locale

    def notify(req: JoinRequest) -> Outgoing:
        return approval(req, unit, locale)

    stated = await services.registration.state_name(ctx.person.id, name, notify, admins)
    if stated is None:
        return pending_intro(ctx)
    # Nobody could be told: the newcomer must chase an admin, who finds it with /requests.
    key = "join.sent" if admins else "join.no_admin"
    return [Outgoing(ctx.t(key, name=name, unit=unit))]


def approval(request: JoinRequest, unit: str, locale: str) -> Outgoing:
    """A join request with its approve and reject buttons, as an admin sees it."""
    rows = [[
        Button(t("btn.approve", locale), f"join:ok:{request.id}"),
        Button(t("btn.reject", locale), f"join:no:{request.id}"),
    ]]  # fmt: skip
    return Outgoing(t("join.ask_admin", locale, name=request.name, unit=unit), rows=rows)


async def requests(ctx: Context, _: str) -> list[Outgoing]:
    """An admin's waiting join requests, each with its buttons (for missed notifications)."""
    scope = await ctx.scope()
    if not scope.is_admin:
        return [Outgoing(ctx.t("admin.only"))]
    waiting = await ctx.services.registration.waiting(scope)
    if not waiting:
        return [Outgoing(ctx.t("requests.none"))]
    orgs = ctx.services.orgs
    shown = waiting[:MAX_REQUESTS_SHOWN]
    head = Outgoing(ctx.t("requests.head", count=len(waiting)))
    return [head, *(approval(r, orgs.full_name(r.unit_id), ctx.locale) for r in shown)]


async def contact(ctx: Context, _: str) -> list[Outgoing]:
    """A shared contact: binds the sender if it is their own and the roster has the phone."""
    ev = ctx.event
    if ev.is_group:
        return []
    bound = await ctx.services.registration.by_contact(
        ctx.person, ev.channel, ev.user_ref, ev.phone, ev.contact_user_ref
    )
    if bound.status == "bound":
        person = await ctx.services.people.find(ev.channel, ev.user_ref)
        ctx.person = person or ctx.person
        unit = ctx.services.orgs.full_name(bound.unit_id)
        return [
            Outgoing(ctx.t("bind.bound", name=bound.name, unit=unit), drop_keyboard=True),
            Outgoing(ctx.t("menu.text"), rows=main_menu(ctx)),
        ]
    if bound.status == "already":
        return [Outgoing(ctx.t("bind.already", name=bound.name), drop_keyboard=True)]
    return [Outgoing(ctx.t(f"bind.{bound.status}"), ask_contact=ctx.t("btn.share_phone"))]


async def invite(ctx: Context, arg: str) -> list[Outgoing]:
    """An admin makes an invite link for a unit in their scope: /invite 乌兰浩特市."""
    unit, problem = await admin_unit(ctx, arg, "invite.usage")
    if unit is None:
        return [problem]
    made = await ctx.services.registration.invite(ctx.actor, unit.id)
    link = ctx.services.deep_link(INVITE_PREFIX + made.code)
    expires = made.expires_at.astimezone(ctx.services.config.tz).strftime("%Y-%m-%d %H:%M")
    name = ctx.services.orgs.full_name(unit.id)
    return [Outgoing(ctx.t("invite.made", unit=name, link=link, expires=expires))]


async def decide(ctx: Context, arg: str) -> list[Outgoing]:
    """An admin taps approve (join:ok:<id>) or reject (join:no:<id>) on a join request."""
    verdict, _, request_id = arg.partition(":")
    if verdict not in ("ok", "no") or not request_id.isdigit():
        return [Outgoing(ctx.t("error.unknown_action"), notice=True)]
    scope = await ctx.scope()
    if not scope.is_admin:
        return [Outgoing(ctx.t("admin.only"), notice=True)]
    services = ctx.services

    def tell(request: JoinRequest, approved: bool) -> Outgoing:
        locale = services.config.locale
        unit = services.orgs.full_name(request.unit_id)
        key = "join.approved" if approved else "join.rejected"
        return Outgoing(t(key, locale, unit=unit), drop_keyboard=approved)

    decision = await services.registration.decide(
        scope, ctx.actor, int(request_id), verdict == "ok", tell
    )
    request = decision.request
    if decision.status == "not_found" or request is None:
        return [Outgoing(ctx.t("join.not_found"), notice=True)]
    if decision.status == "out_of_scope":
        return [Outgoing(ctx.t("join.out_of_scope"), notice=True)]
    if decision.status == "already":
        return [Outgoing(ctx.t("join.already", by=request.decided_by or ""), notice=True)]
    unit = services.orgs.full_name(request.unit_id)
    key = "join.decided_ok" if verdict == "ok" else "join.decided_no"
    return [Outgoing(ctx.t(key, name=request.name, unit=unit), edit=True)]
