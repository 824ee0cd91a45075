"""A person's own progress (/me) and the points leaderboards (/rank): a person's own unit,
and the parent unit's board for units whose admin opened them to it."""

from __future__ import annotations

from bot.core.limits import MAX_MESSAGE_CHARS
from bot.core.messages import Button, Outgoing
from bot.core.router import Router
from bot.domain.leaderboards import ALREADY, DONE, OUTSIDE, TOP
from bot.domain.points import Standing
from bot.handlers.context import Context
from bot.handlers.render import clip, menu_row
from bot.handlers.units import resolve_unit

MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}
BOARD_SIZE = 10
OPEN_WORDS = ("open", "开放", "加入")
CLOSE_WORDS = ("close", "关闭", "退出")
WIDE_WORDS = ("wide", "上级")


def register(router: Router) -> None:
    """Add this module's handlers to the router."""
    router.command("me")(me)
    router.action("me")(me)
    router.command("rank")(rank)
    router.action("rank")(rank)
    router.keyword("/rank", "排行", "排名", "rank")
    router.keyword("/me", "积分", "我的", "进度", "progress", "points")


async def me(ctx: Context, _: str) -> list[Outgoing]:
    """Points, rank, items learned, quizzes passed and open review questions."""
    svc = ctx.services
    person = await svc.people.get(ctx.person.id) or ctx.person
    published = {i.id for _, i in svc.study.published(person)}
    learned = await svc.study.learned_ids(person.id) & published
    place, people = await svc.points.rank_of(person.id, (person.unit_id or "",))
    today = await svc.points.earned_today(person.id)
    passed = await svc.quizzes.passed_count(person.id)
    open_count = await svc.wrong_book.open_count(person.id)
    text = ctx.t(
        "me.text",
        name=person.display_name,
        points=person.points,
        today=today,
        cap=svc.config.points.daily_cap,
        rank=place,
        people=people,
        learned=len(learned),
        published=len(published),
        passed=passed,
        banks=len(svc.quizzes.available(person)),
        review=open_count,
    )
    rows = [[Button(ctx.t("btn.review"), "rv"), Button(ctx.t("btn.rank"), "rank")], menu_row(ctx)]
    return [Outgoing(text, rows=rows, edit=bool(ctx.event.action))]


async def rank(ctx: Context, arg: str) -> list[Outgoing]:
    """/rank: my unit's top 10 and my place; the wider board (button `rank:wide`) if my unit
    joined its parent unit's; `/rank open|close [unit]` (or the buttons) for its admins."""
    verb, _, rest = arg.strip().partition(":" if ctx.event.action else " ")
    verb = verb.lower()
    if verb in OPEN_WORDS or verb in CLOSE_WORDS:
        wanted = verb in OPEN_WORDS
        if ctx.event.action:
            return await _toggle_button(ctx, rest, wanted)
        return await _toggle_command(ctx, rest.strip(), wanted)
    if verb in WIDE_WORDS:
        return await _wide_board(ctx)
    return await _unit_board(ctx)


async def _unit_board(ctx: Context, note: str = "") -> list[Outgoing]:
    """The person's own unit: its top 10, their place, and the wider-board buttons."""
    svc = ctx.services
    person = await svc.people.get(ctx.person.id) or ctx.person
    unit_id = person.unit_id
    bottom = [Button(ctx.t("btn.me"), "me"), *menu_row(ctx)]
    if unit_id is None:
        text = "\n\n".join(filter(None, (ctx.t("rank.no_unit"), note)))
        return [Outgoing(text, rows=[bottom], edit=bool(ctx.event.action))]
    own = (unit_id,)
    lines = [ctx.t("rank.title"), ctx.t("rank.scope_unit", unit=_name(ctx, unit_id))]
    lines += _standings(ctx, await svc.points.leaderboard(BOARD_SIZE, own), with_unit=False)
    place, people = await svc.points.rank_of(person.id, own)
    lines += ["", ctx.t("rank.you", rank=place, people=people, points=person.points)]
    rows: list[list[Button]] = []
    parent = svc.leaderboards.parent(unit_id)
    if parent is not None:
        joined = await svc.leaderboards.is_open(unit_id)
        if joined:
            lines.append(ctx.t("rank.unit_open", parent=_name(ctx, parent)))
            rows.append([Button(ctx.t("btn.rank_wide", unit=_name(ctx, parent)), "rank:wide")])
        if (await ctx.scope()).covers(unit_id):
            key, verb = ("btn.rank_close", "close") if joined else ("btn.rank_open", "open")
            rows.append([Button(ctx.t(key, unit=_name(ctx, parent)), f"rank:{verb}:{unit_id}")])
    if note:
        lines += ["", note]
    rows.append(bottom)
    return [Outgoing("\n".join(lines), rows=rows, edit=bool(ctx.event.action))]


async def _wide_board(ctx: Context) -> list[Outgoing]:
    """The parent unit's board of the units that joined it, if the person's unit did."""
    svc = ctx.services
    person = await svc.people.get(ctx.person.id) or ctx.person
    wider = await svc.leaderboards.wider(person.unit_id)
    if wider is None:
        return await _unit_board(ctx, ctx.t("rank.wide_closed"))
    scope_line = ctx.t("rank.scope_wide", unit=_name(ctx, wider.parent), count=len(wider.units))
    lines = [ctx.t("rank.title"), scope_line]
    lines += _standings(ctx, await svc.points.leaderboard(BOARD_SIZE, wider.units), True)
    place, people = await svc.points.rank_of(person.id, wider.units)
    lines += ["", ctx.t("rank.you", rank=place, people=people, points=person.points)]
    rows = [
        [Button(ctx.t("btn.rank_unit"), "rank")],
        [Button(ctx.t("btn.me"), "me"), *menu_row(ctx)],
    ]
    return [Outgoing("\n".join(lines), rows=rows, edit=bool(ctx.event.action))]


def _standings(ctx: Context, top: list[Standing], with_unit: bool) -> list[str]:
    """One line per person (with their unit on a wider board), or the empty-board line."""
    if not top:
        return [ctx.t("rank.empty")]
    lines = []
    for s in top:
        marker = MEDALS.get(s.rank, f"{s.rank}.")
        name = clip(s.name, 16)
        if with_unit:
            name = ctx.t("rank.name_unit", name=name, unit=_name(ctx, s.unit_id or ""))
        me_mark = ctx.t("rank.you_mark") if s.person_id == ctx.person.id else ""
        lines.append(ctx.t("rank.row", marker=marker, name=name, points=s.points) + me_mark)
    return lines


async def _toggle_command(ctx: Context, text: str, wanted: bool) -> list[Outgoing]:
    """/rank open|close [unit]: the unit may be left out by an admin of exactly one."""
    scope = await ctx.scope()
    if not scope.is_admin:
        return [Outgoing(ctx.t("admin.only"))]
    if text:
        unit, problem = resolve_unit(ctx, text, scope)
        if unit is None:
            return [problem]
        unit_id = unit.id
    elif not scope.superadmin and len(scope.admin_units) == 1:
        unit_id = scope.admin_units[0]
    else:
        opened = await ctx.services.leaderboards.opened(scope)
        names = ctx.t("list.sep").join(ctx.services.orgs.full_name(u) for u in opened)
        listed = ctx.t("rank.opened_list", units=names) if opened else ctx.t("rank.opened_none")
        return [Outgoing(clip(ctx.t("rank.usage", opened=listed), MAX_MESSAGE_CHARS))]
    result = await ctx.services.leaderboards.set_open(ctx.actor, scope, unit_id, wanted)
    return [Outgoing(_outcome(ctx, unit_id, wanted, result))]


async def _toggle_button(ctx: Context, unit_id: str, wanted: bool) -> list[Outgoing]:
    """The join / leave button under a unit's board; a repeated tap changes nothing."""
    if unit_id not in ctx.services.orgs.units:
        return [Outgoing(ctx.t("error.unknown_action"), notice=True)]
    scope = await ctx.scope()
    result = await ctx.services.leaderboards.set_open(ctx.actor, scope, unit_id, wanted)
    if result != DONE:
        return [Outgoing(_outcome(ctx, unit_id, wanted, result), notice=True)]
    return await _unit_board(ctx, _outcome(ctx, unit_id, wanted, result))


def _outcome(ctx: Context, unit_id: str, wanted: bool, result: str) -> str:
    """What opening or closing a unit's wider board came to, in words."""
    unit = _name(ctx, unit_id)
    if result == OUTSIDE:
        return ctx.t("scope.outside", unit=unit)
    if result == TOP:
        return ctx.t("rank.top", unit=unit)
    parent = _name(ctx, ctx.services.leaderboards.parent(unit_id) or "")
    keys = {
        (True, DONE): "rank.opened",
        (False, DONE): "rank.closed",
        (True, ALREADY): "rank.already_open",
        (False, ALREADY): "rank.already_closed",
    }
    return ctx.t(keys[wanted, result], unit=unit, parent=parent)


def _name(ctx: Context, unit_id: str) -> str:
    """A unit's own name (its id if it is no longer in the tree)."""
    unit = ctx.services.orgs.units.get(unit_id)
    return unit.name if unit is not None else unit_id
