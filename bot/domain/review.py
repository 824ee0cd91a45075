"""错题本 (wrong-answer review): missed questions come back until answered right."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.models import ContentPack, Question, QuizBank
from bot.core.clock import Clock, to_db
from bot.domain.people import Person
from bot.storage.sqlite import Store, Tx


@dataclass(frozen=True)
class ReviewItem:
    """An open wrong-book entry and how many are open in all."""

    entry_id: int
    quiz: QuizBank
    question: Question
    open_count: int


@dataclass(frozen=True)
class ReviewOutcome:
    """The result of answering a review question; `open_count` is what remains after."""

    item: ReviewItem
    chosen: frozenset[int]
    correct: bool
    open_count: int


class WrongBook:
    """Reads and clears the 错题本; review answers earn no points and use no attempts."""

    def __init__(self, store: Store, clock: Clock, pack: ContentPack):
        self.store = store
        self.clock = clock
        self.pack = pack

    async def open_count(self, person_id: int) -> int:
        """Questions still waiting to be answered right."""
        rows = await self.store.all(
            "SELECT quiz_id, question_id FROM wrong_book WHERE person_id = ? "
            "AND cleared_at IS NULL",
            (person_id,),
        )
        return sum(1 for r in rows if self._question(r[0], r[1]) is not None)

    async def next(self, person: Person, after: int = 0) -> ReviewItem | None:
        """The oldest open entry after entry id `after` (wrapping round to the start)."""
        rows = await self.store.all(
            "SELECT id, quiz_id, question_id FROM wrong_book WHERE person_id = ? "
            "AND cleared_at IS NULL ORDER BY id",
            (person.id,),
        )
        # Entries whose question was removed from the bank can never be answered: skip them.
        live = [(r[0], found) for r in rows if (found := self._question(r[1], r[2]))]
        if not live:
            return None
        entry_id, (bank, question) = next(((e, f) for e, f in live if e > after), live[0])
        return ReviewItem(entry_id, bank, question, len(live))

    async def answer(
        self, person: Person, entry_id: int, chosen: frozenset[int]
    ) -> ReviewOutcome | None:
        """Check a review answer (original option indexes); right clears the entry.

        None when the entry is not open (already cleared, or a repeated tap).
        """
        now = to_db(self.clock.now())

        def check(tx: Tx) -> tuple[QuizBank, Question, bool] | None:
            row = tx.one(
                "SELECT quiz_id, question_id FROM wrong_book WHERE id = ? AND person_id = ? "
                "AND cleared_at IS NULL",
                (entry_id, person.id),
            )
            found = self._question(row[0], row[1]) if row else None
            if found is None:
                return None
            bank, question = found
            correct = chosen == question.answer
            if correct:
                tx.execute("UPDATE wrong_book SET cleared_at = ? WHERE id = ?", (now, entry_id))
            else:
                tx.execute("UPDATE wrong_book SET misses = misses + 1 WHERE id = ?", (entry_id,))
            return bank, question, correct

        checked = await self.store.write(check)
        if checked is None:
            return None
        bank, question, correct = checked
        remaining = await self.open_count(person.id)
        item = ReviewItem(entry_id, bank, question, remaining + int(correct))
        return ReviewOutcome(item, chosen, correct, remaining)

    def _question(self, quiz_id: str, question_id: str) -> tuple[QuizBank, Question] | None:
        bank = self.pack.banks.get(quiz_id)
        question = bank.question(question_id) if bank else None
        return (bank, question) if bank and question else None
