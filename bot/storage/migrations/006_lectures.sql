-- Lecture-hall (大讲堂) attendance: check-ins, leave requests, and the secret the venue
-- check-in codes are derived from.

CREATE TABLE checkins (
    session_id TEXT    NOT NULL,              -- Lecture.id (a series' session: id-YYYYMMDD)
    person_id  INTEGER NOT NULL REFERENCES people (id),
    status     TEXT    NOT NULL,              -- present or late, as at the check-in
    method     TEXT    NOT NULL,              -- button, code or location
    venue_id   TEXT    NOT NULL,              -- a venue of the lecture, or "online"
    at         TEXT    NOT NULL,
    PRIMARY KEY (session_id, person_id)       -- a second check-in changes nothing
) WITHOUT ROWID;

CREATE TABLE leaves (
    id         INTEGER PRIMARY KEY,
    session_id TEXT    NOT NULL,
    person_id  INTEGER NOT NULL REFERENCES people (id),
    reason     TEXT    NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'pending',  -- pending, approved, rejected
    asked_at   TEXT    NOT NULL,
    decided_by TEXT,
    decided_at TEXT,
    UNIQUE (session_id, person_id)
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
