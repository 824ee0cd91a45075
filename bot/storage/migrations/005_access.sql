-- Access: who is admitted, who administers which unit, invite links and join requests.

-- 1 while a chat account waits to be bound to a roster person (registration.mode roster).
ALTER TABLE people ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;
-- The org unit a group was bound to by /bindgroup (its scope for announcements, contests).
ALTER TABLE groups ADD COLUMN unit_id TEXT;

-- Roles a superadmin granted with /grant, on top of the roster's own role column.
CREATE TABLE role_grants (
    person_id  INTEGER NOT NULL REFERENCES people (id),
    unit_id    TEXT    NOT NULL,
    role       TEXT    NOT NULL,               -- admin or host
    granted_by TEXT    NOT NULL,               -- "channel:user_ref"
    granted_at TEXT    NOT NULL,
    PRIMARY KEY (person_id, unit_id, role)
) WITHOUT ROWID;

-- /invite <unit>: a code carried by a deep link, valid until expires_at.
CREATE TABLE invites (
    code       TEXT PRIMARY KEY,
    unit_id    TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;

-- Someone who came by an invite: states a name, then a unit admin approves or rejects.
CREATE TABLE join_requests (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id),
    channel    TEXT    NOT NULL,
    user_ref   TEXT    NOT NULL,
    chat_ref   TEXT    NOT NULL,
    unit_id    TEXT    NOT NULL,
    code       TEXT    NOT NULL,
    name       TEXT    NOT NULL DEFAULT '',
    status     TEXT    NOT NULL DEFAULT 'naming',  -- naming, waiting, approved, rejected
    created_at TEXT    NOT NULL,
    decided_at TEXT,
    decided_by TEXT
);
-- At most one open request per person.
CREATE UNIQUE INDEX join_requests_open ON join_requests (person_id)
    WHERE status IN ('naming', 'waiting');
