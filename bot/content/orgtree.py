"""The organisation tree (盟 → 旗县市 → 苏木乡镇 → 嘎查村/社区) and fast look-ups over it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Admins may write a unit's full name with either slash to tell same-named units apart.
_SEPARATOR = re.compile(r"[/／]")


@dataclass(frozen=True)
class Unit:
    """One unit of the tree; `depth` is 0 for a top-level unit, `path:line` where it is written."""

    id: str
    name: str
    parent: str | None = None
    depth: int = 0
    path: Path = Path()
    line: int = 1


class OrgTree:
    """Units in tree order (pre-order, children as written) with O(1) scope checks."""

    def __init__(self, units: Iterable[Unit]):
        by_id = {unit.id: unit for unit in units}
        self._children: dict[str, list[str]] = {uid: [] for uid in by_id}
        roots: list[str] = []
        for unit in by_id.values():
            if unit.parent is None:
                roots.append(unit.id)
            elif unit.parent in self._children:
                self._children[unit.parent].append(unit.id)
        self.roots: tuple[str, ...] = tuple(roots)
        # Euler tour: a unit's subtree is one contiguous run of the pre-order, so "is X
        # under Y" is two integer comparisons however deep or wide the tree is.
        self._order: list[str] = []
        stack = roots[::-1]
        while stack:
            uid = stack.pop()
            self._order.append(uid)
            stack.extend(reversed(self._children[uid]))
        if len(self._order) != len(by_id):
            raise ValueError("units with a missing parent or a cycle do not form a tree")
        self.units: dict[str, Unit] = {uid: by_id[uid] for uid in self._order}
        self._enter = {uid: i for i, uid in enumerate(self._order)}
        size = dict.fromkeys(self._order, 1)
        for uid in reversed(self._order):
            parent = by_id[uid].parent
            if parent is not None:
                size[parent] += size[uid]
        self._exit = {uid: self._enter[uid] + size[uid] for uid in self._order}
        self._by_name: dict[str, list[str]] = {}
        for uid in self._order:
            self._by_name.setdefault(by_id[uid].name, []).append(uid)

    def __len__(self) -> int:
        return len(self._order)

    def contains(self, ancestor_id: str, unit_id: str) -> bool:
        """Whether `unit_id` is `ancestor_id` or lies below it (False for an unknown id)."""
        start = self._enter.get(ancestor_id)
        at = self._enter.get(unit_id)
        return start is not None and at is not None and start <= at < self._exit[ancestor_id]

    def in_audience(self, audience: Iterable[str], unit_id: str | None) -> bool:
        """Whether an audience (unit ids, or "all") takes in someone of `unit_id`."""
        units = tuple(audience)
        if "all" in units:
            return True
        return unit_id is not None and any(self.contains(u, unit_id) for u in units)

    def subtree(self, unit_id: str) -> set[str]:
        """`unit_id` and every unit below it (empty for an unknown id)."""
        start = self._enter.get(unit_id)
        return set() if start is None else set(self._order[start : self._exit[unit_id]])

    def children(self, unit_id: str) -> list[str]:
        """The units directly below `unit_id`, as written (empty for an unknown id)."""
        return list(self._children.get(unit_id, ()))

    def ancestors(self, unit_id: str) -> list[str]:
        """The units above `unit_id`, top-level first, not including it (empty if unknown)."""
        found: list[str] = []
        unit = self.units.get(unit_id)
        while unit is not None and unit.parent is not None:
            found.append(unit.parent)
            unit = self.units[unit.parent]
        return found[::-1]

    def level_below(self, root: str | None, unit_id: str | None) -> str:
        """The unit one level below `root` that `unit_id` lies in (`root` itself when it is
        that unit; a top-level unit when `root` is None; "" for an unknown unit)."""
        if unit_id is None or unit_id not in self.units:
            return ""
        chain = [*self.ancestors(unit_id), unit_id]
        if root is None:
            return chain[1] if len(chain) > 1 else chain[0]
        if root not in chain:
            return unit_id
        at = chain.index(root)
        return chain[at + 1] if at + 1 < len(chain) else root

    def full_name(self, unit_id: str, separator: str = " / ") -> str:
        """Names from the top down, e.g. "兴安盟 / 乌兰浩特市 / 和平街道" (the id if unknown)."""
        if unit_id not in self.units:
            return unit_id
        chain = [*self.ancestors(unit_id), unit_id]
        return separator.join(self.units[uid].name for uid in chain)

    def find_all(self, text: str) -> list[Unit]:
        """Units named by id, exact name or the end of the full name ("乌兰浩特市/和平街道")."""
        text = text.strip()
        if text.lower() in self.units:
            return [self.units[text.lower()]]
        if text in self._by_name:  # before splitting: a name may itself hold a slash
            return [self.units[uid] for uid in self._by_name[text]]
        wanted = [part.strip() for part in _SEPARATOR.split(text)]
        if not all(wanted):
            return []
        found = []
        for uid in self._by_name.get(wanted[-1], ()):
            chain = [*self.ancestors(uid), uid]
            names = [self.units[u].name for u in chain[-len(wanted) :]]
            if names == wanted:
                found.append(self.units[uid])
        return found

    def find(self, text: str) -> Unit | None:
        """The one unit `text` names (see find_all); None when none or several match."""
        found = self.find_all(text)
        return found[0] if len(found) == 1 else None
