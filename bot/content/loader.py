"""Load study items, quiz banks, lectures and reminders from YAML files and validate them,
reporting every problem."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.content.fields import ID_PATTERN, Checker
from bot.content.models import (
    LETTERS,
    MULTIPLE,
    QUESTION_TYPES,
    SINGLE,
    TRUEFALSE,
    CheckinWindow,
    ContentPack,
    Publish,
    Question,
    QuizBank,
    StudyItem,
)
from bot.content.problems import ContentError, Problem
from bot.content.yamlload import MAX_FILE_BYTES, YList, YMap, load_file
from bot.core.i18n import Term
from bot.core.limits import MAX_BUTTON_LABEL_CHARS, MAX_MESSAGE_CHARS, MESSAGE_OVERHEAD_CHARS

if TYPE_CHECKING:
    from bot.config import Config
    from bot.content.models import Lecture, Reminder
    from bot.content.orgtree import OrgTree

STUDY_FIELDS = ("id", "title", "body", "source", "publish", "audience", "tags", "quiz", "deadline")
STUDY_REQUIRED = ("id", "title", "body", "publish")
BANK_FIELDS = (
    "id",
    "title",
    "questions",
    "pass_mark",
    "attempts",
    "shuffle",
    "time_limit",
    "deadline",
    "audience",
)
BANK_REQUIRED = ("id", "title", "questions")
QUESTION_FIELDS = ("id", "type", "text", "options", "answer", "explanation", "time_limit")
QUESTION_REQUIRED = ("id", "type", "text", "answer")
YAML_SUFFIXES = (".yaml", ".yml")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
# `2026-11-25 15:00`, also with T, seconds, one-digit parts or a full-width colon.
_LOCAL_TIME = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:T|\s+)(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?"
)
# A deadline written as a date alone means the end of that day.
DAY_END = time(23, 59)
MAX_TEXT = MAX_MESSAGE_CHARS - MESSAGE_OVERHEAD_CHARS
MAX_TAGS = 10
DEFAULT_WINDOW = CheckinWindow()  # lecture check-in when config.yaml says nothing


def yaml_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named by `paths`, directories searched recursively, in a stable order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.suffix in YAML_SUFFIXES)
        else:
            found.append(path)
    return found


def read_documents(
    files: Iterable[Path], problems: list[Problem], max_bytes: int = MAX_FILE_BYTES
) -> Iterator[tuple[Any, Checker]]:
    """(parsed YAML, its checker) for each file once; load problems go into `problems`."""
    read: set[Path] = set()
    for path in files:
        if path.resolve() in read:
            continue
        read.add(path.resolve())
        doc = load_file(path, max_bytes)
        problems.extend(doc.problems)
        if doc.data is not None:
            yield doc.data, Checker(path, problems)


def parse_study_item(data: Any, ch: Checker, line: int = 1) -> StudyItem | None:
    """Validate one study item mapping."""
    m = ch.mapping(data, line, STUDY_FIELDS, STUDY_REQUIRED)
    if m is None:
        return None
    item_id = ch.text(m, "id", pattern=ID_PATTERN)
    title = ch.text(m, "title", max_len=MAX_BUTTON_LABEL_CHARS)
    body = ch.text(m, "body")
    source = ch.text(m, "source", max_len=200)
    publish = _parse_publish(m, ch) if "publish" in m else None
    deadline = _parse_deadline(m, ch, publish)
    audience = ch.string_list(m, "audience") or ["all"]
    tags = ch.string_list(m, "tags", max_len=20)
    if len(tags) > MAX_TAGS:
        ch.report(m.line_of("tags"), "study.too_many_tags", "tags", count=len(tags), limit=MAX_TAGS)
    quiz = ch.text(m, "quiz", pattern=ID_PATTERN) or None
    length = len(title) + len(body) + len(source) + sum(len(tag) + 2 for tag in tags)
    if length > MAX_TEXT:
        ch.report(m.line_of("body"), "study.message_too_long", length=length, limit=MAX_TEXT)
    if not (item_id and title and body and publish):
        return None
    return StudyItem(
        item_id,
        title,
        body,
        source,
        publish,
        tuple(audience),
        tuple(tags),
        quiz,
        ch.path,
        m.line,
        m.line_of("quiz"),
        deadline=deadline,
    )


def parse_local_time(
    m: YMap, ch: Checker, key: str, problem: str, day_end: time | None = None
) -> datetime | None:
    """`m[key]` as a naive local date-time: a YAML timestamp, or text like `2026-11-25 15:00`.

    With `day_end`, a date alone (`2026-11-30`) means that time of the day; without, it is
    reported as `problem`, like a time with a zone (the config's timezone applies) or text
    that is no date-time at all. Lecture starts, deadlines and reminder times all use this.
    """
    value = m[key]
    if isinstance(value, YMap | YList | bool) or value is None:
        return ch.get(m, key, str)  # reports the wrong type
    if isinstance(value, str):
        text = value.strip()
        match = _LOCAL_TIME.fullmatch(text)
        with contextlib.suppress(ValueError):
            if match:
                value = datetime(*(int(g or 0) for g in match.groups()))
            elif day_end is not None:
                value = date.fromisoformat(text)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value
    elif isinstance(value, date) and day_end is not None:
        return datetime.combine(value, day_end)
    ch.report(m.line_of(key), problem, ch.name(key), value=m.raw.get(key, value))
    return None


def _parse_deadline(m: YMap, ch: Checker, publish: Publish | None) -> datetime | None:
    """A study item's deadline: after its publish start, and only for a dated item."""
    if "deadline" not in m:
        return None
    deadline = parse_local_time(m, ch, "deadline", "deadline.bad", DAY_END)
    if deadline is None or publish is None:
        return deadline
    line, name = m.line_of("deadline"), ch.name("deadline")
    if publish.kind == "rotate":
        ch.report(line, "deadline.rotating", name)
        return None
    assert publish.start is not None
    if deadline < datetime.combine(publish.start, time()):
        shown = f"{deadline:%Y-%m-%d %H:%M}"
        ch.report(line, "deadline.before_publish", name, deadline=shown, start=publish.start)
        return None
    return deadline


def parse_audience(m: YMap, ch: Checker, lines: list[tuple[str, int]]) -> list[str]:
    """`all` (the default) or unit ids; each entry's line is kept for the org-tree check
    (as `audience[2]`, or `audience` for a single value, after the checker's prefix)."""
    if "audience" not in m:
        return ["all"]
    before = len(ch.problems)
    values = ch.string_list(m, "audience")
    raw = m["audience"]
    if isinstance(raw, YList):
        where = [(ch.name(f"audience[{i + 1}]"), raw.line_of(i)) for i in range(len(raw))]
    else:
        where = [(ch.name("audience"), m.line_of("audience"))]
    if len(ch.problems) != before:
        return values
    if not values:
        ch.report(m.line_of("audience"), "field.empty", ch.name("audience"))
    for value, (name, line) in zip(values, where, strict=False):
        if value != "all" and not ID_PATTERN.fullmatch(value):
            ch.report(line, "field.pattern", name, value=value, pattern_help=Term("pattern.id"))
        lines.append((name, line))
    return values


def _parse_publish(m: YMap, ch: Checker) -> Publish | None:
    line = m.line_of("publish")
    p = ch.child("publish.").mapping(
        m["publish"], line, ("week", "date", "rotate"), field="publish"
    )
    if p is None:
        return None
    given = [k for k in ("week", "date", "rotate") if k in p]
    if len(given) != 1:
        ch.report(line, "study.publish_one", "publish")
        return None
    kind = given[0]
    value = p[kind]
    where = p.line_of(kind)
    if kind == "date":
        if isinstance(value, datetime):
            value = value.date()  # a time of day adds nothing: items are published by day
        elif isinstance(value, str):
            with contextlib.suppress(ValueError):
                value = datetime.fromisoformat(value.strip()).date()
        if not isinstance(value, date):
            ch.report(where, "study.bad_date", "publish.date", value=value)
            return None
        return Publish("date", start=value)
    if kind == "week":
        match = _WEEK.fullmatch(str(value).strip())
        try:
            if not match:
                raise ValueError
            start = date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError:
            ch.report(where, "study.bad_week", "publish.week", value=value)
            return None
        return Publish("week", start=start)
    r = ch.child("publish.rotate.").mapping(
        value, where, ("every", "slot"), ("every", "slot"), field="publish.rotate"
    )
    if r is None or "every" not in r or "slot" not in r:
        return None
    rc = ch.child("publish.rotate.")
    every = rc.integer(r, "every", 0, 1, 520)
    slot = rc.integer(r, "slot", -1, 0, 519)
    if every and slot >= every:
        ch.report(
            r.line_of("slot"), "study.rotation_slot", "publish.rotate.slot", slot=slot, every=every
        )
        return None
    if not every or slot < 0:
        return None
    return Publish("rotate", every=every, slot=slot)


def parse_bank(data: Any, ch: Checker, line: int = 1) -> QuizBank | None:
    """Validate one quiz bank mapping."""
    m = ch.mapping(data, line, BANK_FIELDS, BANK_REQUIRED)
    if m is None:
        return None
    bank_id = ch.text(m, "id", pattern=ID_PATTERN)
    title = ch.text(m, "title", max_len=MAX_BUTTON_LABEL_CHARS)
    pass_mark = ch.integer(m, "pass_mark", 60, 0, 100)
    attempts = ch.integer(m, "attempts", 3, 0, 100)
    shuffle = ch.boolean(m, "shuffle", False)
    time_limit = ch.integer(m, "time_limit", 60, 5, 3600)
    lines: list[tuple[str, int]] = []
    audience = parse_audience(m, ch, lines)
    deadline = None
    if "deadline" in m:
        deadline = parse_local_time(m, ch, "deadline", "deadline.bad", DAY_END)
        lines.append(("deadline", m.line_of("deadline")))
    questions: list[Question] = []
    raw = m.get("questions")
    if "questions" in m:
        if not isinstance(raw, YList):
            ch.get(m, "questions", list)
        elif not raw:
            ch.report(m.line_of("questions"), "quiz.empty", "questions")
        else:
            seen: dict[str, int] = {}
            for i, q in enumerate(raw):
                qc = ch.child(f"questions[{i + 1}].")
                question = parse_question(q, qc, raw.line_of(i), time_limit)
                if question is None:
                    continue
                if question.id in seen:
                    qc.report(
                        raw.line_of(i),
                        "quiz.duplicate_question",
                        qc.name("id"),
                        id=question.id,
                        other=seen[question.id],
                    )
                    continue
                seen[question.id] = raw.line_of(i)
                questions.append(question)
    if not (bank_id and title and questions) or len(questions) != len(raw or ()):
        return None
    return QuizBank(
        bank_id,
        title,
        tuple(questions),
        pass_mark,
        attempts,
        shuffle,
        time_limit,
        ch.path,
        m.line,
        deadline=deadline,
        audience=tuple(audience),
        field_lines=tuple(lines),
    )


def parse_question(data: Any, ch: Checker, line: int, default_limit: int) -> Question | None:
    """Validate one question mapping."""
    m = ch.mapping(data, line, QUESTION_FIELDS, QUESTION_REQUIRED)
    if m is None:
        return None
    before = len(ch.problems)
    qid = ch.text(m, "id", pattern=ID_PATTERN)
    qtype = ch.choice(m, "type", QUESTION_TYPES, "")
    text = ch.text(m, "text")
    explanation = ch.text(m, "explanation")
    time_limit = ch.integer(m, "time_limit", default_limit, 5, 3600)
    options: list[str] = []
    answer: frozenset[int] = frozenset()
    if qtype == TRUEFALSE:
        if "options" in m:
            ch.report(m.line_of("options"), "quiz.truefalse_options", ch.name("options"))
        value = m.get("answer")
        if isinstance(value, bool):
            answer = frozenset({0 if value else 1})
        elif "answer" in m:
            ch.report(m.line_of("answer"), "quiz.truefalse_answer", ch.name("answer"), value=value)
    elif qtype in (SINGLE, MULTIPLE):
        options = _parse_options(m, ch)
        answer = _parse_answer(m, ch, qtype, len(options))
    length = len(text) + sum(len(o) + 4 for o in options) + len(explanation)
    if length > MAX_TEXT:
        ch.report(m.line_of("text"), "quiz.message_too_long", length=length, limit=MAX_TEXT)
    if len(ch.problems) != before or not (qid and qtype and text and answer):
        return None
    return Question(qid, qtype, text, tuple(options), answer, explanation, time_limit)


def _parse_options(m: YMap, ch: Checker) -> list[str]:
    if "options" not in m:
        ch.report(m.line, "field.missing", ch.name("options"))
        return []
    options = ch.string_list(m, "options", max_len=MAX_BUTTON_LABEL_CHARS, scalar_ok=False)
    raw = m["options"]
    if isinstance(raw, YList) and not 2 <= len(raw) <= len(LETTERS):
        ch.report(
            m.line_of("options"),
            "quiz.option_count",
            ch.name("options"),
            count=len(raw),
            high=len(LETTERS),
        )
    seen: set[str] = set()
    for i, option in enumerate(options):
        if option in seen:
            line = raw.line_of(i) if isinstance(raw, YList) else m.line_of("options")
            ch.report(line, "quiz.duplicate_option", ch.name("options"), option=option)
        seen.add(option)
    return options


def _parse_answer(m: YMap, ch: Checker, qtype: str, count: int) -> frozenset[int]:
    if "answer" not in m:
        return frozenset()
    value = m["answer"]
    line = m.line_of("answer")
    if not count:  # options are missing or broken: that problem is already reported
        return frozenset()
    letters = LETTERS[:count]
    if isinstance(value, YList):
        tokens = [str(v).strip().upper() for v in value]
    elif isinstance(value, str):
        tokens = [c for c in value.strip().upper() if c not in " ,，、"]
    else:
        ch.report(line, "quiz.answer_format", ch.name("answer"), value=value)
        return frozenset()
    if qtype == SINGLE and len(tokens) != 1:
        ch.report(line, "quiz.single_one_answer", ch.name("answer"), value=value)
        return frozenset()
    if not tokens:
        ch.report(line, "field.empty", ch.name("answer"))
        return frozenset()
    picked = set()
    for token in tokens:
        if len(token) != 1 or token not in letters:
            ch.report(
                line,
                "quiz.answer_not_option",
                ch.name("answer"),
                answer=token,
                letters="/".join(letters) or "-",
            )
            return frozenset()
        picked.add(LETTERS.index(token))
    return frozenset(picked)


def sniff_kind(data: Any) -> str:
    """'bank' for a quiz bank, 'study' for a study item, '' for anything else.

    Lecture files (speaker, start, venues) are neither: they are told apart by their
    folder, never by their content (see load_pack's `lecture_paths`).
    """
    if isinstance(data, YMap):
        if "questions" in data:
            return "bank"
        if "body" in data or "publish" in data:
            return "study"
    return ""


def load_pack(
    study_paths: Iterable[Path],
    quiz_paths: Iterable[Path] = (),
    reference_banks: Iterable[Path] = (),
    max_bytes: int = MAX_FILE_BYTES,
    lecture_paths: Iterable[Path] = (),
    default_window: CheckinWindow = DEFAULT_WINDOW,
    reminder_paths: Iterable[Path] = (),
) -> ContentPack:
    """Load and validate a content pack; raise ContentError listing every problem.

    Files under `study_paths` are study items and under `quiz_paths` quiz banks, unless
    their content says otherwise. Files under `lecture_paths` are always lectures (also
    where those folders lie inside the others), their check-in window `default_window`
    unless they set their own; likewise files under `reminder_paths` are always reminder
    files. `reference_banks` are loaded only to resolve quiz links. Org units are checked
    separately (pack_unit_problems), as the org tree is a file of its own.
    """
    # Imported here: bot.content.lectures and bot.content.reminders import this module.
    from bot.content.lectures import lecture_quiz_problems, read_lectures
    from bot.content.reminders import read_reminders

    problems: list[Problem] = []
    pack = ContentPack()
    rotation: dict[tuple[int, int], StudyItem] = {}
    lecture_files = yaml_files(lecture_paths)
    loaded: set[Path] = {path.resolve() for path in lecture_files}
    reminder_files = [p for p in yaml_files(reminder_paths) if p.resolve() not in loaded]
    loaded |= {path.resolve() for path in reminder_files}
    pack.files += len(loaded)
    pack.lectures = read_lectures(lecture_files, default_window, problems, max_bytes)
    pack.reminders = read_reminders(reminder_files, problems, max_bytes)
    for default_kind, paths in (("study", study_paths), ("bank", quiz_paths)):
        for path in yaml_files(paths):
            resolved = path.resolve()
            if resolved in loaded:
                continue
            loaded.add(resolved)
            pack.files += 1
            doc = load_file(path, max_bytes)
            problems.extend(doc.problems)
            if doc.data is None:
                continue
            kind = sniff_kind(doc.data) or default_kind
            ch = Checker(path, problems)
            if kind == "bank":
                bank = parse_bank(doc.data, ch)
                if bank is not None:
                    _claim(bank.id, bank, pack.banks, ch)
            else:
                item = parse_study_item(doc.data, ch)
                if item is not None and _claim(item.id, item, pack.items, ch):
                    _check_rotation(item, rotation, ch)
    known_banks = set(pack.banks)
    for path in yaml_files(reference_banks):
        if path.resolve() in loaded:
            continue
        doc = load_file(path, max_bytes)
        if isinstance(doc.data, YMap) and isinstance(doc.data.get("id"), str):
            known_banks.add(doc.data["id"])
    for item in pack.items.values():
        if item.quiz and item.quiz not in known_banks:
            problems.append(
                Problem(
                    item.path, item.quiz_line, "study.unknown_quiz", {"quiz": item.quiz}, "quiz"
                )
            )
    problems.extend(lecture_quiz_problems(pack.lectures, known_banks))
    if problems:
        raise ContentError(problems)
    return pack


def _claim(key: str, obj: Any, into: dict[str, Any], ch: Checker, field: str = "id") -> bool:
    """Register an id, reporting a duplicate against the file that had it first."""
    if key in into:
        first = into[key]
        ch.report(
            obj.line,
            "content.duplicate_id",
            field,
            id=key,
            other=f"{shown_path(first.path)}:{first.line}",
        )
        return False
    into[key] = obj
    return True


def _check_rotation(item: StudyItem, seen: dict[tuple[int, int], StudyItem], ch: Checker) -> None:
    if item.publish.kind != "rotate":
        return
    key = (item.publish.every, item.publish.slot)
    if key in seen:
        ch.report(
            item.line,
            "study.rotation_clash",
            "publish.rotate",
            slot=key[1],
            every=key[0],
            other=seen[key].id,
        )
    else:
        seen[key] = item


def shown_path(path: Path) -> Path:
    """`path` relative to the working folder when it lies inside it (shorter messages)."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


_AUDIENCE_FIELD = re.compile(r"(?:.*\.)?audience(?:\[\d+\])?")


def unit_problems(holders: Iterable[Lecture | QuizBank | Reminder], orgs: OrgTree) -> list[Problem]:
    """Audience units (and lecture venues' units) missing from the org tree, with the line
    of each entry; one problem per file, series (or id) and field."""
    found: dict[tuple[Path, str, str], Problem] = {}
    for holder in holders:
        lines = dict(holder.field_lines)
        names = [name for name in lines if _AUDIENCE_FIELD.fullmatch(name)]
        refs = [(n, u) for n, u in zip(names, holder.audience, strict=False) if u != "all"]
        venues = getattr(holder, "venues", ())
        refs += [(f"venues[{i + 1}].unit", v.unit) for i, v in enumerate(venues) if v.unit]
        for name, unit in refs:
            if unit not in orgs.units:
                line = lines.get(name, holder.line)
                problem = Problem(holder.path, line, "lecture.unknown_unit", {"value": unit}, name)
                key = (holder.path, getattr(holder, "series", holder.id), name)
                found.setdefault(key, problem)
    return list(found.values())


def bank_unit_problems(banks: dict[str, QuizBank], orgs: OrgTree) -> list[Problem]:
    """Quiz banks' audience units missing from the org tree."""
    return unit_problems(banks.values(), orgs)


def pack_unit_problems(pack: ContentPack, orgs: OrgTree) -> list[Problem]:
    """Every org unit a pack names (lectures, quiz banks, reminders) missing from the tree."""
    holders = [*pack.lectures.values(), *pack.banks.values(), *pack.reminders.values()]
    return unit_problems(holders, orgs)


def load_content(config: Config) -> ContentPack:
    """The content pack the config points at; raises ContentError listing every problem.

    Lectures come from `config.lectures_dir` and reminders from `config.reminders_dir`
    when those folders exist (none otherwise).
    """
    from bot.content.lectures import config_window

    lectures = [config.lectures_dir] if config.lectures_dir.exists() else []
    reminders = [config.reminders_dir] if config.reminders_dir.exists() else []
    return load_pack(
        [config.study_dir],
        [config.quiz_dir],
        lecture_paths=lectures,
        default_window=config_window(config),
        reminder_paths=reminders,
    )
