"""Field-by-field checks on loaded YAML mappings, shared by content packs and config.yaml.

Each check records a Problem (with the line of the offending key) and returns a usable
value or a default, so one pass reports every problem in a file rather than the first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from bot.content.problems import Problem
from bot.content.yamlload import YList, YMap
from bot.core.i18n import Term

_TYPE_NAMES = {
    "str": "type.str",
    "int": "type.int",
    "bool": "type.bool",
    "list": "type.list",
    "map": "type.map",
    "float": "type.float",
    "NoneType": "type.null",
    "date": "type.date",
    "datetime": "type.date",
    "YMap": "type.map",
    "YList": "type.list",
}

MISSING: Any = object()


def type_key(value: Any) -> str:
    """The catalog key naming the YAML type of `value`."""
    return _TYPE_NAMES.get(type(value).__name__, "type.str")


class Checker:
    """Collects problems for one file while fields are read from its mappings."""

    def __init__(self, path: Path, problems: list[Problem], prefix: str = ""):
        self.path = path
        self.problems = problems
        self.prefix = prefix

    def name(self, key: str) -> str:
        """The dotted name of a field, e.g. `questions[3].answer`."""
        return f"{self.prefix}{key}"

    def child(self, prefix: str) -> Checker:
        """A checker whose field names start with `prefix`."""
        return Checker(self.path, self.problems, self.prefix + prefix)

    def report(self, line: int, key: str, field: str = "", **params: Any) -> None:
        """Record one problem."""
        self.problems.append(Problem(self.path, line, key, params, field))

    def mapping(
        self,
        value: Any,
        line: int,
        allowed: Iterable[str],
        required: Iterable[str] = (),
        field: str = "",
    ) -> YMap | None:
        """Check that `value` is a mapping with only `allowed` keys and all `required` ones."""
        if not isinstance(value, YMap):
            line = getattr(value, "line", line)
            self.report(
                line, "field.type", field, expected=_t("type.map"), actual=_t(type_key(value))
            )
            return None
        allowed = list(allowed)
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                if close:
                    self.report(
                        value.line_of(key), "field.unknown_hint", self.name(str(key)), hint=close[0]
                    )
                else:
                    self.report(
                        value.line_of(key),
                        "field.unknown",
                        self.name(str(key)),
                        allowed=", ".join(allowed),
                    )
        for key in required:
            if key not in value:
                self.report(value.line, "field.missing", self.name(key))
        return value

    def get(self, m: YMap, key: str, kind: type | tuple[type, ...], default: Any = None) -> Any:
        """`m[key]` if it has type `kind`; otherwise report and return `default`."""
        if key not in m:
            return default
        value = m[key]
        if (isinstance(value, bool) and kind in (int, float)) or not isinstance(value, kind):
            expected = kind[0] if isinstance(kind, tuple) else kind
            self.report(
                m.line_of(key),
                "field.type",
                self.name(key),
                expected=_t(_TYPE_NAMES.get(expected.__name__, "type.str")),
                actual=_t(type_key(value)),
            )
            return default
        return value

    def text(
        self,
        m: YMap,
        key: str,
        default: str = "",
        max_len: int | None = None,
        pattern: re.Pattern[str] | None = None,
        allow_empty: bool = False,
    ) -> str:
        """A string field, stripped, checked for emptiness, length and pattern."""
        if key in m and isinstance(m[key], int | float | date) and not isinstance(m[key], bool):
            # `title: 2026` or `id: 010` is meant as text: take it as written, not as 8.
            value: Any = m.raw.get(key, str(m[key]))
        else:
            value = self.get(m, key, str, MISSING)
        if value is MISSING:
            return default
        value = value.strip()
        line = m.line_of(key)
        if not value and not allow_empty:
            self.report(line, "field.empty", self.name(key))
            return default
        if max_len is not None and len(value) > max_len:
            self.report(line, "field.too_long", self.name(key), length=len(value), limit=max_len)
        if pattern is not None and value and not pattern.fullmatch(value):
            self.report(
                line,
                "field.pattern",
                self.name(key),
                value=value,
                pattern_help=_t("pattern.id"),
            )
        return value

    def integer(self, m: YMap, key: str, default: int, low: int, high: int) -> int:
        """An integer field within [low, high]."""
        value = self.get(m, key, int, MISSING)
        if value is MISSING:
            return default
        if not low <= value <= high:
            self.report(
                m.line_of(key), "field.range", self.name(key), value=value, low=low, high=high
            )
            return default
        return value

    def boolean(self, m: YMap, key: str, default: bool) -> bool:
        """A true/false field."""
        return self.get(m, key, bool, default)

    def choice(self, m: YMap, key: str, choices: Iterable[str], default: str) -> str:
        """A string field limited to `choices`."""
        choices = list(choices)
        value = self.get(m, key, str, MISSING)
        if value is MISSING:
            return default
        if value not in choices:
            self.report(
                m.line_of(key),
                "field.choice",
                self.name(key),
                value=value,
                choices=", ".join(choices),
            )
            return default
        return value

    def string_list(
        self, m: YMap, key: str, max_len: int | None = None, scalar_ok: bool = True
    ) -> list[str]:
        """A list of strings; a single string counts as a list of one when `scalar_ok`."""
        if key not in m:
            return []
        value = m[key]
        if scalar_ok and isinstance(value, int | float) and not isinstance(value, bool):
            value = m.raw.get(key, str(value))  # `tags: 2026` is one tag, not a number
        if scalar_ok and isinstance(value, str):
            return [value.strip()] if value.strip() else []
        if not isinstance(value, YList):
            self.report(
                m.line_of(key),
                "field.type",
                self.name(key),
                expected=_t("type.list"),
                actual=_t(type_key(value)),
            )
            return []
        result = []
        for i, item in enumerate(value):
            name = self.name(f"{key}[{i + 1}]")
            if isinstance(item, int | float | date) and not isinstance(item, bool):
                item = value.raw[i] or str(item)  # `[8:30, 9:00]` are times, not 510 and 540
            if not isinstance(item, str):
                self.report(
                    value.line_of(i),
                    "field.type",
                    name,
                    expected=_t("type.str"),
                    actual=_t(type_key(item)),
                )
                continue
            item = item.strip()
            if not item:
                self.report(value.line_of(i), "field.empty", name)
                continue
            if max_len is not None and len(item) > max_len:
                self.report(
                    value.line_of(i), "field.too_long", name, length=len(item), limit=max_len
                )
            result.append(item)
        return result


ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")


def _t(key: str) -> Term:
    # Type names go into messages rendered later in either language, so they stay
    # catalog terms until the problem is rendered.
    return Term(key)
