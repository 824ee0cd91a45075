"""Weekly study items: this week's item, the archive, audience and marking learned."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

from bot.app import App
from bot.config import Config
from bot.core.clock import ManualClock
from tests.packs import write_pack


async def test_this_weeks_item_follows_the_calendar(app: App, clock: ManualClock) -> None:
    alice, _ = await app.services.people.register("console", "alice", "alice", "alice")
    study = app.services.study
    assert study.current(alice).id == "party-member-rights"
    clock.advance(days=5)  # Monday of the next week, slot 4
    assert study.current(alice).id == "theme-education"
    archive = [item.id for _, item in study.published(alice)]
    assert archive[0] == "theme-education"
    assert "party-member-rights" in archive
    assert len(archive) == len(app.services.pack.items)


async def test_marking_learned_counts_once(app: App) -> None:
    alice, _ = await app.services.people.register("console", "alice", "alice", "alice")
    item = app.services.study.current(alice)
    first = await app.services.study.mark_learned(alice, item)
    second = await app.services.study.mark_learned(alice, item)
    assert (first.new, first.award.granted) == (True, 5)
    assert (second.new, second.award.granted) == (False, 0)
    assert await app.services.study.learned_ids(alice.id) == {item.id}
    assert (await app.services.people.get(alice.id)).points == 5


OTHER_UNIT = """\
id: unit-only
title: 仅限某单位
body: 正文
publish: {date: 2026-11-17}
audience: [wulanhaote]
"""
FUTURE = """\
id: future
title: 下周内容
body: 正文
publish: {week: 2026-W48}
"""


async def test_audience_and_future_items_are_hidden(
    tmp_path: Path, open_app, config: Config, clock: ManualClock
) -> None:
    pack = write_pack(tmp_path, extra_items={"u.yaml": OTHER_UNIT, "f.yaml": FUTURE})
    app = await open_app(config, pack=pack, rng=random.Random(0))
    alice, _ = await app.services.people.register("console", "alice", "alice", "alice")
    study = app.services.study
    assert study.current(alice).id == "demo"
    assert study.get(alice, "future") is None
    assert study.get(alice, "unit-only") is None
    in_unit = replace(alice, unit_id="wulanhaote")
    assert study.current(in_unit).id == "unit-only"
    clock.advance(days=5)  # 2026-11-23 is the Monday of 2026-W48
    assert study.current(alice).id == "future"
