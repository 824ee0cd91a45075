"""Roster import at scale: 100,000 people in 1,000 units, then a re-import with 1% changed.

Generates an org tree (1 league, 10 banners, 100 townships, 889 villages: 1,000 units) and
a CSV roster of 100,000 people spread over them, then times `load_roster` + `Roster.apply`
on a fresh SQLite file, and again with 1% of the rows changed (500 moved to another unit,
500 renamed). Peak memory is tracemalloc's peak for each step (tracing slows the run: the
seconds shown are with it on). Finally times
`OrgTree.contains` for the deepest unit against the root (the scope check every admin
action makes). Targets: import < 10 s, re-import < 10 s, scope check < 50 µs.

Run by hand from the repository root:  .venv/bin/python benchmarks/bench_roster.py
The last line printed is a JSON object with the figures.
"""

from __future__ import annotations

import asyncio
import json
import tempfile
import time
import timeit
import tracemalloc
from pathlib import Path

from bot.content.orgtree import OrgTree, Unit
from bot.content.roster import load_roster
from bot.core.clock import SystemClock
from bot.domain.audit import Audit
from bot.domain.roster import Roster
from bot.storage.sqlite import Store

PEOPLE, TARGET_IMPORT, TARGET_SCOPE_US = 100_000, 10.0, 50.0


def make_tree() -> OrgTree:
    """1 + 10 + 100 + 889 = 1,000 units, four levels deep."""
    units = [Unit("xam", "兴安盟", None, 0, Path("orgs.yaml"), 1)]
    for b in range(10):
        units.append(Unit(f"b{b}", f"旗{b}", "xam", 1, Path("orgs.yaml"), 1))
        for s in range(10):
            units.append(Unit(f"b{b}-s{s}", f"镇{b}{s}", f"b{b}", 2, Path("orgs.yaml"), 1))
    villages = 1000 - len(units)
    for v in range(villages):
        parent = f"b{v % 10}-s{(v // 10) % 10}"
        units.append(Unit(f"{parent}-v{v}", f"村{v}", parent, 3, Path("orgs.yaml"), 1))
    return OrgTree(units)


def write_roster(path: Path, tree: OrgTree, changed: int = 0) -> None:
    """A CSV roster; the first `changed` rows differ (half moved, half renamed)."""
    ids = list(tree.units)
    lines = ["姓名,手机,单位,角色,职务"]
    for n in range(PEOPLE):
        unit = ids[n % len(ids)]
        name = f"干部{n}"
        if n < changed // 2:
            unit = ids[(n + 7) % len(ids)]
        elif n < changed:
            name += "（改）"
        lines.append(f"{name},1{3 + n % 7}{n:09d},{unit},,科员")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


async def timed_import(db: Path, path: Path, tree: OrgTree) -> tuple[float, float, object]:
    """(seconds, peak MiB, result) for checking and importing one roster file."""
    tracemalloc.start()
    started = time.perf_counter()
    rows = load_roster(path, tree.units.__contains__)
    clock = SystemClock()
    async with Store(db) as store:
        result = await Roster(store, clock, Audit(store, clock)).apply("bench", path.name, rows)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, result


async def main() -> None:
    tree = make_tree()
    with tempfile.TemporaryDirectory() as tmp:
        db, csv = Path(tmp) / "bench.sqlite3", Path(tmp) / "roster.csv"
        write_roster(csv, tree)
        first = await timed_import(db, csv, tree)
        write_roster(csv, tree, changed=PEOPLE // 100)
        second = await timed_import(db, csv, tree)
    deepest = max(tree.units.values(), key=lambda u: u.depth).id
    calls = 1_000_000
    per_call = timeit.timeit(lambda: tree.contains("xam", deepest), number=calls) / calls * 1e6
    print(
        f"import   {PEOPLE:,} people in {len(tree):,} units: {first[0]:.2f} s, "
        f"peak {first[1]:.0f} MiB, {first[2]}"
    )
    print(f"re-import with 1% changed: {second[0]:.2f} s, peak {second[1]:.0f} MiB, {second[2]}")
    print(f"scope check (root contains {deepest}, depth 3): {per_call:.3f} µs")
    ok = first[0] < TARGET_IMPORT and second[0] < TARGET_IMPORT and per_call < TARGET_SCOPE_US
    print("PASS" if ok else "FAIL")
    print(json.dumps({
        "people": PEOPLE, "units": len(tree),
        "import_s": round(first[0], 2), "import_peak_mib": round(first[1], 1),
        "reimport_s": round(second[0], 2), "reimport_peak_mib": round(second[1], 1),
        "reimport_updated": second[2].updated, "scope_check_us": round(per_call, 3),
        "pass": ok,
    }))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
