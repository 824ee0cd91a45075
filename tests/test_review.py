"""错题本: missed questions come back until answered right."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.config import Config
from bot.core.clock import ManualClock
from bot.core.router import Router
from tests.conftest import Chat
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


async def test_ticking_an_option_in_the_wrong_book_stays_in_the_review(
    tmp_path: Path, open_app, config: Config, clock: ManualClock
) -> None:
    app = await open_app(config, pack=write_pack(tmp_path, attempts=0))
    alice = await person(app)
    await take(app, alice, {**RIGHT, "multi": WRONG["multi"]})
    chat = Chat(app)
    await chat.send("/review")
    tick = next(b.action for b in chat.buttons if b.action.startswith("rt:"))
    replies = await chat.press(tick)
    # The tick redraws the question with that option ticked (it once opened /remind).
    assert replies[0].edit
    assert any(b.label.startswith("☑") or "✅" in b.label for b in chat.buttons), chat.text
    assert any(b.action.startswith("ra:") for b in chat.buttons)


def test_two_features_cannot_share_a_button_prefix() -> None:
    router = Router()
    router.action("rm")(lambda ctx, arg: [])
    with pytest.raises(ValueError, match="'rm' is taken"):
        router.action("rm")(lambda ctx, arg: [])
