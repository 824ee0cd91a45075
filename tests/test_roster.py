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
    unknown = "roster.csv:1: unknown column 'email'; use name, phone, unit, role, position, wecom"
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


WECOM_HEADER = "姓名,手机,单位,账号\n"  # 账号: the UserID column of WeCom's address-book export


def test_the_wecom_column_is_read_and_checked(tmp_path: Path) -> None:
    good = write(
        tmp_path, "ok.csv", WECOM_HEADER + "王芳,13800000001,xam,WangFang\n李雷,13800000002,xam,\n"
    )
    assert [(r.name, r.wecom) for r in load_roster(good, UNITS)] == [
        ("王芳", "WangFang"),
        ("李雷", ""),
    ]
    bad = WECOM_HEADER + "王芳,13800000001,xam,王芳\n李雷,13800000002,xam,-lilei\n"
    bad += "赵磊,13800000003,xam,wangfang2\n孙丽,13800000004,xam,WANGFANG2\n"
    found = problems(write(tmp_path, "bad.csv", bad))
    assert [key for key, _ in found] == [
        "roster.bad_wecom",
        "roster.bad_wecom",
        "roster.duplicate_wecom",
    ]
    assert found[0][1].startswith("bad.csv:2: wecom: '王芳' is not a WeCom account")
    assert (
        found[2][1]
        == "bad.csv:5: wecom: this WeCom account is already on line 4 (case does not matter)"
    )


async def test_an_import_links_the_wecom_accounts_it_lists(app: App, tmp_path: Path) -> None:
    services = app.services
    store = services.store
    # 李雷 wrote to the bot on WeCom before anyone put him on the roster: a stand-in.
    stand_in, _ = await services.people.register("wecom", "lilei", "lilei", "lilei", None, True)
    text = WECOM_HEADER + "王芳,13800000001,xam-wlht,WangFang\n李雷,13800000002,xam,LiLei\n"
    text += "赵磊,13800000003,xam-kyqq,\n"
    rows = load_roster(write(tmp_path, "r.csv", text), UNITS)
    preview = await services.roster.apply("cli", "r.csv", rows, dry_run=True)
    assert preview == Imported(3, 0, 0, 0, 2)
    assert await store.scalar("SELECT COUNT(*) FROM accounts") == 1  # a preview changes nothing
    assert await services.roster.apply("cli", "r.csv", rows) == Imported(3, 0, 0, 0, 2)
    accounts = (
        "SELECT a.user_ref, p.display_name FROM accounts a JOIN people p ON p.id = a.person_id"
    )
    # The stand-in's account keeps WeCom's spelling and now stands for 李雷 of the roster.
    assert sorted(tuple(r) for r in await store.all(accounts)) == [
        ("WangFang", "王芳"),
        ("lilei", "李雷"),
    ]
    retired = await services.people.get(stand_in.id)
    assert retired is not None
    assert not retired.active
    assert (await services.roster.apply("cli", "r.csv", rows)).linked == 0  # already linked
    # A new UserID for 王芳 replaces the old one; a file without the column unlinks nobody.
    moved = WECOM_HEADER + "王芳,13800000001,xam-wlht,wf2026\n李雷,13800000002,xam,\n"
    await services.roster.apply("cli", "r.csv", load_roster(write(tmp_path, "r.csv", moved), UNITS))
    assert sorted(r[0] for r in await store.all(accounts)) == ["lilei", "wf2026"]
    entry = (await services.audit.recent(action="roster.link"))[0]
    assert entry.detail["account"] == "wecom:wf2026"
    assert entry.detail["replaced"] == ["WangFang"]
    assert (
        Imported(1, 0, 2, 0, 1).describe("zh")
        == "新增 1 人，更新 0 人，不变 2 人，停用 0 人，关联企业微信账号 1 个"
    )


async def test_an_admin_cannot_take_a_wecom_account_from_outside_their_units(
    app: App, tmp_path: Path
) -> None:
    roster = app.services.roster
    first = WECOM_HEADER + "王芳,13800000001,xam-wlht,WangFang\n李雷,13800000002,xam-kyqq,\n"
    await roster.apply("cli", "r.csv", load_roster(write(tmp_path, "r.csv", first), UNITS))
    # The 科右前旗 admin lists 王芳's WeCom account for one of their own people.
    theirs = WECOM_HEADER + "李雷,13800000002,xam-kyqq,wangfang\n"
    rows = load_roster(write(tmp_path, "k.csv", theirs), UNITS)
    with pytest.raises(ContentError) as info:
        await roster.apply("admin", "k.csv", rows, within=lambda unit: unit == "xam-kyqq")
    [problem] = info.value.problems
    assert problem.render("zh", tmp_path).startswith(
        "k.csv:2: wecom: 企业微信账号“wangfang”已属于您管理范围以外"
    )
    holder = "SELECT p.display_name FROM accounts a JOIN people p ON p.id = a.person_id"
    assert [r[0] for r in await app.services.store.all(holder)] == ["王芳"]  # nothing changed
