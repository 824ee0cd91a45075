"""Measures the WeCom channel: encrypted callbacks per second through the real callback
server, and the outbox draining to WeCom at WeCom's limits.

Callbacks: the app opens on the shipped config and content (SQLite file in a temporary
directory, the clock at Wednesday 2026-11-18 10:00) and `WeComChannel` serves it on
127.0.0.1 with its real aiohttp server. A client in a second process (so its encryption and
HTTP work do not share the server's core) posts callbacks built beforehand with wechatpy's
`WeChatCrypto`, as WeCom does, 64 at a time: 500 people each send 菜单 (the menu), then a
mix of /me, /study, /quiz and /help, 10,000 callbacks in all. Each one is signature-checked,
decrypted, parsed, de-duplicated, dispatched (the person registered, named by one user/get to
the fake WeCom API when new, the handler run) and its replies queued in the outbox. The rate
counts from the first post to the moment every
callback has been handled (`channel.drain()`); the HTTP answer rate is reported beside it.

Outbox: (a) 800 text messages to 400 members, drained by the real `Sender` with WeCom's
limits (40 a second overall, 30 a minute per member) to the fake WeCom API on 127.0.0.1:
achieved messages per second over the allowed 40; (b) 35 messages to one member: at most 30
in any 60 s (WeCom drops the rest), and the 31st no earlier than 60 s after the first; the
member's achieved rate over the allowed 30 a minute. Takes a little over a minute.

Run by hand from the repository root:  .venv/bin/python benchmarks/bench_wecom.py
The last line printed is a JSON object with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import App  # noqa: E402
from bot.channels.wecom import WeComChannel  # noqa: E402
from bot.config import load_config  # noqa: E402
from bot.core.clock import ManualClock, SystemClock  # noqa: E402
from bot.core.messages import Outgoing  # noqa: E402
from bot.delivery import Recipient  # noqa: E402
from tests.wecom_client import WeComClient, secrets  # noqa: E402
from tests.wecom_fake import FakeWeCom  # noqa: E402

START = datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TARGET_CALLBACKS = 1000.0
TARGET_RATIO = 0.95
MIX = ("/me", "/study", "/quiz", "/help")
SHM = "/dev/shm" if Path("/dev/shm").is_dir() else None  # keeps disk speed out of it


def build_callbacks(people: int, total: int) -> list[tuple[bytes, dict]]:
    """Encrypted callbacks as WeCom posts them: each person's 菜单 first, then the mix."""
    client = WeComClient("http://unused")
    out = []
    for i in range(total):
        user = f"u{i % people:05d}"
        text = "菜单" if i < people else MIX[(i // people) % len(MIX)]
        out.append(client.encrypted(client.text(user, text)))
    return out


def post_all(url: str, callbacks: list[tuple[bytes, dict]], concurrency: int, pipe) -> None:
    """The client process: post every callback, `concurrency` in flight; report times."""
    import aiohttp

    async def main() -> None:
        statuses: dict[int, int] = {}
        queue = list(reversed(callbacks))
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as session:
            pipe.send("ready")
            pipe.recv()
            started = time.perf_counter()

            async def worker() -> None:
                while queue:
                    body, query = queue.pop()
                    async with session.post(url, data=body, params=query) as response:
                        await response.read()
                        statuses[response.status] = statuses.get(response.status, 0) + 1

            await asyncio.gather(*(worker() for _ in range(concurrency)))
            pipe.send((started, time.perf_counter(), statuses))

    asyncio.run(main())


async def bench_callbacks(args, tmp: Path) -> dict:
    """Callbacks per second through the real server, handled to the end."""
    # New members' names come from the (fake) address book: one user/get each, as live.
    fake = await FakeWeCom().start()
    fake.names.update({f"u{i:05d}": f"干部{i:05d}" for i in range(args.people)})
    config = load_config(ROOT / "config.yaml")
    config = replace(
        config,
        database_path=tmp / "callbacks.sqlite3",
        wecom=replace(config.wecom, api_base=fake.base),
    )
    app = await App.open(config, ManualClock(START))
    channel = WeComChannel(config, secrets())
    await channel.start(app.dispatcher, host="127.0.0.1", port=0)
    url = f"http://127.0.0.1:{channel.port}{config.wecom.callback_path}"
    callbacks = build_callbacks(args.people, args.callbacks)
    ours, theirs = multiprocessing.Pipe()
    client = multiprocessing.get_context("spawn").Process(
        target=post_all, args=(url, callbacks, args.concurrency, theirs)
    )
    client.start()
    await asyncio.to_thread(ours.recv)  # "ready"
    ours.send("go")
    started_here = time.perf_counter()
    started, answered, statuses = await asyncio.to_thread(ours.recv)
    await channel.drain()
    handled = time.perf_counter()
    client.join()
    events = await app.services.store.scalar("SELECT COUNT(*) FROM processed_events")
    replies = await app.services.store.scalar("SELECT COUNT(*) FROM outbox")
    people = await app.services.store.scalar("SELECT COUNT(*) FROM people")
    named = await app.services.store.scalar(
        "SELECT COUNT(*) FROM people WHERE display_name LIKE '干部%'"
    )
    await channel.stop()
    await app.close()
    await fake.close()
    seconds = handled - max(started, started_here)
    return {
        "callbacks": args.callbacks,
        "people": people,
        "named_from_address_book": named,
        "concurrency": args.concurrency,
        "statuses": statuses,
        "events_recorded": events,
        "replies_queued": replies,
        "http_s": round(answered - started, 3),
        "http_per_s": round(args.callbacks / (answered - started), 1),
        "handled_s": round(seconds, 3),
        "handled_per_s": round(args.callbacks / seconds, 1),
    }


async def drain(config, tmp: Path, name: str, sends: list[tuple[str, int]], fake: FakeWeCom):
    """Queue `sends` (member, count) as text messages and drain them with WeCom's limits;
    returns the (monotonic time, member) of each message the fake API accepted."""
    config = replace(
        config,
        database_path=tmp / f"{name}.sqlite3",
        wecom=replace(config.wecom, api_base=fake.base),
    )
    app = await App.open(config, SystemClock())
    channel = WeComChannel(config, secrets())
    channel.attach(app.dispatcher)
    for member, count in sends:
        for i in range(count):
            msg = Outgoing(f"第 {i + 1} 条：本周学习提醒")
            await app.services.outbox.enqueue(
                "bench", f"{member}:{i}", msg, [Recipient("wecom", member)]
            )
    total = sum(count for _, count in sends)
    sender = app.sender("wecom", channel.send, config.wecom.limits)
    fake.sent_at.clear()
    await sender.flush()  # sends what is due, waiting out the limits, until none is left
    assert len(fake.sent_at) == total, (len(fake.sent_at), total)
    await channel.stop()
    await app.close()
    return list(fake.sent_at)


def most_in_window(times: list[float], span: float) -> int:
    """The most sends within any `span` seconds."""
    best, lo = 0, 0
    for hi, t in enumerate(times):
        while t - times[lo] >= span:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


async def bench_outbox(tmp: Path) -> dict:
    """Achieved over allowed send rates, overall and per member."""
    config = load_config(ROOT / "config.yaml")
    limits = config.wecom.limits
    fake = await FakeWeCom().start()
    try:
        many = [(f"m{i:04d}", 2) for i in range(400)]
        sent = await drain(config, tmp, "overall", many, fake)
        times = [t for t, _ in sent]
        # N sends spaced at the allowed rate span (N - 1) intervals.
        overall = (len(times) - 1) / (times[-1] - times[0])
        one = await drain(config, tmp, "member", [("m-solo", 35)], fake)
        solo = [t for t, _ in one]
        window = most_in_window(solo, 60.0)
        gap = solo[30] - solo[0]
    finally:
        await fake.close()
    per_member = limits.private_per_minute / 60.0
    return {
        "overall": {
            "messages": len(times),
            "members": len(many),
            "seconds": round(times[-1] - times[0], 3),
            "achieved_per_s": round(overall, 2),
            "allowed_per_s": limits.overall_per_second,
            "ratio": round(overall / limits.overall_per_second, 3),
            "most_in_1s": most_in_window(times, 1.0),
        },
        "member": {
            "messages": len(solo),
            "most_in_60s": window,
            "first_to_31st_s": round(gap, 3),
            "allowed_per_min": limits.private_per_minute,
            # 30 allowed in the first minute; the 31st may go at 60 s: achieved 30 per gap.
            "ratio": round((30 / gap) / per_member, 3),
        },
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--callbacks", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=SHM) as d:
        tmp = Path(d)
        runs = []
        for i in range(args.runs):
            run_dir = tmp / f"run{i}"
            run_dir.mkdir()
            runs.append(await bench_callbacks(args, run_dir))
            print(json.dumps(runs[-1], ensure_ascii=False), flush=True)
        outbox = await bench_outbox(tmp)
        print(json.dumps(outbox, ensure_ascii=False), flush=True)
    rate = statistics.median(r["handled_per_s"] for r in runs)
    ratio = min(outbox["overall"]["ratio"], outbox["member"]["ratio"])
    result = {
        "bench": "wecom",
        "callbacks": runs,
        "handled_per_s_median": rate,
        "outbox": outbox,
        "targets": {"callbacks_per_s": TARGET_CALLBACKS, "send_ratio": TARGET_RATIO},
        "pass": rate >= TARGET_CALLBACKS
        and ratio >= TARGET_RATIO
        and outbox["member"]["most_in_60s"] <= 30
        and outbox["overall"]["most_in_1s"] <= 40,
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
