-- The board's storage. CREATE ... IF NOT EXISTS: a restarted board keeps everything.

CREATE TABLE IF NOT EXISTS secret (
  role TEXT PRIMARY KEY,  -- 'class' (joins) or 'instructor' (reads the board)
  value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS learner (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE NOT NULL,
  secret_hash TEXT NOT NULL,  -- SHA-256 of the learner's secret: the board never stores the secret
  joined REAL NOT NULL,
  seen REAL NOT NULL,
  step INTEGER,  -- the step of the latest self-check; NULL after a catch-up
  caught_up INTEGER  -- the step of the latest catch-up
);

-- The latest result of each check, per learner and step.
CREATE TABLE IF NOT EXISTS verdict (
  learner_id INTEGER NOT NULL,
  step INTEGER NOT NULL,
  name TEXT NOT NULL,
  title TEXT NOT NULL,
  passed INTEGER NOT NULL,
  failing_since REAL,  -- when this check began to fail; NULL while it passes
  PRIMARY KEY (learner_id, step, name)
);

-- Every report, for the export at the end of the session.
CREATE TABLE IF NOT EXISTS event (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  learner_id INTEGER NOT NULL,
  at REAL NOT NULL,
  kind TEXT NOT NULL,  -- 'check' or 'catchup'
  step INTEGER NOT NULL,
  passed INTEGER,
  total INTEGER,
  failing TEXT  -- the titles of the failing checks, one per line
);
CREATE INDEX IF NOT EXISTS event_learner ON event (learner_id);
