"""Load the organisation tree from YAML (e.g. content/orgs.yaml), reporting every problem.

The file is a mapping with one key, `units`: a list of units, each with `id` and
`name`. A unit is placed either by nesting it in its parent's `children` list (a tree as
written, natural by hand) or at the top of the list with `parent: <id>` (flat, natural
for generated files); the two forms mix freely.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.fields import ID_PATTERN, Checker
from bot.content.orgtree import OrgTree, Unit
from bot.content.problems import ContentError
from bot.content.yamlload import MAX_FILE_BYTES, YList, load_file
from bot.core.limits import MAX_BUTTON_LABEL_CHARS

__all__ = ["OrgTree", "Unit", "load_orgs", "parse_orgs"]

ORG_FIELDS = ("units",)
UNIT_FIELDS = ("id", "name", "parent", "children")
UNIT_REQUIRED = ("id", "name")


@dataclass
class _Draft:
    """A unit as read, before the tree is known to hold together."""

    id: str
    name: str
    parent: str | None
    field: str  # e.g. "units[2].children[1]."
    line: int
    name_line: int
    parent_line: int  # 0 when the parent is implied by nesting


def load_orgs(path: Path, max_bytes: int = MAX_FILE_BYTES) -> OrgTree:
    """Load and validate an org tree file; raise ContentError listing every problem."""
    doc = load_file(path, max_bytes)
    problems = list(doc.problems)
    tree = None if doc.data is None else parse_orgs(doc.data, Checker(doc.path, problems))
    if problems or tree is None:
        raise ContentError(problems)
    return tree


def parse_orgs(data: Any, ch: Checker) -> OrgTree | None:
    """Validate a loaded org tree document; None when it has problems (recorded in `ch`)."""
    m = ch.mapping(data, 1, ORG_FIELDS, ORG_FIELDS)
    if m is None or "units" not in m:
        return None
    before = len(ch.problems)
    units = ch.get(m, "units", list)
    if units is None:
        return None
    if not units:
        ch.report(m.line_of("units"), "org.empty", "units")
        return None
    drafts: dict[str, _Draft] = {}
    _read_units(units, ch.child("units"), None, drafts)
    _check_parents(drafts, ch)
    depths = _depths(drafts, ch)
    _check_names(drafts, ch)
    if len(ch.problems) != before:
        return None
    return OrgTree(
        Unit(d.id, d.name, d.parent, depths[d.id], ch.path, d.line) for d in drafts.values()
    )


def _read_units(items: YList, ch: Checker, outer: str | None, drafts: dict[str, _Draft]) -> None:
    """Read a list of units; `outer` is the id of the enclosing unit (None at the top)."""
    for i, data in enumerate(items):
        uc = ch.child(f"[{i + 1}].")
        m = uc.mapping(data, items.line_of(i), UNIT_FIELDS, UNIT_REQUIRED, uc.prefix[:-1])
        if m is None:
            continue
        uid = uc.text(m, "id", pattern=ID_PATTERN)
        name = uc.text(m, "name", max_len=MAX_BUTTON_LABEL_CHARS)
        parent, parent_line = outer, 0
        if "parent" in m and outer is not None:
            uc.report(m.line_of("parent"), "org.nested_parent", uc.name("parent"), outer=outer)
        elif "parent" in m:
            # No pattern check here: a name written for an id gets a better message later.
            parent, parent_line = uc.text(m, "parent") or None, m.line_of("parent")
        draft = _Draft(uid, name, parent, uc.prefix, m.line, m.line_of("name"), parent_line)
        if uid in drafts:
            first = drafts[uid].line
            uc.report(m.line_of("id"), "org.duplicate_id", uc.name("id"), id=uid, other=first)
        elif ID_PATTERN.fullmatch(uid):
            drafts[uid] = draft
        children = uc.get(m, "children", list)
        if children:
            _read_units(children, uc.child("children"), uid, drafts)


def _check_parents(drafts: dict[str, _Draft], ch: Checker) -> None:
    ids_by_name: dict[str, list[str]] = {}
    for d in drafts.values():
        ids_by_name.setdefault(d.name, []).append(d.id)
    for d in drafts.values():
        # A nested unit (parent_line 0) under a broken id is reported at that id already;
        # an empty `parent` is reported by the field check.
        if not d.parent_line or d.parent is None or d.parent in drafts:
            continue
        field = d.field + "parent"
        named = ids_by_name.get(d.parent)
        if named:
            ch.report(
                d.parent_line, "org.parent_is_name", field, parent=d.parent, id=", ".join(named)
            )
        else:
            ch.report(d.parent_line, "org.unknown_parent", field, parent=d.parent)


def _depths(drafts: dict[str, _Draft], ch: Checker) -> dict[str, int]:
    """Each unit's depth, found by walking up its parents; reports each cycle once."""
    depth: dict[str, int] = {}
    broken: set[str] = set()  # leads up to a cycle or to a missing parent
    for start in drafts:
        walk: list[str] = []
        on_walk: set[str] = set()
        uid: str | None = start
        while uid in drafts and uid not in depth and uid not in broken and uid not in on_walk:
            walk.append(uid)
            on_walk.add(uid)
            uid = drafts[uid].parent
        if uid is None or uid in depth:
            base = -1 if uid is None else depth[uid]
            for step, below in enumerate(reversed(walk), 1):
                depth[below] = base + step
            continue
        if uid in on_walk:
            _report_cycle(walk[walk.index(uid) :], drafts, ch)
        broken.update(walk)
    return depth


def _report_cycle(loop: list[str], drafts: dict[str, _Draft], ch: Checker) -> None:
    # Start at the unit written first, where the loop reads naturally. It has an explicit
    # `parent`: a nested unit's enclosing unit is in the loop too, written above it or,
    # in flow style, on the same line (hence nested units sort last on a tie).
    first = min(
        range(len(loop)), key=lambda i: (drafts[loop[i]].line, not drafts[loop[i]].parent_line)
    )
    loop = loop[first:] + loop[:first]
    d = drafts[loop[0]]
    ch.report(d.parent_line, "org.cycle", d.field + "parent", cycle=" → ".join([*loop, d.id]))


def _check_names(drafts: dict[str, _Draft], ch: Checker) -> None:
    # Units under one parent must differ by name, or admins typing names (and full
    # names) could not tell them apart.
    seen: dict[tuple[str | None, str], _Draft] = {}
    for d in drafts.values():
        if not d.name:
            continue
        first = seen.setdefault((d.parent, d.name), d)
        if first is not d:
            ch.report(
                d.name_line, "org.duplicate_name", d.field + "name", name=d.name, other=first.line
            )
