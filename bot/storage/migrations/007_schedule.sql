-- Scheduled sends (weekly push, lecture reminders, host prompts, make-up, deadline nudges
-- and escalations, administrators' reminders). Every occurrence that was handled has a
-- row with whom = '*', and every person it was queued for has one of their own, so a
-- restart or a second scheduler run never sends a reminder twice.
CREATE TABLE deliveries (
    what       TEXT NOT NULL,   -- e.g. weekly, lecture:<session>:60, nudge:study:<item>
    occurrence TEXT NOT NULL,   -- when it was due (UTC ISO)
    whom       TEXT NOT NULL,   -- a person id, or '*' for the occurrence itself
    status     TEXT NOT NULL,   -- sent, deferred (quiet hours), skipped (missed), done ('*')
    at         TEXT NOT NULL,   -- when this row was written (UTC ISO)
    PRIMARY KEY (what, occurrence, whom)
) WITHOUT ROWID;
CREATE INDEX deliveries_runs ON deliveries (whom, occurrence);

-- Per person: reminders on (1) or off (0, /remind off), and quiet hours as '22:00-07:00',
-- 'off' (none), or NULL for the deployment's schedule.quiet_hours.
ALTER TABLE people ADD COLUMN reminders INTEGER NOT NULL DEFAULT 1;
ALTER TABLE people ADD COLUMN quiet_hours TEXT;
