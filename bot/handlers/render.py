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
