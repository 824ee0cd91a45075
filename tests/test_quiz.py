"""Quiz attempts through the domain on a real SQLite file."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import App
from bot.config import Config
from bot.core.clock import ManualClock
from bot.domain.people import Person
from bot.domain.quizzes import Reply
from tests.packs import write_pack

RIGHT = {"single": 0b010, "multi": 0b1011, "tf": 0b10}  # display masks (no shuffle)
WRONG = {"single": 0b001, "multi": 0b0011, "tf": 0b01}


@pytest.fixture
async def demo(tmp_path: Path, config: Config, open_app) -> App:
    pack = write_pack(tmp_path / "pack", attempts=2)
    capped = replace(config, points=replace(config.points, daily_cap=100))
    return await open_app(capped, pack=pack, rng=random.Random(1))


async def person(app: App, name: str = "alice") -> Person:
    found, _ = await app.services.people.register("console", name, name, name)
    return found


async def take(app: App, who: Person, answers: dict[str, int]) -> Reply:
    """Start an attempt and answer every question from `answers`; return the last reply."""
    quizzes = app.services.quizzes
    reply = await quizzes.start(who, app.services.pack.banks["demo"])
    while reply.step is not None:
        step = reply.step
        reply = await quizzes.answer(who, step.attempt_id, step.position, answers[step.question.id])
    return reply


async def test_a_full_attempt_scores_passes_and_awards_points(demo: App) -> None:
    alice = await person(demo)
    reply = await take(demo, alice, RIGHT)
    s = reply.summary
    assert (s.correct, s.total, s.score, s.passed, s.attempts_left) == (3, 3, 100, True, 1)
    assert s.pass_award.granted == 5
    assert (await demo.services.people.get(alice.id)).points == 3 * 1 + 5


async def test_feedback_says_right_or_wrong_for_each_answer(demo: App) -> None:
    alice = await person(demo)
    quizzes = demo.services.quizzes
    first = await quizzes.start(alice, demo.services.pack.banks["demo"])
    assert first.step.position == 0
    assert first.outcome is None
    wrong = await quizzes.answer(alice, first.step.attempt_id, 0, WRONG["single"])
    assert (wrong.outcome.correct, wrong.outcome.award.granted) == (False, 0)
    assert wrong.step.position == 1
    right = await quizzes.answer(alice, first.step.attempt_id, 1, RIGHT["multi"])
    assert (right.outcome.correct, right.outcome.award.granted) == (True, 1)


async def test_a_double_tap_counts_once(demo: App) -> None:
    alice = await person(demo)
    quizzes = demo.services.quizzes
    step = (await quizzes.start(alice, demo.services.pack.banks["demo"])).step
    first = await quizzes.answer(alice, step.attempt_id, 0, RIGHT["single"])
    again = await quizzes.answer(alice, step.attempt_id, 0, RIGHT["single"])
    assert (first.status, again.status) == ("ok", "repeat")
    store = demo.services.store
    assert await store.scalar("SELECT COUNT(*) FROM quiz_answers") == 1
    assert (await demo.services.people.get(alice.id)).points == 1


async def test_partly_right_multiple_choice_is_wrong(demo: App) -> None:
    alice = await person(demo)
    reply = await take(demo, alice, {**RIGHT, "multi": 0b0011})
    assert (reply.summary.correct, reply.summary.score, reply.summary.passed) == (2, 67, True)


async def test_ticking_options_is_stateless_and_submit_needs_a_tick(demo: App) -> None:
    alice = await person(demo)
    quizzes = demo.services.quizzes
    step = (await quizzes.start(alice, demo.services.pack.banks["demo"])).step
    await quizzes.answer(alice, step.attempt_id, 0, RIGHT["single"])
    view = await quizzes.view(alice, step.attempt_id, 1, 0b0101)
    assert view.step.selected == 0b0101
    assert view.step.question.id == "multi"
    empty = await quizzes.answer(alice, step.attempt_id, 1, 0)
    assert empty.status == "empty"
    assert empty.step.position == 1
    assert await demo.services.store.scalar("SELECT COUNT(*) FROM quiz_answers") == 1


async def test_an_answer_after_the_time_limit_counts_as_timed_out(demo: App, clock) -> None:
    alice = await person(demo)
    quizzes = demo.services.quizzes
    step = (await quizzes.start(alice, demo.services.pack.banks["demo"])).step
    clock.advance(seconds=30 + 2)  # inside the grace
    on_time = await quizzes.answer(alice, step.attempt_id, 0, RIGHT["single"])
    assert on_time.outcome.correct
    clock.advance(seconds=34)  # the multi question's 30 s plus the 3 s grace have passed
    late = await quizzes.answer(alice, step.attempt_id, 1, RIGHT["multi"])
    assert (late.outcome.correct, late.outcome.timed_out) == (False, True)
    assert await demo.services.wrong_book.open_count(alice.id) == 1


async def test_resuming_after_the_time_ran_out_records_a_timeout(demo: App, clock) -> None:
    alice = await person(demo)
    quizzes = demo.services.quizzes
    bank = demo.services.pack.banks["demo"]
    first = await quizzes.start(alice, bank)
    clock.advance(minutes=10)
    resumed = await quizzes.start(alice, bank)
    assert resumed.outcome.timed_out
    assert resumed.step.position == 1
    assert resumed.step.attempt_id == first.step.attempt_id
    again = await quizzes.start(alice, bank)  # within the new question's time: plain resume
    assert again.outcome is None
    assert again.step.position == 1


async def test_attempts_are_limited_and_points_per_question_come_once(demo: App) -> None:
    alice = await person(demo)
    await take(demo, alice, RIGHT)
    second = await take(demo, alice, RIGHT)
    assert second.summary.attempts_left == 0
    assert second.summary.pass_award.granted == 0
    assert (await demo.services.people.get(alice.id)).points == 8  # no points for repeats
    third = await demo.services.quizzes.start(alice, demo.services.pack.banks["demo"])
    assert third.status == "no_attempts"
    status = await demo.services.quizzes.status(alice.id, "demo")
    assert (status.attempts_used, status.best_score, status.passed) == (2, 100, True)


async def test_someone_elses_attempt_is_not_found(demo: App) -> None:
    alice, bob = await person(demo, "alice"), await person(demo, "bob")
    step = (await demo.services.quizzes.start(alice, demo.services.pack.banks["demo"])).step
    reply = await demo.services.quizzes.answer(bob, step.attempt_id, 0, RIGHT["single"])
    assert reply.status == "not_found"


async def test_shuffled_attempts_map_displayed_choices_back(app: App) -> None:
    alice = await person(app)
    bank = app.services.pack.banks["party-member-rights"]
    assert bank.shuffle
    reply = await app.services.quizzes.start(alice, bank)
    orders = []
    while reply.step is not None:
        step = reply.step
        orders.append(step.order)
        mask = (
            step.answer_mask
            if step.question.type != "truefalse"
            else (1 if 0 in step.question.answer else 2)
        )
        reply = await app.services.quizzes.answer(alice, step.attempt_id, step.position, mask)
        assert reply.outcome.correct, step.question.id
    assert reply.summary.score == 100
    assert any(list(order) != sorted(order) for order in orders)  # options were shuffled


async def test_daily_cap_limits_points_and_resets_next_day(
    tmp_path: Path, open_app, config: Config, clock: ManualClock
) -> None:
    pack = write_pack(tmp_path / "pack", attempts=0)
    capped = replace(config, points=replace(config.points, daily_cap=2))
    app = await open_app(capped, pack=pack)
    alice = await person(app)
    reply = await take(app, alice, RIGHT)
    assert reply.summary.pass_award.capped
    assert reply.summary.pass_award.granted == 0
    assert (await app.services.people.get(alice.id)).points == 2
    clock.advance(days=1)
    learned = await app.services.study.mark_learned(alice, pack.items["demo"])
    assert learned.award.granted == 2
    assert learned.award.capped


async def test_an_attempt_cut_short_by_an_edited_bank_is_void(
    tmp_path: Path, open_app, config: Config, clock: ManualClock
) -> None:
    pack = write_pack(tmp_path / "pack", attempts=1)
    app = await open_app(config, pack=pack)
    alice = await person(app)
    quizzes = app.services.quizzes
    first = await quizzes.start(alice, pack.banks["demo"])
    bank = pack.banks["demo"]  # the author removes the question alice is on
    pack.banks["demo"] = replace(bank, questions=bank.questions[1:])
    gone = await quizzes.answer(alice, first.step.attempt_id, 0, RIGHT["single"])
    assert gone.status == "not_found"
    fresh = await quizzes.start(alice, pack.banks["demo"])  # not stuck: a new attempt
    assert fresh.step.attempt_id != first.step.attempt_id
    assert fresh.step.question.id == "multi"
    status = await quizzes.status(alice.id, "demo")
    assert status.attempts_used == 1  # the void one does not count against the limit


async def test_a_later_question_removed_mid_attempt_ends_it_cleanly(
    tmp_path: Path, open_app, config: Config, clock: ManualClock
) -> None:
    from tests.conftest import Chat

    pack = write_pack(tmp_path / "pack", attempts=1)
    app = await open_app(config, pack=pack)
    chat = Chat(app)
    await chat.send("/quiz demo")
    await chat.tap("开始答题")
    bank = pack.banks["demo"]
    pack.banks["demo"] = replace(bank, questions=(bank.questions[0], bank.questions[2]))
    await chat.tap("B. 八项")
    assert "回答正确" in chat.text
    assert "这次答题已失效" in chat.text
    await chat.send("/quiz demo")
    await chat.tap("继续答题")
    assert "第 1/2 题" in chat.text  # a fresh attempt on the edited bank
