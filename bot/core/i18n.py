"""Look up user-facing text in the one catalog, in Simplified Chinese or English."""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any

from bot.core.catalog import CATALOG

LOCALES = ("zh", "en")
DEFAULT_LOCALE = "zh"


@dataclass(frozen=True)
class Term:
    """A catalog key used as a parameter, translated along with the message it goes into."""

    key: str


def t(key: str, locale: str = DEFAULT_LOCALE, /, **params: Any) -> str:
    """The text for `key` in `locale` (falling back to Chinese), formatted with `params`."""
    entry = CATALOG.get(key)
    if entry is None:
        return key
    template = entry.get(locale) or entry[DEFAULT_LOCALE]
    if not params:
        return template
    shown = {k: t(v.key, locale) if isinstance(v, Term) else v for k, v in params.items()}
    return template.format(**shown)


def placeholders(template: str) -> set[str]:
    """The `{names}` a template expects."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def normalize_locale(value: str | None) -> str | None:
    """Map user input such as 'EN', 'zh-CN' or '中文' to a supported locale, or None."""
    if not value:
        return None
    v = value.strip().lower()
    if v.startswith("en") or v in {"english", "英文", "英语"}:
        return "en"
    if v.startswith("zh") or v in {"cn", "中文", "汉语", "chinese"}:
        return "zh"
    return None
