"""Measures 20,000 quiz-answer button presses through the real PTB Application; target: at
least half the rate of a bare PTB handler that only answers the callback query.

Opens the app on the shipped config and content (`App.open`, SQLite file in a temporary
directory, a ManualClock that never moves, so every answer is in time) and serves it with the
real `TelegramChannel`; only the Bot API's HTTP edge is replaced by an offline request that
answers like the Bot API. 500 people each send /quiz, then, round-robin, open a bank, start
it and answer its questions, one callback_query update at a time, with buttons taken from the
keyboards the bot last sent them (a multiple-choice answer is the submit button after a random
set of ticks). When an attempt ends they go on to the next bank. Every update goes through
`Application.process_update`, timed on its own; the target counts the 20,000 answers ("qa:").
Then the same updates are replayed through a bare Application whose one handler only answers
the callback query, and the ratio ours/bare of answers per second is reported. As a second
reference ("echo"), they are replayed once more through a handler that makes the same Bot API
calls our bot made for each update (the same edit, text and keyboard, then the answer), which
splits the time per answer into PTB's, the replies' and our own (dispatcher, SQLite, render).

Run by hand from the repository root:  .venv/bin/python benchmarks/bench_updates.py
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
from collections import Counter
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import telegram
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, ContextTypes, TypeHandler
from telegram.request import BaseRequest, RequestData

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.config import load_config
from bot.core.clock import ManualClock

TARGET_RATIO = 0.5
ROOT = Path(__file__).resolve().parent.parent
# Wednesday 2026-11-18, 10:00 in Shanghai: all six shipped banks are on offer.
START = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TOKEN = "123:BENCH"
BOT_USER = {"id": 777000, "is_bot": True, "first_name": "干部学习助手", "username": "CadreBot"}
FIRST_USER_ID = 10_000_000


class OfflineRequest(BaseRequest):
    """Answers Bot API methods offline like the Bot API would (cf. tests/telegram_offline.py).

    Counts calls per method and keeps the last inline keyboard and text sent to each chat,
    which is where the simulated people find the buttons they press next.
    """

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.keyboards: dict[int, list[str]] = {}
        self.last_text: dict[int, str] = {}
        self.sent: list[tuple[str, str, list]] = []  # (method, text, keyboard rows)
        self._message_id = 100

    @property
    def read_timeout(self) -> float | None:
        """No network, no waiting."""
        return None

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        self.counts[name] += 1
        result: Any = True
        if name == "getMe":
            result = BOT_USER
        elif name in ("sendMessage", "editMessageText"):
            chat_id = int(params.get("chat_id", 1))
            # A reply keyboard (share phone or location) or its removal has no inline rows.
            inline = (params.get("reply_markup") or {}).get("inline_keyboard", [])
            self.keyboards[chat_id] = [b["callback_data"] for row in inline for b in row]
            rows = [[(b["text"], b["callback_data"]) for b in row] for row in inline]
            self.sent.append((name, params.get("text", ""), rows))
            self.last_text[chat_id] = params.get("text", "")
            self._message_id += 1
            result = {
                "message_id": self._message_id,
                "date": 0,
                "text": params.get("text", ""),
                "chat": {"id": chat_id, "type": "private"},
            }
        return 200, json.dumps({"ok": True, "result": result}).encode()


def user(n: int) -> dict:
    return {"id": FIRST_USER_ID + n, "is_bot": False, "first_name": f"干部{n}"}


def text_update(update_id: int, n: int, text: str) -> dict:
    chat = {"id": FIRST_USER_ID + n, "type": "private"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": chat,
            "from": user(n),
            "text": text,
        },
    }


def press_update(update_id: int, n: int, data: str) -> dict:
    chat = {"id": FIRST_USER_ID + n, "type": "private"}
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cb{update_id}",
            "from": user(n),
            "chat_instance": f"ci{n}",
            "data": data,
            "message": {"message_id": 55, "date": 0, "chat": chat, "text": "…"},
        },
    }


class Person:
    """One simulated person: which bank is next, and what to press given the last keyboard."""

    def __init__(self, n: int, rng: random.Random):
        self.n = n
        self.rng = rng
        self.banks: list[str] = []  # "quiz:<id>" buttons from the /quiz list
        self.next_bank = n  # people start on different banks

    def choose(self, buttons: list[str]) -> str:
        """The callback data to press next."""
        answers = [b for b in buttons if b.startswith("qa:")]
        ticks = [b for b in buttons if b.startswith("qm:")]
        if ticks:  # multiple choice: tick a random non-empty set, then submit
            masks = [int(b.rsplit(":", 1)[1]) for b in ticks]
            chosen = self.rng.sample(masks, self.rng.randint(1, len(masks)))
            base = ticks[0].rsplit(":", 1)[0].replace("qm:", "qa:", 1)
            return f"{base}:{sum(chosen)}"
        if answers:
            return self.rng.choice(answers)
        starts = [b for b in buttons if b.startswith("qs:")]
        # An intro (start or resume) comes straight after "quiz:<id>": press start. A
        # summary also has "qs:" (retry) next to "me"; there, go on to the next bank.
        if starts and "me" not in buttons:
            return starts[0]
        bank = self.banks[self.next_bank % len(self.banks)]
        self.next_bank += 1
        return bank


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the sorted values fall (nearest rank)."""
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def stats(latencies: list[float]) -> dict:
    """Rate and latency percentiles (ms) of a list of per-update seconds."""
    ordered = sorted(latencies)
    total = sum(ordered)
    return {
        "count": len(ordered),
        "seconds": total,
        "per_second": len(ordered) / total if total else 0.0,
        "ms": {
            k: percentile(ordered, f) * 1000
            for k, f in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99), ("max", 1.0))
        },
    }


async def feed(application: Application, data: dict) -> float:
    """Process one update; return the seconds spent in process_update."""
    update = Update.de_json(data, application.bot)
    t0 = time.perf_counter()
    await application.process_update(update)
    return time.perf_counter() - t0


async def run_ours(args: argparse.Namespace, db_path: Path) -> dict:
    """The real channel and dispatcher: returns the updates fed and their timings."""
    config = replace(load_config(ROOT / "config.yaml"), database_path=db_path)
    app = await App.open(config, ManualClock(START), rng=random.Random(args.seed))
    request = OfflineRequest()
    channel = TelegramChannel(TOKEN, config, request=request)
    channel.dispatcher = app.dispatcher
    application = channel.application
    rng = random.Random(args.seed)
    people = [Person(n, rng) for n in range(1, args.people + 1)]
    updates: list[tuple[str, dict, list]] = []  # (kind, update, Bot API sends) as fed
    latencies: dict[str, list[float]] = {"qa": [], "other": []}
    update_id = 0
    await application.initialize()
    try:
        t_start = time.perf_counter()
        for p in people:  # everyone opens the quiz list first (untimed)
            update_id += 1
            data = text_update(update_id, p.n, "/quiz")
            await feed(application, data)
            p.banks = [b for b in request.keyboards[FIRST_USER_ID + p.n] if b.startswith("quiz:")]
            assert p.banks, "the /quiz list should offer banks"
        answers = 0
        while answers < args.answers:
            for p in people:
                if answers >= args.answers:
                    break
                data_str = p.choose(request.keyboards[FIRST_USER_ID + p.n])
                update_id += 1
                data = press_update(update_id, p.n, data_str)
                kind = "qa" if data_str.startswith("qa:") else "other"
                request.sent = []
                seconds = await feed(application, data)
                latencies[kind].append(seconds)
                updates.append((kind, data, request.sent))
                answers += kind == "qa"
        wall = time.perf_counter() - t_start
        calls = dict(request.counts)
    finally:
        await application.shutdown()
        await app.close()
    return {"updates": updates, "latencies": latencies, "wall": wall, "calls": calls}


async def run_reference(updates: list[tuple[str, dict, list]], echo: bool) -> dict:
    """The same updates through a PTB Application with one plain handler.

    Bare (echo=False): the handler only answers the callback query. Echo: it also makes the
    same edits and sends, with the same texts and keyboards, that our bot made for that update
    (looked up, not computed): PTB's and the Bot API's share of the work, without ours.
    """
    replies: dict[int, list] = {data["update_id"]: sent for _, data, sent in updates}

    async def answer_only(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is None:
            return
        if echo:
            for method, text, rows in replies[update.update_id]:
                markup = (
                    InlineKeyboardMarkup(
                        [
                            [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                            for row in rows
                        ]
                    )
                    if rows
                    else None
                )
                if method == "editMessageText":
                    await query.edit_message_text(text, reply_markup=markup)
                else:
                    await update.get_bot().send_message(
                        query.message.chat.id, text, reply_markup=markup
                    )
        await query.answer()

    request = OfflineRequest()
    application = (
        Application.builder()
        .token(TOKEN)
        .job_queue(None)
        .request(request)
        .get_updates_request(request)
        .build()
    )
    application.add_handler(TypeHandler(Update, answer_only))
    latencies: dict[str, list[float]] = {"qa": [], "other": []}
    await application.initialize()
    try:
        t_start = time.perf_counter()
        for kind, data, _ in updates:
            latencies[kind].append(await feed(application, data))
        wall = time.perf_counter() - t_start
    finally:
        await application.shutdown()
    return {"latencies": latencies, "wall": wall, "calls": dict(request.counts)}


def count_rows(db_path: Path) -> dict:
    """What the database holds once the app is closed."""
    conn = sqlite3.connect(db_path)
    try:
        answers, right = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(correct), 0) FROM quiz_answers"
        ).fetchone()
        timed_out = conn.execute("SELECT COUNT(*) FROM quiz_answers WHERE timed_out").fetchone()[0]
        attempts = conn.execute("SELECT COUNT(*) FROM quiz_attempts").fetchone()[0]
        finished = conn.execute(
            "SELECT COUNT(*) FROM quiz_attempts WHERE finished_at IS NOT NULL"
        ).fetchone()[0]
        people = conn.execute("SELECT COUNT(*) FROM people").fetchone()[0]
        events = conn.execute("SELECT COUNT(*) FROM processed_events").fetchone()[0]
    finally:
        conn.close()
    return {
        "rows": answers,
        "rows_right": right,
        "rows_timed_out": timed_out,
        "attempt_rows": attempts,
        "finished_rows": finished,
        "people_rows": people,
        "event_rows": events,
        "db_mb": db_path.stat().st_size / 1e6,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=20_000, help="answers (default 20000)")
    parser.add_argument("--people", type=int, default=500, help="people (default 500)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed")
    args = parser.parse_args(argv)
    if min(args.answers, args.people) < 1:
        parser.error("sizes must be at least 1")
    # 6 banks x 3 attempts: each person can give at least 6 x 3 x 7 answers.
    if args.answers > args.people * 6 * 3 * 7:
        parser.error("too few people for that many answers (3 attempts per bank)")

    with tempfile.TemporaryDirectory(prefix="bench-updates-") as tmp:
        db_path = Path(tmp) / "bench.sqlite3"
        ours = asyncio.run(run_ours(args, db_path))
        rows = count_rows(db_path)
    bare = asyncio.run(run_reference(ours["updates"], echo=False))
    echo = asyncio.run(run_reference(ours["updates"], echo=True))

    ours_qa, ours_other = stats(ours["latencies"]["qa"]), stats(ours["latencies"]["other"])
    bare_qa, bare_other = stats(bare["latencies"]["qa"]), stats(bare["latencies"]["other"])
    echo_qa, echo_other = stats(echo["latencies"]["qa"]), stats(echo["latencies"]["other"])
    ratio = ours_qa["per_second"] / bare_qa["per_second"]
    ratio_echo = ours_qa["per_second"] / echo_qa["per_second"]
    n_updates = len(ours["updates"])
    # Per answer, in microseconds: PTB's bare share, the Bot API calls we make, our own work.
    us = {
        "bare": 1e6 / bare_qa["per_second"],
        "replies": 1e6 / echo_qa["per_second"] - 1e6 / bare_qa["per_second"],
        "ours": 1e6 / ours_qa["per_second"] - 1e6 / echo_qa["per_second"],
    }

    assert ours_qa["count"] == args.answers
    assert rows["rows"] == args.answers, f"quiz_answers has {rows['rows']} rows"
    assert rows["rows_timed_out"] == 0, "the clock does not move: no answer can time out"
    assert rows["people_rows"] == args.people
    assert rows["event_rows"] == n_updates + args.people, "every update is a new event"
    assert ours["calls"].get("answerCallbackQuery") == n_updates, "every press is answered"
    assert bare["calls"].get("answerCallbackQuery") == n_updates
    assert echo["calls"].get("editMessageText") == ours["calls"].get("editMessageText")
    passed = ratio >= TARGET_RATIO

    def line(name: str, s: dict) -> str:
        ms = s["ms"]
        return (
            f"{name}: {s['count']:,} in {s['seconds']:.2f} s -> "
            f"{s['per_second']:,.0f}/s; p50 {ms['p50']:.3f} ms, p95 {ms['p95']:.3f} ms, "
            f"p99 {ms['p99']:.3f} ms, max {ms['max']:.2f} ms"
        )

    print(
        f"{args.people} people, shipped content (6 banks), {n_updates:,} callback updates "
        f"({ours_qa['count']:,} answers, {ours_other['count']:,} opening/starting banks); "
        f"{rows['attempt_rows']:,} attempts ({rows['finished_rows']:,} finished), "
        f"{rows['rows_right']:,} answers right; database {rows['db_mb']:.1f} MB"
    )
    print(f"Bot API calls, ours: {ours['calls']}")
    print(line("ours, answers        ", ours_qa))
    print(line("ours, other presses  ", ours_other))
    print(line("bare, answers        ", bare_qa))
    print(line("bare, other presses  ", bare_other))
    print(line("echo, answers        ", echo_qa))
    print(line("echo, other presses  ", echo_other))
    print(
        f"wall time (all updates): ours {ours['wall']:.2f} s, bare {bare['wall']:.2f} s, "
        f"echo {echo['wall']:.2f} s"
    )
    print(
        f"per answer: {us['bare']:.0f} us PTB bare + {us['replies']:.0f} us for the edit "
        f"(PTB, offline Bot API) + {us['ours']:.0f} us ours (dispatcher, SQLite, rendering)"
    )
    print(f"ratio ours/echo (answers/s): {ratio_echo:.3f}")
    print(
        f"ratio ours/bare (answers/s): {ratio:.3f}; target >= {TARGET_RATIO}: "
        f"{'PASS' if passed else 'FAIL'}"
    )

    def figures(s: dict) -> dict:
        return {
            "updates": s["count"],
            "seconds": round(s["seconds"], 3),
            "per_second": round(s["per_second"]),
            "latency_ms": {k: round(v, 3) for k, v in s["ms"].items()},
        }

    print(
        json.dumps(
            {
                "benchmark": "updates",
                "people": args.people,
                "updates": n_updates,
                "answers": ours_qa["count"],
                "answers_right": rows["rows_right"],
                "attempts": rows["attempt_rows"],
                "ours_answers": figures(ours_qa),
                "ours_other": figures(ours_other),
                "bare_answers": figures(bare_qa),
                "bare_other": figures(bare_other),
                "echo_answers": figures(echo_qa),
                "echo_other": figures(echo_other),
                "ours_wall_seconds": round(ours["wall"], 3),
                "bare_wall_seconds": round(bare["wall"], 3),
                "echo_wall_seconds": round(echo["wall"], 3),
                "per_answer_us": {k: round(v) for k, v in us.items()},
                "ratio": round(ratio, 3),
                "ratio_echo": round(ratio_echo, 3),
                "target_ratio": TARGET_RATIO,
                "bot_api_calls": ours["calls"],
                "python": sys.version.split()[0],
                "ptb": telegram.__version__,
                "sqlite": sqlite3.sqlite_version,
                "pass": passed,
            }
        )
    )
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
