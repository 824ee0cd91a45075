"""Checks an uploaded content file as `validate` does, in a copy of the content folders."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from bot.content.loader import YAML_SUFFIXES, load_pack, shown_path, sniff_kind, yaml_files
from bot.content.models import ContentPack, QuizBank, StudyItem
from bot.content.problems import ContentError, Problem
from bot.content.yamlload import load_file

STUDY, QUIZ, ROSTER = "study", "quiz", "roster"  # uploads.kind
UPLOAD_SUFFIXES = (*YAML_SUFFIXES, ".csv")  # content is YAML; a roster may be CSV too
# Where an object was read from; moving an item between files or lines changes nothing.
_LOCATION_FIELDS = frozenset({"path", "line", "quiz_line"})
_MAX_NAME_BYTES = 255  # most file systems


class Refused(Exception):
    """An upload that cannot be staged or published: a catalog key, its params, its problems."""

    def __init__(self, key: str, problems: Sequence[Problem] = (), **params: Any):
        super().__init__(key)
        self.key = key
        self.problems = ContentError(list(problems)).problems  # sorted by file and line
        self.params = {"count": len(self.problems), **params}


@dataclass(frozen=True)
class Checked:
    """An upload that passed: where it goes and the whole pack as it would be with it."""

    kind: str
    target: Path
    previous: bytes | None  # what `target` holds now, if it exists
    pack: ContentPack


@dataclass(frozen=True)
class Change:
    """A study item or quiz bank an upload adds, changes or removes (then `obj` is the old)."""

    kind: str
    id: str
    obj: StudyItem | QuizBank


@dataclass(frozen=True)
class PackDiff:
    """What publishing would change for readers."""

    new: tuple[Change, ...] = ()
    changed: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.new or self.changed or self.removed)

    def ids(self) -> dict[str, list[str]]:
        """`kind:id` lists by what happened, for the audit log."""
        return {
            name: [f"{c.kind}:{c.id}" for c in changes]
            for name, changes in (
                ("new", self.new),
                ("changed", self.changed),
                ("removed", self.removed),
            )
        }


def safe_name(name: str, suffixes: Sequence[str] = YAML_SUFFIXES) -> str | None:
    """`name` as a file name with one of `suffixes` (in lower case), or None if it is not
    a bare one."""
    suffix = Path(name).suffix.lower()
    if (
        suffix not in suffixes
        or name.startswith(".")
        or any(c in "/\\" or ord(c) < 32 for c in name)
        or len(name.encode()) > _MAX_NAME_BYTES
    ):
        return None
    # The loader only reads lower-case suffixes; a phone's "NOTICE.YAML" is meant the same.
    return name[: -len(suffix)] + suffix


def check_upload(data: bytes, name: str, study_dir: Path, quiz_dir: Path) -> Checked:
    """Validate `data` as file `name` with everything already in the folders; raise Refused."""
    with tempfile.TemporaryDirectory(prefix="upload-") as tmp:
        root = Path(tmp).resolve()
        probe = root / "probe" / name
        probe.parent.mkdir()
        probe.write_bytes(data)
        shown = {probe: Path(name)}
        doc = load_file(probe)  # size, UTF-8, syntax and aliases, as the loader sees them
        if doc.data is None:
            raise Refused("upload.invalid", relabel(doc.problems, shown), name=name)
        sniffed = sniff_kind(doc.data)
        if not sniffed:
            raise Refused("upload.unknown_kind", name=name)
        kind = QUIZ if sniffed == "bank" else STUDY
        folder = quiz_dir if kind == QUIZ else study_dir
        target = _target(folder, name)
        # Mirror the folders under their common parent, so nested or shared folders load
        # the way the real ones do (a file in both is one copy, read once).
        base = Path(os.path.commonpath([study_dir.resolve(), quiz_dir.resolve()]))
        staged = {
            d: root / "content" / d.resolve().relative_to(base) for d in (study_dir, quiz_dir)
        }
        for real_dir, copy_dir in staged.items():
            copy_dir.mkdir(parents=True, exist_ok=True)
            for real in yaml_files([real_dir]):
                if real.is_file():
                    copy = copy_dir / real.relative_to(real_dir)
                    copy.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(real, copy)
                    shown[copy] = shown_path(real)
        staged_target = staged[folder] / target.relative_to(folder)
        staged_target.parent.mkdir(parents=True, exist_ok=True)
        staged_target.write_bytes(data)
        shown[staged_target] = Path(name)
        try:
            pack = load_pack([staged[study_dir]], [staged[quiz_dir]])
        except ContentError as exc:
            raise Refused("upload.invalid", relabel(exc.problems, shown), name=name) from None
    previous = target.read_bytes() if target.is_file() else None
    return Checked(kind, target, previous, pack)


def diff_packs(old: ContentPack, new: ContentPack) -> PackDiff:
    """Items and banks that `new` adds, changes (in content, not place) or drops."""
    added: list[Change] = []
    changed: list[Change] = []
    removed: list[Change] = []
    for kind, before, after in ((STUDY, old.items, new.items), (QUIZ, old.banks, new.banks)):
        for key, obj in after.items():
            if key not in before:
                added.append(Change(kind, key, obj))
            elif _content(before[key]) != _content(obj):
                changed.append(Change(kind, key, obj))
        removed += [Change(kind, key, obj) for key, obj in before.items() if key not in after]
    return PackDiff(tuple(added), tuple(changed), tuple(removed))


def _target(folder: Path, name: str) -> Path:
    """The file an upload replaces (found in subfolders too), else a new one in `folder`."""
    same = [p for p in yaml_files([folder]) if p.name == name and p.is_file()]
    if len(same) > 1:
        paths = ", ".join(str(shown_path(p)) for p in same)
        raise Refused("upload.ambiguous", name=name, paths=paths)
    return same[0] if same else folder / name


def relabel(problems: Sequence[Problem], shown: dict[Path, Path]) -> list[Problem]:
    """Problems with paths renamed as in `shown`, others relative to the working folder."""
    texts = {str(shown_path(k)): str(v) for k, v in shown.items()}

    def fix(value: Any) -> Any:
        if isinstance(value, str):  # e.g. "already used at <path>:<line>"
            for old, new in texts.items():
                value = value.replace(old, new)
        return value

    return [
        replace(
            p,
            path=shown.get(p.path) or shown_path(p.path),
            params={k: fix(v) for k, v in p.params.items()},
        )
        for p in problems
    ]


def _content(obj: StudyItem | QuizBank) -> tuple:
    """Everything that readers see or that rules a quiz, without where it was read from."""
    return tuple(getattr(obj, f.name) for f in fields(obj) if f.name not in _LOCATION_FIELDS)
