-- The board's storage. CREATE ... IF NOT EXISTS: a restarted board keeps everything.
-- What is kept per learner is bounded: the latest counts per step, the checks failing in the
-- latest self-check, and the latest reports (HISTORY in learners.py).

CREATE TABLE IF NOT EXISTS secret (
  role TEXT PRIMARY KEY,  -- 'class': the class code (joins); 'instructor': SHA-256 of the secret in the instructor's address
  value TEXT NOT NULL
);

-- The instructor's pages that are open: SHA-256 of the key in each one's cookie.
CREATE TABLE IF NOT EXISTS instructor_key (
  key_hash TEXT PRIMARY KEY
);

CREATE TABLE IF NOT EXISTS learner (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,  -- as shown: NFC, single spaces
  name_key TEXT UNIQUE NOT NULL,  -- the same for names that look the same (names.key)
  secret_hash TEXT NOT NULL,  -- SHA-256 of the learner's secret: the board never stores the secret
  address TEXT,  -- the address of the computer it joined from
  joined REAL NOT NULL,
  seen REAL NOT NULL,
  step INTEGER,  -- the step of the latest self-check; NULL after a catch-up
  caught_up INTEGER  -- the step of the latest catch-up
);

-- How many checks passed in the latest self-check of each step.
CREATE TABLE IF NOT EXISTS result (
  learner_id INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  passed INTEGER NOT NULL,
  total INTEGER NOT NULL,
  PRIMARY KEY (learner_id, step)
);

-- The checks failing in the learner's latest self-check, and since when each has failed.
CREATE TABLE IF NOT EXISTS failing (
  learner_id INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  since REAL NOT NULL,
  PRIMARY KEY (learner_id, name)
);

-- The first check failing in the learner's latest self-check, and the kind of failure (its
-- message with the learner's values taken out): learners are grouped by both.
CREATE TABLE IF NOT EXISTS first_failing (
  learner_id INTEGER PRIMARY KEY REFERENCES learner (id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  title TEXT NOT NULL,
  kind TEXT NOT NULL
);

-- The latest reports of each learner, for the export.
CREATE TABLE IF NOT EXISTS event (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  learner_id INTEGER NOT NULL REFERENCES learner (id) ON DELETE CASCADE,
  at REAL NOT NULL,
  kind TEXT NOT NULL,  -- 'check' or 'catchup'
  step INTEGER NOT NULL,
  passed INTEGER,
  total INTEGER
);
CREATE INDEX IF NOT EXISTS event_learner ON event (learner_id, id);
