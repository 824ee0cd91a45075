"""Validation: one broken fixture per error kind (message and line), and cross-file checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.content.loader import load_pack
from bot.content.problems import ContentError, Problem
from bot.core.catalog import CATALOG

ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).parent / "fixtures" / "broken"
ORG_FIXTURES = Path(__file__).parent / "fixtures" / "orgs"  # checked in test_orgs.py
EXPECT = re.compile(r"# expect: (\d+): ([^:]*): (\S+)")


def problems_of(study: list[Path] = (), quiz: list[Path] = (), **kw) -> list[Problem]:
    """Every problem load_pack reports (failing the test if it reports none)."""
    with pytest.raises(ContentError) as info:
        load_pack(study, quiz, **kw)
    return info.value.problems


@pytest.mark.parametrize("fixture", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_each_broken_fixture_reports_its_problem_at_its_line(fixture: Path) -> None:
    line, field, key = EXPECT.match(fixture.read_text(encoding="utf-8")).groups()
    as_bank = fixture.name.startswith("quiz_")
    found = problems_of([] if as_bank else [fixture], [fixture] if as_bank else [])
    assert [(p.line, p.field, p.key) for p in found] == [(int(line), field, key)]
    rendered = found[0].render("en")
    assert rendered.startswith(f"{fixture}:{line}: ")
    assert "{" not in rendered  # every placeholder was filled


def test_every_content_problem_has_a_fixture_or_a_test_here() -> None:
    code = " ".join(p.read_text(encoding="utf-8") for p in (ROOT / "bot" / "content").glob("*.py"))
    raised = {k for k in CATALOG if f'"{k}"' in code and not k.startswith(("type.", "pattern."))}
    source = " ".join(
        p.read_text(encoding="utf-8") for p in Path(__file__).parent.glob("test_*.py")
    )
    broken = [*BROKEN.glob("*.yaml"), *ORG_FIXTURES.glob("*.yaml")]
    fixtures = " ".join(p.read_text(encoding="utf-8") for p in broken)
    untested = {k for k in raised if k not in fixtures and f'"{k}"' not in source}
    assert len(raised) > 20
    assert not untested


def test_messages_name_file_line_and_field_in_chinese_by_default() -> None:
    found = problems_of([], [BROKEN / "quiz_answer_not_option.yaml"])
    assert found[0].render().endswith("questions[1].answer: 答案 “E” 不在选项中（可选 A/B/C/D）")


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


ITEM = "id: {id}\ntitle: 标题\nbody: 正文\npublish: {{date: 2026-11-23}}\n"
BANK = (
    "id: {id}\ntitle: 题库\nquestions:\n  - {{id: q1, type: truefalse, text: 题, answer: true}}\n"
)


def test_duplicate_ids_across_files_name_the_first_file(tmp_path: Path) -> None:
    first = write(tmp_path / "s", "a.yaml", ITEM.format(id="same"))
    write(tmp_path / "s", "b.yaml", ITEM.format(id="same"))
    found = problems_of([tmp_path / "s"])
    assert [(p.path.name, p.line, p.key) for p in found] == [("b.yaml", 1, "content.duplicate_id")]
    assert f"{first}:1" in found[0].render("en")


def test_duplicate_bank_ids_across_files(tmp_path: Path) -> None:
    write(tmp_path / "q", "a.yaml", BANK.format(id="bank"))
    write(tmp_path / "q", "b.yaml", BANK.format(id="bank"))
    assert [p.key for p in problems_of([], [tmp_path / "q"])] == ["content.duplicate_id"]


def test_study_item_linking_a_missing_quiz(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", ITEM.format(id="a") + "\nquiz: nowhere\n")
    found = problems_of([tmp_path])
    assert [(p.line, p.field, p.key) for p in found] == [(6, "quiz", "study.unknown_quiz")]


def test_quiz_link_resolves_against_reference_banks(tmp_path: Path) -> None:
    item = write(tmp_path / "s", "a.yaml", ITEM.format(id="a") + "quiz: bank\n")
    write(tmp_path / "q", "bank.yaml", BANK.format(id="bank"))
    pack = load_pack([item], [], reference_banks=[tmp_path / "q"])
    assert pack.items["a"].quiz == "bank"


def test_two_items_in_one_rotation_slot(tmp_path: Path) -> None:
    rotating = "id: {id}\ntitle: 标题\nbody: 正文\npublish: {{rotate: {{every: 2, slot: 1}}}}\n"
    write(tmp_path, "a.yaml", rotating.format(id="a"))
    write(tmp_path, "b.yaml", rotating.format(id="b"))
    assert [p.key for p in problems_of([tmp_path])] == ["study.rotation_clash"]


def test_body_too_long_for_one_message(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", ITEM.format(id="a").replace("正文", "字" * 4000))
    found = problems_of([tmp_path])
    assert [(p.line, p.key) for p in found] == [(3, "study.message_too_long")]


def test_question_too_long_for_one_message(tmp_path: Path) -> None:
    text = BANK.format(id="b").replace("text: 题", "text: " + "题" * 4000)
    write(tmp_path, "b.yaml", text)
    assert [p.key for p in problems_of([], [tmp_path])] == ["quiz.message_too_long"]


def test_file_over_the_size_cap_is_not_parsed(tmp_path: Path) -> None:
    write(tmp_path, "big.yaml", ITEM.format(id="big") + "# " + "x" * 2000 + "\n")
    found = problems_of([tmp_path], max_bytes=1000)
    assert [(p.line, p.key) for p in found] == [(1, "file.too_big")]


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "gbk.yaml").write_bytes("id: a\ntitle: 标题\n".encode("gbk"))
    assert [(p.line, p.key) for p in problems_of([tmp_path])] == [(2, "file.not_utf8")]


def test_every_problem_in_a_file_is_reported_not_just_the_first(tmp_path: Path) -> None:
    write(tmp_path, "many.yaml", "id: 坏\ntitle: ''\nbody: 正文\npublish: {date: x}\ncolour: red\n")
    found = problems_of([tmp_path])
    assert sorted((p.line, p.key) for p in found) == [
        (1, "field.pattern"),
        (2, "field.empty"),
        (4, "study.bad_date"),
        (5, "field.unknown"),
    ]


def test_problems_across_many_files_all_reported(tmp_path: Path) -> None:
    write(tmp_path / "s", "a.yaml", "id: a\n")
    write(tmp_path / "q", "b.yaml", "id: b\ntitle: x\nquestions: []\n")
    found = problems_of([tmp_path / "s"], [tmp_path / "q"])
    assert {(p.path.name, p.key) for p in found} == {
        ("a.yaml", "field.missing"),
        ("b.yaml", "quiz.empty"),
    }


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        prev = chr(ord("a") + i - 1)
        lines.append(
            f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [" + ", ".join([f"*{prev}"] * 9) + "]"
        )
    write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    found = problems_of([tmp_path])
    assert [(p.line, p.key) for p in found] == [(2, "yaml.alias")]


def test_merge_keys_count_as_aliases(tmp_path: Path) -> None:
    write(tmp_path, "merge.yaml", "base: &b {title: t}\nitem:\n  <<: *b\n")
    assert [p.key for p in problems_of([tmp_path])] == ["yaml.alias"]


def test_a_key_that_is_not_text(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", ITEM.format(id="a") + "? [a, b]\n: x\n")
    assert [(p.line, p.key) for p in problems_of([tmp_path])] == [(5, "yaml.bad_key")]


def test_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "gone.yaml").symlink_to(tmp_path / "missing-target.yaml")
    assert [(p.line, p.key) for p in problems_of([tmp_path])] == [(1, "file.unreadable")]


def test_too_many_tags(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        ITEM.format(id="a") + "tags: [" + ", ".join(f"t{i}" for i in range(11)) + "]\n",
    )
    assert [(p.line, p.key) for p in problems_of([tmp_path])] == [(5, "study.too_many_tags")]


def test_numbers_and_times_written_as_text_stay_as_written(tmp_path: Path) -> None:
    write(
        tmp_path / "s",
        "a.yaml",
        "id: 010\ntitle: 2026\nbody: 正文\npublish: {date: '2026-11-23'}\n",
    )
    bank = BANK.format(id="b").replace(
        "  - {id: q1, type: truefalse, text: 题, answer: true}",
        "  - {id: q1, type: single, text: 几点开会？, options: [8:30, 9:00], answer: B}",
    )
    write(tmp_path / "q", "b.yaml", bank)
    pack = load_pack([tmp_path / "s"], [tmp_path / "q"])
    item = pack.items["010"]
    assert (item.title, str(item.publish.start)) == ("2026", "2026-11-23")
    assert pack.banks["b"].questions[0].options == ("8:30", "9:00")


def test_a_publish_date_with_a_time_means_that_day(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", ITEM.format(id="a").replace("2026-11-23", "2026-11-23 08:00:00"))
    assert str(load_pack([tmp_path]).items["a"].publish.start) == "2026-11-23"


def test_dates_written_with_a_time_in_any_iso_form(tmp_path: Path) -> None:
    for i, when in enumerate(("2026-11-23 08:00", "2026-11-23T08:00", "'2026-11-23 08:00:00'")):
        write(tmp_path, f"{i}.yaml", ITEM.format(id=f"d{i}").replace("2026-11-23", when))
    pack = load_pack([tmp_path])
    assert {str(i.publish.start) for i in pack.items.values()} == {"2026-11-23"}


def test_a_single_number_is_one_tag(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", ITEM.format(id="a") + "tags: 2026\n")
    assert load_pack([tmp_path]).items["a"].tags == ("2026",)
