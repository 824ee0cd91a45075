"""Quizzes one question at a time (edited in place), and the 错题本 review."""

from __future__ import annotations

from collections.abc import Callable

from bot.content.models import LETTERS, MULTIPLE, TRUEFALSE, Question, QuizBank
from bot.core.limits import MAX_MESSAGE_CHARS
from bot.core.messages import Button, Outgoing
from bot.core.router import Router
from bot.domain.quizzes import Outcome, Reply, Step, Summary, bits, mask_of
from bot.domain.review import ReviewItem
from bot.handlers.context import Context
from bot.handlers.render import OPTION_LABEL_CHARS, clip, letters, menu_row, page_of, pager

QUIZ_PAGE = 6


def register(router: Router) -> None:
    """Add this module's handlers to the router."""
    router.command("quiz")(quiz)
    router.action("quiz")(quiz)
    router.action("ql")(quiz_page)
    router.action("qs")(start)
    router.action("qm")(tick)
    router.action("qa")(answer)
    router.command("review")(review)
    router.action("rv")(review)
    router.action("rt")(review_tick)
    router.action("ra")(review_answer)
    router.keyword("/review", "错题", "review")
    router.keyword("/quiz", "答题", "测试", "考试", "测验", "quiz", "test")


# --- shared rendering -------------------------------------------------------------------


def question_lines(ctx: Context, q: Question, order: tuple[int, ...], header: str) -> list[str]:
    """Header, question text and lettered options, as message lines."""
    lines = [header, "", q.text]
    if q.type != TRUEFALSE:
        lines.append("")
        lines += [f"{LETTERS[d]}. {q.options[o]}" for d, o in enumerate(order)]
    if q.type == MULTIPLE:
        lines += ["", ctx.t("quiz.multi_hint")]
    return lines


def option_rows(
    ctx: Context,
    q: Question,
    order: tuple[int, ...],
    selected: int,
    answer: Callable[[int], str],
    tick: Callable[[int], str],
) -> list[list[Button]]:
    """Buttons for the options: tap to answer, or tick then submit for multiple choice."""
    if q.type == TRUEFALSE:
        return [[Button(ctx.t("quiz.true"), answer(1)), Button(ctx.t("quiz.false"), answer(2))]]
    rows = []
    for d, o in enumerate(order):
        label = f"{LETTERS[d]}. {clip(q.options[o], OPTION_LABEL_CHARS)}"
        if q.type == MULTIPLE:
            mark = "☑️" if selected >> d & 1 else "⬜"
            rows.append([Button(f"{mark} {label}", tick(selected ^ (1 << d)))])
        else:
            rows.append([Button(label, answer(1 << d))])
    if q.type == MULTIPLE:
        rows.append([Button(ctx.t("btn.submit"), answer(selected))])
    return rows


def answer_text(ctx: Context, q: Question, mask: int) -> str:
    """An answer as shown to people: letters, or 正确/错误 for true/false."""
    if q.type == TRUEFALSE:
        return ctx.t("quiz.true_word") if mask == 1 else ctx.t("quiz.false_word")
    return letters(mask)


def feedback_lines(
    ctx: Context,
    q: Question,
    correct: bool,
    timed_out: bool,
    right_mask: int,
    points: int = 0,
    capped: bool = False,
) -> list[str]:
    """Right/wrong (or timed out), the right answer and the explanation."""
    if correct:
        lines = [ctx.t("quiz.correct")]
        if points:
            lines[0] += ctx.t("quiz.points", points=points)
        elif capped:
            lines[0] += ctx.t("points.capped")
    else:
        key = "quiz.timed_out" if timed_out else "quiz.wrong"
        lines = [ctx.t(key, answer=answer_text(ctx, q, right_mask))]
    if q.explanation:
        lines.append(ctx.t("quiz.explanation", text=q.explanation))
    return lines


# --- quiz attempts ----------------------------------------------------------------------


async def quiz(ctx: Context, quiz_id: str) -> list[Outgoing]:
    """With an id: the bank's rules and a start button. Without: the banks on offer."""
    svc = ctx.services.quizzes
    if quiz_id:
        bank = svc.bank_for(ctx.person, quiz_id)
        if bank is None:
            return [Outgoing(ctx.t("quiz.not_found", id=quiz_id), rows=[menu_row(ctx)])]
        return [await intro(ctx, bank)]
    banks = svc.available(ctx.person)
    if not banks:
        return [Outgoing(ctx.t("quiz.none"), rows=[menu_row(ctx)])]
    return [await quiz_list(ctx, banks, 0)]


async def quiz_page(ctx: Context, page: str) -> list[Outgoing]:
    """Another page of the banks on offer."""
    banks = ctx.services.quizzes.available(ctx.person)
    if not banks:
        return [Outgoing(ctx.t("quiz.none"), rows=[menu_row(ctx)])]
    return [await quiz_list(ctx, banks, page)]


async def quiz_list(ctx: Context, banks: list[QuizBank], page: int | str) -> Outgoing:
    """One page of banks, newest first, each marked passed / unfinished / new."""
    page, pages = page_of(len(banks), QUIZ_PAGE, page)
    rows = []
    for bank in banks[page * QUIZ_PAGE : (page + 1) * QUIZ_PAGE]:
        status = await ctx.services.quizzes.status(ctx.person.id, bank.id)
        mark = "✅" if status.passed else ("⏳" if status.in_progress else "📝")
        rows.append([Button(f"{mark} {clip(bank.title, 26)}", f"quiz:{bank.id}")])
    if nav := pager(ctx, page, pages, "ql"):
        rows.append(nav)
    rows.append([Button(ctx.t("btn.review"), "rv"), *menu_row(ctx)])
    return Outgoing(ctx.t("quiz.choose"), rows=rows, edit=bool(ctx.event.action))


async def intro(ctx: Context, bank: QuizBank) -> Outgoing:
    """The rules of a bank before the clock starts, and the person's record on it."""
    status = await ctx.services.quizzes.status(ctx.person.id, bank.id)
    attempts = (
        ctx.t("quiz.attempts_unlimited")
        if not bank.attempts
        else ctx.t("quiz.attempts_n", n=bank.attempts)
    )
    lines = [
        f"📝 {bank.title}",
        ctx.t(
            "quiz.rules",
            count=len(bank.questions),
            seconds=bank.time_limit,
            pass_mark=bank.pass_mark,
            attempts=attempts,
        ),
    ]
    if status.best_score is not None:
        lines.append(ctx.t("quiz.record", used=status.attempts_used, best=status.best_score))
    rows: list[list[Button]] = []
    if status.in_progress:
        rows.append([Button(ctx.t("btn.resume"), f"qs:{bank.id}")])
    elif bank.attempts and status.attempts_used >= bank.attempts:
        lines.append(ctx.t("quiz.no_attempts"))
    else:
        rows.append([Button(ctx.t("btn.start_quiz"), f"qs:{bank.id}")])
    rows.append(menu_row(ctx))
    return Outgoing("\n".join(lines), rows=rows, edit=bool(ctx.event.action))


async def start(ctx: Context, quiz_id: str) -> list[Outgoing]:
    """Begin (or resume) an attempt and show its question."""
    bank = ctx.services.quizzes.bank_for(ctx.person, quiz_id)
    if bank is None:
        return [Outgoing(ctx.t("quiz.not_found", id=quiz_id), rows=[menu_row(ctx)])]
    reply = await ctx.services.quizzes.start(ctx.person, bank)
    if reply.status == "no_attempts":
        return [await intro(ctx, bank)]
    return render_reply(ctx, reply)


def _parse(arg: str, parts: int) -> list[int] | None:
    fields = arg.split(":")
    if len(fields) != parts or not all(f.isdigit() for f in fields):
        return None
    return [int(f) for f in fields]


async def tick(ctx: Context, arg: str) -> list[Outgoing]:
    """Tick or untick an option of a multiple-choice question."""
    parsed = _parse(arg, 3)
    if parsed is None:
        return [Outgoing(ctx.t("error.unknown_action"), notice=True)]
    attempt_id, position, mask = parsed
    reply = await ctx.services.quizzes.view(ctx.person, attempt_id, position, mask)
    return render_reply(ctx, reply)


async def answer(ctx: Context, arg: str) -> list[Outgoing]:
    """Answer the current question."""
    parsed = _parse(arg, 3)
    if parsed is None:
        return [Outgoing(ctx.t("error.unknown_action"), notice=True)]
    attempt_id, position, mask = parsed
    reply = await ctx.services.quizzes.answer(ctx.person, attempt_id, position, mask)
    return render_reply(ctx, reply)


def render_reply(ctx: Context, reply: Reply) -> list[Outgoing]:
    """Feedback, then the next question or the summary, as one message edited in place."""
    edit = bool(ctx.event.action)
    if reply.status == "repeat":
        return [Outgoing(ctx.t("quiz.already_answered"), notice=True)]
    if reply.status == "not_found":
        return [Outgoing(ctx.t("quiz.attempt_gone"), rows=[menu_row(ctx)], edit=edit)]
    head: list[str] = []
    if reply.status == "empty":
        head += [ctx.t("quiz.tick_first"), ""]
    if reply.outcome is not None:
        head += _outcome_lines(ctx, reply.outcome)
    if reply.summary is not None:
        body, rows = summary_lines(ctx, reply.summary), summary_rows(ctx, reply.summary)
    elif reply.step is not None:
        body, rows = step_lines(ctx, reply.step), step_rows(ctx, reply.step)
    else:  # the next question was removed from the bank: this attempt cannot go on
        body, rows = [ctx.t("quiz.attempt_gone")], [menu_row(ctx)]
    if reply.outcome is None:
        return [Outgoing("\n".join(head + body), rows=rows, edit=edit)]
    text = "\n".join([*head, "", "—" * 8, "", *body])
    if len(text) <= MAX_MESSAGE_CHARS:
        return [Outgoing(text, rows=rows, edit=edit)]
    # A long explanation plus a long question would not fit one message: send two.
    return [Outgoing("\n".join(head), edit=edit), Outgoing("\n".join(body), rows=rows)]


def _outcome_lines(ctx: Context, outcome: Outcome) -> list[str]:
    return feedback_lines(
        ctx,
        outcome.step.question,
        outcome.correct,
        outcome.timed_out,
        outcome.step.answer_mask,
        outcome.award.granted,
        outcome.award.capped,
    )


def step_lines(ctx: Context, step: Step) -> list[str]:
    """A question inside an attempt, with its position and time limit."""
    q = step.question
    header = ctx.t(
        "quiz.header",
        title=step.quiz.title,
        n=step.position + 1,
        total=step.total,
        kind=ctx.t(f"quiz.type_{q.type}"),
        seconds=q.time_limit,
    )
    return question_lines(ctx, q, step.order, header)


def step_rows(ctx: Context, step: Step) -> list[list[Button]]:
    """The buttons of a question inside an attempt."""
    base = f"{step.attempt_id}:{step.position}"
    return option_rows(
        ctx,
        step.question,
        step.order,
        step.selected,
        lambda m: f"qa:{base}:{m}",
        lambda m: f"qm:{base}:{m}",
    )


def summary_lines(ctx: Context, s: Summary) -> list[str]:
    """Score, pass/fail and what is left."""
    verdict = ctx.t("quiz.passed") if s.passed else ctx.t("quiz.failed")
    lines = [
        ctx.t("quiz.finished", title=s.quiz.title),
        ctx.t(
            "quiz.score",
            correct=s.correct,
            total=s.total,
            score=s.score,
            pass_mark=s.quiz.pass_mark,
            verdict=verdict,
        ),
    ]
    if s.pass_award.granted:
        lines.append(ctx.t("quiz.pass_points", points=s.pass_award.granted))
    if s.attempts_left is not None:
        lines.append(ctx.t("quiz.attempts_left", left=s.attempts_left))
    if s.correct < s.total:
        lines.append(ctx.t("quiz.to_review"))
    return lines


def summary_rows(ctx: Context, s: Summary) -> list[list[Button]]:
    """Review, retry and menu buttons after an attempt."""
    rows = []
    if s.correct < s.total:
        rows.append([Button(ctx.t("btn.review"), "rv")])
    if s.attempts_left is None or s.attempts_left > 0:
        rows.append([Button(ctx.t("btn.retry"), f"qs:{s.quiz.id}")])
    rows.append([Button(ctx.t("btn.me"), "me"), *menu_row(ctx)])
    return rows


# --- 错题本 ------------------------------------------------------------------------------


async def review(ctx: Context, after: str) -> list[Outgoing]:
    """The next open question in the wrong-answer book."""
    item = await ctx.services.wrong_book.next(ctx.person, int(after) if after.isdigit() else 0)
    if item is None:
        return [Outgoing(ctx.t("review.empty"), rows=[menu_row(ctx)], edit=bool(ctx.event.action))]
    return [_review_question(ctx, item, 0)]


def _review_question(ctx: Context, item: ReviewItem, selected: int, prefix: str = "") -> Outgoing:
    q = item.question
    order = tuple(range(len(q.options)))
    header = ctx.t(
        "review.header",
        title=item.quiz.title,
        count=item.open_count,
        kind=ctx.t(f"quiz.type_{q.type}"),
    )
    lines = ([prefix, ""] if prefix else []) + question_lines(ctx, q, order, header)
    rows = option_rows(
        ctx,
        q,
        order,
        selected,
        lambda m: f"ra:{item.entry_id}:{m}",
        lambda m: f"rt:{item.entry_id}:{m}",
    )
    rows.append([Button(ctx.t("btn.skip"), f"rv:{item.entry_id}"), *menu_row(ctx)])
    return Outgoing("\n".join(lines), rows=rows, edit=bool(ctx.event.action))


async def review_tick(ctx: Context, arg: str) -> list[Outgoing]:
    """Tick an option of a multiple-choice review question."""
    parsed = _parse(arg, 2)
    if parsed is None:
        return [Outgoing(ctx.t("error.unknown_action"), notice=True)]
    entry_id, mask = parsed
    item = await ctx.services.wrong_book.next(ctx.person, entry_id - 1)
    if item is None or item.entry_id != entry_id:
        return [Outgoing(ctx.t("quiz.already_answered"), notice=True)]
    return [_review_question(ctx, item, mask)]


async def review_answer(ctx: Context, arg: str) -> list[Outgoing]:
    """Check a review answer; a right one leaves the book."""
    parsed = _parse(arg, 2)
    if parsed is None:
        return [Outgoing(ctx.t("error.unknown_action"), notice=True)]
    entry_id, mask = parsed
    item = await ctx.services.wrong_book.next(ctx.person, entry_id - 1)
    if item is None or item.entry_id != entry_id:
        return [Outgoing(ctx.t("quiz.already_answered"), notice=True)]
    q = item.question
    if not mask:
        return [_review_question(ctx, item, 0, ctx.t("quiz.tick_first"))]
    # The review shows options in their own order, so display bits are option indexes
    # (and a true/false mask of 1 or 2 is answer {0} or {1}).
    chosen = bits(mask)
    result = await ctx.services.wrong_book.answer(ctx.person, entry_id, chosen)
    if result is None:
        return [Outgoing(ctx.t("quiz.already_answered"), notice=True)]
    right = mask_of(q.answer)
    lines = feedback_lines(ctx, q, result.correct, False, right)
    lines.append(ctx.t("review.cleared") if result.correct else ctx.t("review.kept"))
    lines.append(ctx.t("review.remaining", count=result.open_count))
    rows = []
    if result.open_count:
        rows.append([Button(ctx.t("btn.next_question"), f"rv:{entry_id}")])
    rows.append(menu_row(ctx))
    return [Outgoing("\n".join(lines), rows=rows, edit=True)]
