"""Bar charts for reports, as PNG bytes sized for a phone screen.

Drawn with matplotlib's object API (``Figure`` + ``FigureCanvasAgg``): no pyplot, no display,
no global state, so charts can be rendered from worker threads at the same time. Every piece
of text is set in Noto Sans CJK SC, read straight from the font file that the ``mplfonts``
package ships (we never call its ``use_font``/``init``, which change matplotlib's global
settings); matplotlib's own DejaVu Sans has no Chinese glyphs and would draw boxes (tofu).
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch

from bot.core.i18n import t

MAX_BARS = 30
WIDTH_IN = 7.2
DPI = 150  # 7.2 in x 150 dpi = 1080 px, a phone screen's width

_FONT_FILE = "NotoSansCJKsc-Regular.otf"
CARD_COLOURS = {"gold": "#C9A227", "yellow": "#F4D35E", "red": "#D64541", "": "#7C8DA6"}
_INK = "#222222"
_MUTED = "#666666"

# Font sizes in points (at 150 dpi a point is about 2 px): nothing below 11.
_TITLE_PT = 17
_SUBTITLE_PT = 12
_LABEL_PT = 13
_VALUE_PT = 12
_SMALL_PT = 11

# Vertical layout in inches.
_HEADER_IN = 1.0  # title and subtitle
_THRESHOLD_ROW_IN = 0.28  # one row of threshold labels above the plot
_BAR_IN = 0.42
_EMPTY_PLOT_IN = 1.6
_FOOTER_IN = 0.75  # x tick labels and the value label
_NOTE_IN = 0.35  # the footnote / card legend line
_SIDE_PAD_IN = 0.2
_MAX_LABEL_IN = 2.6
_X_MAX = 100.0
_X_ROOM = 16.0  # room right of 100 % for the value text


@dataclass(frozen=True)
class Bar:
    label: str  # e.g. a unit name "科尔沁右翼前旗"
    value: float  # a percentage 0..100
    card: str = ""  # "gold" | "yellow" | "red" | "" -> bar colour (none = neutral blue-grey)


@cache
def font_path() -> Path:
    """The CJK font file every piece of chart text is set in (Noto Sans CJK SC Regular)."""
    spec = find_spec("mplfonts")  # locate the package without importing it
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            path = Path(folder) / "fonts" / _FONT_FILE
            if path.is_file():
                return path
    raise FileNotFoundError(
        f"{_FONT_FILE} not found: install the 'mplfonts' package (pip install -e .)"
    )


def _font(size: float) -> FontProperties:
    return FontProperties(fname=str(font_path()), size=size)


def _percent(value: float) -> str:
    return f"{value:.1f}%" if math.isfinite(value) else "—"


def _fit(text: str, max_px: float, measure) -> str:
    """``text``, shortened with an ellipsis until it is at most ``max_px`` wide."""
    if measure(text) <= max_px:
        return text
    while len(text) > 1 and measure(text + "…") > max_px:
        text = text[:-1]
    return text + "…"


def bar_chart(
    title: str,
    subtitle: str,
    bars: Sequence[Bar],
    value_label: str,
    thresholds: Sequence[tuple[float, str]] = (),
    locale: str = "zh",
) -> bytes:
    """A PNG: horizontal bars, sorted as given, value printed at each bar's end; phone-readable.

    1080 px wide, taller with more bars. At most ``MAX_BARS`` bars are drawn (the first ones;
    a footnote says how many there were). ``thresholds`` are ``(value, name)`` pairs drawn as
    dashed vertical lines labelled e.g. "金牌 90%". An empty ``bars`` gives a "暂无数据" image.
    Raises ValueError for an unknown ``card``.
    """
    for bar in bars:
        if bar.card not in CARD_COLOURS:
            raise ValueError(f"unknown card {bar.card!r} for {bar.label!r}")
    shown = list(bars[:MAX_BARS])
    notes = []
    if len(bars) > MAX_BARS:
        notes.append(t("chart.capped", locale, shown=MAX_BARS, total=len(bars)))
    marks = sorted(
        ((float(v), name) for v, name in thresholds if math.isfinite(v) and 0 <= v <= _X_MAX),
        key=lambda mark: mark[0],
    )

    fig = Figure(figsize=(WIDTH_IN, 1.0), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    renderer = canvas.get_renderer()
    label_font, value_font, small_font = _font(_LABEL_PT), _font(_VALUE_PT), _font(_SMALL_PT)

    def width_px(text: str, prop: FontProperties) -> float:
        return renderer.get_text_width_height_descent(text, prop, ismath=False)[0]

    # Left margin: as wide as the longest label, within limits (longer ones are shortened).
    max_label_px = _MAX_LABEL_IN * DPI
    labels = [_fit(b.label, max_label_px, lambda s: width_px(s, label_font)) for b in shown]
    label_px = max((width_px(s, label_font) for s in labels), default=0.0)
    left_in = _SIDE_PAD_IN + (label_px / DPI) + 0.15
    right_in = _SIDE_PAD_IN

    # Threshold labels go above the plot, in as many rows as keep them from overlapping.
    plot_px = (WIDTH_IN - left_in - right_in) * DPI
    rows: list[float] = []  # right edge (px) of the last label in each row
    placed = []
    for value, name in marks:
        text = f"{name} {value:g}%"
        half = width_px(text, small_font) / 2
        centre = value / (_X_MAX + _X_ROOM) * plot_px
        row = next((i for i, edge in enumerate(rows) if centre - half > edge + 8), len(rows))
        if row == len(rows):
            rows.append(0.0)
        rows[row] = centre + half
        placed.append((value, text, row))

    plot_in = _BAR_IN * len(shown) + 0.2 if shown else _EMPTY_PLOT_IN
    header_in = _HEADER_IN if subtitle else _HEADER_IN - 0.35
    top_in = header_in + _THRESHOLD_ROW_IN * len(rows) + (0.1 if rows else 0.0)
    cards = [c for c in ("gold", "yellow", "red") if any(b.card == c for b in shown)]
    bottom_in = _FOOTER_IN + (_NOTE_IN if notes or cards else 0.0)
    height_in = top_in + plot_in + bottom_in
    fig.set_size_inches(WIDTH_IN, height_in)
    ax = fig.add_axes(
        (
            left_in / WIDTH_IN,
            bottom_in / height_in,
            (WIDTH_IN - left_in - right_in) / WIDTH_IN,
            plot_in / height_in,
        )
    )

    fig.text(
        _SIDE_PAD_IN / WIDTH_IN, 1 - 0.22 / height_in, title, fontproperties=_font(_TITLE_PT),
        color=_INK, va="top", ha="left", parse_math=False,
    )  # fmt: skip
    if subtitle:
        fig.text(
            _SIDE_PAD_IN / WIDTH_IN, 1 - 0.68 / height_in, subtitle,
            fontproperties=_font(_SUBTITLE_PT), color=_MUTED, va="top", ha="left",
            parse_math=False,
        )  # fmt: skip

    ax.set_xlim(0, _X_MAX + _X_ROOM)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color("#BBBBBB")
    ticks = [0, 25, 50, 75, 100]
    ax.set_xticks(ticks, [str(t) for t in ticks], fontproperties=small_font, color=_MUTED)
    ax.tick_params(axis="x", colors="#BBBBBB", labelcolor=_MUTED)
    ax.set_xlabel(value_label, fontproperties=small_font, color=_MUTED, parse_math=False)
    ax.grid(axis="x", color="#EEEEEE", linewidth=0.8)
    ax.set_axisbelow(True)

    if shown:
        ys = range(len(shown))
        widths = [min(max(b.value, 0.0), _X_MAX) if math.isfinite(b.value) else 0 for b in shown]
        ax.barh(ys, widths, height=0.66, color=[CARD_COLOURS[b.card] for b in shown])
        ax.set_ylim(len(shown) - 0.5, -0.5)  # first bar on top
        ax.set_yticks(list(ys), labels, fontproperties=label_font, color=_INK, parse_math=False)
        ax.tick_params(axis="y", length=0, pad=6)
        for y, width, bar in zip(ys, widths, shown, strict=True):
            ax.text(
                width + 1.0, y, _percent(bar.value), fontproperties=value_font, color=_INK,
                va="center", ha="left", zorder=4,
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0, "alpha": 0.85},
            )  # fmt: skip
    else:
        ax.set_ylim(0, 1)
        ax.set_yticks([])
        ax.text(
            (_X_MAX + _X_ROOM) / 2, 0.5, t("chart.empty", locale),
            fontproperties=_font(_LABEL_PT + 2),
            color=_MUTED, ha="center", va="center",
        )  # fmt: skip

    for value, text, row in placed:
        ax.axvline(value, color="#555555", linestyle=(0, (4, 3)), linewidth=1.1, zorder=3)
        ax.annotate(
            text, (value, 1.0), xycoords=("data", "axes fraction"),
            xytext=(0, 4 + row * _THRESHOLD_ROW_IN * 72), textcoords="offset points",
            fontproperties=small_font, color="#444444", ha="center", va="bottom",
        )  # fmt: skip

    note_y = 0.14 / height_in
    if notes:
        fig.text(
            _SIDE_PAD_IN / WIDTH_IN, note_y, "；".join(notes), fontproperties=small_font,
            color=_MUTED, ha="left", va="bottom",
        )  # fmt: skip
    if cards:
        fig.legend(
            handles=[Patch(color=CARD_COLOURS[c], label=t(f"card.{c}", locale)) for c in cards],
            loc="lower right", bbox_to_anchor=(1 - _SIDE_PAD_IN / WIDTH_IN, 0.06 / height_in),
            ncols=len(cards), frameon=False, prop=small_font, handlelength=1.0,
            handleheight=1.0, borderaxespad=0.0, columnspacing=1.2,
        )  # fmt: skip

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()
