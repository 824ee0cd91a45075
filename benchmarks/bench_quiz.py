"""Measures 10,000 quiz answers through the domain on a real SQLite file; target >= 2,000/s.

Builds a content pack in memory (50 banks x 20 questions, unlimited attempts, shuffled;
half the banks linked from dated study items already published, half unlinked), opens the
app on a SQLite file in a temporary directory with a ManualClock, registers 500 people and
has them take attempts one after another, answering every question (about a quarter of the
answers wrong) until 10,000 answers are recorded. Only the `Quizzes.answer` calls are
timed for the target; the whole run, attempt starts included, is reported as well.

Run by hand from the repository root:  .venv/bin/python benchmarks/bench_quiz.py
The last line printed is a JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from bot.app import App
from bot.config import Config
from bot.content.models import (
    MULTIPLE,
    SINGLE,
    TRUEFALSE,
    ContentPack,
    Publish,
    Question,
    QuizBank,
    StudyItem,
)
from bot.core.clock import ManualClock
from bot.domain.quizzes import Step

TARGET_PER_SECOND = 2000
START = datetime(2026, 11, 21, 1, 0, tzinfo=UTC)
OPTIONS = ["能人返乡", "市民下乡", "干部到乡", "企业兴乡", "学生留乡", "专家进村", "集中培训",
           "专题研讨", "现场观摩", "擂台比武", "线上学习", "挂职锻炼"]


def make_question(rng: random.Random, bank: int, n: int) -> Question:
    """A single, multiple or true/false question (weighted 2:1:1) with an explanation."""
    kind = rng.choice((SINGLE, SINGLE, MULTIPLE, TRUEFALSE))
    explanation = "正文：坚持学用结合、知行合一，把学习成果转化为推动高质量发展的实际成效。"
    text = f"第{bank}套第{n}题：下列说法符合本期学习内容的是？"
    if kind == TRUEFALSE:
        return Question(f"q{n}", kind, text, (), frozenset({rng.randrange(2)}), explanation)
    count = rng.randint(4, 6) if kind == MULTIPLE else 4
    right = rng.sample(range(count), 1 if kind == SINGLE else rng.randint(2, count - 1))
    return Question(f"q{n}", kind, text, tuple(rng.sample(OPTIONS, count)), frozenset(right),
                    explanation)


def make_pack(rng: random.Random, banks: int, questions: int) -> ContentPack:
    """Banks with unlimited, shuffled attempts; even-numbered ones linked from study items."""
    pack = ContentPack()
    for b in range(1, banks + 1):
        bank = QuizBank(f"bank-{b:03d}", f"知识测试（第{b}套）",
                        tuple(make_question(rng, b, n) for n in range(1, questions + 1)),
                        pass_mark=60, attempts=0, shuffle=True, time_limit=60)
        pack.banks[bank.id] = bank
        if b % 2 == 0:
            item = StudyItem(f"item-{b:03d}", f"每周一学（第{b}期）", "学习正文。" * 100,
                             "基准测试", Publish("date", start=date(2026, 1, 5)), quiz=bank.id)
            pack.items[item.id] = item
    return pack


def right_mask(step: Step) -> int:
    """The mask of the right answer as displayed (true/false: 1 = true, 2 = false)."""
    if step.question.type == TRUEFALSE:
        return 1 if 0 in step.question.answer else 2
    return step.answer_mask


def wrong_mask(step: Step, rng: random.Random) -> int:
    """A non-empty mask that is not the right answer."""
    right = right_mask(step)
    if step.question.type == TRUEFALSE:
        return 3 - right
    count = len(step.order)
    if step.question.type == SINGLE:
        return 1 << rng.choice([d for d in range(count) if not right >> d & 1])
    wrong = right ^ (1 << rng.randrange(count))  # tick or untick one option
    return wrong or (1 << count) - 1


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the sorted values fall (nearest rank)."""
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


async def run(args: argparse.Namespace, db_path: Path) -> dict:
    """Register people and answer questions; return the tallies and timings."""
    rng = random.Random(args.seed)
    pack = make_pack(rng, args.banks, args.questions)
    config = replace(Config(), database_path=db_path)
    clock = ManualClock(START)
    app = await App.open(config, clock, pack=pack, rng=random.Random(args.seed))
    svc = app.services
    try:
        t0 = time.perf_counter()
        people = [(await svc.people.register("console", f"user{n}", f"chat{n}", f"干部{n}"))[0]
                  for n in range(1, args.people + 1)]
        register_seconds = time.perf_counter() - t0

        bank_ids = list(pack.banks)
        latencies: list[float] = []
        answered = right_answers = attempts = finished = 0
        t0 = time.perf_counter()
        round_no = 0
        while answered < args.answers:
            for i, person in enumerate(people):
                if answered >= args.answers:
                    break
                bank = svc.quizzes.bank_for(person, bank_ids[(i + round_no) % len(bank_ids)])
                assert bank is not None, "every bank should be available"
                reply = await svc.quizzes.start(person, bank)
                assert reply.status == "ok", reply.status
                assert reply.step is not None
                attempts += 1
                step: Step | None = reply.step
                while step is not None and answered < args.answers:
                    correct = rng.random() >= args.wrong
                    mask = right_mask(step) if correct else wrong_mask(step, rng)
                    clock.advance(seconds=7)  # reading time, well inside the time limit
                    a0 = time.perf_counter()
                    reply = await svc.quizzes.answer(person, step.attempt_id, step.position, mask)
                    latencies.append(time.perf_counter() - a0)
                    assert reply.status == "ok", reply.status
                    assert reply.outcome is not None
                    assert reply.outcome.correct == correct, "benchmark computed a wrong mask"
                    answered += 1
                    right_answers += correct
                    step = reply.step
                    finished += reply.summary is not None
            round_no += 1
        loop_seconds = time.perf_counter() - t0
    finally:
        await app.close()
    return {
        "people": len(people), "register_seconds": register_seconds, "attempts": attempts,
        "finished": finished, "answered": answered, "right": right_answers,
        "latencies": latencies, "loop_seconds": loop_seconds,
    }


def count_rows(db_path: Path) -> dict:
    """What the database holds once the app is closed."""
    conn = sqlite3.connect(db_path)
    try:
        rows, rows_right = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(correct), 0) FROM quiz_answers").fetchone()
        attempt_rows = conn.execute("SELECT COUNT(*) FROM quiz_attempts").fetchone()[0]
    finally:
        conn.close()
    return {"rows": rows, "rows_right": rows_right, "attempt_rows": attempt_rows,
            "db_mb": db_path.stat().st_size / 1e6}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000, help="answers (default 10000)")
    parser.add_argument("--people", type=int, default=500, help="people (default 500)")
    parser.add_argument("--banks", type=int, default=50, help="quiz banks (default 50)")
    parser.add_argument("--questions", type=int, default=20, help="questions per bank (20)")
    parser.add_argument("--wrong", type=float, default=0.25,
                        help="share of answers given wrong (default 0.25)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed")
    args = parser.parse_args(argv)
    if min(args.answers, args.people, args.banks, args.questions) < 1:
        parser.error("sizes must be at least 1")
    if not 0 <= args.wrong <= 1:
        parser.error("--wrong must be between 0 and 1")

    with tempfile.TemporaryDirectory(prefix="bench-quiz-") as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        r = asyncio.run(run(args, db_path))
        r |= count_rows(db_path)

    latencies = sorted(r["latencies"])
    answer_seconds = sum(latencies)
    per_second = r["answered"] / answer_seconds
    overall = r["answered"] / r["loop_seconds"]
    ms = {k: percentile(latencies, f) * 1000 for k, f in
          (("p50", 0.50), ("p95", 0.95), ("p99", 0.99), ("max", 1.0))}
    assert r["rows"] == r["answered"] == args.answers, \
        f"quiz_answers has {r['rows']} rows, {r['answered']} answers given, {args.answers} asked"
    assert r["rows_right"] == r["right"], "right answers stored differ from those given"
    assert r["attempt_rows"] == r["attempts"]
    passed = per_second >= TARGET_PER_SECOND

    print(f"registered {r['people']} people in {r['register_seconds']:.2f} s; "
          f"{args.banks} banks x {args.questions} questions")
    print(f"{r['answered']} answers ({r['right']} right, {r['answered'] - r['right']} wrong) "
          f"over {r['attempts']} attempts ({r['finished']} finished); quiz_answers has "
          f"{r['rows']} rows; database {r['db_mb']:.1f} MB")
    print(f"answer calls: {answer_seconds:.2f} s -> {per_second:,.0f} answers/s; latency p50 "
          f"{ms['p50']:.2f} ms, p95 {ms['p95']:.2f} ms, p99 {ms['p99']:.2f} ms, max "
          f"{ms['max']:.2f} ms")
    print(f"whole run incl. starts: {r['loop_seconds']:.2f} s -> {overall:,.0f} answers/s")
    print(f"target >= {TARGET_PER_SECOND:,} answers/s: {'PASS' if passed else 'FAIL'}")
    print(json.dumps({
        "benchmark": "quiz",
        "people": r["people"],
        "banks": args.banks,
        "questions_per_bank": args.questions,
        "answers": r["answered"],
        "right": r["right"],
        "attempts": r["attempts"],
        "rows": r["rows"],
        "answer_seconds": round(answer_seconds, 3),
        "answers_per_second": round(per_second),
        "latency_ms": {k: round(v, 3) for k, v in ms.items()},
        "whole_run_seconds": round(r["loop_seconds"], 3),
        "whole_run_answers_per_second": round(overall),
        "register_seconds": round(r["register_seconds"], 3),
        "db_mb": round(r["db_mb"], 2),
        "target_answers_per_second": TARGET_PER_SECOND,
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "pass": passed,
    }))
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
