"""A person's reminders: /remind (on, off, quiet hours) and the snooze buttons."""

from __future__ import annotations

from dataclasses import replace

from bot.config import OFF_WORDS, parse_quiet
from bot.core.messages import Button, Outgoing
from bot.core.router import Router
from bot.domain.prefs import OFF
from bot.handlers.context import Context

QUIET_CHOICES = ("21:00-07:00", "22:00-07:00", "23:00-06:00", OFF)
DEFAULT = "default"


def register(router: Router) -> None:
    """Add this module's handlers to the router."""
    router.command("remind")(remind)
    router.action("rm")(remind_button)
    router.action("snz")(snooze)
    router.keyword("/remind", "提醒设置", "免打扰")


async def remind(ctx: Context, arg: str) -> list[Outgoing]:
    """/remind shows the settings; /remind on|off, /remind quiet 22:00-07:00|off|default."""
    words = arg.split()
    if not words:
        return [_settings(ctx)]
    head = words[0].lower()
    if head in ("on", "开", "开启", "打开"):
        return await _switch(ctx, True)
    if head in ("off", "关", "关闭"):
        return await _switch(ctx, False)
    if head in ("quiet", "免打扰") and len(words) == 2:
        return await _quiet(ctx, words[1])
    return [Outgoing(ctx.t("remind.usage"))]


async def remind_button(ctx: Context, arg: str) -> list[Outgoing]:
    """rm:on, rm:off, rm:q (choose quiet hours), rm:q:<span|off|default>."""
    if arg in ("on", "off"):
        return await _switch(ctx, arg == "on", edit=True)
    if arg == "q":
        rows = [[Button(_span_label(ctx, c), f"rm:q:{c}")] for c in QUIET_CHOICES]
        rows.append([Button(ctx.t("btn.quiet_default", span=_default_span(ctx)), "rm:q:default")])
        return [Outgoing(ctx.t("remind.choose_quiet"), rows=rows, edit=True)]
    if arg.startswith("q:"):
        return await _quiet(ctx, arg[2:], edit=True)
    return [_settings(ctx)]


async def snooze(ctx: Context, arg: str) -> list[Outgoing]:
    """snz:h:<batch> or snz:m:<batch>: send this reminder again in an hour or next morning."""
    which, _, batch = arg.partition(":")
    if which not in ("h", "m") or not batch.isdigit():
        return [Outgoing(ctx.t("snooze.gone"), notice=True)]
    event = ctx.event
    result = await ctx.services.reminders.snooze(
        ctx.person, event.channel, event.chat_ref, int(batch), morning=which == "m"
    )
    if result.until is None:
        return [Outgoing(ctx.t("snooze.gone"), notice=True)]
    when = result.until.astimezone(ctx.services.config.tz).strftime("%m-%d %H:%M")
    key = "snooze.already" if result.again else "snooze.done"
    return [Outgoing(ctx.t(key, when=when), notice=True)]


async def _switch(ctx: Context, on: bool, edit: bool = False) -> list[Outgoing]:
    await ctx.services.prefs.set_reminders(ctx.person.id, on)
    ctx.person = replace(ctx.person, reminders=on)
    return [_settings(ctx, ctx.t("remind.on" if on else "remind.off"), edit)]


async def _quiet(ctx: Context, value: str, edit: bool = False) -> list[Outgoing]:
    if value.lower() == DEFAULT or value == "默认":
        stored = None
    elif value.lower() in OFF_WORDS:
        stored = OFF
    else:
        quiet = parse_quiet(value)
        if quiet is None:
            return [Outgoing(ctx.t("remind.bad_quiet", value=value))]
        stored = str(quiet)
    await ctx.services.prefs.set_quiet(ctx.person.id, stored)
    ctx.person = replace(ctx.person, quiet_hours=stored)
    return [_settings(ctx, ctx.t("remind.saved"), edit)]


def _settings(ctx: Context, lead: str = "", edit: bool = False) -> Outgoing:
    """The person's reminder settings, with buttons to change them."""
    quiet = ctx.services.prefs.quiet(ctx.person)
    span = str(quiet) if quiet else ctx.t("remind.quiet_none")
    state = ctx.t("remind.state_on" if ctx.person.reminders else "remind.state_off")
    text = ctx.t("remind.settings", state=state, quiet=span)
    toggle = (
        Button(ctx.t("btn.remind_off"), "rm:off")
        if ctx.person.reminders
        else Button(ctx.t("btn.remind_on"), "rm:on")
    )
    rows = [[toggle, Button(ctx.t("btn.quiet"), "rm:q")]]
    return Outgoing(f"{lead}\n{text}" if lead else text, rows=rows, edit=edit)


def _span_label(ctx: Context, choice: str) -> str:
    return ctx.t("remind.quiet_none") if choice == OFF else choice


def _default_span(ctx: Context) -> str:
    quiet = ctx.services.config.schedule.quiet_hours
    return str(quiet) if quiet else ctx.t("remind.quiet_none")
