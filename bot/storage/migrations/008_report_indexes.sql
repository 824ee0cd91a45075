-- Indexes for reports over many people and a long period (bot/domain/figures.py,
-- Attendance.unit_totals). A report reads people in unit order and, for each person, one
-- contiguous run of their records in time order, so SQL groups by unit without sorting
-- and never looks a person up per record. Each index below is covering for its query.
-- Measured with benchmarks/bench_reports.py (100,000 people, a year): see BENCHMARKS.md.

-- Admitted people of a unit, in unit order (every report query starts here).
CREATE INDEX people_by_unit ON people (unit_id, active, pending);

-- A person's items learned in time order (study_times; study_done when many items are
-- due). The key (person_id, item_id) rides along, as in every index of a WITHOUT ROWID
-- table.
CREATE INDEX study_done_by_person ON study_done (person_id, done_at);

-- A person's best score among the attempts finished in a period.
CREATE INDEX quiz_attempts_by_person ON quiz_attempts (person_id, finished_at, score);

-- A person's check-ins in time order with their status (attended, attendance_times);
-- the key (session_id, person_id) rides along.
CREATE INDEX checkins_by_person ON checkins (person_id, at, status);

-- A person's points by day, covering: the points earned in a period, and the daily cap
-- (Points.award sums one person's day). Replaces 001's points_by_day (person_id, day),
-- which needed a row read per award for its points.
DROP INDEX points_by_day;
CREATE INDEX points_by_person_day ON points_ledger (person_id, day, points);

-- The points by day, covering (the old name, now leading with the day): the ledger's
-- first and last day, and what was earned outside a long period, which a year's report
-- takes off the running totals in people.points instead of adding up tens of millions
-- of rows. Awards are written in day order, so this index grows at its end.
-- NB: a query that adds up a long period per person should read points_by_person_day
-- (write `+x.day` in its range), not sort this index's range by person.
CREATE INDEX points_by_day ON points_ledger (day, person_id, points);

-- The attempts at a bank by whether they passed, then by person: who made up a lecture
-- session with its make-up quiz (补学) after it ended, for everyone (a range per bank)
-- or for one person (a look-up).
CREATE INDEX quiz_attempts_by_quiz ON quiz_attempts (quiz_id, passed, person_id, finished_at);

-- A person's leave by status: who was excused (approved leave).
CREATE INDEX leaves_by_person ON leaves (person_id, status, session_id);
