"""Welcome, menu, help, language and the reply to anything not understood."""

from __future__ import annotations

from bot.core.i18n import normalize_locale
from bot.core.messages import Button, Outgoing
from bot.core.router import Router
from bot.handlers import quiz, registration, study
from bot.handlers.context import Context
from bot.handlers.render import main_menu


def register(router: Router) -> None:
    """Add this module's handlers to the router."""
    router.command("start", public=True)(start)
    router.command("menu")(menu)
    router.action("menu")(menu)
    router.command("help", public=True)(help_)
    router.action("help", public=True)(help_)
    router.command("lang", public=True)(lang)
    router.action("lang", public=True)(lang)
    router.keyword("/help", "帮助", "怎么用", "help")
    router.keyword("/menu", "菜单", "menu")
    router.keyword("/lang en", "english")
    router.keyword("/lang zh", "中文")
    router.fallback = not_understood


# Deep links (t.me/<bot>?start=<payload>) an announcement can carry: "study" opens this
# week's item, "quiz_<bank id>" a quiz's start page, "inv_<code>" an invite to a unit.
# Payloads allow [A-Za-z0-9_-] only.
DEEP_LINKS = {"study": study.study, "quiz": quiz.quiz, "inv": registration.follow_invite}


async def start(ctx: Context, payload: str) -> list[Outgoing]:
    """Greet a person (new or returning) and show the menu, or follow a deep link."""
    name = ctx.person.display_name
    kind, _, arg = payload.partition("_")
    target = DEEP_LINKS.get(kind)
    if not ctx.person.admitted and target is not registration.follow_invite:
        return await registration.waiting_room(ctx, "")
    if target is None:
        key = "start.welcome_new" if ctx.new_person else "start.welcome_back"
        return [Outgoing(ctx.t(key, name=name), rows=main_menu(ctx))]
    replies = await target(ctx, arg)
    if ctx.new_person:  # a newcomer by link still learns what the bot is
        replies.insert(0, Outgoing(ctx.t("start.welcome_link", name=name)))
    return replies


async def menu(ctx: Context, _: str) -> list[Outgoing]:
    """The main menu."""
    return [Outgoing(ctx.t("menu.text"), rows=main_menu(ctx), edit=bool(ctx.event.action))]


async def help_(ctx: Context, _: str) -> list[Outgoing]:
    """What the bot does and the commands it knows."""
    other = "en" if ctx.locale == "zh" else "zh"
    if not ctx.person.admitted:  # the public part only: what the bot is and how to get in
        rows = [[Button(ctx.t(f"btn.lang_{other}"), f"lang:{other}")]]
        return [Outgoing(ctx.t("help.public"), rows=rows)]
    rows = [
        [Button(ctx.t(f"btn.lang_{other}"), f"lang:{other}"), Button(ctx.t("btn.menu"), "menu")]
    ]
    text = ctx.t("help.text")
    scope = await ctx.scope()
    if scope.is_admin:  # admins find their commands where everyone finds theirs
        text += ctx.t("help.admin")
    if scope.superadmin:
        text += ctx.t("help.superadmin")
    return [Outgoing(text, rows=rows)]


async def lang(ctx: Context, arg: str) -> list[Outgoing]:
    """Switch the person's language: /lang en or /lang zh."""
    locale = normalize_locale(arg)
    if locale is None:
        rows = [[Button("中文", "lang:zh"), Button("English", "lang:en")]]
        return [Outgoing(ctx.t("lang.choose"), rows=rows)]
    await ctx.services.people.set_locale(ctx.person.id, locale)
    ctx.person = await ctx.services.people.get(ctx.person.id) or ctx.person
    if not ctx.person.admitted:
        return [Outgoing(ctx.t("lang.set")), *registration.pending_intro(ctx)]
    return [Outgoing(ctx.t("lang.set"), rows=main_menu(ctx))]


async def not_understood(ctx: Context, _: str) -> list[Outgoing]:
    """Anything we could not match: say so and offer the menu."""
    return [Outgoing(ctx.t("fallback.text"), rows=main_menu(ctx))]
