"""Quizzes: attempts taken one question at a time, answers recorded once, time limits, scores.

Option choices travel as bit masks over the options *as displayed* (bit 0 = the first
button). Masks make multiple-choice ticking stateless: each button carries the whole
selection it would produce, so a double tap cannot toggle an option twice.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.content.models import TRUEFALSE, ContentPack, Question, QuizBank
from bot.core.clock import Clock, from_db, to_db
from bot.domain.people import Person
from bot.domain.points import Award, Points
from bot.domain.study import Study
from bot.storage.sqlite import Store, Tx

_ATTEMPT = "SELECT * FROM quiz_attempts WHERE id = ? AND person_id = ?"
# Slack on top of a question's time limit for the round trip of a tap over a phone network.
TIME_GRACE_SECONDS = 3


def mask_of(indexes: set[int] | frozenset[int]) -> int:
    """A bit mask with the given bits set."""
    return sum(1 << i for i in indexes)


def bits(mask: int) -> frozenset[int]:
    """The bits set in a mask."""
    return frozenset(i for i in range(mask.bit_length()) if mask >> i & 1)


@dataclass(frozen=True)
class Step:
    """One question as shown within an attempt."""

    attempt_id: int
    quiz: QuizBank
    position: int  # 0-based
    total: int
    question: Question
    order: tuple[int, ...]  # display index -> original option index
    deadline: datetime
    selected: int = 0  # mask of ticked display indexes (multiple choice)

    @property
    def options(self) -> list[str]:
        """Option texts in display order (empty for true/false)."""
        return [self.question.options[i] for i in self.order]

    @property
    def answer_mask(self) -> int:
        """The right answer as a display mask (true/false: 1 for true, 2 for false)."""
        if self.question.type == TRUEFALSE:
            return mask_of(self.question.answer)
        return mask_of({d for d, o in enumerate(self.order) if o in self.question.answer})


@dataclass(frozen=True)
class Outcome:
    """Feedback on one answered (or timed-out) question."""

    step: Step
    chosen: int  # display mask
    correct: bool
    timed_out: bool
    award: Award


@dataclass(frozen=True)
class Summary:
    """The end of an attempt."""

    attempt_id: int
    quiz: QuizBank
    number: int
    correct: int
    total: int
    score: int
    passed: bool
    attempts_left: int | None  # None: unlimited
    pass_award: Award


@dataclass(frozen=True)
class Reply:
    """What happened: `status` is ok, repeat (already answered), closed, not_found,
    no_attempts or empty (nothing ticked); plus feedback, the next step, or the summary."""

    status: str
    outcome: Outcome | None = None
    step: Step | None = None
    summary: Summary | None = None


@dataclass(frozen=True)
class BankStatus:
    """A person's record on one bank."""

    attempts_used: int
    best_score: int | None
    passed: bool
    in_progress: int | None
    last_number: int = 0


class Quizzes:
    """Runs quiz attempts against the content pack and the store."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        pack: ContentPack,
        study: Study,
        points: Points,
        points_correct: int,
        points_pass: int,
        rng: random.Random | None = None,
    ):
        self.store = store
        self.clock = clock
        self.pack = pack
        self.study = study
        self.points = points
        self.points_correct = points_correct
        self.points_pass = points_pass
        self.rng = rng or random.Random()

    def available(self, person: Person) -> list[QuizBank]:
        """Banks the person may take: those of published items they see, then unlinked banks."""
        linked = {i.quiz for i in self.pack.items.values() if i.quiz}
        ids = [i.quiz for _, i in self.study.published(person) if i.quiz in self.pack.banks]
        ids += [b for b in self.pack.banks if b not in linked]
        return [self.pack.banks[i] for i in dict.fromkeys(ids)]

    def bank_for(self, person: Person, quiz_id: str) -> QuizBank | None:
        """A bank the person may take, by id."""
        return next((b for b in self.available(person) if b.id == quiz_id), None)

    async def status(self, person_id: int, quiz_id: str) -> BankStatus:
        """Attempts used, best score, passed, and the attempt in progress."""
        # A void attempt (finished without a score) was cut short by an edited bank: it
        # does not count against the attempts allowed.
        row = await self.store.one(
            "SELECT COUNT(CASE WHEN finished_at IS NULL OR score IS NOT NULL THEN 1 END), "
            "MAX(score), MAX(passed), MAX(CASE WHEN finished_at IS NULL THEN id END), "
            "COALESCE(MAX(number), 0) FROM quiz_attempts WHERE person_id = ? AND quiz_id = ?",
            (person_id, quiz_id),
        )
        return BankStatus(row[0], row[1], bool(row[2]), row[3], row[4])

    async def passed_count(self, person_id: int) -> int:
        """How many different banks the person has passed."""
        return await self.store.scalar(
            "SELECT COUNT(DISTINCT quiz_id) FROM quiz_attempts WHERE person_id = ? AND passed = 1",
            (person_id,),
        )

    async def start(self, person: Person, bank: QuizBank) -> Reply:
        """Resume the attempt in progress, or begin a new one if attempts remain."""
        status = await self.status(person.id, bank.id)
        if status.in_progress is not None:
            reply = await self._resume(person, status.in_progress)
            if reply.status != "not_found":
                return reply
            await self._void(status.in_progress)
            status = await self.status(person.id, bank.id)
        if bank.attempts and status.attempts_used >= bank.attempts:
            return Reply("no_attempts")
        questions = list(bank.questions)
        if bank.shuffle:
            self.rng.shuffle(questions)
        plan = []
        for q in questions:
            order = list(range(len(q.options)))
            if bank.shuffle and q.type != TRUEFALSE:
                self.rng.shuffle(order)
            plan.append([q.id, order])
        now = to_db(self.clock.now())
        values = (person.id, bank.id, status.last_number + 1, json.dumps(plan), now, len(plan), now)
        attempt_id = await self.store.write(
            lambda tx: tx.insert(
                "INSERT OR IGNORE INTO quiz_attempts (person_id, quiz_id, number, plan, shown_at, "
                "total, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                values,
            )
        )
        if attempt_id is None:  # a double tap on "start" raced us: resume what it began
            status = await self.status(person.id, bank.id)
            return (
                await self._resume(person, status.in_progress)
                if status.in_progress
                else Reply("no_attempts")
            )
        return await self._resume(person, attempt_id)

    async def view(self, person: Person, attempt_id: int, position: int, selected: int) -> Reply:
        """Re-show the current question with `selected` ticked (multiple choice)."""
        step = self._current(await self.store.one(_ATTEMPT, (attempt_id, person.id)), position)
        if isinstance(step, Reply):
            return step
        return Reply("ok", step=replace(step, selected=selected))

    async def answer(self, person: Person, attempt_id: int, position: int, chosen: int) -> Reply:
        """Record the answer to the question at `position` (once), then move on."""
        if not chosen:
            shown = await self.view(person, attempt_id, position, 0)
            return Reply("empty", step=shown.step) if shown.status == "ok" else shown
        return await self.store.write(
            self._answer, person, attempt_id, position, chosen, self.clock.now()
        )

    def _answer(
        self, tx: Tx, person: Person, attempt_id: int, position: int, chosen: int, now: datetime
    ) -> Reply:
        row = tx.one(_ATTEMPT, (attempt_id, person.id))
        step = self._current(row, position)
        if isinstance(step, Reply):
            return step
        return self._record(tx, person, row, step, chosen, now > step.deadline, now)

    def _current(self, row, position: int) -> Step | Reply:
        """The question at `position` of an attempt, or the Reply saying why it is not."""
        if row is None:
            return Reply("not_found")
        if row["finished_at"] is not None or row["position"] != position:
            return Reply("repeat")
        step = self._step(row)
        return step if step is not None else Reply("not_found")

    async def _resume(self, person: Person, attempt_id: int) -> Reply:
        """Show the current question; one whose time ran out while away counts as timed out."""
        return await self.store.write(self._resume_tx, person, attempt_id, self.clock.now())

    def _resume_tx(self, tx: Tx, person: Person, attempt_id: int, now: datetime) -> Reply:
        row = tx.one(_ATTEMPT, (attempt_id, person.id))
        if row is None:
            return Reply("not_found")
        step = self._step(row)
        if step is None:
            return Reply("not_found")
        if now <= step.deadline:
            return Reply("ok", step=step)
        return self._record(tx, person, row, step, 0, True, now)

    def _record(
        self, tx: Tx, person: Person, row, step: Step, chosen: int, timed_out: bool, now: datetime
    ) -> Reply:
        q = step.question
        original = (
            frozenset(step.order[i] for i in bits(chosen) if i < len(step.order))
            if q.type != TRUEFALSE
            else bits(chosen)
        )
        correct = not timed_out and original == q.answer
        inserted = tx.execute(
            "INSERT OR IGNORE INTO quiz_answers (attempt_id, position, question_id, choice, "
            "correct, timed_out, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                row["id"],
                step.position,
                q.id,
                ",".join(map(str, sorted(original))),
                int(correct),
                int(timed_out),
                to_db(now),
            ),
        )
        if not inserted:
            return Reply("repeat")
        if correct:
            award = self.points.award(
                tx, person.id, "correct", f"{step.quiz.id}:{q.id}", self.points_correct
            )
        else:
            award = Award(0)
            tx.execute(
                "INSERT INTO wrong_book (person_id, quiz_id, question_id, added_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (person_id, quiz_id, question_id) "
                "DO UPDATE SET misses = misses + 1, cleared_at = NULL",
                (person.id, step.quiz.id, q.id, to_db(now)),
            )
        outcome = Outcome(step, chosen, correct, timed_out, award)
        position = step.position + 1
        right = row["correct"] + int(correct)
        if position < step.total:
            tx.execute(
                "UPDATE quiz_attempts SET position = ?, shown_at = ?, correct = ? WHERE id = ?",
                (position, to_db(now), right, row["id"]),
            )
            next_row = dict(row) | {"position": position, "shown_at": to_db(now), "correct": right}
            return Reply("ok", outcome=outcome, step=self._step(next_row))
        score = (100 * right + step.total // 2) // step.total
        passed = score >= step.quiz.pass_mark
        tx.execute(
            "UPDATE quiz_attempts SET position = ?, correct = ?, score = ?, passed = ?, "
            "finished_at = ? WHERE id = ?",
            (position, right, score, int(passed), to_db(now), row["id"]),
        )
        pass_award = Award(0)
        if passed:
            pass_award = self.points.award(tx, person.id, "pass", step.quiz.id, self.points_pass)
        left = None
        if step.quiz.attempts:
            used = tx.one(
                "SELECT COUNT(*) FROM quiz_attempts WHERE person_id = ? AND quiz_id = ? "
                "AND (finished_at IS NULL OR score IS NOT NULL)",
                (person.id, step.quiz.id),
            )
            left = max(0, step.quiz.attempts - used[0])
        summary = Summary(
            row["id"], step.quiz, row["number"], right, step.total, score, passed, left, pass_award
        )
        return Reply("ok", outcome=outcome, summary=summary)

    async def _void(self, attempt_id: int) -> None:
        """Close an attempt whose questions the bank no longer has, without a score."""
        now = to_db(self.clock.now())
        await self.store.write(
            lambda tx: tx.execute(
                "UPDATE quiz_attempts SET finished_at = ? WHERE id = ? AND finished_at IS NULL",
                (now, attempt_id),
            )
        )

    def _step(self, row) -> Step | None:
        bank = self.pack.banks.get(row["quiz_id"])
        if bank is None:
            return None
        plan = json.loads(row["plan"])
        if row["position"] >= len(plan):
            return None
        qid, order = plan[row["position"]]
        question = bank.question(qid)
        if question is None or len(order) != len(question.options):
            # The bank was edited under a running attempt; its old questions cannot be shown.
            return None
        deadline = from_db(row["shown_at"]) + timedelta(
            seconds=question.time_limit + TIME_GRACE_SECONDS
        )
        return Step(
            row["id"], bank, row["position"], row["total"], question, tuple(order), deadline
        )
