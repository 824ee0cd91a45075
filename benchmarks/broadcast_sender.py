"""The sender half of bench_broadcast.py: drains one outbox batch through Telegram, then exits.

Opens the app on the shipped config with the given database and Bot API base URL (the fake
server of bench_broadcast.py), a SystemClock, and the real TelegramChannel and Sender. The
sender runs (`Sender.run`, which first puts rows caught mid-send back to pending) until no row
of the batch is pending or sending. bench_broadcast.py starts it as a child process and, for
the crash test, kills it with SIGKILL in the middle and starts it again.

    .venv/bin/python benchmarks/broadcast_sender.py --db PATH --base-url URL --batch ID

The last line printed is a JSON object: the monotonic start and end times and what was found.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import sys
import time
from dataclasses import replace
from pathlib import Path

from bot.app import App
from bot.channels.telegram import TelegramChannel
from bot.config import TelegramConfig, load_config
from bot.core.clock import SystemClock
from bot.delivery import Limits

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123:BENCH"


def statuses(db: Path) -> dict[str, int]:
    """Outbox rows per status."""
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall())
    finally:
        conn.close()


async def drain(args: argparse.Namespace) -> dict:
    """Run the real sender until the batch has nothing pending; return what happened."""
    base = args.base_url.rstrip("/")
    telegram = TelegramConfig(base_url=f"{base}/bot", base_file_url=f"{base}/file/bot")
    config = replace(load_config(ROOT / "config.yaml"), database_path=args.db, telegram=telegram)
    app = await App.open(config, SystemClock())
    channel = TelegramChannel(TOKEN, config)
    await channel.application.initialize()  # getMe, from the fake server
    sender = app.sender("telegram", channel.send, Limits(overall_per_second=args.rate))
    stop = asyncio.Event()

    async def watch() -> None:
        # Polls the outbox: nothing in the app signals "batch done" without a report_to.
        while (await app.services.outbox.counts(args.batch)).pending:  # noqa: ASYNC110
            await asyncio.sleep(0.1)
        stop.set()

    try:
        t_start = time.monotonic()
        await asyncio.gather(sender.run(stop=stop), watch())
        t_end = time.monotonic()
        counts = await app.services.outbox.counts(args.batch)
    finally:
        await channel.application.shutdown()
        await app.close()
    return {"t_start": t_start, "t_end": t_end, "sent": counts.sent, "failed": counts.failed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="the SQLite file")
    parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8081")
    parser.add_argument("--batch", type=int, required=True, help="outbox batch id")
    parser.add_argument("--rate", type=int, default=30, help="overall messages/s (30)")
    args = parser.parse_args(argv)
    found = statuses(args.db)
    result = asyncio.run(drain(args))
    print(json.dumps({"found": found, **result}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
