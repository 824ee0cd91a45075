-- The outbox: every mass send is written here first and drained by one sender per
-- channel, so a restart resumes without re-sending what was already sent.

CREATE TABLE outbox_batches (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,              -- broadcast, weekly_push, reminder, ...
    ref         TEXT    NOT NULL,              -- what is sent, e.g. the broadcast's id
    report_to   TEXT,                          -- "channel:chat_ref" told the counts when done
    total       INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT    NOT NULL,
    reported_at TEXT,
    UNIQUE (kind, ref)
);

CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    batch_id    INTEGER REFERENCES outbox_batches (id),
    key         TEXT    NOT NULL UNIQUE,       -- idempotency: what, to whom
    channel     TEXT    NOT NULL,
    chat_ref    TEXT    NOT NULL,
    is_group    INTEGER NOT NULL DEFAULT 0,
    payload     TEXT    NOT NULL,              -- JSON: {"text": ..., "rows": [[[label, action]]]}
    status      TEXT    NOT NULL DEFAULT 'pending',  -- pending, sending, sent, failed, unreachable
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before  TEXT    NOT NULL,              -- retry no earlier than this (UTC ISO)
    error       TEXT,
    message_ref TEXT,
    created_at  TEXT    NOT NULL,
    sent_at     TEXT
);
CREATE INDEX outbox_due ON outbox (channel, status, not_before);
CREATE INDEX outbox_by_batch ON outbox (batch_id, status);

-- A chat account that blocked the bot (Telegram 403): nothing more is sent to it.
ALTER TABLE accounts ADD COLUMN unreachable_at TEXT;
