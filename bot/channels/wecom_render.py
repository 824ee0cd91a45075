"""Outgoing messages as WeCom message bodies: text, markdown, button-interaction template
cards (按钮交互型模板卡片), numbered text for people who cannot see cards, and group-robot
posts. Bodies lack `touser` and `agentid`; the channel adds them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from bot.core.i18n import t
from bot.core.messages import Button, Outgoing

TEXT_BYTES = 2048  # a text message's content; WeCom cuts what is longer
MARKDOWN_BYTES = 4096  # a group robot's markdown
TITLE_CHARS = 26  # a card's main title, as WeCom advises
SUB_TITLE_CHARS = 112  # a card's body text, as WeCom advises
CARD_BUTTONS = 6  # the most buttons one button-interaction card holds


def chunks(text: str, limit: int = TEXT_BYTES) -> list[str]:
    """`text` in pieces of at most `limit` UTF-8 bytes, cut at line ends where possible."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate.encode()) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while len(line.encode()) > limit:  # one line too long: cut it by characters
            cut = len(line.encode()[:limit].decode(errors="ignore"))
            pieces.append(line[:cut])
            line = line[cut:]
        current = line
    if current or not pieces:
        pieces.append(current)
    return pieces


def text_bodies(text: str) -> list[dict]:
    """Text messages for `text`, split to fit."""
    return [{"msgtype": "text", "text": {"content": piece}} for piece in chunks(text)]


def plain_bodies(msg: Outgoing) -> list[dict]:
    """A message without buttons: markdown with a bold title when it has one, else text."""
    if msg.title:
        content = f"**{msg.title}**\n{msg.text}"
        if len(content.encode()) <= TEXT_BYTES:
            return [{"msgtype": "markdown", "markdown": {"content": content}}]
        return text_bodies(f"{msg.title}\n{msg.text}")
    return text_bodies(msg.text)


def numbered(msg: Outgoing, locale: str) -> tuple[list[dict], list[str]]:
    """Text with the buttons as numbered choices, and the actions the numbers stand for."""
    buttons = msg.buttons
    lines = [msg.title, msg.text] if msg.title else [msg.text]
    lines += ["", t("wecom.pick", locale)]
    lines += [f"{i}. {b.label}" for i, b in enumerate(buttons, 1)]
    return text_bodies("\n".join(lines)), [b.action for b in buttons]


def task_id() -> str:
    """A new card's task id: unique per app, at most 128 of [0-9a-zA-Z_-@]."""
    return "c" + uuid.uuid4().hex


def _head_and_body(msg: Outgoing) -> tuple[str, str]:
    """A card's title and body: the message's title, or its first line."""
    if msg.title:
        return msg.title, msg.text
    first, _, rest = msg.text.strip().partition("\n")
    if len(first) > TITLE_CHARS:
        return "", msg.text.strip()
    return first, rest.strip()


def card(title: str, body: str, buttons: Sequence[Button], task: str) -> dict:
    """One button-interaction template card."""
    content: dict = {"card_type": "button_interaction", "task_id": task}
    if title:
        content["main_title"] = {"title": title}
    if body or not title:
        content["sub_title_text"] = body
    content["button_list"] = [
        {"text": b.label, "style": 1, "key": b.action} for b in buttons[:CARD_BUTTONS]
    ]
    return content


def fits_card(msg: Outgoing) -> bool:
    """Whether the message fits one card (so a clicked card can become it)."""
    _, body = _head_and_body(msg)
    return 0 < len(msg.buttons) <= CARD_BUTTONS and len(body) <= SUB_TITLE_CHARS


def card_bodies(msg: Outgoing, locale: str) -> list[dict]:
    """Template cards for a message with buttons: six buttons a card; a body too long
    for a card goes first as text, the card then carries the title and the buttons."""
    title, body = _head_and_body(msg)
    bodies: list[dict] = []
    if len(body) > SUB_TITLE_CHARS:
        bodies += text_bodies(msg.text if not msg.title else f"{msg.title}\n{msg.text}")
        title, body = (title or t("wecom.pick", locale)), ""
    buttons = msg.buttons
    for start in range(0, len(buttons), CARD_BUTTONS):
        part = buttons[start : start + CARD_BUTTONS]
        if start:
            title, body = t("wecom.more", locale), ""
        bodies.append(
            {"msgtype": "template_card", "template_card": card(title, body, part, task_id())}
        )
    return bodies


def robot_bodies(msg: Outgoing) -> list[dict]:
    """Group-robot posts: markdown with a bold title, or text. Robots take no clicks, so
    buttons are left out."""
    if not msg.title:
        return text_bodies(msg.text)
    content = f"**{msg.title}**\n{msg.text}"
    return [
        {"msgtype": "markdown", "markdown": {"content": piece}}
        for piece in chunks(content, MARKDOWN_BYTES)
    ]
