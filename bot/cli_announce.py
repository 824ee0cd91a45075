"""`python -m bot announce`: the same announcements as /announce, from the command line.

It queues into the outbox of the database; the running bot sends them (and a scheduled one
at its time). Without --yes it only shows whom the notice would reach.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from pathlib import Path

from bot.config import Config
from bot.core.clock import SystemClock
from bot.core.i18n import t

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    """The `announce` subcommand and its options."""
    p = sub.add_parser(
        "announce", parents=[common], help="send an announcement to groups and/or people"
    )
    text = p.add_mutually_exclusive_group()
    text.add_argument("--text", help="the announcement's text")
    text.add_argument("--text-file", type=Path, help="a UTF-8 file holding the text")
    text.add_argument("--status", type=int, metavar="ID", help="the delivery report of one")
    text.add_argument("--list", action="store_true", help="the latest announcements")
    p.add_argument("--file", type=Path, help="a file to attach (PDF, Word, Excel, picture…)")
    p.add_argument("--org", help="only this unit's subtree (id or name; default: everyone)")
    p.add_argument("--no-groups", action="store_true", help="not to the bound groups")
    p.add_argument("--no-people", action="store_true", help="not to each person")
    p.add_argument("--pin", action="store_true", help="pin it in the groups")
    p.add_argument("--at", help="send at this local time, e.g. '2026-11-25 09:00'")
    p.add_argument("--yes", action="store_true", help="send it (without: only a preview)")


def announce(config: Config, args: argparse.Namespace) -> int:
    """Preview, queue or schedule an announcement, or print how one went."""
    return asyncio.run(_announce(config, args))


def _err(config: Config, key: str, **params) -> int:
    print(t(key, config.locale, **params), file=sys.stderr)
    return EXIT_USAGE


async def _announce(config: Config, args: argparse.Namespace) -> int:
    from bot.app import App
    from bot.domain.access import Scope
    from bot.domain.announcements import (
        CLI_ACTOR,
        DRAFT,
        Announcement,
        Refused,
        attachment_for,
        file_problem,
    )
    from bot.domain.announcements import report_text as delivery

    locale = config.locale
    text = args.text
    if args.text_file is not None:
        if not args.text_file.exists():
            return _err(config, "cli.no_such_path", path=args.text_file)
        text = args.text_file.read_text(encoding="utf-8")
    moment = None
    if args.at:
        try:
            moment = datetime.fromisoformat(args.at.strip().replace(" ", "T", 1))
        except ValueError:
            return _err(config, "cli.bad_now", value=args.at)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=config.tz)
    file = None
    if args.file is not None:
        if not args.file.exists():
            return _err(config, "cli.no_such_path", path=args.file)
        problem = file_problem(args.file.name, args.file.stat().st_size)
        if problem is not None:
            return _err(config, problem[0], **problem[1])
        file = attachment_for(args.file.name, args.file.read_bytes())

    app = await App.open(config, SystemClock())
    try:
        svc = app.services.announcements
        orgs = app.services.orgs
        if args.list:
            for ann in await svc.recent(None, 20):
                state = t(f"announce.state_{ann.status}", locale)
                when = f"{ann.send_at.astimezone(config.tz):%Y-%m-%d %H:%M}" if ann.send_at else ""
                first = ann.text.splitlines()[0][:40]
                print("\t".join((f"#{ann.id}", state, when, ann.actor, first)))
            return EXIT_OK
        if args.status is not None:
            found = await svc.report(args.status)
            if found is None:
                return _err(config, "announce.cli_unknown", id=args.status)
            print(delivery(found, orgs, locale))
            return EXIT_OK
        if not text or not text.strip():
            return _err(config, "announce.cli_usage")
        root = None
        if args.org:
            unit = orgs.find(args.org)
            if unit is None:
                return _err(config, "unit.unknown", text=args.org)
            root = unit.id
        if moment is not None and moment <= app.services.clock.now():
            return _err(config, "announce.past")
        scope = Scope(orgs, superadmin=True)
        try:
            # The preview is built in memory: nothing is written until --yes.
            ann = Announcement(
                0, CLI_ACTOR, None, root, text.strip(), None, file.name if file else None,
                file.kind if file else None, not args.no_groups, not args.no_people, args.pin,
                moment, DRAFT, False, None,
            )  # fmt: skip
            audience = await svc.audience(ann, scope)
            print(svc.message(ann).text)
            if ann.file_name:
                print(t("announce.file", locale, name=ann.file_name))
            print(t("announce.reach", locale, groups=len(audience.groups),
                    people=audience.person_count))  # fmt: skip
            for g in audience.groups:
                print(f"  • {g.title}  ({orgs.full_name(g.unit_id)})")
            if not args.yes:
                print(t("announce.cli_preview", locale))
                return EXIT_OK
            ann = await svc.draft(CLI_ACTOR, None, text, root)
            ann = await svc.change(
                ann.id, CLI_ACTOR, to_groups=not args.no_groups, to_people=not args.no_people,
                pin=args.pin, send_at=moment,
            )  # fmt: skip
            if file is not None:
                ann = await svc.attach(ann.id, CLI_ACTOR, file)
            ann = await svc.confirm(ann.id, CLI_ACTOR, scope)
        except Refused as no:
            print(t(no.key, locale, **no.params), file=sys.stderr)
            return EXIT_PROBLEMS
        key = "announce.cli_scheduled" if ann.send_at and ann.status == "scheduled" else (
            "announce.cli_queued")  # fmt: skip
        when = f"{ann.send_at.astimezone(config.tz):%Y-%m-%d %H:%M}" if ann.send_at else ""
        print(t(key, locale, id=ann.id, when=when))
        return EXIT_OK
    finally:
        await app.close()
