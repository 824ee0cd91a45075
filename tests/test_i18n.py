"""The catalog: every key in both languages with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

from bot.core.catalog import CATALOG
from bot.core.i18n import Term, normalize_locale, placeholders, t

ROOT = Path(__file__).resolve().parent.parent


def test_every_key_has_chinese_and_english_with_the_same_placeholders() -> None:
    for key, entry in CATALOG.items():
        assert set(entry) == {"zh", "en"}, key
        assert placeholders(entry["zh"]) == placeholders(entry["en"]), key


def test_a_channel_wording_replaces_a_key_with_the_same_placeholders() -> None:
    variants = [k for k in CATALOG if "@" in k]
    assert "pending.intro@wecom" in variants
    for key in variants:
        base, channel = key.split("@")
        assert base in CATALOG, key
        assert channel in ("console", "telegram", "wecom"), key
        assert placeholders(CATALOG[key]["zh"]) == placeholders(CATALOG[base]["zh"]), key


def test_every_key_used_in_code_exists() -> None:
    code = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "bot").rglob("*.py"))
    used = set(re.findall(r'(?:t|report|Problem\([^"]*)\(\s*"([a-z_]+\.[a-z_]+)"', code))
    used |= set(re.findall(r'"((?:quiz|study|me|rank|btn|cli|error|review)\.[a-z_]+)"', code))
    missing = {k for k in used if k not in CATALOG and not k.endswith("_")}
    assert not missing


def test_terms_are_translated_inside_messages() -> None:
    zh = t("field.type", "zh", expected=Term("type.int"), actual=Term("type.str"))
    en = t("field.type", "en", expected=Term("type.int"), actual=Term("type.str"))
    assert (zh, en) == ("应为整数，实际是文字", "expected a whole number, got text")


def test_locale_words() -> None:
    assert [normalize_locale(w) for w in ("EN", "zh-CN", "中文", "English", "fr", "")] == [
        "en",
        "zh",
        "zh",
        "en",
        None,
        None,
    ]
