"""This week's study item, the archive of past items, and marking an item learned."""

from __future__ import annotations

from bot.content.models import StudyItem
from bot.core.messages import Button, Outgoing
from bot.core.router import Router
from bot.handlers.context import Context
from bot.handlers.render import clip, menu_row, page_of, pager

ARCHIVE_PAGE = 5


def register(router: Router) -> None:
    """Add this module's handlers to the router."""
    router.command("study")(study)
    router.action("study")(study)
    router.action("learn")(learn)
    router.command("archive")(archive)
    router.action("arch")(archive)
    router.keyword("/archive", "往期", "archive")
    router.keyword("/study", "学习", "每周一学", "本周", "study")


async def study(ctx: Context, item_id: str) -> list[Outgoing]:
    """Show one item: the one asked for, else this week's."""
    svc = ctx.services.study
    item = svc.get(ctx.person, item_id) if item_id else svc.current(ctx.person)
    if item is None:
        key = "study.not_found" if item_id else "study.none"
        return [Outgoing(ctx.t(key), rows=[menu_row(ctx)])]
    learned = item.id in await svc.learned_ids(ctx.person.id)
    return [await item_message(ctx, item, learned)]


async def item_message(ctx: Context, item: StudyItem, learned: bool, note: str = "") -> Outgoing:
    """An item as a message, with learn / quiz / archive buttons."""
    svc = ctx.services.study
    current = svc.current(ctx.person)
    header = ctx.t("study.this_week") if current and current.id == item.id else ctx.t("study.past")
    parts = [f"📖 {item.title}", header]
    if item.source:
        parts[-1] += ctx.t("study.source", source=item.source)
    parts += ["", item.body]
    if item.tags:
        parts += ["", " ".join(f"#{tag}" for tag in item.tags)]
    parts += ["", ctx.t("study.learned") if learned else ctx.t("study.tap_learn")]
    if note:
        parts += [note]
    first: list[Button] = []
    if not learned:
        first.append(Button(ctx.t("btn.learn"), f"learn:{item.id}"))
    if item.quiz and item.quiz in ctx.services.pack.banks:
        first.append(Button(ctx.t("btn.take_quiz"), f"quiz:{item.quiz}"))
    rows = [first] if first else []
    rows.append([Button(ctx.t("btn.archive"), "arch:0"), *menu_row(ctx)])
    return Outgoing("\n".join(parts), rows=rows, edit=bool(ctx.event.action))


async def learn(ctx: Context, item_id: str) -> list[Outgoing]:
    """Mark an item learned (once) and award its points."""
    item = ctx.services.study.get(ctx.person, item_id)
    if item is None:
        return [Outgoing(ctx.t("study.not_found"), rows=[menu_row(ctx)])]
    result = await ctx.services.study.mark_learned(ctx.person, item)
    if not result.new:
        return [Outgoing(ctx.t("study.already_learned"), notice=True)]
    if result.award.granted:
        note = ctx.t("study.learned_points", points=result.award.granted)
    else:
        note = ctx.t("points.capped")
    if result.award.capped and result.award.granted:
        note += ctx.t("points.capped_partly")
    return [await item_message(ctx, item, True, note)]


async def archive(ctx: Context, page_arg: str) -> list[Outgoing]:
    """Past items, newest first, a page of buttons at a time."""
    items = ctx.services.study.published(ctx.person)
    if not items:
        return [Outgoing(ctx.t("study.none"), rows=[menu_row(ctx)])]
    page, pages = page_of(len(items), ARCHIVE_PAGE, page_arg)
    learned = await ctx.services.study.learned_ids(ctx.person.id)
    rows = []
    for day, item in items[page * ARCHIVE_PAGE : (page + 1) * ARCHIVE_PAGE]:
        mark = "✅" if item.id in learned else "📖"
        label = f"{mark} {day:%m-%d} {clip(item.title, 24)}"
        rows.append([Button(label, f"study:{item.id}")])
    rows.append([*pager(ctx, page, pages, "arch"), *menu_row(ctx)])
    text = ctx.t(
        "archive.title",
        page=page + 1,
        pages=pages,
        learned=len(learned & {i.id for _, i in items}),
        total=len(items),
    )
    return [Outgoing(text, rows=rows, edit=bool(ctx.event.action))]
