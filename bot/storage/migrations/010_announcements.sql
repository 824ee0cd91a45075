-- Files sent with messages (report charts, ledgers, announcement attachments), stored
-- once by content so a file sent to thousands of chats is kept once; the outbox payload
-- names the file by its SHA-256.
CREATE TABLE files (
    sha256     TEXT    PRIMARY KEY,
    size       INTEGER NOT NULL,
    content    BLOB    NOT NULL,
    created_at TEXT    NOT NULL
);

-- Announcements (/announce, `python -m bot announce`): a draft is edited with buttons,
-- then queued at once or at send_at. The scope is checked again when it is queued.
CREATE TABLE announcements (
    id            INTEGER PRIMARY KEY,
    actor         TEXT    NOT NULL,              -- "channel:user_ref", or "cli"
    report_to     TEXT,                          -- "channel:chat_ref" told how it went
    root          TEXT,                          -- a unit narrowing the scope, or NULL
    text          TEXT    NOT NULL,
    file_sha      TEXT REFERENCES files (sha256),
    file_name     TEXT,
    file_kind     TEXT,
    to_groups     INTEGER NOT NULL DEFAULT 1,
    to_people     INTEGER NOT NULL DEFAULT 1,
    pin           INTEGER NOT NULL DEFAULT 0,
    send_at       TEXT,                          -- NULL: as soon as it is confirmed
    status        TEXT    NOT NULL DEFAULT 'draft',  -- draft, scheduled, queued, cancelled
    awaiting_file INTEGER NOT NULL DEFAULT 0,    -- the next file the admin sends is its attachment
    created_at    TEXT    NOT NULL,
    queued_at     TEXT,
    batch_id      INTEGER
);
CREATE INDEX announcements_due ON announcements (status, send_at);
CREATE INDEX announcements_by_actor ON announcements (actor, status);

-- Groups that asked for the weekly ranking post (亮晒比), and since when.
ALTER TABLE groups ADD COLUMN ranking_post INTEGER NOT NULL DEFAULT 0;
