-- Groups the bot was added to, group contests (擂台比武) with quiz polls, staged
-- content uploads, and the audit log of administrators' actions.

CREATE TABLE groups (
    channel    TEXT    NOT NULL,
    chat_ref   TEXT    NOT NULL,
    title      TEXT    NOT NULL DEFAULT '',
    bound_name TEXT,                           -- set by an admin's /bindgroup
    added_at   TEXT    NOT NULL,
    left_at    TEXT,                           -- the bot was removed
    PRIMARY KEY (channel, chat_ref)
) WITHOUT ROWID;

CREATE TABLE contests (
    id           INTEGER PRIMARY KEY,
    channel      TEXT    NOT NULL,
    chat_ref     TEXT    NOT NULL,
    quiz_id      TEXT    NOT NULL,
    questions    TEXT    NOT NULL,             -- JSON list of question ids, in order
    open_period  INTEGER NOT NULL,             -- seconds each poll stays open
    position     INTEGER NOT NULL DEFAULT 0,   -- questions queued so far
    status       TEXT    NOT NULL DEFAULT 'running',  -- running, finished, aborted
    started_by   TEXT    NOT NULL,
    started_at   TEXT    NOT NULL,
    finished_at  TEXT
);
-- One running contest per group at a time.
CREATE UNIQUE INDEX contests_running ON contests (channel, chat_ref) WHERE status = 'running';

CREATE TABLE contest_answers (
    contest_id  INTEGER NOT NULL REFERENCES contests (id),
    position    INTEGER NOT NULL,
    channel     TEXT    NOT NULL,
    user_ref    TEXT    NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES people (id),
    choice      INTEGER NOT NULL,
    correct     INTEGER NOT NULL,
    seconds     REAL    NOT NULL,              -- from the poll being sent to the answer
    score       INTEGER NOT NULL,
    answered_at TEXT    NOT NULL,
    PRIMARY KEY (contest_id, position, channel, user_ref)
) WITHOUT ROWID;

-- Polls are sent through the outbox; their answers are matched by the poll's id.
CREATE INDEX outbox_by_message_ref ON outbox (channel, message_ref);

CREATE TABLE uploads (
    id          INTEGER PRIMARY KEY,
    actor       TEXT    NOT NULL,              -- "channel:user_ref" of the admin
    file_name   TEXT    NOT NULL,
    kind        TEXT    NOT NULL,              -- study or quiz
    sha256      TEXT    NOT NULL,
    content     BLOB    NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'pending',  -- pending, published, cancelled
    created_at  TEXT    NOT NULL,
    decided_at  TEXT
);

CREATE TABLE audit_log (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    actor  TEXT NOT NULL,                      -- "channel:user_ref"
    action TEXT NOT NULL,                      -- broadcast, publish, bindgroup, contest, ...
    target TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'          -- JSON
);
CREATE INDEX audit_by_time ON audit_log (at);
