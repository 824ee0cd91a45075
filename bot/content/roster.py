"""Roster files (名册): who is who — name, mobile phone, org unit, role, position, and
optionally the person's WeCom account (企业微信账号, the address book's UserID).

CSV (as exported from a spreadsheet, with a header row in English or Chinese) or YAML
(`people:` followed by one mapping per person). Every problem is reported with its line,
and a file with any problem imports nothing.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.content.fields import Checker
from bot.content.loader import YAML_SUFFIXES
from bot.content.problems import ContentError, Problem
from bot.content.yamlload import YList, YMap, decode_text, load_text, read_text

MAX_ROSTER_BYTES = 20 * 1024 * 1024

ROLES = {"cadre": "cadre", "干部": "cadre", "host": "host", "主持人": "host",
         "admin": "admin", "管理员": "admin"}  # fmt: skip
# Header names accepted for each column, English and Chinese.
COLUMNS = {
    "name": ("name", "姓名"),
    "phone": ("phone", "mobile", "手机", "手机号", "电话"),
    "unit": ("unit", "org", "单位", "单位编号"),
    "role": ("role", "角色"),
    "position": ("position", "title", "职务"),
    # WeCom's address-book export calls the UserID 账号.
    "wecom": ("wecom", "wecom_id", "userid", "企业微信账号", "企业微信", "账号"),
}
_PHONE = re.compile(r"1[3-9]\d{9}")
# A WeCom UserID: 1-64 bytes of letters, digits and _-@., starting with a letter or digit.
_WECOM_ID = re.compile(r"[0-9A-Za-z][0-9A-Za-z_\-@.]{0,63}")


@dataclass(frozen=True)
class RosterRow:
    """One person as the roster lists them."""

    name: str
    phone: str
    unit: str
    role: str  # cadre, host or admin; "" when the file does not say (keep it as it is)
    position: str
    line: int
    wecom: str = ""  # the WeCom UserID; "" when the file does not say


def normalize_phone(text: str) -> str | None:
    """An 11-digit mainland mobile number from what people type ('+86 138-0000-0000')."""
    digits = re.sub(r"[\s\-()（）]", "", str(text))
    digits = digits.removeprefix("+86").removeprefix("0086")
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    return digits if _PHONE.fullmatch(digits) else None


def load_roster(
    path: Path, units: Callable[[str], bool], max_bytes: int = MAX_ROSTER_BYTES
) -> list[RosterRow]:
    """Read and check a roster file; raise ContentError listing every problem."""
    if path.suffix.lower() not in YAML_SUFFIXES:
        try:  # a CSV's encoding is sniffed, so read it as bytes (size-capped all the same)
            size = path.stat().st_size
        except OSError:
            size = 0
        if size <= max_bytes:
            with contextlib.suppress(OSError):
                return roster_from_bytes(path.read_bytes(), path, units)
    text, problems = read_text(path, max_bytes)
    if text is None:
        raise ContentError(problems)
    return parse_roster(text.removeprefix("\ufeff"), path, units)  # Excel writes a BOM


def roster_from_bytes(data: bytes, path: Path, units: Callable[[str], bool]) -> list[RosterRow]:
    """Check roster bytes (an upload); raise ContentError listing every problem."""
    text, problems = decode_text(data, path)
    if text is None and path.suffix.lower() not in YAML_SUFFIXES:
        # Excel on Chinese Windows saves "CSV" in GBK, not UTF-8: accept that as well.
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode("gb18030")
    if text is None:
        raise ContentError(problems)
    return parse_roster(text.removeprefix("\ufeff"), path, units)


def looks_like_roster(name: str, data: bytes) -> bool:
    """Whether an uploaded file is a roster: any CSV, or YAML whose top key is `people`."""
    if Path(name).suffix.lower() not in YAML_SUFFIXES:
        return True
    return re.search(rb"^people\s*:", data, re.MULTILINE) is not None


def parse_roster(text: str, path: Path, units: Callable[[str], bool]) -> list[RosterRow]:
    """Check roster text (CSV, or YAML by the file's suffix); raise ContentError if wrong."""
    problems: list[Problem] = []
    if path.suffix.lower() in YAML_SUFFIXES:
        raw = list(_yaml_rows(text, path, problems))
    else:
        raw = list(_csv_rows(text, path, problems))
    rows = _check(raw, path, units, problems)
    if problems:
        raise ContentError(problems)
    return rows


def _csv_rows(text: str, path: Path, problems: list[Problem]) -> Iterable[tuple[int, dict]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        problems.append(Problem(path, 1, "yaml.empty"))
        return
    names = {}
    for i, title in enumerate(header):
        title = title.strip().lower()
        key = next((k for k, aliases in COLUMNS.items() if title in aliases), None)
        if key is None:
            problems.append(Problem(path, 1, "roster.unknown_column", {"column": title}))
        else:
            names[i] = key
    for needed in ("name", "phone", "unit"):
        if needed not in names.values():
            problems.append(Problem(path, 1, "roster.missing_column", {"column": needed}))
    if problems:
        return
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        yield reader.line_num, {names[i]: c.strip() for i, c in enumerate(cells) if i in names}


def _yaml_rows(text: str, path: Path, problems: list[Problem]) -> Iterable[tuple[int, dict]]:
    doc = load_text(text, path)
    problems.extend(doc.problems)
    if doc.data is None:
        return
    ch = Checker(path, problems)
    top = ch.mapping(doc.data, 1, ("people",))
    people = top.get("people") if top is not None else None
    if not isinstance(people, YList):
        if top is not None:
            ch.report(top.line_of("people"), "roster.no_people", "people")
        return
    for i, entry in enumerate(people):
        line = people.line_of(i)
        m = ch.child(f"people[{i + 1}].").mapping(entry, line, tuple(COLUMNS))
        if isinstance(m, YMap):
            yield line, {k: str(v).strip() for k, v in m.items() if v is not None}


def _check(
    raw: list[tuple[int, dict]], path: Path, units: Callable[[str], bool], problems: list[Problem]
) -> list[RosterRow]:
    rows: list[RosterRow] = []
    seen: dict[str, int] = {}
    seen_wecom: dict[str, int] = {}  # WeCom compares UserIDs ignoring case
    for line, cells in raw:

        def report(key: str, field: str, line: int = line, **params) -> None:
            problems.append(Problem(path, line, key, params, field))

        name = cells.get("name", "")
        if not name:
            report("roster.no_name", "name")
        phone = normalize_phone(cells.get("phone", ""))
        if phone is None:
            report("roster.bad_phone", "phone", value=cells.get("phone", ""))
        elif phone in seen:
            report("roster.duplicate_phone", "phone", first=seen[phone])
        else:
            seen[phone] = line
        unit = cells.get("unit", "")
        if not units(unit):
            report("roster.unknown_unit", "unit", value=unit)
        # A blank or missing role (and position) keeps what a person has (cadre for someone
        # new), so a spreadsheet without the column never demotes an administrator.
        stated = cells.get("role", "").lower()
        role = ROLES.get(stated) if stated else ""
        if role is None:
            report("roster.bad_role", "role", value=cells.get("role"), roles="cadre/host/admin")
        wecom = cells.get("wecom", "")
        if wecom and not _WECOM_ID.fullmatch(wecom):
            report("roster.bad_wecom", "wecom", value=wecom)
        elif wecom.lower() in seen_wecom:
            report("roster.duplicate_wecom", "wecom", first=seen_wecom[wecom.lower()])
        elif wecom:
            seen_wecom[wecom.lower()] = line
        if name and phone and role is not None and units(unit):
            position = cells.get("position", "")
            rows.append(RosterRow(name, phone, unit, role, position, line, wecom))
    return rows
