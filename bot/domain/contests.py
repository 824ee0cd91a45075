"""Group contests (擂台比武): a bank's questions as quiz polls, scored by correctness and speed.

Scoring: a right answer earns BASE points plus up to SPEED_BONUS more, in proportion to
the time left when it came (answering at once earns the whole bonus, at the close none);
a wrong answer earns nothing. Ties are broken by the total seconds spent on right answers.
Polls go out through the outbox, one at a time: the next question is queued GAP seconds
after the previous poll closed, counted from when it was actually sent, so a slow queue
never overlaps two questions. All state is in the database: a restart carries on.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import timedelta

from bot.content.models import MULTIPLE, TRUEFALSE, ContentPack, Question, QuizBank
from bot.core.clock import Clock, from_db, to_db
from bot.core.i18n import t
from bot.core.messages import Outgoing, Poll
from bot.delivery import FAILED, SENT, UNREACHABLE, Outbox, Recipient
from bot.domain.audit import Audit
from bot.storage.sqlite import Store, Tx

BASE, SPEED_BONUS, GAP = 10, 10, 3
# Bot API limits for quiz polls.
POLL_QUESTION, POLL_OPTION, POLL_EXPLANATION, POLL_OPTIONS = 300, 100, 200, 10
MIN_PERIOD, MAX_PERIOD = 5, 600
TOP = 10


@dataclass(frozen=True)
class Standing:
    """One contestant's result."""

    rank: int
    name: str
    score: int
    correct: int
    seconds: float


@dataclass(frozen=True)
class Started:
    """A contest begun (or why not: `error` is a catalog key)."""

    contest_id: int = 0
    questions: int = 0
    skipped: int = 0
    error: str = ""


def fits_poll(q: Question) -> bool:
    """Whether a question can be a native quiz poll (one right option, within the limits)."""
    if q.type == MULTIPLE or len(q.answer) != 1:
        return False
    if len(q.text) > POLL_QUESTION - 12:  # room for the "1/10 " prefix
        return False
    return q.type == TRUEFALSE or (
        2 <= len(q.options) <= POLL_OPTIONS and all(len(o) <= POLL_OPTION for o in q.options)
    )


def score_for(correct: bool, seconds: float, open_period: int) -> int:
    """Points for one answer: BASE plus the speed bonus for a right one, else 0."""
    if not correct:
        return 0
    left = max(0.0, 1.0 - seconds / open_period)
    return BASE + round(SPEED_BONUS * left)


class Contests:
    """Starts contests, queues their polls, scores poll answers and posts the ranking."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        pack: ContentPack,
        outbox: Outbox,
        audit: Audit,
        locale: str,
        rng: random.Random | None = None,
    ):
        self.store = store
        self.clock = clock
        self.pack = pack
        self.outbox = outbox
        self.audit = audit
        self.locale = locale
        self.rng = rng or random.Random()

    async def start(
        self, actor: str, channel: str, chat_ref: str, bank: QuizBank, limit: int = 0
    ) -> Started:
        """Begin a contest on `bank` in a group with an announcement; at most `limit`
        questions (0: all that fit a poll)."""
        usable = [q for q in bank.questions if fits_poll(q)]
        skipped = len(bank.questions) - len(usable)
        if not usable:
            return Started(error="contest.no_questions")
        if bank.shuffle:
            self.rng.shuffle(usable)
        if limit:
            usable = usable[:limit]
        ids = json.dumps([q.id for q in usable])
        now = to_db(self.clock.now())
        intro = t(
            "contest.started",
            self.locale,
            title=bank.title,
            questions=len(usable),
            seconds=bank.time_limit,
        )
        if skipped:
            intro += "\n" + t("contest.skipped", self.locale, count=skipped)
        target = [Recipient(channel, chat_ref, True)]

        def write(tx: Tx) -> int | None:
            contest_id = tx.insert(
                "INSERT OR IGNORE INTO contests (channel, chat_ref, quiz_id, questions, "
                "open_period, started_by, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (channel, chat_ref, bank.id, ids, bank.time_limit, actor, now),
            )
            if contest_id is None:
                return None
            # Queued with the contest, so the announcement always precedes the first poll.
            self.outbox.add(tx, "contest_intro", str(contest_id), Outgoing(intro), target)
            self.audit.record(
                tx, actor, "contest", f"{channel}:{chat_ref}", quiz=bank.id, questions=len(usable)
            )
            return contest_id

        contest_id = await self.store.write(write)
        if contest_id is None:  # the partial unique index: one running contest per group
            return Started(error="contest.already_running")
        return Started(contest_id, len(usable), skipped)

    async def tick(self) -> int:
        """Move every running contest on if its current poll has closed; returns moves made."""
        rows = await self.store.all(
            "SELECT id, channel, chat_ref, quiz_id, questions, position FROM contests "
            "WHERE status = 'running' ORDER BY id"
        )
        moved = 0
        for row in rows:
            moved += await self._advance(row)
        return moved

    async def _advance(self, row) -> int:
        contest_id, position = row["id"], row["position"]
        ids = json.loads(row["questions"])
        bank = self.pack.banks.get(row["quiz_id"])
        if position:
            last = await self._poll_row(contest_id, position - 1)
            if last is None or last["status"] in (FAILED, UNREACHABLE):
                await self._close(contest_id, "aborted")
                return 1
            if last["status"] != SENT:
                return 0  # still queued: the clock for this question has not started
            closes = from_db(last["sent_at"]) + timedelta(
                seconds=self._period(bank, ids, position - 1)
            )
            if self.clock.now() < closes + timedelta(seconds=GAP):
                return 0
        target = [Recipient(row["channel"], row["chat_ref"], True)]
        question = bank.question(ids[position]) if bank and position < len(ids) else None
        if position < len(ids) and question is None:
            # The bank was edited under a running contest: finish with what was asked.
            ids = ids[:position]
        if position >= len(ids):
            text = await self.result_text(contest_id, bank.title if bank else row["quiz_id"])
            await self.outbox.enqueue("contest_result", str(contest_id), Outgoing(text), target)
            await self._close(contest_id, "finished")
            return 1
        poll = self._poll(question, position, len(ids), self._period(bank, ids, position))
        await self.outbox.enqueue(
            "contest", f"{contest_id}:{position}", Outgoing(poll.question, poll=poll), target
        )
        await self.store.write(
            lambda tx: tx.execute(
                "UPDATE contests SET position = ? WHERE id = ? AND position = ?",
                (position + 1, contest_id, position),
            )
        )
        return 1

    def _period(self, bank: QuizBank | None, ids: list[str], position: int) -> int:
        """How long one question's poll stays open (its time limit, within Telegram's range)."""
        q = bank.question(ids[position]) if bank else None
        seconds = q.time_limit if q else (bank.time_limit if bank else 60)
        return min(MAX_PERIOD, max(MIN_PERIOD, seconds))

    def _poll(self, q: Question, position: int, total: int, period: int) -> Poll:
        if q.type == TRUEFALSE:
            options = (t("quiz.true_word", self.locale), t("quiz.false_word", self.locale))
        else:
            options = q.options
        explanation = q.explanation
        if len(explanation) > POLL_EXPLANATION:
            explanation = explanation[: POLL_EXPLANATION - 1] + "…"
        return Poll(
            f"{position + 1}/{total} {q.text}", tuple(options), min(q.answer), period, explanation
        )

    async def _poll_row(self, contest_id: int, position: int):
        return await self.store.one(
            "SELECT o.status, o.sent_at, o.message_ref FROM outbox o JOIN outbox_batches b "
            "ON b.id = o.batch_id WHERE b.kind = 'contest' AND b.ref = ?",
            (f"{contest_id}:{position}",),
        )

    async def _close(self, contest_id: int, status: str) -> None:
        now = to_db(self.clock.now())
        await self.store.write(
            lambda tx: tx.execute(
                "UPDATE contests SET status = ?, finished_at = ? "
                "WHERE id = ? AND status = 'running'",
                (status, now, contest_id),
            )
        )

    async def answer(
        self, channel: str, user_ref: str, person_id: int, poll_ref: str, choices: tuple[int, ...]
    ) -> int | None:
        """Score a poll answer (the first one per person and question); None if not a contest's."""
        row = await self.store.one(
            "SELECT b.ref, o.sent_at FROM outbox o JOIN outbox_batches b ON b.id = o.batch_id "
            "WHERE o.channel = ? AND o.message_ref = ? AND b.kind = 'contest'",
            (channel, poll_ref),
        )
        if row is None or not choices or row["sent_at"] is None:
            return None
        contest_id, position = (int(x) for x in row["ref"].split(":"))
        contest = await self.store.one(
            "SELECT quiz_id, questions FROM contests WHERE id = ?", (contest_id,)
        )
        bank = self.pack.banks.get(contest["quiz_id"])
        ids = json.loads(contest["questions"])
        question = bank.question(ids[position]) if bank else None
        if question is None:
            return None
        now = self.clock.now()
        seconds = max(0.0, (now - from_db(row["sent_at"])).total_seconds())
        correct = choices[0] == min(question.answer)
        score = score_for(correct, seconds, self._period(bank, ids, position))
        inserted = await self.store.write(
            lambda tx: tx.execute(
                "INSERT OR IGNORE INTO contest_answers (contest_id, position, channel, user_ref, "
                "person_id, choice, correct, seconds, score, answered_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    contest_id,
                    position,
                    channel,
                    user_ref,
                    person_id,
                    choices[0],
                    int(correct),
                    seconds,
                    score,
                    to_db(now),
                ),
            )
        )
        return score if inserted else None

    async def standings(self, contest_id: int) -> list[Standing]:
        """Everyone who answered, best first; equal score and time share a rank."""
        rows = await self.store.all(
            "SELECT p.display_name, SUM(a.score), SUM(a.correct), "
            "SUM(CASE WHEN a.correct THEN a.seconds ELSE 0 END) AS t FROM contest_answers a "
            "JOIN people p ON p.id = a.person_id WHERE a.contest_id = ? "
            "GROUP BY a.person_id ORDER BY SUM(a.score) DESC, t, MIN(a.answered_at)",
            (contest_id,),
        )
        result: list[Standing] = []
        for i, (name, score, correct, seconds) in enumerate(rows):
            same = result and (result[-1].score, result[-1].seconds) == (score, round(seconds, 1))
            rank = result[-1].rank if same else i + 1
            result.append(Standing(rank, name, score, correct, round(seconds, 1)))
        return result

    async def result_text(self, contest_id: int, title: str) -> str:
        """The ranking post for the group."""
        table = await self.standings(contest_id)
        if not table:
            return t("contest.result_empty", self.locale, title=title)
        medals = {1: "🥇", 2: "🥈", 3: "🥉"}
        lines = [t("contest.result_head", self.locale, title=title, people=len(table))]
        for s in table[:TOP]:
            lines.append(
                t(
                    "contest.result_row",
                    self.locale,
                    rank=medals.get(s.rank, f"{s.rank}."),
                    name=s.name,
                    score=s.score,
                    correct=s.correct,
                    seconds=s.seconds,
                )
            )
        lines.append(t("contest.result_rule", self.locale, base=BASE, bonus=SPEED_BONUS))
        return "\n".join(lines)
