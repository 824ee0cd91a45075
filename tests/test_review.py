"""错题本: missed questions come back until answered right."""

from __future__ import annotations

import random
from pathlib import Path

from bot.config import Config
from bot.core.clock import ManualClock
from tests.packs import write_pack
from tests.test_quiz import RIGHT, WRONG, person, take


async def test_missed_questions_stay_until_answered_right(
    tmp_path: Path, open_app, config: Config, clock: ManualClock
) -> None:
    pack = write_pack(tmp_path)
    app = await open_app(config, pack=pack, rng=random.Random(0))
    alice = await person(app)
    await take(app, alice, {**RIGHT, "single": WRONG["single"], "tf": WRONG["tf"]})
    book = app.services.wrong_book
    assert await book.open_count(alice.id) == 2
    first = await book.next(alice)
    assert first.question.id == "single"
    assert first.open_count == 2
    wrong = await book.answer(alice, first.entry_id, frozenset({0}))
    assert not wrong.correct
    assert wrong.open_count == 2
    right = await book.answer(alice, first.entry_id, frozenset({1}))
    assert right.correct
    assert right.open_count == 1
    assert await book.answer(alice, first.entry_id, frozenset({1})) is None  # double tap
    following = await book.next(alice, after=first.entry_id)
    assert following.question.id == "tf"
    assert (await book.answer(alice, following.entry_id, frozenset({1}))).correct
    assert await book.next(alice) is None
    points = (await app.services.people.get(alice.id)).points
    assert points == 1  # one right answer in the quiz; review answers earn nothing


async def test_missing_again_reopens_a_cleared_question(
    tmp_path: Path, open_app, config: Config, clock: ManualClock
) -> None:
    app = await open_app(config, pack=write_pack(tmp_path, attempts=0))
    alice = await person(app)
    await take(app, alice, {**RIGHT, "tf": WRONG["tf"]})
    book = app.services.wrong_book
    entry = await book.next(alice)
    await book.answer(alice, entry.entry_id, frozenset({1}))
    assert await book.open_count(alice.id) == 0
    await take(app, alice, {**RIGHT, "tf": WRONG["tf"]})
    assert await book.open_count(alice.id) == 1
    misses = await app.services.store.scalar("SELECT misses FROM wrong_book")
    assert misses == 2
