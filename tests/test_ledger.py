"""The study ledger (学习台账): per-person numbers on the small known dataset of the figures
tests, that they add up to the figures per unit, the scope, and the XLSX read back cell by
cell; the `report` command."""

from __future__ import annotations

import io
import subprocess
import sys
from collections import defaultdict
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from bot.app import App
from bot.cli import main
from bot.content.orgtree import OrgTree, Unit
from bot.core.clock import ManualClock, to_db
from bot.core.i18n import t
from bot.domain.figures import Period, combine, composite, parse_period
from bot.domain.ledger import LedgerBook, PersonRow, sheet_names, unit_figures
from bot.reports.xlsx import PERSON_COLUMNS, SUMMARY_COLUMNS, ledger_name, ledger_xlsx
from tests import test_figures
from tests.test_console import config_file
from tests.test_figures import NOVEMBER, check_in, figures, local, quiz, superadmin
from tests.test_quiz import RIGHT

# The figures tests' dataset: a roster-mode app (base) and its month of records (november).
base = test_figures.base
november = test_figures.november

WLHT, HP = "兴安盟 / 乌兰浩特市", "兴安盟 / 乌兰浩特市 / 和平街道"
GGM = "兴安盟 / 乌兰浩特市 / 葛根庙镇"
LH, KYQQ = "兴安盟 / 阿尔山市 / 林海街道", "兴安盟 / 科尔沁右翼前旗"
CES = "兴安盟 / 科尔沁右翼前旗 / 察尔森镇"

# November person by person (吴刚 left the roster: not listed). Due: oct and demo for all,
# nov2 for 和平街道 too; 李雷 failed then passed the demo bank (its best counts, once); the
# lecture of 25 November: 王芳 李雷 张伟 present, 韩梅 孙悦 late, 马丽 on leave, 钱进 made
# it up with the quiz the next day, 赵敏 absent; 周杰 (阿尔山市) was not in its audience.
PEOPLE = {
    "xam-wlht": [
        PersonRow(1, "王芳", WLHT, 2, 1, expected=1, attended=1, points=5, study_times=1,
                  attendance_times=1),
    ],
    "xam-wlht-hp": [
        PersonRow(3, "李雷", HP, 3, 3, quizzes=1, passed=1, score_sum=100, best=100,
                  expected=1, attended=1, points=18, study_times=2, attendance_times=1),
        PersonRow(4, "韩梅", HP, 3, 1, expected=1, attended=1, late=1, points=5,
                  study_times=1, attendance_times=1),
        PersonRow(5, "马丽", HP, 3, 0, expected=1, excused=1),
    ],
    "xam-wlht-ggm": [
        PersonRow(8, "张伟", GGM, 2, 0, expected=1, attended=1, attendance_times=1),
    ],
    "xam-aes-lh": [PersonRow(9, "周杰", LH, 2, 1, points=5, study_times=1)],
    "xam-kyqq": [
        PersonRow(2, "赵敏", KYQQ, 2, 0, expected=1, absent=1),
        PersonRow(7, "孙悦", KYQQ, 2, 0, quizzes=1, score_sum=33, best=33, expected=1,
                  attended=1, late=1, points=1, attendance_times=1),
    ],
    "xam-kyqq-ces": [
        PersonRow(6, "钱进", CES, 2, 1, quizzes=1, passed=1, score_sum=100, best=100,
                  expected=1, made_up=1, points=13, study_times=1),
    ],
}  # fmt: skip
SHEETS = ["乌兰浩特市", "和平街道", "葛根庙镇", "林海街道", "科尔沁右翼前旗", "察尔森镇"]


async def test_the_ledger_of_a_month_person_by_person(november: App) -> None:
    book = await november.services.ledger.build(None, NOVEMBER, superadmin(november))
    assert (book.root, book.root_name, book.period) == (None, "兴安盟", NOVEMBER)
    assert [u.unit_id for u in book.units] == list(PEOPLE)  # tree order, own people only
    assert [u.sheet for u in book.units] == SHEETS
    for unit in book.units:
        assert list(unit.people) == PEOPLE[unit.unit_id], unit.unit_id
        assert unit.figures == unit_figures(unit.unit_id, PEOPLE[unit.unit_id])
    assert book.people == 9
    li = book.units[1].people[0]
    assert (li.study_rate, li.avg_score, li.attendance_rate) == (1, 100, 1)
    zhou = book.units[3].people[0]
    assert (zhou.study_rate, zhou.avg_score, zhou.attendance_rate) == (0.5, None, None)
    total = book.total
    assert (total.people, total.study_due, total.study_done, total.points) == (9, 21, 7, 47)
    assert (total.expected, total.attended, total.excused, total.made_up) == (8, 5, 1, 1)
    assert book.overall == pytest.approx(composite(total))
    # Places and cards come from Figures.rank over the sheets' units.
    ranked = {r.unit.unit_id: r for r in figures(november).rank([u.figures for u in book.units],
                                                                total)}  # fmt: skip
    for unit in book.units:
        assert unit.summary == ranked[unit.unit_id]
    assert [u.summary.place for u in book.units] == [2, 1, 4, 5, 6, 3]


def _by_group(book: LedgerBook, orgs: OrgTree, root: str | None) -> dict[str, list[PersonRow]]:
    rows = defaultdict(list)
    for unit in book.units:
        rows[orgs.level_below(root, unit.unit_id)].extend(unit.people)
    return rows


@pytest.mark.parametrize("root", [None, "xam", "xam-wlht", "xam-kyqq", "xam-wlht-hp"])
@pytest.mark.parametrize("period", ["2026-11", "2026-10", "2026-11-20..2026-12-01", "2026"])
async def test_people_add_up_to_the_figures_of_their_units(
    november: App, root: str | None, period: str
) -> None:
    span = parse_period(period, date(2026, 12, 2))
    scope = superadmin(november)
    orgs = november.services.orgs
    book = await november.services.ledger.build(root, span, scope)
    total, rows = await figures(november).units(root, span, scope)
    grouped = _by_group(book, orgs, root)
    for row in rows:
        assert unit_figures(row.unit_id, grouped.pop(row.unit_id, [])) == row, row.unit_id
    assert not grouped  # nobody outside the figures' rows
    assert replace(book.total, unit_id=total.unit_id) == total
    assert total.people > 0


async def test_an_admin_gets_only_their_own_subtree(november: App) -> None:
    ledger = november.services.ledger
    wang = await november.services.access.scope("console", "王芳")  # admin of 乌兰浩特市
    book = await ledger.build(None, NOVEMBER, wang)
    assert book.root == "xam-wlht"
    assert book.root_name == "乌兰浩特市"
    assert [u.unit_id for u in book.units] == ["xam-wlht", "xam-wlht-hp", "xam-wlht-ggm"]
    assert {p.name for u in book.units for p in u.people} == {
        "王芳",
        "李雷",
        "韩梅",
        "马丽",
        "张伟",
    }
    whole = await ledger.build("xam", NOVEMBER, wang)  # asking for the whole league
    assert [u.unit_id for u in whole.units] == ["xam-wlht", "xam-wlht-hp", "xam-wlht-ggm"]
    other = await ledger.build("xam-kyqq", NOVEMBER, wang)
    assert (other.units, other.people, other.total.people) == ((), 0, 0)
    zhao = await november.services.access.scope("console", "赵敏")  # admin of 科右前旗
    book = await ledger.build(None, NOVEMBER, zhao)
    assert [u.unit_id for u in book.units] == ["xam-kyqq", "xam-kyqq-ces"]
    assert {p.name for u in book.units for p in u.people} == {"赵敏", "孙悦", "钱进"}
    total, _ = await figures(november).units(None, NOVEMBER, zhao)
    assert replace(book.total, unit_id=total.unit_id) == total
    with pytest.raises(ValueError, match="nowhere"):
        await ledger.build("nowhere", NOVEMBER, superadmin(november))


async def test_during_a_lecture_nobody_is_absent_yet(base: App, clock: ManualClock) -> None:
    await check_in(base, clock, local(11, 25, 14, 55), "李雷")
    clock.set(local(11, 25, 15, 20))
    book = await base.services.ledger.build("xam-wlht-hp", NOVEMBER, superadmin(base))
    rows = {p.name: p for p in book.units[0].people}
    assert (rows["李雷"].expected, rows["李雷"].attended, rows["李雷"].absent) == (1, 1, 0)
    assert (rows["韩梅"].expected, rows["韩梅"].attended, rows["韩梅"].absent) == (1, 0, 0)
    assert "吴刚" in rows  # still on the roster then
    clock.set(local(11, 25, 17))  # after the end
    book = await base.services.ledger.build("xam-wlht-hp", NOVEMBER, superadmin(base))
    rows = {p.name: p for p in book.units[0].people}
    assert (rows["韩梅"].absent, rows["李雷"].absent) == (1, 0)


async def test_a_make_up_quiz_outside_the_audience_is_no_make_up(
    november: App, clock: ManualClock
) -> None:
    await quiz(november, clock, local(11, 27), "周杰", RIGHT)  # 阿尔山市: not expected
    await quiz(november, clock, local(11, 27, 11), "赵敏", RIGHT)  # expected, absent
    # A bank and a session no longer in the content (records stay): 李雷 scored 50 on the
    # bank (his best of all is still 100) and checked in to the session.
    at = to_db(local(11, 28))
    await november.services.store.write(
        lambda tx: (
            tx.execute(
                "INSERT INTO quiz_attempts (person_id, quiz_id, number, plan, shown_at, total, "
                "score, passed, started_at, finished_at) VALUES (3, 'gone', 1, '[]', ?, 2, "
                "50, 0, ?, ?)",
                (at, at, at),
            ),
            tx.execute(
                "INSERT INTO checkins VALUES ('gone-20261128', 3, 'present', 'button', "
                "'online', ?)",
                (at,),
            ),
        )
    )
    clock.set(local(12, 2))
    scope = superadmin(november)
    book = await november.services.ledger.build(None, NOVEMBER, scope)
    rows = {p.name: p for u in book.units for p in u.people}
    assert (rows["周杰"].expected, rows["周杰"].made_up, rows["周杰"].quizzes) == (0, 0, 1)
    assert (rows["赵敏"].expected, rows["赵敏"].made_up, rows["赵敏"].absent) == (1, 1, 0)
    li = rows["李雷"]
    assert (li.quizzes, li.passed, li.score_sum, li.avg_score, li.best) == (2, 1, 150, 75, 100)
    assert (li.expected, li.attended, li.attendance_times) == (1, 1, 2)
    total, _ = await figures(november).units(None, NOVEMBER, scope)
    assert replace(book.total, unit_id=total.unit_id) == total
    assert (total.made_up, total.attendance_times) == (2, 6)


# --- the XLSX -----------------------------------------------------------------------


def same(actual, expected) -> None:
    """Rows equal, floats within rounding (XLSX keeps 16 significant digits)."""
    assert len(actual) == len(expected), (actual, expected)
    for a, e in zip(actual, expected, strict=True):
        if isinstance(e, float):
            assert a == pytest.approx(e), (actual, expected)
        else:
            assert a == e, (actual, expected)


def values(ws) -> list[tuple]:
    return [tuple(row) for row in ws.iter_rows(values_only=True)]


async def test_the_xlsx_read_back_cell_by_cell(november: App, tmp_path: Path) -> None:
    book = await november.services.ledger.build(None, NOVEMBER, superadmin(november))
    path = tmp_path / ledger_name(book, "zh")
    assert path.name == "学习台账_兴安盟_2026-11.xlsx"
    ledger_xlsx(book, path, "zh")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["汇总", *SHEETS]

    summary = wb["汇总"]
    rows = values(summary)
    title = "学习台账 · 兴安盟 · 2026-11（2026-11-01 至 2026-11-30）"
    assert rows[0][0] == title
    assert set(rows[0][1:]) == {None}
    assert rows[1] == (
        "单位", "人数", "应学", "已学", "学习完成率", "参测人数", "参测率", "平均分", "应到",
        "实到", "请假", "补学", "出勤率", "积分", "人均积分", "学习人次", "签到人次", "综合得分",
        "排名", "评牌",
    )  # fmt: skip
    red = "红牌"
    expected = [
        (WLHT, 1, 2, 1, 0.5, 0, 0, None, 1, 1, 0, 0, 1, 5, 5, 1, 1, 50.0, 2, red),
        (HP, 3, 9, 4, 4 / 9, 1, 1 / 3, 100, 3, 2, 1, 0, 2 / 3, 23, 7.7, 3, 2,
         round(100 * (4 / 9 + 1 / 3 + 2 / 3) / 3, 1), 1, red),
        (GGM, 1, 2, 0, 0, 0, 0, None, 1, 1, 0, 0, 1, 0, 0, 0, 1, 33.3, 4, red),
        (LH, 1, 2, 1, 0.5, 0, 0, None, 0, 0, 0, 0, None, 5, 5, 1, 0, 25.0, 5, red),
        (KYQQ, 2, 4, 0, 0, 1, 0.5, 33, 2, 1, 0, 0, 0.5, 1, 0.5, 0, 1, 33.3, 6, red),
        (CES, 1, 2, 1, 0.5, 1, 1, 100, 1, 0, 0, 1, 0, 13, 13, 1, 0, 50.0, 3, red),
        ("合计", 9, 21, 7, 1 / 3, 3, 1 / 3, 77.7, 8, 5, 1, 1, 5 / 8, 47, 5.2, 6, 5,
         round(100 * (1 / 3 + 1 / 3 + 5 / 8) / 3, 1), None, None),
    ]  # fmt: skip
    assert len(rows) == 2 + len(expected)
    for got, want in zip(rows[2:], expected, strict=True):
        same(got, want)
    assert summary.freeze_panes == "B3"
    assert summary["A3"].number_format == "General"
    assert summary["E3"].number_format == "0.0%"  # 学习完成率, a number shown as a percent
    assert summary["G4"].number_format == "0.0%"
    assert summary["M4"].number_format == "0.0%"
    assert summary["H4"].number_format == "General"  # rounded to 0.1
    assert summary["R4"].number_format == "General"
    assert summary["A1"].font.b
    assert summary["B2"].font.b
    unit_width = summary.column_dimensions["A"].width
    assert unit_width == len(CES) + len("兴安盟科尔沁右翼前旗察尔森镇") + 2  # CJK counts 2
    assert summary.column_dimensions["E"].width == 2 * len("学习完成率") + 2
    assert summary.column_dimensions["B"].width == 6  # the minimum

    hp = wb["和平街道"]
    rows = values(hp)
    assert (
        rows[0][0]
        == "学习台账 · 兴安盟 / 乌兰浩特市 / 和平街道 · 2026-11（2026-11-01 至 2026-11-30）"
    )
    assert rows[1] == (
        "编号", "姓名", "单位", "应学", "已学", "学习完成率", "参加测试", "通过测试", "平均分",
        "应到", "实到", "其中迟到", "请假", "缺席", "补学", "出勤率", "积分",
    )  # fmt: skip
    assert len(rows) == 5
    same(rows[2], (3, "李雷", HP, 3, 3, 1, 1, 1, 100, 1, 1, 0, 0, 0, 0, 1, 18))
    same(rows[3], (4, "韩梅", HP, 3, 1, 1 / 3, 0, 0, None, 1, 1, 1, 0, 0, 0, 1, 5))
    same(rows[4], (5, "马丽", HP, 3, 0, 0, 0, 0, None, 1, 0, 0, 1, 0, 0, 0, 0))
    assert hp.freeze_panes == "C3"
    assert hp["F4"].number_format == "0.0%"
    assert hp["P4"].number_format == "0.0%"
    assert hp["I3"].number_format == "General"
    assert hp["Q3"].number_format == "General"
    assert hp.column_dimensions["C"].width == 2 * 12 + 6 + 2  # 12 CJK characters, 6 others
    assert hp.column_dimensions["B"].width == 6
    widths = [hp.column_dimensions[c].width for c in "ABCDEFGHIJKLMNOPQ"]
    assert all(6 <= w <= 60 for w in widths)
    rows = values(wb["察尔森镇"])
    same(rows[2], (6, "钱进", CES, 2, 1, 0.5, 1, 1, 100, 1, 0, 0, 0, 0, 1, 0, 13))
    rows = values(wb["林海街道"])
    same(rows[2], (9, "周杰", LH, 2, 1, 0.5, 0, 0, None, 0, 0, 0, 0, 0, 0, None, 5))
    rows = values(wb["科尔沁右翼前旗"])
    same(rows[2], (2, "赵敏", KYQQ, 2, 0, 0, 0, 0, None, 1, 0, 0, 0, 1, 0, 0, 0))
    same(rows[3], (7, "孙悦", KYQQ, 2, 0, 0, 1, 0, 33, 1, 1, 1, 0, 0, 0, 1, 1))


async def test_the_xlsx_in_english_to_a_file_object(november: App) -> None:
    scope = await november.services.access.scope("console", "王芳")
    book = await november.services.ledger.build(None, NOVEMBER, scope)
    assert ledger_name(book, "en") == "study-ledger_乌兰浩特市_2026-11.xlsx"
    buffer = io.BytesIO()
    ledger_xlsx(book, buffer, "en")
    wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert wb.sheetnames == ["Summary", "乌兰浩特市", "和平街道", "葛根庙镇"]
    summary = values(wb["Summary"])
    assert summary[0][0] == "Study ledger · 乌兰浩特市 · 2026-11 (2026-11-01 to 2026-11-30)"
    assert summary[1] == tuple(t(key, "en") for key, _, _ in SUMMARY_COLUMNS)
    assert summary[1][:3] == ("Unit", "People", "Items due")
    assert summary[-1][0] == "Total"
    assert summary[-1][1] == 5
    assert summary[2][-1] == "Red"
    people = values(wb["和平街道"])
    assert people[1] == tuple(t(key, "en") for key, _, _ in PERSON_COLUMNS)
    assert [r[1] for r in people[2:]] == ["李雷", "韩梅", "马丽"]


def test_every_header_has_both_languages() -> None:
    for key, _, _ in (*PERSON_COLUMNS, *SUMMARY_COLUMNS):
        assert t(key, "zh") != key
        assert t(key, "en") != key
        assert t(key, "zh") != t(key, "en")


def test_sheet_names_are_unique_short_and_safe() -> None:
    orgs = OrgTree(
        [
            Unit("a", "阿尔山市"),
            Unit("a-x", "新城镇", "a", 1),
            Unit("b", "白狼市"),
            Unit("b-x", "新城镇", "b", 1),  # the same name under another parent
            Unit("b-y", "NEW:town/[1]*?", "b", 1),
            Unit("b-z", "new_town__1___", "b", 1),  # what the one above becomes
            Unit("b-s", "Summary", "b", 1),  # the summary sheet's name
            Unit("b-l", "很长" * 20, "b", 1),
            Unit("b-m", "很长" * 20 + "甲", "b", 1),
        ]
    )
    names = sheet_names(orgs, [u for u in orgs.units if u not in ("a", "b")])
    assert names["a-x"] == "新城镇"
    assert names["b-x"] == "白狼市-新城镇"
    assert names["b-y"] == "NEW_town__1___"
    assert names["b-z"] == "白狼市-new_town__1___"  # Excel ignores case: a clash
    assert names["b-s"] == "白狼市-Summary"
    assert names["b-l"] == ("很长" * 20)[:31]
    assert names["b-m"] not in (names["b-l"],)
    assert len(names["b-m"]) <= 31
    assert len({n.casefold() for n in names.values()}) == len(names)
    for name in names.values():
        assert len(name) <= 31
        assert not set(name) & set("[]:*?/\\")


# --- the command line ---------------------------------------------------------------


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args, "--config", str(config_file(tmp_path))],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip


def test_report_writes_the_ledger_from_the_command_line(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "姓名,手机,单位\n王芳,13800000001,xam-wlht\n李雷,13800000002,xam-wlht-hp\n"
        "钱进,13800000003,xam-kyqq-ces\n",
        encoding="utf-8",
    )
    assert _cli(tmp_path, "roster", "import", str(roster)).returncode == 0
    out = tmp_path / "台账.xlsx"
    done = _cli(tmp_path, "report", "--org", "乌兰浩特市", "--from", "2026-01-01", "--to",
                "2026-01-31", "--xlsx", str(out))  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"已写出学习台账 {out}：2 个单位工作表，2 人（2026-01）"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["汇总", "乌兰浩特市", "和平街道"]
    assert values(wb["汇总"])[0][0] == "学习台账 · 乌兰浩特市 · 2026-01（2026-01-01 至 2026-01-31）"
    assert [r[:3] for r in values(wb["和平街道"])[2:]] == [(2, "李雷", HP)]
    everyone = _cli(tmp_path, "report", "--from", "2026-01-01", "--to", "2026-01-07", "--xlsx",
                    str(tmp_path / "all.xlsx"))  # fmt: skip
    assert everyone.returncode == 0, everyone.stderr
    assert "3 个单位工作表，3 人（2026-01-01..2026-01-07）" in everyone.stdout
    assert list(tmp_path.glob("*.part")) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org", "不存在"], "没有找到单位“不存在”"),
        (["--from", "2026-13-01"], "“2026-13-01” 不是日期"),
        (["--to", "30.11.2026"], "“30.11.2026” 不是日期"),
        (
            ["--from", "2026-11-30", "--to", "2026-11-01"],
            "开始日期 2026-11-30 晚于结束日期 2026-11-01",
        ),
    ],
)
def test_report_refuses_bad_input_and_writes_nothing(
    tmp_path: Path, capsys, args: list[str], message: str
) -> None:
    out = tmp_path / "out.xlsx"
    code = main(["report", *args, "--xlsx", str(out), "--config", str(config_file(tmp_path))])
    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
    assert not (tmp_path / "bot.sqlite3").exists()  # refused before opening anything


def test_an_ambiguous_unit_lists_the_candidates(tmp_path: Path, capsys) -> None:
    orgs = tmp_path / "orgs.yaml"
    orgs.write_text(
        "units:\n  - {id: m, name: 盟}\n  - {id: m-a, name: 甲旗, parent: m}\n"
        "  - {id: m-b, name: 乙旗, parent: m}\n  - {id: m-a-x, name: 新城镇, parent: m-a}\n"
        "  - {id: m-b-x, name: 新城镇, parent: m-b}\n",
        encoding="utf-8",
    )
    path = config_file(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        next(line for line in path.read_text(encoding="utf-8").splitlines() if "orgs_file" in line),
        f"  orgs_file: {orgs}",
    )
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out.xlsx"
    code = main(["report", "--org", "新城镇", "--xlsx", str(out), "--config", str(path)])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "“新城镇”对应多个单位" in err
    assert "m-a-x  盟 / 甲旗 / 新城镇" in err
    assert not out.exists()


def test_sums_of_people_make_the_figures_of_a_unit() -> None:
    rows = [PersonRow(1, "甲", "u", 2, 1, quizzes=2, score_sum=150, best=90, expected=3,
                      attended=2, late=1, absent=1, points=7),
            PersonRow(2, "乙", "u", 2, 2, expected=3, excused=1, made_up=1, absent=1)]  # fmt: skip
    f = unit_figures("u", rows)
    assert (f.people, f.study_due, f.study_done, f.quiz_takers, f.score_sum) == (2, 4, 3, 1, 90)
    assert (f.expected, f.attended, f.excused, f.made_up, f.points) == (6, 2, 1, 1, 7)
    assert combine("x", [f, f]).people == 4
    assert rows[0].avg_score == 75
    assert rows[1].avg_score is None


def test_a_period_prints_in_the_file_name() -> None:
    book = LedgerBook(None, "", Period(date(2026, 11, 3), date(2026, 11, 8)), unit_figures("", []),
                      None, ())  # fmt: skip
    assert ledger_name(book, "zh") == "学习台账_全部单位_2026-11-03_2026-11-08.xlsx"
