-- Leaderboards (issue 7): people are ranked within their own unit only, unless an
-- administrator of the unit opened it to the board of its parent unit's subtree, which
-- lists the people of opened units only.
CREATE TABLE leaderboard_open (
    unit_id   TEXT PRIMARY KEY,
    opened_by TEXT NOT NULL,   -- "channel:user_ref"
    opened_at TEXT NOT NULL
) WITHOUT ROWID;

-- One unit's board: its people by points.
CREATE INDEX people_by_unit_points ON people (unit_id, points DESC);
