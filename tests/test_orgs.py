"""The org tree: the shipped 兴安盟 sample, its look-ups, and one broken fixture per problem."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from bot.content.orgs import OrgTree, Unit, load_orgs
from bot.content.problems import ContentError, Problem

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "content" / "orgs.yaml"
BROKEN = Path(__file__).parent / "fixtures" / "orgs"
EXPECT = re.compile(r"# expect: (\d+): ([^:]*): (\S+)")
# 突泉县 and the units below it, in tree order (the last banner in the sample).
TUQUAN = ["xam-tq", "xam-tq-tq", "xam-tq-tq-cn", "xam-tq-lh", "xam-tq-lh-lh", "xam-tq-ddej"]
BANNERS = ("乌兰浩特市", "阿尔山市", "科尔沁右翼前旗", "科尔沁右翼中旗", "扎赉特旗", "突泉县")


@pytest.fixture(scope="module")
def tree() -> OrgTree:
    return load_orgs(SAMPLE)


def problems_in(path: Path, **kw) -> list[Problem]:
    """Every problem load_orgs reports (failing the test if it reports none)."""
    with pytest.raises(ContentError) as info:
        load_orgs(path, **kw)
    return info.value.problems


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "orgs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("fixture", sorted(BROKEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_each_broken_fixture_reports_its_problem_at_its_line(fixture: Path) -> None:
    line, field, key = EXPECT.match(fixture.read_text(encoding="utf-8")).groups()
    found = problems_in(fixture)
    assert [(p.line, p.field, p.key) for p in found] == [(int(line), field, key)]
    rendered = found[0].render("en")
    assert rendered.startswith(f"{fixture}:{line}: ")
    assert "{" not in rendered  # every placeholder was filled


def test_the_sample_is_xingan_league_with_its_six_banners_and_cities(tree: OrgTree) -> None:
    assert tree.roots == ("xam",)
    assert tree.units["xam"].name == "兴安盟"
    banners = tree.children("xam")
    assert tuple(tree.units[b].name for b in banners) == BANNERS
    for banner in banners:
        assert 2 <= len(tree.children(banner)) <= 4
    assert {u.depth for u in tree.units.values()} == {0, 1, 2, 3}
    assert sum(u.depth == 3 for u in tree.units.values()) >= 6
    for unit in tree.units.values():  # the sample keeps the id convention it documents
        assert unit.parent is None or unit.id.startswith(unit.parent + "-")


def test_both_forms_give_the_same_tree(tree: OrgTree) -> None:
    flat = tree.units["xam-tq-tq-cn"]  # written with parent:, after its nested parent
    assert (flat.parent, flat.depth, flat.path, flat.line) == ("xam-tq-tq", 3, SAMPLE, 98)
    assert tree.children("xam-tq-tq") == ["xam-tq-tq-cn"]
    assert list(tree.units)[-6:] == TUQUAN  # tree order, not file order


def test_contains_is_inclusive_and_follows_the_tree(tree: OrgTree) -> None:
    assert tree.contains("xam", "xam-zlt-hlb-xl")
    assert tree.contains("xam-zlt", "xam-zlt-hlb-xl")
    assert tree.contains("xam-zlt-hlb-xl", "xam-zlt-hlb-xl")
    assert not tree.contains("xam-zlt-hlb-xl", "xam-zlt")
    assert not tree.contains("xam-wlht", "xam-zlt-hlb-xl")
    assert not tree.contains("xam-tq-tq", "xam-tq-lh-lh")  # siblings' subtrees
    assert not tree.contains("nowhere", "xam")
    assert not tree.contains("xam", "nowhere")


def test_subtree_ancestors_and_full_name(tree: OrgTree) -> None:
    assert tree.subtree("xam-tq") == set(TUQUAN)
    assert tree.subtree("xam") == set(tree.units)
    assert tree.subtree("xam-aes-wcg") == {"xam-aes-wcg"}
    assert tree.ancestors("xam-wlht-hp-tj") == ["xam", "xam-wlht", "xam-wlht-hp"]
    assert tree.ancestors("xam") == []
    assert tree.full_name("xam-wlht-hp") == "兴安盟 / 乌兰浩特市 / 和平街道"
    assert tree.full_name("xam-zlt-hlb", "") == "兴安盟扎赉特旗好力保镇"
    # A unit removed from the file may still be named in old records.
    assert (tree.subtree("gone"), tree.ancestors("gone"), tree.full_name("gone")) == (
        set(),
        [],
        "gone",
    )


def test_find_by_id_name_or_the_end_of_the_full_name(tree: OrgTree) -> None:
    assert tree.find("乌兰浩特市").id == "xam-wlht"
    assert tree.find(" xam-wlht ").name == "乌兰浩特市"
    assert tree.find("XAM-WLHT").id == "xam-wlht"
    assert tree.find("好力保镇/好力保村").id == "xam-zlt-hlb-hlb"
    assert tree.find("兴安盟 ／ 扎赉特旗 / 好力保镇").id == "xam-zlt-hlb"
    assert tree.find("兴安盟 / 乌兰浩特市 / 和平街道").id == "xam-wlht-hp"
    for missing in ("乌兰浩特", "阿尔山市/好力保镇", "", "/", "和平街道//"):
        assert tree.find(missing) is None, missing


def test_find_all_lists_same_named_units_and_find_refuses_to_guess(tmp_path: Path) -> None:
    tree = load_orgs(
        write(
            tmp_path,
            "units:\n"
            "  - {id: a, name: 甲镇, children: [{id: a-x, name: 新立村}]}\n"
            "  - {id: b, name: 乙镇, children: [{id: b-x, name: 新立村}]}\n",
        )
    )
    assert [u.id for u in tree.find_all("新立村")] == ["a-x", "b-x"]
    assert tree.find("新立村") is None
    assert tree.find("乙镇/新立村").id == "b-x"
    assert tree.roots == ("a", "b")


def test_a_name_with_a_slash_is_found_whole(tmp_path: Path) -> None:
    tree = load_orgs(write(tmp_path, "units:\n  - {id: a, name: 党委/政府办公室}\n"))
    assert tree.find("党委/政府办公室").id == "a"


def test_a_cycle_written_inline_is_reported_at_the_unit_with_the_parent(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "units:\n"
        "  - {id: c, name: 丙, parent: b}\n"
        "  - {id: a, name: 甲, parent: b, children: [{id: b, name: 乙}]}\n",
    )
    found = problems_in(path)
    assert [(p.line, p.field, p.key) for p in found] == [(3, "units[2].parent", "org.cycle")]
    assert "a → b → a" in found[0].render("en")


def test_a_chain_3000_deep_loads_and_contains_answers_both_ways(tmp_path: Path) -> None:
    # Speed is measured in benchmarks/bench_roster.py, not asserted here.
    lines = ["units:", "  - {id: u0, name: 单位0}"]
    lines += [f"  - {{id: u{i}, name: 单位{i}, parent: u{i - 1}}}" for i in range(1, 3000)]
    tree = load_orgs(write(tmp_path, "\n".join(lines) + "\n"))
    assert tree.units["u2999"].depth == 2999
    assert len(tree.ancestors("u2999")) == 2999
    assert tree.contains("u1", "u2999")
    assert not tree.contains("u2999", "u1")


def test_a_generated_flat_tree_of_a_thousand_units_in_any_order(tmp_path: Path) -> None:
    rows = [("r", "兴安盟", None)]
    for b in range(6):
        rows.append((f"r-{b}", f"旗{b}", "r"))
        for s in range(12):
            rows.append((f"r-{b}-{s}", f"镇{s}", f"r-{b}"))
            rows += [(f"r-{b}-{s}-{v}", f"村{v}", f"r-{b}-{s}") for v in range(13)]
    random.Random(4).shuffle(rows)  # children may come before their parents
    text = "units:\n" + "".join(
        f"  - {{id: {i}, name: {n}" + (f", parent: {p}}}\n" if p else "}\n") for i, n, p in rows
    )
    tree = load_orgs(write(tmp_path, text))
    assert len(tree) == len(rows) > 1000
    assert len(tree.subtree("r-3")) == 1 + 12 + 12 * 13
    assert tree.full_name("r-5-11-12") == "兴安盟 / 旗5 / 镇11 / 村12"


def test_every_problem_in_a_file_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "units:\n"  # 1
        "  - id: xam\n"  # 2
        "    name: 兴安盟\n"
        "  - id: xam\n"  # 4
        "    name: 兴安盟二\n"
        "  - {id: a, name: 甲, parent: b}\n"  # 6
        "  - {id: b, name: 乙, parent: a}\n"
        "  - {id: c, name: 丙, parent: nowhere}\n"  # 8
        "  - {id: C, name: 丁}\n"
        "  - {id: e, nam: 戊}\n",  # 10
    )
    found = problems_in(path)
    assert [(p.line, p.field, p.key) for p in found] == [
        (4, "units[2].id", "org.duplicate_id"),
        (6, "units[3].parent", "org.cycle"),
        (8, "units[5].parent", "org.unknown_parent"),
        (9, "units[6].id", "field.pattern"),
        (10, "units[7].nam", "field.unknown_hint"),
        (10, "units[7].name", "field.missing"),
    ]
    assert "a → b → a" in found[1].render()


def test_children_of_a_unit_with_a_bad_id_are_not_reported_again(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "units:\n"
        "  - id: 兴安盟\n"
        "    name: 兴安盟\n"
        "    children:\n"
        "      - {id: xam-wlht, name: 乌兰浩特市}\n"
        "  - {id: xam-aes, name: 阿尔山市, parent: 兴安盟}\n",
    )
    assert [(p.line, p.key) for p in problems_in(path)] == [
        (2, "field.pattern"),
        (6, "org.unknown_parent"),
    ]


def test_a_file_without_units(tmp_path: Path) -> None:
    found = problems_in(write(tmp_path, "unit:\n  - {id: xam, name: 兴安盟}\n"))
    assert [(p.line, p.field, p.key) for p in found] == [
        (1, "unit", "field.unknown_hint"),
        (1, "units", "field.missing"),
    ]


def test_a_file_over_the_size_cap_is_not_parsed(tmp_path: Path) -> None:
    path = write(tmp_path, "units:\n  - {id: xam, name: 兴安盟}\n# " + "x" * 2000 + "\n")
    assert [(p.line, p.key) for p in problems_in(path, max_bytes=1000)] == [(1, "file.too_big")]


def test_ids_written_as_numbers_stay_as_written(tmp_path: Path) -> None:
    tree = load_orgs(write(tmp_path, "units:\n  - {id: 010, name: 2026}\n"))
    assert tree.units["010"].name == "2026"


def test_messages_in_chinese_name_the_file_line_and_field() -> None:
    (problem,) = problems_in(BROKEN / "unknown_parent.yaml")
    assert problem.render().endswith(
        ":7: units[2].parent: 上级单位 “xam-tqx” 不存在，请核对编号，或先把这个单位写进文件"
    )


def test_a_tree_built_by_hand_must_hold_together() -> None:
    with pytest.raises(ValueError, match="do not form a tree"):
        OrgTree([Unit("a", "甲", parent="b"), Unit("b", "乙", parent="a")])
    with pytest.raises(ValueError, match="do not form a tree"):
        OrgTree([Unit("a", "甲", parent="missing")])
    assert OrgTree([Unit("a", "甲"), Unit("b", "乙", parent="a", depth=1)]).contains("a", "b")
