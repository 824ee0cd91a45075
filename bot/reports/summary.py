"""A unit's report as phone text and a chart: the key figures, then the units below it
ranked with their cards (亮晒比). Used by /report and the weekly ranking post."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.config import ReportsConfig
from bot.content.orgtree import OrgTree
from bot.core.i18n import t
from bot.domain.figures import Period, Ranked, UnitFigures
from bot.reports.chart import Bar, bar_chart

MEDALS = {1: "🥇", 2: "🥈", 3: "🥉"}
CARD_MARKS = {"gold": "🏅", "yellow": "🟨", "red": "🟥"}
MAX_RANK_LINES = 30  # the chart's cap too: one phone screen of units


@dataclass(frozen=True)
class Report:
    """What a report is about and what it found."""

    root: str | None  # None: the whole tree
    period: Period
    total: UnitFigures
    ranked: Sequence[Ranked]


def percent(rate: float | None) -> str:
    """86.5% (or a dash when nothing was due)."""
    return "—" if rate is None else f"{100 * rate:.1f}%"


def number(value: float | None, digits: int = 1) -> str:
    """1,234.5 with thousands separators (a dash for None)."""
    return "—" if value is None else f"{value:,.{digits}f}"


def root_name(orgs: OrgTree, root: str | None, locale: str) -> str:
    """The unit's short name, or the whole tree's name."""
    if root is None:
        tops = orgs.roots
        return orgs.units[tops[0]].name if len(tops) == 1 else t("report.everyone", locale)
    return orgs.units[root].name


def unit_label(orgs: OrgTree, unit_id: str, root: str | None, locale: str) -> str:
    """A ranked unit's name; the report's own unit (its people directly in it) is marked."""
    name = orgs.units[unit_id].name if unit_id in orgs.units else unit_id
    return t("report.own_level", locale, unit=name) if unit_id == root else name


def figures_lines(total: UnitFigures, locale: str) -> list[str]:
    """The key figures of a report, one line each."""
    return [
        t("report.people", locale, people=f"{total.people:,}"),
        t("report.study", locale, rate=percent(total.study_rate),
          done=f"{total.study_done:,}", due=f"{total.study_due:,}"),
        t("report.quiz", locale, rate=percent(total.quiz_rate),
          takers=f"{total.quiz_takers:,}", score=number(total.avg_score)),
        t("report.attendance", locale, rate=percent(total.attendance_rate),
          attended=f"{total.attended:,}", expected=f"{total.expected:,}",
          excused=f"{total.excused:,}", made_up=f"{total.made_up:,}"),
        t("report.points", locale, per_head=number(total.points_per_head),
          points=f"{total.points:,}"),
        t("report.times", locale, study=f"{total.study_times:,}",
          attendance=f"{total.attendance_times:,}"),
    ]  # fmt: skip


def ranking_lines(
    ranked: Sequence[Ranked], orgs: OrgTree, locale: str, root: str | None = None
) -> list[str]:
    """Units best first with score and card; units with nothing to score named last."""
    lines = []
    scored = [r for r in ranked if r.place is not None]
    for r in scored[:MAX_RANK_LINES]:
        marker = MEDALS.get(r.place or 0, f"{r.place}.")
        card = f" {CARD_MARKS[r.card]}{t(f'card.{r.card}', locale)}" if r.card else ""
        name = unit_label(orgs, r.unit.unit_id, root, locale)
        lines.append(t("report.rank_row", locale, marker=marker, name=name,
                       score=number(r.adjusted), people=f"{r.unit.people:,}") + card)  # fmt: skip
    if len(scored) > MAX_RANK_LINES:
        lines.append(t("report.more", locale, count=len(scored) - MAX_RANK_LINES))
    idle = [r for r in ranked if r.place is None]
    if idle:
        names = t("list.sep", locale).join(
            unit_label(orgs, r.unit.unit_id, root, locale) for r in idle[:10]
        )
        more = t("report.and_more", locale, count=len(idle) - 10) if len(idle) > 10 else ""
        lines.append(t("report.unscored", locale, units=names + more))
    return lines


def report_text(report: Report, orgs: OrgTree, locale: str) -> str:
    """The report as one message: title, key figures and the ranking with cards."""
    name = root_name(orgs, report.root, locale)
    lines = [t("report.title", locale, unit=name, period=str(report.period)), ""]
    lines += figures_lines(report.total, locale)
    if report.ranked:
        lines += ["", t("report.ranking", locale)]
        lines += ranking_lines(report.ranked, orgs, locale, report.root)
    return "\n".join(lines)


def report_chart(report: Report, orgs: OrgTree, config: ReportsConfig, locale: str) -> bytes:
    """The ranking as a PNG bar chart: adjusted scores coloured by card, card thresholds
    as dashed lines."""
    bars = [
        Bar(unit_label(orgs, r.unit.unit_id, report.root, locale), r.adjusted or 0.0, r.card or "")
        for r in report.ranked
        if r.place is not None
    ]
    name = root_name(orgs, report.root, locale)
    thresholds = [(config.gold, t("card.gold", locale)), (config.yellow, t("card.yellow", locale)),
                  (config.red, t("card.red", locale))]  # fmt: skip
    return bar_chart(
        t("report.chart_title", locale, unit=name, period=str(report.period)),
        t(
            "report.chart_subtitle",
            locale,
            rate=percent(report.total.study_rate),
            attendance=percent(report.total.attendance_rate),
        ),
        bars,
        t("report.chart_axis", locale),
        thresholds,
        locale,
    )


def chart_name(report: Report, orgs: OrgTree, locale: str) -> str:
    """A file name for the chart, e.g. 学习排名_乌兰浩特市_2026-11.png."""
    name = root_name(orgs, report.root, locale)
    return t("report.chart_file", locale, unit=name, period=str(report.period).replace("..", "_"))
