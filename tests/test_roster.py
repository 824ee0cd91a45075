"""Roster files: CSV and YAML, every problem with its line, and importing into people."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.app import App
from bot.content.problems import ContentError
from bot.content.roster import load_roster, normalize_phone
from bot.domain.roster import Imported, Roster

UNITS = {"xam", "xam-wlht", "xam-kyqq"}.__contains__
HEADER = "姓名,手机,单位,角色,职务\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[tuple[str, str]]:
    """Each problem as (catalog key, rendered in English)."""
    with pytest.raises(ContentError) as info:
        load_roster(path, UNITS)
    return [(p.key, p.render("en", path.parent)) for p in info.value.problems]


@pytest.mark.parametrize(
    ("typed", "phone"),
    [
        ("13800000001", "13800000001"),
        ("+86 138-0000-0001", "13800000001"),
        ("8613800000001", "13800000001"),
        ("(138) 0000 0001", "13800000001"),
        ("1380000000", None),
        ("12800000001", None),
        ("0482-8888888", None),
    ],
)
def test_phone_numbers_are_normalised(typed: str, phone: str | None) -> None:
    assert normalize_phone(typed) == phone


def test_a_csv_roster_with_chinese_headers_and_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "roster.csv"
    text = HEADER + "王芳,138 0000 0001,xam-wlht,管理员,组织部干事\n\n李雷,13800000002,xam-kyqq,,\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    rows = load_roster(path, UNITS)
    assert [(r.name, r.phone, r.unit, r.role, r.line) for r in rows] == [
        ("王芳", "13800000001", "xam-wlht", "admin", 2),
        ("李雷", "13800000002", "xam-kyqq", "", 4),  # not stated: kept, or cadre if new
    ]


def test_every_problem_is_listed_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "roster.csv",
        HEADER
        + ",13800000001,xam,,\n"
        + "王芳,1380000,xam,,\n"
        + "李雷,13800000002,xam-nowhere,,\n"
        + "赵磊,13800000003,xam,boss,\n"
        + "孙丽,13800000003,xam,,\n",
    )
    assert problems(path) == [
        ("roster.no_name", "roster.csv:2: name: the name is empty"),
        ("roster.bad_phone", "roster.csv:3: phone: '1380000' is not an 11-digit mobile number"),
        (
            "roster.unknown_unit",
            "roster.csv:4: unit: there is no unit 'xam-nowhere' in the org tree",
        ),
        ("roster.bad_role", "roster.csv:5: role: role 'boss' is not one of cadre/host/admin"),
        ("roster.duplicate_phone", "roster.csv:6: phone: this phone number is already on line 5"),
    ]


def test_header_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "roster.csv", "name,phone,email\n王芳,13800000001,a@b.c\n")
    unknown = "roster.csv:1: unknown column 'email'; use name, phone, unit, role, position"
    missing = "roster.csv:1: the 'unit' column is missing (name, phone and unit are required)"
    assert problems(path) == [
        ("roster.unknown_column", unknown),
        ("roster.missing_column", missing),
    ]


def test_a_yaml_roster(tmp_path: Path) -> None:
    good = "people:\n  - {name: 王芳, phone: '13800000001', unit: xam}\n  - name: 李雷\n"
    good += "    phone: '13800000002'\n    unit: xam-wlht\n    role: host\n"
    rows = load_roster(write(tmp_path, "roster.yaml", good), UNITS)
    assert [(r.name, r.role, r.line) for r in rows] == [("王芳", "", 2), ("李雷", "host", 3)]
    bad = write(tmp_path, "bad.yaml", "staff: []\n")
    assert problems(bad)[0][1].startswith("bad.yaml:1: staff: unknown field")
    empty = write(tmp_path, "none.yaml", "people: 3\n")
    needs = "none.yaml:1: people: needs a people: list with one entry per person"
    assert problems(empty) == [("roster.no_people", needs)]


async def test_import_reimport_and_removal(app: App, tmp_path: Path) -> None:
    services = app.services
    roster = Roster(services.store, services.clock, services.audit)
    first = HEADER + "王芳,13800000001,xam-wlht,admin,干事\n李雷,13800000002,xam,,\n"
    first += "赵磊,13800000003,xam-kyqq,,\n"
    rows = load_roster(write(tmp_path, "r.csv", first), UNITS)
    assert await roster.apply("cli", "r.csv", rows) == Imported(3, 0, 0, 0)
    again = await roster.apply("cli", "r.csv", rows)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    second = HEADER + "王芳,13800000001,xam-kyqq,admin,干事\n李雷,13800000002,xam,,\n"
    rows = load_roster(write(tmp_path, "r.csv", second), UNITS)
    changed = await roster.apply("cli", "r.csv", rows)
    assert (changed.added, changed.updated, changed.unchanged, changed.deactivated) == (0, 1, 1, 1)
    people = await services.store.all(
        "SELECT display_name, unit_id, active FROM people ORDER BY id"
    )
    assert [tuple(r) for r in people] == [
        ("王芳", "xam-kyqq", 1),
        ("李雷", "xam", 1),
        ("赵磊", "xam-kyqq", 0),  # deactivated, kept
    ]
    entry = (await services.audit.recent(action="roster.import"))[0]
    assert entry.detail == {"added": 0, "updated": 1, "deactivated": 1}


async def test_a_blank_role_keeps_the_role_and_a_stated_one_changes_it(
    app: App, tmp_path: Path
) -> None:
    roster = app.services.roster
    store = app.services.store
    first = HEADER + "王芳,13800000001,xam-wlht,管理员,\n李雷,13800000002,xam,,\n"
    await roster.apply("cli", "r.csv", load_roster(write(tmp_path, "r.csv", first), UNITS))
    roles = "SELECT display_name, role FROM people ORDER BY id"
    assert [tuple(r) for r in await store.all(roles)] == [("王芳", "admin"), ("李雷", "cadre")]
    blank = "姓名,手机,单位\n王芳,13800000001,xam-wlht\n李雷,13800000002,xam\n"
    kept = await roster.apply("cli", "r.csv", load_roster(write(tmp_path, "r.csv", blank), UNITS))
    assert kept.unchanged == 2
    assert [tuple(r) for r in await store.all(roles)] == [("王芳", "admin"), ("李雷", "cadre")]
    stated = HEADER + "王芳,13800000001,xam-wlht,干部,\n李雷,13800000002,xam,主持人,\n"
    await roster.apply("cli", "r.csv", load_roster(write(tmp_path, "r.csv", stated), UNITS))
    assert [tuple(r) for r in await store.all(roles)] == [("王芳", "cadre"), ("李雷", "host")]
