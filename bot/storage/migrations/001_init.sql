-- People, their chat accounts, study progress, quiz attempts, wrong-answer book,
-- points ledger and processed platform events.

CREATE TABLE people (
    id           INTEGER PRIMARY KEY,
    display_name TEXT    NOT NULL,
    locale       TEXT,
    unit_id      TEXT,
    points       INTEGER NOT NULL DEFAULT 0,   -- running total of points_ledger
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT    NOT NULL
);
CREATE INDEX people_by_points ON people (points DESC, id);

-- A person may reach us through several channels; each account maps to one person.
CREATE TABLE accounts (
    channel    TEXT    NOT NULL,
    user_ref   TEXT    NOT NULL,
    person_id  INTEGER NOT NULL REFERENCES people (id),
    chat_ref   TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (channel, user_ref)
) WITHOUT ROWID;
CREATE INDEX accounts_by_person ON accounts (person_id);

CREATE TABLE study_done (
    person_id INTEGER NOT NULL REFERENCES people (id),
    item_id   TEXT    NOT NULL,
    done_at   TEXT    NOT NULL,
    PRIMARY KEY (person_id, item_id)
) WITHOUT ROWID;

CREATE TABLE quiz_attempts (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    quiz_id     TEXT    NOT NULL,
    number      INTEGER NOT NULL,              -- 1 for the first attempt at this bank
    plan        TEXT    NOT NULL,              -- JSON: [[question_id, [option order]], ...]
    position    INTEGER NOT NULL DEFAULT 0,    -- index into plan of the question shown
    shown_at    TEXT    NOT NULL,              -- when that question was shown (time limit)
    correct     INTEGER NOT NULL DEFAULT 0,
    total       INTEGER NOT NULL,
    score       INTEGER,                       -- percent, set when finished
    passed      INTEGER,
    started_at  TEXT    NOT NULL,
    finished_at TEXT,
    UNIQUE (person_id, quiz_id, number)
);

CREATE TABLE quiz_answers (
    attempt_id  INTEGER NOT NULL REFERENCES quiz_attempts (id),
    position    INTEGER NOT NULL,
    question_id TEXT    NOT NULL,
    choice      TEXT    NOT NULL,              -- original option indexes, e.g. "0,2"
    correct     INTEGER NOT NULL,
    timed_out   INTEGER NOT NULL DEFAULT 0,
    answered_at TEXT    NOT NULL,
    PRIMARY KEY (attempt_id, position)
) WITHOUT ROWID;

-- 错题本: a question stays here until the person answers it right in review.
CREATE TABLE wrong_book (
    id          INTEGER PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    quiz_id     TEXT    NOT NULL,
    question_id TEXT    NOT NULL,
    misses      INTEGER NOT NULL DEFAULT 1,
    added_at    TEXT    NOT NULL,
    cleared_at  TEXT,
    UNIQUE (person_id, quiz_id, question_id)
);
CREATE INDEX wrong_book_open ON wrong_book (person_id, cleared_at);

-- One row per award; the unique key makes every award idempotent.
CREATE TABLE points_ledger (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id),
    kind       TEXT    NOT NULL,
    ref        TEXT    NOT NULL,
    points     INTEGER NOT NULL,
    day        TEXT    NOT NULL,               -- local date, for the daily cap
    created_at TEXT    NOT NULL,
    UNIQUE (person_id, kind, ref)
);
CREATE INDEX points_by_day ON points_ledger (person_id, day);

-- Platform events already handled, so a redelivered update counts once.
CREATE TABLE processed_events (
    channel  TEXT NOT NULL,
    event_id TEXT NOT NULL,
    seen_at  TEXT NOT NULL,
    PRIMARY KEY (channel, event_id)
) WITHOUT ROWID;
