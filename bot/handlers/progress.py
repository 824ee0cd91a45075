"""A person's own progress (/me) and the points leaderboard (/rank)."""

from __future__ import annotations

from bot.core.messages import Button, Outgoing
from bot.core.router import Router
from bot.handlers.context import Context
from bot.handlers.render import clip, menu_row

MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}


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
    place, people = await svc.points.rank_of(person.id)
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


async def rank(ctx: Context, _: str) -> list[Outgoing]:
    """The top 10 by points, and where the person stands."""
    svc = ctx.services
    top = await svc.points.leaderboard(10)
    lines = [ctx.t("rank.title")]
    if not top:
        lines.append(ctx.t("rank.empty"))
    for s in top:
        marker = MEDALS.get(s.rank, f"{s.rank}.")
        me_mark = ctx.t("rank.you_mark") if s.person_id == ctx.person.id else ""
        lines.append(
            ctx.t("rank.row", marker=marker, name=clip(s.name, 16), points=s.points) + me_mark
        )
    person = await svc.people.get(ctx.person.id) or ctx.person
    place, people = await svc.points.rank_of(person.id)
    lines += ["", ctx.t("rank.you", rank=place, people=people, points=person.points)]
    return [
        Outgoing(
            "\n".join(lines),
            rows=[[Button(ctx.t("btn.me"), "me"), *menu_row(ctx)]],
            edit=bool(ctx.event.action),
        )
    ]
