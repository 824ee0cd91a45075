"""Measures a 5,000-recipient broadcast through the outbox against a rate-limited fake Bot API;
targets: at least 95% of the allowed rate, nothing lost or sent twice, and after a kill -9 in
the middle nothing lost and no more duplicates than messages in flight.

A fake Bot API server (stdlib asyncio HTTP/1.1 with keep-alive, in a thread of this process,
on 127.0.0.1) answers getMe and sendMessage like the Bot API. It enforces an overall limit
(a 1 s sliding window) and 1 message/s per chat with real HTTP 429 answers
`{"ok": false, "error_code": 429, "description": "Too Many Requests: retry after N",
"parameters": {"retry_after": N}}` and records every (chat_id, text) it accepts.

For each run the script opens the app on the shipped config with a SQLite file in a temporary
directory and a SystemClock, queues one broadcast to 5,000 recipients with Outbox.enqueue, and
starts benchmarks/broadcast_sender.py as a child process: the real TelegramChannel (PTB with
its own HTTP client, base_url pointed at the fake server) drained by the real Sender with
`Limits(overall_per_second=R)`, the server allowing R/s as well. Runs: R = 200 and R = 30.
Crash test: at R = 200 the child is killed with SIGKILL once the server has accepted half of
the messages, the rows in status 'sending' are counted, and a new child resumes
(Sender.run calls recover() first).

Unlike the other benchmarks this one takes real time (about 4 minutes) and uses the loopback
network. Run by hand from the repository root:  .venv/bin/python benchmarks/bench_broadcast.py
The last line printed is a JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, deque
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs

import telegram

from bot.app import App
from bot.config import load_config
from bot.core.clock import SystemClock
from bot.core.messages import Outgoing
from bot.delivery import Recipient

TARGET_RATIO = 0.95
ROOT = Path(__file__).resolve().parent.parent
SENDER = Path(__file__).resolve().parent / "broadcast_sender.py"
TOKEN = "123:BENCH"
FIRST_CHAT = 20_000_001
BOT_USER = {"id": 777000, "is_bot": True, "first_name": "干部学习助手", "username": "CadreBot"}
TEXT = "【通知】请各位同志于本周五前完成“每周一学”第46期学习并参加配套测试。"
REASONS = {200: "OK", 404: "Not Found", 429: "Too Many Requests"}


class FakeBotApi:
    """A Bot API stand-in on 127.0.0.1 with Telegram's send limits, run in its own thread."""

    def __init__(self, overall_per_second: int, per_chat_seconds: float = 1.0):
        self.limit = overall_per_second
        self.per_chat_seconds = per_chat_seconds
        self.accepted: list[tuple[int, str, int, float]] = []  # chat, text, message_id, time
        self.too_many = Counter()  # 429s by cause: overall, chat
        self.requests = Counter()  # by method
        self._window: deque[float] = deque()
        self._last_by_chat: dict[int, float] = {}
        self._message_id = 1000
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="fake-bot-api", daemon=True)
        self._server: asyncio.base_events.Server | None = None
        self.port = 0

    def __enter__(self) -> FakeBotApi:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)

    async def _shutdown(self) -> None:
        """Stop listening and end the connections still open."""
        if self._server is not None:
            self._server.close()
        others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in others:
            task.cancel()
        await asyncio.gather(*others, return_exceptions=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._connection, "127.0.0.1", 0, backlog=1024)
        )
        self.port = self._server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        """One keep-alive connection: requests are answered in order until it closes."""
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                request_line, *header_lines = head.split("\r\n")
                _, target, _ = request_line.split(" ", 2)
                headers = {}
                for line in header_lines:
                    if line:
                        key, _, value = line.partition(":")
                        headers[key.strip().lower()] = value.strip()
                length = int(headers.get("content-length", "0"))
                body = await reader.readexactly(length) if length else b""
                status, answer = self.answer(target, headers.get("content-type", ""), body)
                data = json.dumps(answer, ensure_ascii=False).encode()
                writer.write(
                    f"HTTP/1.1 {status} {REASONS[status]}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(data)}\r\nConnection: keep-alive\r\n\r\n".encode()
                    + data
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    def answer(self, target: str, content_type: str, body: bytes) -> tuple[int, dict]:
        """The status and JSON body for one Bot API call."""
        prefix = f"/bot{TOKEN}/"
        method = target[len(prefix) :] if target.startswith(prefix) else ""
        self.requests[method or target] += 1
        if method == "getMe":
            return 200, {"ok": True, "result": BOT_USER}
        if method != "sendMessage":
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if content_type.startswith("application/json"):
            params = json.loads(body)
        else:
            params = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        chat_id, text = int(params["chat_id"]), params["text"]
        now = time.monotonic()
        while self._window and self._window[0] <= now - 1.0:
            self._window.popleft()
        if len(self._window) >= self.limit:
            return self._too_many("overall", math.ceil(self._window[0] + 1.0 - now))
        last = self._last_by_chat.get(chat_id)
        if last is not None and now - last < self.per_chat_seconds:
            return self._too_many("chat", math.ceil(last + self.per_chat_seconds - now))
        self._window.append(now)
        self._last_by_chat[chat_id] = now
        self._message_id += 1
        self.accepted.append((chat_id, text, self._message_id, now))
        message = {
            "message_id": self._message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "text": text,
        }
        return 200, {"ok": True, "result": message}

    def _too_many(self, cause: str, seconds: int) -> tuple[int, dict]:
        self.too_many[cause] += 1
        seconds = max(1, seconds)
        return 429, {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {seconds}",
            "parameters": {"retry_after": seconds},
        }


async def enqueue(db: Path, recipients: int, ref: str) -> int:
    """Queue one broadcast to `recipients` Telegram chats; returns the batch id."""
    config = replace(load_config(ROOT / "config.yaml"), database_path=db)
    app = await App.open(config, SystemClock())
    try:
        people = [Recipient("telegram", str(FIRST_CHAT + i)) for i in range(recipients)]
        return await app.services.outbox.enqueue("broadcast", ref, Outgoing(TEXT), people)
    finally:
        await app.close()


def sender_command(db: Path, server: FakeBotApi, batch: int, rate: int) -> list[str]:
    return [
        sys.executable,
        str(SENDER),
        "--db",
        str(db),
        "--base-url",
        server.base_url,
        "--batch",
        str(batch),
        "--rate",
        str(rate),
    ]


def finish_child(proc: subprocess.Popen, timeout: float) -> dict:
    """Wait for a sender child; its last stdout line is a JSON object."""
    out, err = proc.communicate(timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"sender exited with {proc.returncode}:\n{err}")
    return json.loads(out.strip().splitlines()[-1])


def db_rows(db: Path) -> dict:
    """Outbox rows per status, and chat -> message_ref for those sent."""
    conn = sqlite3.connect(db)
    try:
        by_status = dict(
            conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall()
        )
        refs = dict(conn.execute("SELECT chat_ref, message_ref FROM outbox WHERE status = 'sent'"))
        sending = [r[0] for r in conn.execute("SELECT chat_ref FROM outbox WHERE status='sending'")]
    finally:
        conn.close()
    return {"by_status": by_status, "refs": refs, "sending": sending}


def tally(server: FakeBotApi, recipients: int) -> dict:
    """Lost, duplicated and the rate the server saw."""
    accepted = list(server.accepted)
    wanted = {FIRST_CHAT + i for i in range(recipients)}
    per_chat = Counter(chat for chat, text, _, _ in accepted if text == TEXT)
    times = [t for *_, t in accepted]
    # The most the server accepted within any 1 s: the limit held if this is <= the limit.
    busiest, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - 1.0:
            j += 1
        busiest = max(busiest, i - j + 1)
    return {
        "accepted": len(accepted),
        "lost": len(wanted - set(per_chat)),
        "duplicated": sum(n - 1 for n in per_chat.values() if n > 1),
        "strangers": sum(1 for chat in per_chat if chat not in wanted),
        "t_first": times[0] if times else math.nan,
        "t_last": times[-1] if times else math.nan,
        "busiest_second": busiest,
        "too_many": dict(server.too_many),
        "too_many_total": sum(server.too_many.values()),
        "last_message_id": {chat: str(mid) for chat, _, mid, _ in accepted},
    }


def rate_run(rate: int, recipients: int, tmp: Path) -> dict:
    """One broadcast drained by one child at `rate`, the server allowing the same."""
    db = tmp / f"rate-{rate}.sqlite3"
    batch = asyncio.run(enqueue(db, recipients, f"bench-{rate}"))
    with FakeBotApi(rate) as server:
        proc = subprocess.Popen(
            sender_command(db, server, batch, rate),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        child = finish_child(proc, timeout=recipients / rate * 3 + 60)
        result = tally(server, recipients)
    rows = db_rows(db)
    span = result["t_last"] - result["t_first"]
    achieved = (result["accepted"] - 1) / span if span > 0 else math.nan
    mismatched = sum(
        1 for chat, ref in rows["refs"].items() if result["last_message_id"].get(int(chat)) != ref
    )
    return {
        "rate": rate,
        "recipients": recipients,
        "accepted": result["accepted"],
        "lost": result["lost"],
        "duplicated": result["duplicated"],
        "strangers": result["strangers"],
        "too_many": result["too_many"],
        "too_many_total": result["too_many_total"],
        "busiest_second": result["busiest_second"],
        "first_to_last_seconds": span,
        "start_to_last_seconds": result["t_last"] - child["t_start"],
        "sender_seconds": child["t_end"] - child["t_start"],
        "achieved_per_second": achieved,
        "ratio": achieved / rate,
        "rows": rows["by_status"],
        "message_ref_mismatches": mismatched,
    }


def crash_run(rate: int, recipients: int, tmp: Path, kill_at: float) -> dict:
    """Kill -9 the sender once `kill_at` of the messages went out, then resume in a new one."""
    db = tmp / "crash.sqlite3"
    batch = asyncio.run(enqueue(db, recipients, "bench-crash"))
    with FakeBotApi(rate) as server:
        cmd = sender_command(db, server, batch, rate)
        first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + recipients / rate * 3 + 60
        while len(server.accepted) < recipients * kill_at:
            if first.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"sender ended before the kill: {first.communicate()[1]}")
            time.sleep(0.005)
        os.kill(first.pid, signal.SIGKILL)
        first.communicate()
        accepted_at_kill = len(server.accepted)
        at_kill = db_rows(db)
        time.sleep(0.5)  # let the server finish requests already on the wire
        accepted_before_resume = len(server.accepted)
        in_flight_accepted = len(
            {str(chat) for chat, *_ in server.accepted} & set(at_kill["sending"])
        )
        second = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        child = finish_child(second, timeout=recipients / rate * 3 + 60)
        result = tally(server, recipients)
    rows = db_rows(db)
    return {
        "rate": rate,
        "recipients": recipients,
        "killed_with": "SIGKILL",
        "exit_status_first": first.returncode,
        "accepted_at_kill": accepted_at_kill,
        "accepted_before_resume": accepted_before_resume,
        "rows_at_kill": at_kill["by_status"],
        "sending_at_kill": len(at_kill["sending"]),
        "in_flight_accepted": in_flight_accepted,
        "recovered_by_second": child["found"].get("sending", 0),
        "accepted": result["accepted"],
        "lost": result["lost"],
        "duplicated": result["duplicated"],
        "strangers": result["strangers"],
        "too_many_total": result["too_many_total"],
        "rows": rows["by_status"],
        "resume_seconds": child["t_end"] - child["t_start"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=5000, help="recipients (5000)")
    parser.add_argument(
        "--rates", default="200,30", help="overall limits to run at, comma-separated (200,30)"
    )
    parser.add_argument(
        "--slow-recipients",
        type=int,
        default=0,
        help="recipients for rates under 100/s (default: --recipients)",
    )
    parser.add_argument("--crash-rate", type=int, default=200, help="rate of the crash test")
    parser.add_argument("--kill-at", type=float, default=0.5, help="share sent before the kill")
    parser.add_argument("--no-crash", action="store_true", help="skip the crash test")
    args = parser.parse_args(argv)
    rates = [int(r) for r in args.rates.split(",") if r]
    if args.recipients < 1 or any(r < 1 for r in rates) or not 0 < args.kill_at < 1:
        parser.error("recipients and rates must be at least 1, --kill-at between 0 and 1")

    runs, crash = [], None
    with tempfile.TemporaryDirectory(prefix="bench-broadcast-") as tmp_dir:
        tmp = Path(tmp_dir)
        for rate in rates:
            n = args.slow_recipients if rate < 100 and args.slow_recipients else args.recipients
            print(f"running {n:,} recipients at {rate}/s ...", flush=True)
            r = rate_run(rate, n, tmp)
            runs.append(r)
            print(
                f"  {r['accepted']:,} accepted, {r['lost']} lost, {r['duplicated']} duplicated; "
                f"{r['too_many_total']} answers 429 {r['too_many']}; busiest second "
                f"{r['busiest_second']} (limit {rate})"
            )
            print(
                f"  first to last accepted {r['first_to_last_seconds']:.2f} s "
                f"(sender start to last {r['start_to_last_seconds']:.2f} s) -> "
                f"{r['achieved_per_second']:.1f}/s = {r['ratio']:.3f} of the allowed {rate}/s; "
                f"outbox {r['rows']}; message_ref mismatches {r['message_ref_mismatches']}"
            )
        if not args.no_crash:
            print(
                f"crash test: {args.recipients:,} recipients at {args.crash_rate}/s, "
                f"kill -9 after {args.kill_at:.0%} ...",
                flush=True,
            )
            crash = crash_run(args.crash_rate, args.recipients, tmp, args.kill_at)
            c = crash
            print(
                f"  killed (exit {c['exit_status_first']}) with {c['accepted_at_kill']:,} "
                f"accepted; outbox then {c['rows_at_kill']}; {c['sending_at_kill']} in flight "
                f"('sending'), of which the server had accepted {c['in_flight_accepted']}"
            )
            print(
                f"  resumed: recover() found {c['recovered_by_second']} 'sending'; done in "
                f"{c['resume_seconds']:.1f} s; {c['accepted']:,} accepted in all, {c['lost']} "
                f"lost, {c['duplicated']} duplicated; outbox {c['rows']}"
            )

    checks = []
    for r in runs:
        checks += [r["ratio"] >= TARGET_RATIO, r["lost"] == 0, r["duplicated"] == 0]
        checks += [r["strangers"] == 0, r["message_ref_mismatches"] == 0]
    if crash is not None:
        checks += [crash["lost"] == 0, crash["duplicated"] <= crash["sending_at_kill"]]
        checks += [crash["strangers"] == 0]
    passed = all(checks)
    print(
        f"targets: rate >= {TARGET_RATIO} of the allowed, 0 lost, 0 duplicated; after kill -9: "
        f"0 lost, duplicates <= in flight: {'PASS' if passed else 'FAIL'}"
    )

    def rounded(d: dict) -> dict:
        return {k: round(v, 3) if isinstance(v, float) else v for k, v in d.items()}

    print(
        json.dumps(
            {
                "benchmark": "broadcast",
                "runs": [rounded(r) for r in runs],
                "crash": rounded(crash) if crash else None,
                "target_ratio": TARGET_RATIO,
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
