"""Report charts: PNG size, capping, empty data, and Chinese text drawn as glyphs, not tofu."""

from __future__ import annotations

import io
import struct
import warnings

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from PIL import Image

from bot.reports.chart import MAX_BARS, Bar, bar_chart, font_path

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
UNIT_NAMES = ["科尔沁右翼前旗", "乌兰浩特市", "葛根庙镇", "嘎查", "兴安盟", "阿尔山市"]
CHART_WORDS = "暂无数据仅显示前项共金牌黄牌红牌学习完成率（）％％｜·"


def png_size(png: bytes) -> tuple[int, int]:
    assert png.startswith(PNG_SIGNATURE)
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"))


def render_label(text: str, prop: FontProperties) -> np.ndarray:
    """Only ``text`` on a white canvas, as a greyscale raster."""
    fig = Figure(figsize=(4, 0.8), dpi=100, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    fig.text(0.02, 0.5, text, fontproperties=prop, va="center", parse_math=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # DejaVu Sans warns about every missing glyph
        canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., 0].copy()


def sample_bars(n: int) -> list[Bar]:
    cards = ["gold", "yellow", "red", ""]
    return [
        Bar(f"{UNIT_NAMES[i % len(UNIT_NAMES)]}{i}", 100 - i * 100 / max(n, 1), cards[i % 4])
        for i in range(n)
    ]


def chart(bars: list[Bar], **kwargs) -> bytes:
    return bar_chart(
        "学习完成率｜2026年11月",
        "兴安盟 · 各旗县市",
        bars,
        "完成率（%）",
        kwargs.pop("thresholds", [(90, "金牌"), (80, "黄牌"), (60, "红牌")]),
    )


def test_png_is_phone_wide_and_grows_with_bars() -> None:
    small, large = chart(sample_bars(3)), chart(sample_bars(20))
    (w_small, h_small), (w_large, h_large) = png_size(small), png_size(large)
    assert w_small == w_large == 1080
    assert h_large > h_small + 17 * 50  # about 63 px a bar at 150 dpi


def test_font_file_has_every_glyph_the_charts_use() -> None:
    font = FT2Font(str(font_path()))
    for char in "".join(UNIT_NAMES) + CHART_WORDS + "0123456789.%":
        assert font.get_char_index(ord(char)) != 0, char


def test_cjk_labels_are_glyphs_not_tofu() -> None:
    cjk = FontProperties(fname=str(font_path()), size=20)
    dejavu = FontProperties(family="DejaVu Sans", size=20)
    real = render_label("科尔沁右翼前旗", cjk)
    other = render_label("乌兰浩特市嘎查", cjk)  # same length, other characters
    tofu = render_label("科尔沁右翼前旗", dejavu)
    tofu_other = render_label("乌兰浩特市嘎查", dejavu)
    assert (real < 128).sum() > 200  # something is drawn
    assert not np.array_equal(real, tofu)
    # Without the glyphs every character is the same box, so different words look alike;
    # with them, different words are drawn differently.
    assert np.array_equal(tofu, tofu_other)
    assert not np.array_equal(real, other)


def test_chart_text_needs_no_missing_glyph() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing from font(s)"
        chart(sample_bars(40))
        chart([])


def test_more_than_max_bars_are_capped() -> None:
    plain = [Bar(f"{UNIT_NAMES[i % 6]}{i}", i * 2.0) for i in range(200)]  # no legend line
    capped = chart(plain[:MAX_BARS])
    over = chart(plain[: MAX_BARS + 12])
    assert png_size(over)[1] > png_size(capped)[1]  # same bars, plus the footnote line
    assert png_size(over)[1] - png_size(capped)[1] < 100
    assert png_size(chart(plain))[1] == png_size(over)[1]
    # The footnote ("仅显示前 30 项（共 42 项）") is drawn at the very bottom.
    assert (pixels(over)[-40:] < 160).sum() > 200
    assert (pixels(capped)[-40:] < 160).sum() == 0


def test_empty_list_renders_a_no_data_image() -> None:
    png = chart([])
    width, height = png_size(png)
    assert width == 1080
    assert 300 < height < 1000
    assert (pixels(png) < 128).sum() > 1000  # title, axis and "暂无数据" are drawn


def test_output_is_deterministic() -> None:
    bars = sample_bars(7)
    assert chart(bars) == chart(bars)


def test_values_are_printed_and_thresholds_drawn() -> None:
    bars = [Bar("科尔沁右翼前旗", 87.5, "yellow")]
    plain = bar_chart("t", "", bars, "完成率")
    with_lines = bar_chart("t", "", bars, "完成率", [(90, "金牌")])
    other_value = bar_chart("t", "", [Bar("科尔沁右翼前旗", 87.4, "yellow")], "完成率")
    assert png_size(with_lines)[1] > png_size(plain)[1]  # a row for the threshold labels
    assert not np.array_equal(pixels(plain), pixels(other_value))  # "87.5%" vs "87.4%"


def test_unknown_card_is_an_error() -> None:
    with pytest.raises(ValueError, match="card"):
        bar_chart("t", "", [Bar("嘎查", 50, "green")], "完成率")


def test_odd_values_do_not_break_the_chart() -> None:
    bars = [Bar("超", 130.0), Bar("负", -5.0), Bar("空", float("nan")), Bar("长" * 60, 50.0)]
    assert png_size(bar_chart("t", "s", bars, "v", [(150, "x"), (50, "半")]))[0] == 1080
