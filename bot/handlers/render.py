"""Small formatting helpers shared by handlers (labels, menus, option letters)."""

from __future__ import annotations

from bot.content.models import LETTERS
from bot.core.messages import Button
from bot.handlers.context import Context

# Buttons show a short version; the full option text is always in the message body.
OPTION_LABEL_CHARS = 28


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def letters(mask: int) -> str:
    """Display letters for a mask, e.g. 0b101 -> 'AC'."""
    return "".join(LETTERS[i] for i in range(len(LETTERS)) if mask >> i & 1)


def menu_row(ctx: Context) -> list[Button]:
    """The row that leads back to the main menu."""
    return [Button(ctx.t("btn.menu"), "menu")]


def main_menu(ctx: Context) -> list[list[Button]]:
    """The main menu's buttons."""
    return [
        [Button(ctx.t("btn.study"), "study"), Button(ctx.t("btn.quiz"), "quiz")],
        [Button(ctx.t("btn.review"), "rv"), Button(ctx.t("btn.archive"), "arch:0")],
        [Button(ctx.t("btn.me"), "me"), Button(ctx.t("btn.rank"), "rank")],
        [Button(ctx.t("btn.help"), "help")],
    ]


def page_of(count: int, size: int, wanted: str | int) -> tuple[int, int]:
    """(page, pages) for `count` entries `size` to a page, `wanted` clamped into range."""
    pages = max(1, (count + size - 1) // size)
    page = int(wanted) if isinstance(wanted, int) or str(wanted).isdigit() else 0
    return min(max(page, 0), pages - 1), pages


def pager(ctx: Context, page: int, pages: int, prefix: str) -> list[Button]:
    """Previous / next buttons for a paged list (empty when it fits one page)."""
    nav = []
    if page > 0:
        nav.append(Button(ctx.t("btn.prev"), f"{prefix}:{page - 1}"))
    if page + 1 < pages:
        nav.append(Button(ctx.t("btn.next"), f"{prefix}:{page + 1}"))
    return nav
