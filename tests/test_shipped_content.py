"""The content shipped in content/ and quizzes/ validates and serves every week."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from bot.content.loader import load_pack, yaml_files
from bot.content.models import MULTIPLE, SINGLE, TRUEFALSE

ROOT = Path(__file__).resolve().parent.parent


def test_every_shipped_file_validates() -> None:
    pack = load_pack([ROOT / "content" / "study"], [ROOT / "quizzes"])
    files = yaml_files([ROOT / "content" / "study", ROOT / "quizzes"])
    assert pack.files == len(files) >= 12
    assert len(pack.items) >= 6
    assert len(pack.banks) >= 6


def test_each_item_links_its_own_bank_and_the_rights_bank_is_full() -> None:
    pack = load_pack([ROOT / "content" / "study"], [ROOT / "quizzes"])
    assert all(item.quiz in pack.banks for item in pack.items.values())
    rights = pack.banks["party-member-rights"]
    assert len(rights.questions) >= 8
    assert all(q.explanation for q in rights.questions)
    assert {q.type for q in rights.questions} == {SINGLE, MULTIPLE, TRUEFALSE}
    assert (
        "党的任何一级组织直至中央都无权剥夺党员的上述权利" in pack.items["party-member-rights"].body
    )


def test_some_item_is_current_in_every_week_of_the_coming_years() -> None:
    pack = load_pack([ROOT / "content" / "study"], [ROOT / "quizzes"])
    day = date(2026, 1, 1)
    while day < date(2030, 1, 1):
        published = pack.published(day)
        assert published, day
        assert published[0][0] > day - timedelta(days=7), day  # this week's, not a stale one
        day += timedelta(days=7)
