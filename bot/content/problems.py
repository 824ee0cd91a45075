"""A validation problem: where it is (file, line, field) and what is wrong, as a catalog key."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.core.i18n import t


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file, rendered later in the reader's language."""

    path: Path
    line: int
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    field: str = ""

    def render(self, locale: str = "zh", base: Path | None = None) -> str:
        """`path:line: field: message`, with the path relative to `base` when possible."""
        shown = self.path
        if base is not None:
            try:
                shown = self.path.resolve().relative_to(base.resolve())
            except ValueError:
                shown = self.path
        message = t(self.key, locale, **self.params)
        prefix = f"{shown}:{self.line}: "
        return prefix + (f"{self.field}: {message}" if self.field else message)


class ContentError(Exception):
    """Raised when content (or config) has problems; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = sorted(problems, key=lambda p: (str(p.path), p.line))

    def render(self, locale: str = "zh", base: Path | None = None) -> str:
        """All problems, one per line."""
        return "\n".join(p.render(locale, base) for p in self.problems)
