"""Safe YAML loading that keeps line numbers, rejects aliases and caps file size.

Every mapping becomes a `YMap` (a dict that knows the line of each key) and every
sequence a `YList` (a list that knows the line of each item), so validators can
report `path:line: message` for any value they reject.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.content.problems import Problem

try:  # libyaml is much faster; fall back to the pure-Python composer where it is missing.
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

# A content file is a few kilobytes; anything near a megabyte is a mistake or an attack.
MAX_FILE_BYTES = 1024 * 1024


class YMap(dict):
    """A YAML mapping with the line of the mapping and of each key."""

    line: int
    key_lines: dict[Any, int]
    # Source text of scalar values, so `id: 010` can be read as "010" rather than 8.
    raw: dict[Any, str]

    @classmethod
    def empty(cls, line: int = 1) -> YMap:
        """An empty mapping standing at `line` (for an absent optional section)."""
        result = cls()
        result.line, result.key_lines, result.raw = line, {}, {}
        return result

    def line_of(self, key: Any) -> int:
        """The line a key stands on, or the mapping's own line."""
        return self.key_lines.get(key, self.line)


class YList(list):
    """A YAML sequence with the line of the sequence and of each item."""

    line: int
    item_lines: list[int]
    raw: list[str | None]

    def line_of(self, index: int) -> int:
        """The line of item `index`, or the sequence's own line."""
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


@dataclass
class Loaded:
    """One YAML file: its data (None when unreadable) and what was wrong with it."""

    path: Path
    data: Any
    problems: list[Problem]


class _AliasFound(Exception):
    pass


def load_text(text: str, path: Path | str) -> Loaded:
    """Parse YAML text into YMap/YList values, collecting problems instead of raising."""
    path = Path(path)
    problems: list[Problem] = []
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        detail = exc.problem or str(exc)
        if exc.context and exc.context_mark and exc.context_mark.line + 1 != line:
            # e.g. an unclosed bracket: say where the construct began, too.
            detail = f"{detail} ({exc.context}, line {exc.context_mark.line + 1})"
        problems.append(Problem(path, line, "yaml.syntax", {"detail": detail}))
        return Loaded(path, None, problems)
    except yaml.YAMLError as exc:
        problems.append(Problem(path, 1, "yaml.syntax", {"detail": str(exc)}))
        return Loaded(path, None, problems)
    if node is None:
        problems.append(Problem(path, 1, "yaml.empty", {}))
        return Loaded(path, None, problems)
    try:
        # A fresh constructor per document: it caches every node it builds, forever.
        data = _convert(node, set(), path, problems, yaml.constructor.SafeConstructor())
    except _AliasFound:
        problems.append(Problem(path, _alias_line(text), "yaml.alias", {}))
        return Loaded(path, None, problems)
    return Loaded(path, data, problems)


def load_file(path: Path | str, max_bytes: int = MAX_FILE_BYTES) -> Loaded:
    """Read and parse one YAML file, refusing files over `max_bytes`."""
    path = Path(path)
    text, problems = read_text(path, max_bytes)
    if text is None:
        return Loaded(path, None, problems)
    return load_text(text, path)


def read_text(path: Path, max_bytes: int = MAX_FILE_BYTES) -> tuple[str | None, list[Problem]]:
    """A file's UTF-8 text, or None and the problem: too big, unreadable or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, [Problem(path, 1, "file.too_big", {"size": size, "limit": max_bytes})]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(path, 1, "file.unreadable", {"detail": exc.strerror})]
    return decode_text(raw, path)


def decode_text(raw: bytes, path: Path) -> tuple[str | None, list[Problem]]:
    """UTF-8 bytes as text, or None and the line where they stop being UTF-8."""
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(path, line, "file.not_utf8", {})]


def _convert(
    node: yaml.Node,
    seen: set[int],
    path: Path,
    problems: list[Problem],
    scalars: yaml.constructor.SafeConstructor,
) -> Any:
    # An alias composes to the very node object its anchor made, so a node met twice is
    # an alias; refusing it here also defuses "billion laughs" before anything expands.
    if id(node) in seen:
        raise _AliasFound
    seen.add(id(node))
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = YMap.empty(line)
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _AliasFound
            key = _convert(key_node, seen, path, problems, scalars)
            key_line = key_node.start_mark.line + 1
            if not isinstance(key, str | int | bool | float) or key is None:
                problems.append(Problem(path, key_line, "yaml.bad_key", {}))
                continue
            if key in result:
                problems.append(Problem(path, key_line, "yaml.duplicate_key", {"key": key}))
                continue
            result[key] = _convert(value_node, seen, path, problems, scalars)
            result.key_lines[key] = key_line
            if isinstance(value_node, yaml.ScalarNode):
                result.raw[key] = value_node.value
        return result
    if isinstance(node, yaml.SequenceNode):
        result_list = YList()
        result_list.line = line
        result_list.item_lines = []
        result_list.raw = []
        for item in node.value:
            result_list.append(_convert(item, seen, path, problems, scalars))
            result_list.item_lines.append(item.start_mark.line + 1)
            result_list.raw.append(item.value if isinstance(item, yaml.ScalarNode) else None)
        return result_list
    try:
        return scalars.construct_object(node)
    except (yaml.constructor.ConstructorError, ValueError, OverflowError):
        # A value that looks typed but is not valid (2026-13-01): keep the text, so the
        # field's own check can say what is wrong with it.
        return node.value


def _alias_line(text: str) -> int:
    """The line of the first alias or merge key, found by walking the parser's events."""
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line + 1
    except yaml.YAMLError:
        pass
    for number, line in enumerate(text.splitlines(), 1):
        if "<<:" in line or "*" in line:
            return number
    return 1
