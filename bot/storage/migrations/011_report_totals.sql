-- Report totals per unit (bot/domain/figures.py): study marked done, check-ins and
-- approved leave, counted per unit and kept up to date by the triggers below, so that a
-- long report reads thousands of totals instead of millions of records.
--
-- A record counts in the unit of its person while that person is admitted (active, not
-- pending, with a unit), as the reports count it: the triggers on people move a person's
-- counts when their unit changes or they leave or are admitted. Times are bucketed by
-- their UTC date, substr(time, 1, 10), which needs no time zone: a report reads the whole
-- days of its period here and the part days at its ends from the records (each person's
-- run of study_done_by_person or checkins_by_person). A total that drops to 0 keeps its
-- row.
--
-- What a write pays: a look-up of the person and the upsert of one total per record
-- (for a check-in also a look-up of the person's leave), about 15 µs on a single-row
-- transaction of about 40 µs. No index by time, which would cost as much again.

CREATE TABLE study_totals (
    unit_id TEXT    NOT NULL,
    item_id TEXT    NOT NULL,
    day     TEXT    NOT NULL,                 -- substr(done_at, 1, 10)
    n       INTEGER NOT NULL,                 -- items marked learned
    PRIMARY KEY (unit_id, item_id, day)
) WITHOUT ROWID;

CREATE TABLE checkin_totals (
    unit_id    TEXT    NOT NULL,
    session_id TEXT    NOT NULL,
    day        TEXT    NOT NULL,              -- substr(at, 1, 10)
    n          INTEGER NOT NULL,              -- check-ins (person-times)
    attended   INTEGER NOT NULL,              -- of them present or late
    PRIMARY KEY (unit_id, session_id, day)
) WITHOUT ROWID;

-- Approved leave of people who did not check in (made-up sessions are taken off by the
-- report: which quiz makes up which session is content, not data).
CREATE TABLE leave_totals (
    unit_id    TEXT    NOT NULL,
    session_id TEXT    NOT NULL,
    n          INTEGER NOT NULL,
    PRIMARY KEY (unit_id, session_id)
) WITHOUT ROWID;

-- Backfill from the records already there (the benchmark's generator runs the same).
INSERT INTO study_totals (unit_id, item_id, day, n)
SELECT p.unit_id, s.item_id, substr(s.done_at, 1, 10), COUNT(*)
FROM people p CROSS JOIN study_done s ON s.person_id = p.id
WHERE p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
GROUP BY 1, 2, 3;

INSERT INTO checkin_totals (unit_id, session_id, day, n, attended)
SELECT p.unit_id, c.session_id, substr(c.at, 1, 10), COUNT(*),
       SUM(c.status IN ('present', 'late'))
FROM people p CROSS JOIN checkins c ON c.person_id = p.id
WHERE p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
GROUP BY 1, 2, 3;

INSERT INTO leave_totals (unit_id, session_id, n)
SELECT p.unit_id, l.session_id, COUNT(*)
FROM people p CROSS JOIN leaves l ON l.person_id = p.id
WHERE p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL AND l.status = 'approved'
  AND NOT EXISTS (SELECT 1 FROM checkins c
                  WHERE c.session_id = l.session_id AND c.person_id = l.person_id)
GROUP BY 1, 2;

-- study_done: every write path (the app only inserts).

CREATE TRIGGER study_totals_insert AFTER INSERT ON study_done BEGIN
    INSERT INTO study_totals (unit_id, item_id, day, n)
    SELECT p.unit_id, NEW.item_id, substr(NEW.done_at, 1, 10), 1 FROM people p
    WHERE p.id = NEW.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER study_totals_delete AFTER DELETE ON study_done BEGIN
    INSERT INTO study_totals (unit_id, item_id, day, n)
    SELECT p.unit_id, OLD.item_id, substr(OLD.done_at, 1, 10), -1 FROM people p
    WHERE p.id = OLD.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER study_totals_update AFTER UPDATE ON study_done BEGIN
    INSERT INTO study_totals (unit_id, item_id, day, n)
    SELECT p.unit_id, OLD.item_id, substr(OLD.done_at, 1, 10), -1 FROM people p
    WHERE p.id = OLD.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO study_totals (unit_id, item_id, day, n)
    SELECT p.unit_id, NEW.item_id, substr(NEW.done_at, 1, 10), 1 FROM people p
    WHERE p.id = NEW.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

-- checkins (the app only inserts). A check-in also ends the person's approved leave for
-- that session in leave_totals, and removing it brings the leave back.

CREATE TRIGGER checkin_totals_insert AFTER INSERT ON checkins BEGIN
    INSERT INTO checkin_totals (unit_id, session_id, day, n, attended)
    SELECT p.unit_id, NEW.session_id, substr(NEW.at, 1, 10), 1,
           NEW.status IN ('present', 'late') FROM people p
    WHERE p.id = NEW.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n, attended = attended + excluded.attended;
    INSERT INTO leave_totals (unit_id, session_id, n)
    SELECT p.unit_id, NEW.session_id, -1 FROM people p
    WHERE p.id = NEW.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
      AND EXISTS (SELECT 1 FROM leaves l WHERE l.session_id = NEW.session_id
                  AND l.person_id = NEW.person_id AND l.status = 'approved')
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER checkin_totals_delete AFTER DELETE ON checkins BEGIN
    INSERT INTO checkin_totals (unit_id, session_id, day, n, attended)
    SELECT p.unit_id, OLD.session_id, substr(OLD.at, 1, 10), -1,
           -(OLD.status IN ('present', 'late')) FROM people p
    WHERE p.id = OLD.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n, attended = attended + excluded.attended;
    INSERT INTO leave_totals (unit_id, session_id, n)
    SELECT p.unit_id, OLD.session_id, 1 FROM people p
    WHERE p.id = OLD.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
      AND EXISTS (SELECT 1 FROM leaves l WHERE l.session_id = OLD.session_id
                  AND l.person_id = OLD.person_id AND l.status = 'approved')
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER checkin_totals_update AFTER UPDATE ON checkins BEGIN
    INSERT INTO checkin_totals (unit_id, session_id, day, n, attended)
    SELECT p.unit_id, OLD.session_id, substr(OLD.at, 1, 10), -1,
           -(OLD.status IN ('present', 'late')) FROM people p
    WHERE p.id = OLD.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n, attended = attended + excluded.attended;
    INSERT INTO checkin_totals (unit_id, session_id, day, n, attended)
    SELECT p.unit_id, NEW.session_id, substr(NEW.at, 1, 10), 1,
           NEW.status IN ('present', 'late') FROM people p
    WHERE p.id = NEW.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
    ON CONFLICT DO UPDATE SET n = n + excluded.n, attended = attended + excluded.attended;
    -- Moved to another session or person: the old pair lost its check-in, the new one
    -- gained it (the key is unique, so neither has another).
    INSERT INTO leave_totals (unit_id, session_id, n)
    SELECT p.unit_id, OLD.session_id, 1 FROM people p
    WHERE (OLD.session_id IS NOT NEW.session_id OR OLD.person_id IS NOT NEW.person_id)
      AND p.id = OLD.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
      AND EXISTS (SELECT 1 FROM leaves l WHERE l.session_id = OLD.session_id
                  AND l.person_id = OLD.person_id AND l.status = 'approved')
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO leave_totals (unit_id, session_id, n)
    SELECT p.unit_id, NEW.session_id, -1 FROM people p
    WHERE (OLD.session_id IS NOT NEW.session_id OR OLD.person_id IS NOT NEW.person_id)
      AND p.id = NEW.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
      AND EXISTS (SELECT 1 FROM leaves l WHERE l.session_id = NEW.session_id
                  AND l.person_id = NEW.person_id AND l.status = 'approved')
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

-- leaves: asked (pending), then approved or rejected by an admin.

CREATE TRIGGER leave_totals_insert AFTER INSERT ON leaves WHEN NEW.status = 'approved' BEGIN
    INSERT INTO leave_totals (unit_id, session_id, n)
    SELECT p.unit_id, NEW.session_id, 1 FROM people p
    WHERE p.id = NEW.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.session_id = NEW.session_id
                      AND c.person_id = NEW.person_id)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER leave_totals_delete AFTER DELETE ON leaves WHEN OLD.status = 'approved' BEGIN
    INSERT INTO leave_totals (unit_id, session_id, n)
    SELECT p.unit_id, OLD.session_id, -1 FROM people p
    WHERE p.id = OLD.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.session_id = OLD.session_id
                      AND c.person_id = OLD.person_id)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER leave_totals_update AFTER UPDATE OF session_id, person_id, status ON leaves
BEGIN
    INSERT INTO leave_totals (unit_id, session_id, n)
    SELECT p.unit_id, OLD.session_id, -1 FROM people p
    WHERE OLD.status = 'approved'
      AND p.id = OLD.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.session_id = OLD.session_id
                      AND c.person_id = OLD.person_id)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO leave_totals (unit_id, session_id, n)
    SELECT p.unit_id, NEW.session_id, 1 FROM people p
    WHERE NEW.status = 'approved'
      AND p.id = NEW.person_id AND p.active = 1 AND p.pending = 0 AND p.unit_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM checkins c WHERE c.session_id = NEW.session_id
                      AND c.person_id = NEW.person_id)
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

-- people: a person who moves unit, leaves or is admitted takes their counts along (a
-- roster import, binding, admission). With foreign keys on (the app's connections)
-- records can neither come before their person nor outlive them; the insert and delete
-- triggers keep the totals right without them too (plain sqlite3, the benchmark).

CREATE TRIGGER report_totals_person AFTER UPDATE OF id, unit_id, active, pending ON people
WHEN OLD.id IS NOT NEW.id
  OR (CASE WHEN OLD.active = 1 AND OLD.pending = 0 THEN OLD.unit_id END)
     IS NOT (CASE WHEN NEW.active = 1 AND NEW.pending = 0 THEN NEW.unit_id END)
BEGIN
    INSERT INTO study_totals (unit_id, item_id, day, n)
    SELECT OLD.unit_id, s.item_id, substr(s.done_at, 1, 10), -COUNT(*) FROM study_done s
    WHERE s.person_id = OLD.id
      AND OLD.active = 1 AND OLD.pending = 0 AND OLD.unit_id IS NOT NULL
    GROUP BY 1, 2, 3
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO study_totals (unit_id, item_id, day, n)
    SELECT NEW.unit_id, s.item_id, substr(s.done_at, 1, 10), COUNT(*) FROM study_done s
    WHERE s.person_id = NEW.id
      AND NEW.active = 1 AND NEW.pending = 0 AND NEW.unit_id IS NOT NULL
    GROUP BY 1, 2, 3
    ON CONFLICT DO UPDATE SET n = n + excluded.n;

    INSERT INTO checkin_totals (unit_id, session_id, day, n, attended)
    SELECT OLD.unit_id, c.session_id, substr(c.at, 1, 10), -COUNT(*),
           -SUM(c.status IN ('present', 'late')) FROM checkins c
    WHERE c.person_id = OLD.id
      AND OLD.active = 1 AND OLD.pending = 0 AND OLD.unit_id IS NOT NULL
    GROUP BY 1, 2, 3
    ON CONFLICT DO UPDATE SET n = n + excluded.n, attended = attended + excluded.attended;
    INSERT INTO checkin_totals (unit_id, session_id, day, n, attended)
    SELECT NEW.unit_id, c.session_id, substr(c.at, 1, 10), COUNT(*),
           SUM(c.status IN ('present', 'late')) FROM checkins c
    WHERE c.person_id = NEW.id
      AND NEW.active = 1 AND NEW.pending = 0 AND NEW.unit_id IS NOT NULL
    GROUP BY 1, 2, 3
    ON CONFLICT DO UPDATE SET n = n + excluded.n, attended = attended + excluded.attended;

    INSERT INTO leave_totals (unit_id, session_id, n)
    SELECT OLD.unit_id, l.session_id, -COUNT(*) FROM leaves l
    WHERE l.person_id = OLD.id AND l.status = 'approved'
      AND OLD.active = 1 AND OLD.pending = 0 AND OLD.unit_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM checkins c
                      WHERE c.session_id = l.session_id AND c.person_id = l.person_id)
    GROUP BY 1, 2
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO leave_totals (unit_id, session_id, n)
    SELECT NEW.unit_id, l.session_id, COUNT(*) FROM leaves l
    WHERE l.person_id = NEW.id AND l.status = 'approved'
      AND NEW.active = 1 AND NEW.pending = 0 AND NEW.unit_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM checkins c
                      WHERE c.session_id = l.session_id AND c.person_id = l.person_id)
    GROUP BY 1, 2
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_totals_person_insert AFTER INSERT ON people
WHEN NEW.active = 1 AND NEW.pending = 0 AND NEW.unit_id IS NOT NULL
BEGIN
    INSERT INTO study_totals (unit_id, item_id, day, n)
    SELECT NEW.unit_id, s.item_id, substr(s.done_at, 1, 10), COUNT(*) FROM study_done s
    WHERE s.person_id = NEW.id
    GROUP BY 1, 2, 3
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO checkin_totals (unit_id, session_id, day, n, attended)
    SELECT NEW.unit_id, c.session_id, substr(c.at, 1, 10), COUNT(*),
           SUM(c.status IN ('present', 'late')) FROM checkins c
    WHERE c.person_id = NEW.id
    GROUP BY 1, 2, 3
    ON CONFLICT DO UPDATE SET n = n + excluded.n, attended = attended + excluded.attended;
    INSERT INTO leave_totals (unit_id, session_id, n)
    SELECT NEW.unit_id, l.session_id, COUNT(*) FROM leaves l
    WHERE l.person_id = NEW.id AND l.status = 'approved'
      AND NOT EXISTS (SELECT 1 FROM checkins c
                      WHERE c.session_id = l.session_id AND c.person_id = l.person_id)
    GROUP BY 1, 2
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER report_totals_person_delete AFTER DELETE ON people
WHEN OLD.active = 1 AND OLD.pending = 0 AND OLD.unit_id IS NOT NULL
BEGIN
    INSERT INTO study_totals (unit_id, item_id, day, n)
    SELECT OLD.unit_id, s.item_id, substr(s.done_at, 1, 10), -COUNT(*) FROM study_done s
    WHERE s.person_id = OLD.id
    GROUP BY 1, 2, 3
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
    INSERT INTO checkin_totals (unit_id, session_id, day, n, attended)
    SELECT OLD.unit_id, c.session_id, substr(c.at, 1, 10), -COUNT(*),
           -SUM(c.status IN ('present', 'late')) FROM checkins c
    WHERE c.person_id = OLD.id
    GROUP BY 1, 2, 3
    ON CONFLICT DO UPDATE SET n = n + excluded.n, attended = attended + excluded.attended;
    INSERT INTO leave_totals (unit_id, session_id, n)
    SELECT OLD.unit_id, l.session_id, -COUNT(*) FROM leaves l
    WHERE l.person_id = OLD.id AND l.status = 'approved'
      AND NOT EXISTS (SELECT 1 FROM checkins c
                      WHERE c.session_id = l.session_id AND c.person_id = l.person_id)
    GROUP BY 1, 2
    ON CONFLICT DO UPDATE SET n = n + excluded.n;
END;
