"""The study ledger (学习台账) as an XLSX workbook: a summary sheet (one line per unit and a
total), then one sheet per unit with one line per person.

Written with openpyxl's write-only mode, which streams each sheet's rows to disk: memory
stays flat however many people the ledger holds. Freeze panes and column widths must be
set before a sheet's first row is appended (they go at the top of the sheet's XML), so
widths are worked out from the rows in memory first. Rates are numbers (fractions) shown
with a percent format, never text, so they sort and sum in Excel."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from bot.core.i18n import t
from bot.domain.figures import Ranked, UnitFigures
from bot.domain.ledger import LedgerBook, PersonRow, UnitSheet

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

PERCENT = "0.0%"
MIN_WIDTH, MAX_WIDTH, PADDING = 6, 60, 2
SUMMARY_FREEZE = "B3"  # the title and header rows and the unit column stay in view
PEOPLE_FREEZE = "C3"  # the title and header rows and the id and name columns
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\s]+')

_TITLE_FONT = Font(bold=True, size=13)
_HEADER_FONT = Font(bold=True)
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)


# A column: its catalog key, how to read a value from a row, and its number format (None:
# general). Values of None are left blank (nothing was due, so there is no rate). Scores
# and averages are rounded to one decimal and left general: a formatted cell costs openpyxl
# several times a plain one, and 100,000 rows have to be written in seconds.
Column = tuple[str, Callable[[Any], Any], str | None]


def _one(value: float | None) -> float | None:
    """`value` to one decimal (None stays None)."""
    return None if value is None else round(value, 1)


PERSON_COLUMNS: tuple[Column, ...] = (
    ("ledger.col.id", lambda p: p.person_id, None),
    ("ledger.col.name", lambda p: p.name, None),
    ("ledger.col.unit", lambda p: p.unit, None),
    ("ledger.col.study_due", lambda p: p.study_due, None),
    ("ledger.col.study_done", lambda p: p.study_done, None),
    ("ledger.col.study_rate", lambda p: p.study_rate, PERCENT),
    ("ledger.col.quizzes", lambda p: p.quizzes, None),
    ("ledger.col.passed", lambda p: p.passed, None),
    ("ledger.col.avg_score", lambda p: _one(p.avg_score), None),
    ("ledger.col.expected", lambda p: p.expected, None),
    ("ledger.col.attended", lambda p: p.attended, None),
    ("ledger.col.late", lambda p: p.late, None),
    ("ledger.col.excused", lambda p: p.excused, None),
    ("ledger.col.absent", lambda p: p.absent, None),
    ("ledger.col.made_up", lambda p: p.made_up, None),
    ("ledger.col.attendance_rate", lambda p: p.attendance_rate, PERCENT),
    ("ledger.col.points", lambda p: p.points, None),
)

# Summary columns read a (name, figures, Ranked | None) line.
SUMMARY_COLUMNS: tuple[Column, ...] = (
    ("ledger.col.unit", lambda s: s[0], None),
    ("ledger.col.people", lambda s: s[1].people, None),
    ("ledger.col.study_due", lambda s: s[1].study_due, None),
    ("ledger.col.study_done", lambda s: s[1].study_done, None),
    ("ledger.col.study_rate", lambda s: s[1].study_rate, PERCENT),
    ("ledger.col.quiz_takers", lambda s: s[1].quiz_takers, None),
    ("ledger.col.quiz_rate", lambda s: s[1].quiz_rate, PERCENT),
    ("ledger.col.avg_score", lambda s: _one(s[1].avg_score), None),
    ("ledger.col.expected", lambda s: s[1].expected, None),
    ("ledger.col.attended", lambda s: s[1].attended, None),
    ("ledger.col.excused", lambda s: s[1].excused, None),
    ("ledger.col.made_up", lambda s: s[1].made_up, None),
    ("ledger.col.attendance_rate", lambda s: s[1].attendance_rate, PERCENT),
    ("ledger.col.points", lambda s: s[1].points, None),
    ("ledger.col.points_per_head", lambda s: _one(s[1].points_per_head), None),
    ("ledger.col.study_times", lambda s: s[1].study_times, None),
    ("ledger.col.attendance_times", lambda s: s[1].attendance_times, None),
    ("ledger.col.score", lambda s: _one(s[2]), None),
    ("ledger.col.place", lambda s: s[3], None),
    ("ledger.col.card", lambda s: s[4], None),
)


def display_width(text: str) -> int:
    """How wide `text` shows in a spreadsheet column: a CJK (wide) character counts 2."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _value_width(value: Any) -> int:
    """How wide a general (unformatted) value shows."""
    if value is None:
        return 0
    if isinstance(value, str):
        return display_width(value)
    return len(str(value))


def _widths(headers: Sequence[str], columns: Sequence[Column], rows: Sequence[Any]) -> list[float]:
    """A width per column that fits its header and every value, within bounds."""
    widths = []
    for header, (_, read, fmt) in zip(headers, columns, strict=True):
        if fmt == PERCENT:
            wide = len("100.0%")  # a rate is at most 100 %
        else:
            values = {read(row) for row in rows}  # distinct: a sheet's unit column has one
            wide = max((_value_width(v) for v in values), default=0)
        wide = max(wide, display_width(header))
        widths.append(float(min(max(wide + PADDING, MIN_WIDTH), MAX_WIDTH)))
    return widths


def ledger_name(book: LedgerBook, locale: str) -> str:
    """A file name such as 学习台账_乌兰浩特市_2026-11.xlsx."""
    name = book.root_name or t("ledger.all_units", locale)
    period = str(book.period).replace("..", "_")
    parts = (t("ledger.file", locale), name, period)
    return "_".join(_UNSAFE_FILE_CHARS.sub("-", part).strip("-") for part in parts) + ".xlsx"


def ledger_xlsx(book: LedgerBook, dest: str | Path | IO[bytes], locale: str) -> None:
    """Write the ledger to `dest` (a path or a binary file): the summary sheet first, then
    one sheet per unit; headers frozen, columns sized, rates as percent numbers."""
    wb = Workbook(write_only=True)
    period = book.period
    _summary(wb, book, locale)
    for unit in book.units:
        title = t(
            "ledger.title", locale, name=unit.full_name, period=str(period),
            start=period.start.isoformat(), end=period.end.isoformat(),
        )  # fmt: skip
        _people(wb, unit, title, locale)
    wb.save(dest)


def _summary(wb: Workbook, book: LedgerBook, locale: str) -> None:
    period = book.period
    ws = wb.create_sheet(t("ledger.summary_sheet", locale))
    title = t(
        "ledger.title", locale, name=book.root_name or t("ledger.all_units", locale),
        period=str(period), start=period.start.isoformat(), end=period.end.isoformat(),
    )  # fmt: skip
    lines = [_line(u.full_name, u.summary, locale) for u in book.units]
    total = (t("ledger.total", locale), book.total, book.overall, None, None)
    _sheet(ws, title, SUMMARY_COLUMNS, [*lines, total], SUMMARY_FREEZE, locale)


def _line(name: str, ranked: Ranked, locale: str) -> tuple:
    card = t(f"card.{ranked.card}", locale) if ranked.card else None
    return (name, ranked.unit, ranked.score, ranked.place, card)


def _people(wb: Workbook, unit: UnitSheet, title: str, locale: str) -> None:
    ws = wb.create_sheet(unit.sheet)
    _sheet(ws, title, PERSON_COLUMNS, unit.people, PEOPLE_FREEZE, locale)


def _sheet(
    ws: WriteOnlyWorksheet,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[PersonRow] | Sequence[tuple[str, UnitFigures, Any, Any, Any]],
    freeze: str,
    locale: str,
) -> None:
    """A title row, a header row, then the rows; frozen and sized before the first row."""
    headers = [t(key, locale) for key, _, _ in columns]
    ws.freeze_panes = freeze
    for i, width in enumerate(_widths(headers, columns, rows), 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    cell = WriteOnlyCell(ws, value=title)
    cell.font = _TITLE_FONT
    ws.append([cell])
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(ws, value=text)
        cell.font, cell.alignment = _HEADER_FONT, _HEADER_ALIGN
        header_cells.append(cell)
    ws.append(header_cells)
    # One formatted cell per column, reused row after row: a write-only sheet writes a
    # row out as it is appended, so the cell is free again for the next one.
    formatted = []
    for i, (_, _, fmt) in enumerate(columns):
        if fmt is not None:
            cell = WriteOnlyCell(ws)
            cell.number_format = fmt
            formatted.append((i, cell))
    readers = [read for _, read, _ in columns]
    for row in rows:
        values = [read(row) for read in readers]
        for i, cell in formatted:
            if values[i] is not None:
                cell.value = values[i]
                values[i] = cell
        ws.append(values)
