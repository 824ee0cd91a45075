-- The roster (名册): people carry their phone (for matching only), position and role;
-- those imported from a roster are marked so a re-import can deactivate who left.

ALTER TABLE people ADD COLUMN phone TEXT;                       -- 11-digit mobile
ALTER TABLE people ADD COLUMN position TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN role TEXT NOT NULL DEFAULT 'cadre'; -- cadre, host, admin
ALTER TABLE people ADD COLUMN from_roster INTEGER NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX people_by_phone ON people (phone) WHERE phone IS NOT NULL;
