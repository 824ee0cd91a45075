"""Roster import at scale: 100,000 people in 1,000 units, then a re-import with 1% changed.

Generates an org tree (1 league, 10 banners, 100 townships, 889 villages: 1,000 units) and
a CSV roster of 100,000 people spread over them, then times `load_roster` + `Roster.apply`
on a fresh SQLite file, and again with 1% of the rows changed (500 moved to another unit,
500 renamed). Peak memory is tracemalloc's peak for each step (tracing slows the run: the
seconds shown are with it on).

Then the scope check every admin action makes. One roster person is an admin of banner b0;
a telegram account is bound to them (an `accounts` row) and they hold one granted role (a
`role_grants` row: host of banner b5). Against the 100,000-person database it times
`OrgTree.contains(root, deepest unit)`, `Scope.covers(deep unit under b0)` (pure), and the
full per-action check `await Access.scope("telegram", ref)` + `.covers(deep unit)`, which
reads the account's person, role and grants from SQLite (2,000 awaits, each timed; median).
To show where that time goes it also times a bare aiosqlite read (`SELECT 1`) and the same
full check with a plain sqlite3 connection on the event-loop thread (no thread hop).
Finally that admin re-imports their banner's 10,000 people with 1% renamed, limited to their
subtree by `Roster.apply(..., within=scope.covers)` (seconds, peak memory).
Last, on a second fresh file, the roster with a WeCom column (企业微信账号) for all 100,000
people: the import that links 100,000 WeCom accounts, then a re-import with every UserID in
upper case, which links none (UserIDs are matched ignoring case).
Targets: import < 10 s, re-import < 10 s (also with the WeCom column), full scope check
< 50 µs (median).

Run by hand from the repository root:  .venv/bin/python benchmarks/bench_roster.py
The last line printed is a JSON object with the figures; exits with 1 if a target is missed.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import statistics
import sys
import tempfile
import time
import timeit
import tracemalloc
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

from bot.config import Config
from bot.content.orgtree import OrgTree, Unit
from bot.content.roster import load_roster
from bot.core.clock import SystemClock, to_db
from bot.domain.access import Access, Scope
from bot.domain.audit import Audit
from bot.domain.people import add_account
from bot.domain.roster import Imported, Roster
from bot.storage.sqlite import Store, Tx

PEOPLE, TARGET_IMPORT, TARGET_SCOPE_US = 100_000, 10.0, 50.0
ADMIN_N, ADMIN_BANNER, GRANT_BANNER = 1001, "b0", "b5"  # person 1001 sits at ids[1] = b0
ADMIN_REF, SCOPE_AWAITS = "700000001", 2_000

Row = tuple[str, str, str, str]  # name, phone, unit, role


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


def roster_rows(tree: OrgTree, changed: int = 0) -> list[Row]:
    """The roster's people; the first `changed` rows differ (half moved, half renamed).
    Person ADMIN_N is the admin of banner b0 (beyond any `changed`, so never altered)."""
    ids = list(tree.units)
    rows = []
    for n in range(PEOPLE):
        unit = ids[n % len(ids)]
        name = f"干部{n}"
        if n < changed // 2:
            unit = ids[(n + 7) % len(ids)]
        elif n < changed:
            name += "（改）"
        role = "admin" if n == ADMIN_N else ""
        rows.append((name, f"1{3 + n % 7}{n:09d}", unit, role))
    assert changed <= ADMIN_N
    assert ids[ADMIN_N % len(ids)] == ADMIN_BANNER
    return rows


def write_roster(path: Path, rows: list[Row], wecom: Callable[[int], str] | None = None) -> None:
    """The rows as a CSV; with `wecom`, a 企业微信账号 column holding wecom(row number)."""
    if wecom is None:
        lines = ["姓名,手机,单位,角色,职务"]
        lines += [f"{name},{phone},{unit},{role},科员" for name, phone, unit, role in rows]
    else:
        lines = ["姓名,手机,单位,角色,职务,企业微信账号"]
        lines += [f"{r[0]},{r[1]},{r[2]},{r[3]},科员,{wecom(n)}" for n, r in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


async def timed_import(
    db: Path, path: Path, tree: OrgTree, within: Callable[[str | None], bool] | None = None
) -> tuple[float, float, Imported]:
    """(seconds, peak MiB, result) for checking and importing one roster file."""
    tracemalloc.start()
    started = time.perf_counter()
    rows = load_roster(path, tree.units.__contains__)
    clock = SystemClock()
    async with Store(db) as store:
        roster = Roster(store, clock, Audit(store, clock))
        result = await roster.apply("bench", path.name, rows, within=within)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, result


def bind_admin(tx: Tx, now: str) -> None:
    """A telegram account for the roster admin of b0, and one granted role for them."""
    person = tx.one("SELECT id, unit_id, role FROM people WHERE phone = ?", (admin_phone(),))
    assert person is not None
    assert tuple(person[1:]) == (ADMIN_BANNER, "admin"), tuple(person)
    add_account(tx, "telegram", ADMIN_REF, ADMIN_REF, person[0], now)
    tx.execute(
        "INSERT INTO role_grants (person_id, unit_id, role, granted_by, granted_at) "
        "VALUES (?, ?, 'host', 'bench', ?)",
        (person[0], GRANT_BANNER, now),
    )


def admin_phone() -> str:
    return f"1{3 + ADMIN_N % 7}{ADMIN_N:09d}"


def per_call_us(fn: Callable[[], object], number: int, repeat: int = 21) -> float:
    """Median over `repeat` runs of `number` calls, in µs per call."""
    runs = timeit.repeat(fn, number=number, repeat=repeat)
    return statistics.median(runs) / number * 1e6


async def awaits_us(check: Callable[[], Awaitable[object]]) -> dict[str, float]:
    """Median, p95 and min µs of SCOPE_AWAITS awaits of `check()`, each timed on its own."""
    for _ in range(100):  # warm up the connection's statement cache and pages
        await check()
    times = []
    for _ in range(SCOPE_AWAITS):
        started = time.perf_counter()
        assert await check()
        times.append((time.perf_counter() - started) * 1e6)
    times.sort()
    return {"median": statistics.median(times), "p95": times[int(len(times) * 0.95)],
            "min": times[0]}  # fmt: skip


class LoopThreadStore:
    """`Store.all` on the event-loop thread with plain sqlite3: the same check without
    aiosqlite's hop to its thread, to show where the time goes."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    async def all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        return self.conn.execute(sql, tuple(params)).fetchall()


async def scope_checks(db: Path, tree: OrgTree, deep: str) -> tuple[Scope, dict[str, Any]]:
    """The admin's scope, and µs per check: pure covers, the full read-then-covers, a bare
    aiosqlite read (SELECT 1) and the full check without the hop."""
    clock = SystemClock()
    async with Store(db) as store:
        await store.write(bind_admin, to_db(clock.now()))
        access = Access(store, clock, Config(), tree, Audit(store, clock))
        scope = await access.scope("telegram", ADMIN_REF)
        assert scope.admin_units == (ADMIN_BANNER,)
        assert scope.host_units == (GRANT_BANNER,)
        assert not scope.superadmin
        assert scope.covers(deep)
        covers_us = per_call_us(lambda: scope.covers(deep), number=100_000)
        full = await awaits_us(lambda: _covers(access.scope("telegram", ADMIN_REF), deep))
        hop = await awaits_us(lambda: store.all("SELECT 1"))
    conn = sqlite3.connect(db, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        local = Access(LoopThreadStore(conn), clock, Config(), tree, None)
        no_hop = await awaits_us(lambda: _covers(local.scope("telegram", ADMIN_REF), deep))
    finally:
        conn.close()
    return scope, {"covers": covers_us, "full": full, "hop": hop, "no_hop": no_hop}


async def _covers(scope: Awaitable[Scope], unit_id: str) -> bool:
    return (await scope).covers(unit_id)


async def main() -> int:
    tree = make_tree()
    with tempfile.TemporaryDirectory() as tmp:
        db, csv = Path(tmp) / "bench.sqlite3", Path(tmp) / "roster.csv"
        write_roster(csv, roster_rows(tree))
        first = await timed_import(db, csv, tree)
        current = roster_rows(tree, changed=PEOPLE // 100)
        write_roster(csv, current)
        second = await timed_import(db, csv, tree)

        banner = tree.subtree(ADMIN_BANNER)
        deep = max(sorted(banner), key=lambda uid: tree.units[uid].depth)
        scope, us = await scope_checks(db, tree, deep)

        # The b0 admin's own roster: their banner's people as the database holds them now,
        # the first 1% of them renamed.
        mine = [r for r in current if r[2] in banner]
        renamed = len(mine) // 100
        mine = [(f"{r[0]}（再改）", *r[1:]) if i < renamed else r for i, r in enumerate(mine)]
        write_roster(csv, mine)
        third = await timed_import(db, csv, tree, within=scope.covers)
        assert third[2] == Imported(0, renamed, len(mine) - renamed, 0), third[2]

        # WeCom: every person listed with a UserID, on a fresh file; then the same ids in
        # upper case, which are the same accounts.
        wdb = Path(tmp) / "wecom.sqlite3"
        write_roster(csv, roster_rows(tree), wecom=lambda n: f"cadre.{n}")
        linking = await timed_import(wdb, csv, tree)
        assert linking[2].linked == PEOPLE, linking[2]
        write_roster(csv, roster_rows(tree), wecom=lambda n: f"CADRE.{n}")
        relinking = await timed_import(wdb, csv, tree)
        assert relinking[2] == Imported(0, 0, PEOPLE, 0, 0), relinking[2]

    deepest = max(tree.units.values(), key=lambda u: u.depth).id
    contains_us = per_call_us(lambda: tree.contains("xam", deepest), number=100_000)
    print(
        f"import   {PEOPLE:,} people in {len(tree):,} units: {first[0]:.2f} s, "
        f"peak {first[1]:.0f} MiB, {first[2]}"
    )
    print(f"re-import with 1% changed: {second[0]:.2f} s, peak {second[1]:.0f} MiB, {second[2]}")
    print(
        f"scoped re-import by the {ADMIN_BANNER} admin ({len(mine):,} people, {renamed} renamed, "
        f"within=scope.covers): {third[0]:.2f} s, peak {third[1]:.0f} MiB, {third[2]}"
    )
    print(
        f"import with a WeCom column, {PEOPLE:,} accounts linked: {linking[0]:.2f} s, "
        f"peak {linking[1]:.0f} MiB"
    )
    print(
        f"re-import, the same UserIDs in upper case (none linked): {relinking[0]:.2f} s, "
        f"peak {relinking[1]:.0f} MiB"
    )
    print(f"OrgTree.contains(xam, {deepest}), depth 3: {contains_us:.3f} µs")
    print(f"Scope.covers({deep}) for the {ADMIN_BANNER} admin, pure: {us['covers']:.3f} µs")
    for key, what in (
        ("full", f"full check, await access.scope(telegram, {ADMIN_REF}) + .covers({deep})"),
        ("hop", "  of which the aiosqlite hop: await store.all('SELECT 1')"),
        ("no_hop", "  the full check with sqlite3 on the event-loop thread (no hop)"),
    ):
        t = us[key]
        print(
            f"{what}, {SCOPE_AWAITS:,} awaits: median {t['median']:.1f} µs, "
            f"p95 {t['p95']:.1f} µs, min {t['min']:.1f} µs"
        )
    ok = (
        first[0] < TARGET_IMPORT
        and second[0] < TARGET_IMPORT
        and us["full"]["median"] < TARGET_SCOPE_US
        and linking[0] < TARGET_IMPORT
        and relinking[0] < TARGET_IMPORT
    )
    print("PASS" if ok else "FAIL")
    print(json.dumps({
        "people": PEOPLE, "units": len(tree),
        "import_s": round(first[0], 2), "import_peak_mib": round(first[1], 1),
        "reimport_s": round(second[0], 2), "reimport_peak_mib": round(second[1], 1),
        "reimport_updated": second[2].updated,
        "scoped_reimport_people": len(mine), "scoped_reimport_updated": third[2].updated,
        "scoped_reimport_s": round(third[0], 2), "scoped_reimport_peak_mib": round(third[1], 1),
        "wecom_import_s": round(linking[0], 2), "wecom_import_peak_mib": round(linking[1], 1),
        "wecom_linked": linking[2].linked, "wecom_reimport_s": round(relinking[0], 2),
        "wecom_reimport_peak_mib": round(relinking[1], 1),
        "contains_us": round(contains_us, 3), "scope_covers_us": round(us["covers"], 3),
        "scope_check_us": round(us["full"]["median"], 1),
        "scope_check_p95_us": round(us["full"]["p95"], 1),
        "scope_check_min_us": round(us["full"]["min"], 1), "scope_check_awaits": SCOPE_AWAITS,
        "bare_hop_us": round(us["hop"]["median"], 1),
        "scope_check_no_hop_us": round(us["no_hop"]["median"], 1),
        "targets": {"import_s": TARGET_IMPORT, "reimport_s": TARGET_IMPORT,
                    "wecom_import_s": TARGET_IMPORT, "wecom_reimport_s": TARGET_IMPORT,
                    "scope_check_us": TARGET_SCOPE_US},
        "pass": ok,
    }))  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
