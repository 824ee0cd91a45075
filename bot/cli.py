"""`python -m bot run|validate|backup`: argument parsing and wiring only."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bot import cli_announce
from bot.config import Config, ConfigError, default_unit_problems, load_config
from bot.content.lectures import config_window
from bot.content.loader import load_pack, pack_unit_problems
from bot.content.orgs import load_orgs
from bot.content.problems import ContentError
from bot.core.clock import Clock, OffsetClock, SystemClock, from_db
from bot.core.i18n import t

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
SECRET_ENV = "TELEGRAM_WEBHOOK_SECRET"
FLUSH_SECONDS = 5.0


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = argparse.ArgumentParser(
        prog="python -m bot", description="Cadre-learning chatbot (干部学习助手)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        default="config.yaml",
        type=Path,
        help="path to config.yaml (default: ./config.yaml)",
    )

    run = sub.add_parser("run", parents=[common], help="start the bot")
    run.add_argument(
        "--channel",
        choices=("console", "telegram", "wecom"),
        help=f"default: console, or telegram when {TOKEN_ENV} is set",
    )
    run.add_argument(
        "--user",
        default=os.environ.get("USER") or "guest",
        help="console: who you are (a name, e.g. alice or admin)",
    )
    run.add_argument("--now", help="start the clock at this local time, e.g. 2026-11-23T08:00")

    validate = sub.add_parser("validate", parents=[common], help="check content files")
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        help="files or folders (default: the configured content folders)",
    )

    backup = sub.add_parser("backup", parents=[common], help="copy the database safely")
    backup.add_argument("dest", help="a file, or a folder (ending in /) for a dated file")

    roster = sub.add_parser("roster", help="manage the roster (名册)")
    roster_sub = roster.add_subparsers(dest="roster_command", required=True)
    roster_import = roster_sub.add_parser(
        "import", parents=[common], help="import a roster file (CSV or YAML)"
    )
    roster_import.add_argument("file", type=Path, help="CSV with a header row, or YAML")

    attendance = sub.add_parser(
        "attendance", parents=[common], help="export a lecture's attendance list"
    )
    attendance.add_argument("lecture", help="a session id, or a series id (its latest session)")
    attendance.add_argument("--csv", required=True, type=Path, help="the CSV file to write")

    report = sub.add_parser(
        "report", parents=[common], help="write the study ledger (学习台账) as XLSX"
    )
    report.add_argument("--org", help="a unit id or name (default: the whole tree)")
    report.add_argument("--from", dest="start", help="first local date (default: the 1st)")
    report.add_argument("--to", dest="end", help="last local date (default: the month's end)")
    report.add_argument("--xlsx", required=True, type=Path, help="the XLSX file to write")

    schedule = sub.add_parser(
        "schedule", parents=[common], help="preview what the scheduler would send (sends nothing)"
    )
    schedule.add_argument("--from", dest="start", help="first local date, e.g. 2026-11-23 (today)")
    schedule.add_argument("--days", type=int, default=7, help="how many days (default 7)")

    audit = sub.add_parser("audit", parents=[common], help="print the audit log")
    audit.add_argument(
        "--since", required=True, help="local date or time, e.g. 2026-11-01 or 2026-11-01T08:00"
    )
    audit.add_argument("--action", help="only this action, e.g. broadcast or grant")
    cli_announce.add_parser(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and `python -m bot`."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "WARNING").upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    hide_secrets(os.environ.get(TOKEN_ENV, ""), os.environ.get(SECRET_ENV, ""))
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print(exc.render(_guess_locale(args.config)), file=sys.stderr)
        return EXIT_USAGE
    if args.command == "validate":
        return validate(config, args.paths)
    if args.command == "backup":
        return backup(config, args.dest)
    if args.command == "roster":
        return roster_import(config, args.file)
    if args.command == "audit":
        return print_audit(config, args.since, args.action)
    if args.command == "attendance":
        return export_attendance(config, args.lecture, args.csv)
    if args.command == "report":
        return write_ledger(config, args.org, args.start, args.end, args.xlsx)
    if args.command == "schedule":
        return preview_schedule(config, args.start, args.days)
    if args.command == "announce":
        return cli_announce.announce(config, args)
    return run(config, args)


class Redact(logging.Filter):
    """Replaces secrets in every log line (httpx logs request URLs, which hold the token)."""

    def __init__(self, secrets: Sequence[str]):
        super().__init__()
        self.secrets = [x for x in secrets if x]

    def filter(self, record: logging.LogRecord) -> bool:
        """Render the message with the secrets masked; never drops a record."""
        text = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self.secrets:
            text = text.replace(secret, "***")
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, "***")
        record.msg, record.args = text, ()
        return True


def hide_secrets(*secrets: str) -> None:
    """Mask these values in everything the root logger's handlers write."""
    redact = Redact(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)


def validate(config: Config, paths: list[Path]) -> int:
    """Validate content; print every problem (exit 1) or a one-line summary (exit 0)."""
    base = Path.cwd()
    lectures: list[Path] = []
    reminders: list[Path] = []
    banks: list[Path] = []
    if paths:
        quiz_dir = config.quiz_dir.resolve()
        lecture_dir = config.lectures_dir.resolve()
        reminder_dir = config.reminders_dir.resolve()
        lectures = [p for p in paths if p.resolve().is_relative_to(lecture_dir)]
        reminders = [p for p in paths if p.resolve().is_relative_to(reminder_dir)]
        special = lectures + reminders
        banks = [p for p in paths if p.resolve().is_relative_to(quiz_dir) and p not in special]
        others = [p for p in paths if p not in banks and p not in special]
        missing = [p for p in paths if not p.exists()]
        if missing:
            for p in missing:
                print(t("cli.no_such_path", config.locale, path=p), file=sys.stderr)
            return EXIT_PROBLEMS
        loader_args = (others, banks, [config.quiz_dir])
    else:
        lectures = [config.lectures_dir] if config.lectures_dir.exists() else []
        reminders = [config.reminders_dir] if config.reminders_dir.exists() else []
        loader_args = ([config.study_dir], [config.quiz_dir], [])
    problems = []
    pack = None
    try:
        pack = load_pack(
            *loader_args,
            lecture_paths=lectures,
            default_window=config_window(config),
            reminder_paths=reminders,
        )
    except ContentError as exc:
        problems += exc.problems
    if not paths or lectures or reminders or banks:
        try:
            orgs = load_orgs(config.orgs_file)
            if not paths:
                problems += default_unit_problems(config, orgs)
            if pack is not None:
                problems += pack_unit_problems(pack, orgs)
        except ContentError as exc:
            problems += exc.problems
    if problems:
        print(ContentError(problems).render(config.locale, base))
        print(t("cli.validate_failed", config.locale, count=len(problems)))
        return EXIT_PROBLEMS
    print(
        t(
            "cli.validate_ok",
            config.locale,
            items=len(pack.items),
            banks=len(pack.banks),
            questions=pack.question_count(),
            files=pack.files,
        )
    )
    return EXIT_OK


def backup(config: Config, dest: str) -> int:
    """Copy the database with SQLite's online backup."""
    from bot.storage.backup import backup_database

    try:
        written = backup_database(config.database_path, dest)
    except FileNotFoundError:
        print(t("cli.no_database", config.locale, path=config.database_path), file=sys.stderr)
        return EXIT_PROBLEMS
    print(t("cli.backup_done", config.locale, path=written, size=written.stat().st_size))
    return EXIT_OK


def roster_import(config: Config, file: Path) -> int:
    """Check a roster file against the org tree and import it in one transaction."""
    from bot.content.roster import load_roster
    from bot.domain.audit import Audit
    from bot.domain.roster import Roster
    from bot.storage.sqlite import Store

    if not file.exists():
        print(t("cli.no_such_path", config.locale, path=file), file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        tree = load_orgs(config.orgs_file)
        rows = load_roster(file, tree.units.__contains__)
    except ContentError as exc:
        print(exc.render(config.locale, Path.cwd()))
        print(t("cli.validate_failed", config.locale, count=len(exc.problems)))
        return EXIT_PROBLEMS

    async def apply():
        clock = SystemClock()
        async with Store(config.database_path) as store:
            return await Roster(store, clock, Audit(store, clock)).apply("cli", file.name, rows)

    done = asyncio.run(apply())
    print(t("roster.imported", config.locale, counts=done.describe(config.locale)))
    return EXIT_OK


def print_audit(config: Config, since: str, action: str | None) -> int:
    """Print audit entries from `since` on, oldest first, one tab-separated line each:
    time (local), actor, action, target, detail (JSON)."""
    import json

    from bot.domain.audit import Audit
    from bot.storage.sqlite import Store

    try:
        start = parse_now(since, config)
    except ValueError:
        print(t("audit.cli_bad_date", config.locale, value=since), file=sys.stderr)
        return EXIT_USAGE

    async def read():
        clock = SystemClock()
        async with Store(config.database_path) as store:
            return await Audit(store, clock).since(start, action)

    for e in asyncio.run(read()):
        at = from_db(e.at).astimezone(config.tz).isoformat(timespec="seconds")
        detail = json.dumps(e.detail, ensure_ascii=False, sort_keys=True)
        print("\t".join((at, e.actor, e.action, e.target, detail)))
    return EXIT_OK


def export_attendance(config: Config, lecture_id: str, dest: Path) -> int:
    """Write a lecture's attendance list as CSV (UTF-8 with a BOM, so Excel reads it)."""
    import csv

    from bot.app import App

    async def rows():
        app = await App.open(config, SystemClock())
        try:
            att = app.services.attendance
            lecture = att.lecture(lecture_id)
            if lecture is None:
                return None, []
            orgs = app.services.orgs
            return lecture, [
                (
                    a.person.display_name,
                    a.person.id,
                    orgs.full_name(a.person.unit_id or ""),
                    t(f"attendance.{a.status}", config.locale),
                    t(f"method.{a.method}", config.locale) if a.method else "",
                    (lecture.venue(a.venue_id).name if lecture.venue(a.venue_id) else a.venue_id),
                    a.at.astimezone(config.tz).isoformat(timespec="seconds") if a.at else "",
                    t(f"leave.reason_{a.leave_reason}", config.locale) if a.leave_reason else "",
                )
                for a in await att.attendees(lecture)
            ]
        finally:
            await app.close()

    lecture, found = asyncio.run(rows())
    if lecture is None:
        print(t("lectures.unknown", config.locale, text=lecture_id), file=sys.stderr)
        return EXIT_PROBLEMS
    with dest.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(t("attendance.csv_header", config.locale).split(","))
        writer.writerows(found)
    print(t("attendance.exported", config.locale, title=lecture.title, count=len(found), path=dest))
    return EXIT_OK


def write_ledger(
    config: Config, org: str | None, start: str | None, end: str | None, dest: Path
) -> int:
    """Write the study ledger of `org` (default: the whole tree) from `start` to `end`
    (default: the current month) as XLSX, as a superadmin sees it. A bad unit or date
    exits 2 and writes nothing."""
    from datetime import date

    from bot.app import App
    from bot.domain.access import Scope
    from bot.domain.figures import Period, month_of
    from bot.reports.xlsx import ledger_xlsx

    locale = config.locale
    month = month_of(datetime.now(config.tz).date())
    bounds = []
    for value, default in ((start, month.start), (end, month.end)):
        try:
            bounds.append(date.fromisoformat(value.strip()) if value else default)
        except ValueError:
            print(t("ledger.bad_date", locale, value=value), file=sys.stderr)
            return EXIT_USAGE
    if bounds[0] > bounds[1]:
        print(t("ledger.bad_range", locale, start=bounds[0], end=bounds[1]), file=sys.stderr)
        return EXIT_USAGE
    period = Period(bounds[0], bounds[1])
    root = None
    if org:
        tree = load_orgs(config.orgs_file)
        found = tree.find_all(org)
        if len(found) != 1:
            units = "\n".join(f"• {u.id}  {tree.full_name(u.id)}" for u in found)
            key = "unit.ambiguous" if found else "unit.unknown"
            print(t(key, locale, text=org.strip(), units=units), file=sys.stderr)
            return EXIT_USAGE
        root = found[0].id

    async def build():
        app = await App.open(config, SystemClock())
        try:
            scope = Scope(app.services.orgs, superadmin=True)
            return await app.services.ledger.build(root, period, scope)
        finally:
            await app.close()

    book = asyncio.run(build())
    partial = dest.with_name(dest.name + ".part")
    try:
        ledger_xlsx(book, partial, locale)
        partial.replace(dest)
    finally:
        partial.unlink(missing_ok=True)
    print(
        t(
            "ledger.written", locale, path=dest, sheets=len(book.units), people=book.people,
            period=period,
        )
    )  # fmt: skip
    return EXIT_OK


def preview_schedule(config: Config, start: str | None, days: int) -> int:
    """Print what would be sent from `start` for `days` days, grouped by kind; sends nothing."""
    from datetime import date, time, timedelta

    from bot.app import App
    from bot.domain.reminder_texts import preview

    try:
        first = date.fromisoformat(start) if start else datetime.now(config.tz).date()
    except ValueError:
        print(t("schedule.bad_date", config.locale, value=start), file=sys.stderr)
        return EXIT_USAGE
    if not 1 <= days <= 366:
        print(t("schedule.bad_days", config.locale, value=days), file=sys.stderr)
        return EXIT_USAGE
    begin = datetime.combine(first, time(0), tzinfo=config.tz)
    end = begin + timedelta(days=days) - timedelta(microseconds=1)

    async def plan():
        app = await App.open(config, SystemClock())
        try:
            return await app.services.reminders.preview(begin, end)
        finally:
            await app.close()

    planned = asyncio.run(plan())
    print(preview(planned, begin, end, config.tz, config.locale))
    return EXIT_OK


def parse_now(value: str, config: Config) -> datetime:
    """An ISO date-time (local time unless it has an offset) as an aware datetime."""
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=config.tz)


def run(config: Config, args: argparse.Namespace) -> int:
    """Start the bot on the chosen channel."""
    clock: Clock = SystemClock()
    if args.now:
        try:
            clock = OffsetClock(parse_now(args.now, config))
        except ValueError:
            print(t("cli.bad_now", config.locale, value=args.now), file=sys.stderr)
            return EXIT_USAGE
    channel = args.channel or ("telegram" if os.environ.get(TOKEN_ENV) else "console")
    try:
        return asyncio.run(_serve(config, clock, channel, args.user))
    except ConfigError as exc:  # config.yaml against the org tree: a usage error like any
        print(exc.render(config.locale, Path.cwd()), file=sys.stderr)
        return EXIT_USAGE
    except ContentError as exc:
        print(exc.render(config.locale, Path.cwd()), file=sys.stderr)
        print(t("cli.validate_failed", config.locale, count=len(exc.problems)), file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return EXIT_OK


async def _serve(config: Config, clock: Clock, channel_name: str, user: str) -> int:
    from bot.app import App

    channel = _channel(config, channel_name, user)  # a missing secret stops us before any work
    if channel is None:
        return EXIT_USAGE
    app = await App.open(config, clock)
    try:
        if channel_name == "console":
            await _claim_console(app, user)
        # One sender drains the outbox for this channel while the channel serves people;
        # the scheduler queues what is due (reminders) and moves group contests on.
        limits = config.wecom.limits if channel_name == "wecom" else None
        sender = app.sender(channel.name, channel.send, limits)
        channel.wake = sender.poke
        channel.limiter = sender.limiter
        scheduler = app.scheduler()
        await scheduler.start()
        background = asyncio.create_task(sender.run())
        try:
            await channel.run(app.dispatcher)
        finally:
            await scheduler.shutdown()
            background.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await background
        if channel_name == "console":
            # Piped input ends at once: finish what it started (a ledger) and deliver what
            # it queued (a /broadcast to oneself).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(_finish(app), FLUSH_SECONDS * 6)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(sender.flush(), FLUSH_SECONDS)
    finally:
        await app.close()
    return EXIT_OK


def _channel(config: Config, channel_name: str, user: str):
    """The channel to serve, built from the environment's secrets; None (having said which
    variable is missing) when one is."""
    if channel_name == "telegram":
        from bot.channels.telegram import TelegramChannel

        token = os.environ.get(TOKEN_ENV, "")
        if not token:
            print(t("cli.no_token", config.locale, env=TOKEN_ENV), file=sys.stderr)
            return None
        secret = os.environ.get(SECRET_ENV, "")
        if config.telegram.mode == "webhook" and not secret:
            print(t("cli.no_webhook_secret", config.locale, env=SECRET_ENV), file=sys.stderr)
            return None
        return TelegramChannel(token, config, webhook_secret=secret)
    if channel_name == "wecom":
        from bot.channels.wecom import WeComChannel, WeComSecrets

        try:
            secrets = WeComSecrets.from_env()
        except ValueError as exc:
            print(t("cli.no_wecom", config.locale, env=str(exc)), file=sys.stderr)
            return None
        hide_secrets(*secrets.hidden(config.wecom.proxy))
        return WeComChannel(config, secrets)
    from bot.channels.console import ConsoleChannel

    files = config.database_path.parent / "console-files"
    return ConsoleChannel(user, sys.stdin, sys.stdout, sys.stdin.isatty(), config.locale, files)


async def _finish(app) -> None:
    """Wait for the work handlers started in the background."""
    await asyncio.gather(*app.services.background.values(), return_exceptions=True)


async def _claim_console(app, user: str) -> None:
    """Map the console's --user to the roster person of that name or id, and say so."""
    status, found = await app.services.registration.claim_console(user)
    locale = app.config.locale
    orgs = app.services.orgs
    if status == "bound":
        person_id, name, unit = found[0]
        print(t("console.bound", locale, name=name, id=person_id, unit=orgs.full_name(unit)))
    elif status == "none" and app.services.registration.admission("console", user)[1]:
        print(t("console.unknown", locale, user=user))
    elif status == "ambiguous":
        people = "\n".join(
            f"  --user {pid}  {name}  {orgs.full_name(unit)}" for pid, name, unit in found
        )
        print(t("console.ambiguous", locale, user=user, people=people))


def _guess_locale(path: Path) -> str:
    """The locale a broken config.yaml asks for, if it can be read at all."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return "zh"
    return "en" if "\nlocale: en" in "\n" + text else "zh"
