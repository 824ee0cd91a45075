"""Importing a roster: one transaction that adds, updates and deactivates people by phone,
and links the WeCom accounts it lists to them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.content.problems import ContentError, Problem
from bot.content.roster import RosterRow, roster_from_bytes
from bot.core.clock import Clock, to_db
from bot.core.i18n import t
from bot.domain.access import Scope
from bot.domain.audit import Audit
from bot.domain.people import add_account
from bot.domain.publishing import PUBLISHED, Outcome, decide, keep, pending
from bot.domain.registration import move_account
from bot.domain.staging import ROSTER, Refused
from bot.storage.sqlite import Store, Tx

# The roster's WeCom column names an account on this channel: a WeCom app may message any
# member it can see, so a listed member is reached (and known) before they ever write.
WECOM = "wecom"


@dataclass(frozen=True)
class RosterPreview:
    """A roster upload kept pending, and what importing it would change."""

    upload_id: int
    name: str
    counts: Imported


@dataclass(frozen=True)
class RosterOutcome:
    """What a publish tap did to a roster upload; `done` is False when decided before."""

    name: str
    status: str
    done: bool
    counts: Imported | None = None


@dataclass(frozen=True)
class Imported:
    """What an import changed."""

    added: int
    updated: int
    unchanged: int
    deactivated: int
    linked: int = 0  # WeCom accounts the roster newly points at a person

    def describe(self, locale: str) -> str:
        """'新增 3 人，更新 0 人，…' in `locale`, with the accounts linked if any were."""
        text = t("roster.counts", locale, added=self.added, updated=self.updated,
                 unchanged=self.unchanged, deactivated=self.deactivated)  # fmt: skip
        return text + (t("roster.linked", locale, linked=self.linked) if self.linked else "")


class Roster:
    """Keeps the people table in step with the roster; the phone number is the key."""

    def __init__(self, store: Store, clock: Clock, audit: Audit):
        self.store = store
        self.clock = clock
        self.audit = audit

    async def stage(self, actor: str, name: str, data: bytes, scope: Scope) -> RosterPreview:
        """Check an uploaded roster within the admin's scope and keep it pending with the
        counts importing it would give; raise Refused listing every problem."""
        rows = _parse(name, data, scope)
        within = None if scope.superadmin else scope.covers
        now = to_db(self.clock.now())

        def write(tx: Tx) -> RosterPreview:
            counts = self._apply(tx, actor, name, rows, within, True, now)
            return RosterPreview(keep(tx, actor, name, ROSTER, data, now), name, counts)

        try:
            return await self.store.write(write)
        except ContentError as exc:
            raise Refused("upload.invalid", exc.problems, name=name) from None

    async def publish(self, upload_id: int, actor: str, scope: Scope) -> RosterOutcome:
        """Import a pending roster upload (once), checked again against the roster and the
        scope as they are now; raise Refused."""
        within = None if scope.superadmin else scope.covers
        now = to_db(self.clock.now())

        def write(tx: Tx) -> RosterOutcome:
            row = pending(tx, upload_id)
            if isinstance(row, Outcome):
                return RosterOutcome(row.name, row.status, False)
            rows = _parse(row["file_name"], bytes(row["content"]), scope)
            try:
                counts = self._apply(tx, actor, row["file_name"], rows, within, False, now)
            except ContentError as exc:  # the roster or the scope moved on since the preview
                raise Refused("upload.invalid", exc.problems, name=row["file_name"]) from None
            decide(tx, self.audit, row, PUBLISHED, actor, "publish")
            return RosterOutcome(row["file_name"], PUBLISHED, True, counts)

        return await self.store.write(write)

    async def apply(
        self,
        actor: str,
        source: str,
        rows: list[RosterRow],
        within: Callable[[str | None], bool] | None = None,
        dry_run: bool = False,
    ) -> Imported:
        """Import checked rows all at once: nothing is half-imported. With `within` (an org
        admin's scope) every row must lie inside it and only people inside it are
        deactivated; raises ContentError otherwise. `dry_run` counts without changing."""
        now = to_db(self.clock.now())
        return await self.store.write(self._apply, actor, source, rows, within, dry_run, now)

    def _apply(
        self,
        tx: Tx,
        actor: str,
        source: str,
        rows: list[RosterRow],
        within: Callable[[str | None], bool] | None,
        dry_run: bool,
        now: str,
    ) -> Imported:
        existing = {
            r[0]: (r[1], tuple(r[2:]))
            for r in tx.all(
                "SELECT phone, id, display_name, unit_id, role, position, active FROM people "
                "WHERE phone IS NOT NULL"
            )
        }
        inserts, updates, problems = [], [], []
        for row in rows:
            found = existing.pop(row.phone, None)
            # A blank role or position keeps what the person has (the file does not say).
            role = row.role or (found[1][2] if found is not None else "cadre")
            position = row.position or (found[1][3] if found is not None else "")
            wanted = (row.name, row.unit, role, position, 1)
            if within is not None and not within(row.unit):
                problems.append(_problem(source, row, "unit", "roster.out_of_scope", row.unit))
            elif within is not None and found is not None and not within(found[1][1]):
                # Moving someone in from another admin's units is for a superadmin to do.
                problems.append(_problem(source, row, "phone", "roster.phone_elsewhere", ""))
            elif found is None:
                inserts.append((row.name, row.phone, row.unit, role, position, now))
            elif found[1] != wanted:
                updates.append((*wanted, found[0]))
        # Read once: nothing below changes an account before the links are made.
        accounts = _accounts(tx) if any(row.wecom for row in rows) else {}
        links = _links(source, rows, within, accounts, problems)
        if problems:
            raise ContentError(problems)
        if within is not None:  # people outside the admin's units are not theirs to drop
            existing = {k: v for k, v in existing.items() if within(v[1][1])}
        gone = [(pid,) for pid, fields in existing.values() if fields[-1]]
        unchanged = len(rows) - len(inserts) - len(updates)
        result = Imported(len(inserts), len(updates), unchanged, len(gone), len(links))
        if dry_run:
            return result
        tx.executemany(
            "INSERT INTO people (display_name, phone, unit_id, role, position, from_roster, "
            "created_at) VALUES (?, ?, ?, ?, ?, 1, ?)",
            inserts,
        )
        tx.executemany(
            "UPDATE people SET display_name = ?, unit_id = ?, role = ?, position = ?, "
            "active = ?, from_roster = 1 WHERE id = ?",
            updates,
        )
        # Whoever the roster no longer lists is deactivated; their history stays.
        tx.executemany("UPDATE people SET active = 0 WHERE id = ? AND from_roster = 1", gone)
        self._link_all(tx, actor, links, accounts, now)
        self.audit.record(
            tx,
            actor,
            "roster.import",
            source,
            added=result.added,
            updated=result.updated,
            deactivated=result.deactivated,
            **({"linked": result.linked} if result.linked else {}),
        )
        return result

    def _link_all(
        self, tx: Tx, actor: str, links: list[RosterRow], known: dict[str, Any], now: str
    ) -> None:
        """Link each row's WeCom account. A brand-new account for someone who has none is
        added in bulk (the roster.import entry counts it); anything that moves or replaces
        an account is done and audited row by row."""
        if not links:
            return
        ids = dict(tx.all("SELECT phone, id FROM people WHERE phone IS NOT NULL"))
        having = {r["person_id"] for r in known.values()}
        fresh = [r for r in links if r.wecom.lower() not in known and ids[r.phone] not in having]
        tx.executemany(
            "INSERT INTO accounts (channel, user_ref, person_id, chat_ref, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [(WECOM, r.wecom, ids[r.phone], r.wecom, now) for r in fresh],
        )
        taken = {id(r) for r in fresh}
        for row in links:
            if id(row) not in taken:
                self._link(tx, actor, row, now)

    def _link(self, tx: Tx, actor: str, row: RosterRow, now: str) -> None:
        """Point the WeCom account `row` lists at its person: a pending stand-in who wrote
        before the import retires, and an account the person had before no longer counts."""
        person_id = tx.one("SELECT id FROM people WHERE phone = ?", (row.phone,))[0]
        held = _held(tx, row.wecom)  # read again: an earlier row may have moved it
        if held is not None and held["person_id"] == person_id:
            return
        user_ref = held["user_ref"] if held is not None else row.wecom
        replaced = [
            r[0]
            for r in tx.all(
                "SELECT user_ref FROM accounts WHERE person_id = ? AND channel = ? "
                "AND user_ref <> ?",
                (person_id, WECOM, user_ref),
            )
        ]
        tx.execute(
            "DELETE FROM accounts WHERE person_id = ? AND channel = ? AND user_ref <> ?",
            (person_id, WECOM, user_ref),
        )
        if held is None:
            add_account(tx, WECOM, user_ref, user_ref, person_id, now)
        elif held["pending"]:
            move_account(tx, held["person_id"], person_id, WECOM, user_ref)
        else:
            tx.execute(
                "UPDATE accounts SET person_id = ?, unreachable_at = NULL "
                "WHERE channel = ? AND user_ref = ?",
                (person_id, WECOM, user_ref),
            )
        self.audit.record(
            tx, actor, "roster.link", f"person:{person_id}", account=f"{WECOM}:{user_ref}",
            replaced=replaced, taken_from=held["person_id"] if held is not None else None,
        )  # fmt: skip


def _links(
    source: str,
    rows: list[RosterRow],
    within: Callable[[str | None], bool] | None,
    accounts: dict[str, Any],
    problems: list[Problem],
) -> list[RosterRow]:
    """The rows whose WeCom account is not yet their person's; an admin may not take an
    account from someone outside their scope."""
    links = []
    for row in rows:
        if not row.wecom:
            continue  # a file without the column never unlinks anyone
        held = accounts.get(row.wecom.lower())
        if held is not None and held["phone"] == row.phone:
            continue
        taken = held is not None and not held["pending"]
        if taken and within is not None and not within(held["unit_id"]):
            problems.append(_problem(source, row, "wecom", "roster.wecom_elsewhere", row.wecom))
            continue
        links.append(row)
    return links


def _accounts(tx: Tx) -> dict[str, Any]:
    """Every WeCom account with its person, by lower-case UserID (they are ASCII)."""
    rows = tx.all(
        "SELECT a.user_ref, a.person_id, p.pending, p.unit_id, p.phone FROM accounts a "
        "JOIN people p ON p.id = a.person_id WHERE a.channel = ?",
        (WECOM,),
    )
    return {r["user_ref"].lower(): r for r in rows}


def _held(tx: Tx, wecom: str):
    """The account row for a WeCom UserID (any case) with its person, or None."""
    return tx.one(
        # Without INDEXED BY the planner walks every WeCom account on the primary key.
        "SELECT a.user_ref, a.person_id, p.pending, p.unit_id, p.phone FROM accounts a "
        "INDEXED BY accounts_nocase JOIN people p ON p.id = a.person_id "
        "WHERE a.channel = ? AND a.user_ref = ? COLLATE NOCASE",
        (WECOM, wecom),
    )


def _problem(source: str, row: RosterRow, field: str, key: str, value: str) -> Problem:
    return Problem(Path(source), row.line, key, {"value": value}, field)


def _parse(name: str, data: bytes, scope: Scope) -> list[RosterRow]:
    """An uploaded roster's rows; raise Refused with every problem, lines in `name`."""
    try:
        return roster_from_bytes(data, Path(name), scope.orgs.units.__contains__)
    except ContentError as exc:
        raise Refused("upload.invalid", exc.problems, name=name) from None
