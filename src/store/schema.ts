// The SQLite schema. Resources are immutable rows holding the JSON text exactly as it is
// sent, so a download never parses or re-serializes. `rid` gives every row a stable place:
// an export's snapshot is "every row with rid <= watermark", and a file is a rid range of one
// type, read through the (type, rid) index as a range scan.
export const SCHEMA_VERSION = 3;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS resource (
  rid          INTEGER PRIMARY KEY,
  type         TEXT NOT NULL,
  id           TEXT NOT NULL,
  patient_id   TEXT,
  last_updated TEXT NOT NULL,
  json         TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS resource_type_id ON resource(type, id);
CREATE INDEX IF NOT EXISTS resource_type_rid ON resource(type, rid);
-- Group membership (Group resources themselves are rows of the resource table).
CREATE TABLE IF NOT EXISTS group_member (
  group_id   TEXT NOT NULL,
  patient_id TEXT NOT NULL,
  PRIMARY KEY (group_id, patient_id)
) WITHOUT ROWID;
-- Which Provenance resources (rows of the resource table) name which rows in their target;
-- \`latest\` marks, for each target, its most recent Provenance (includeAssociatedData).
CREATE TABLE IF NOT EXISTS provenance_target (
  target_rid     INTEGER NOT NULL,
  provenance_rid INTEGER NOT NULL,
  latest         INTEGER NOT NULL CHECK (latest IN (0, 1)),
  PRIMARY KEY (target_rid, provenance_rid)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS job (
  id               TEXT PRIMARY KEY,
  owner            TEXT,
  status           TEXT NOT NULL,
  request          TEXT NOT NULL,
  params           TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  started_at       INTEGER,
  completed_at     INTEGER,
  ready_at         INTEGER,
  expires_at       INTEGER,
  transaction_time TEXT NOT NULL,
  watermark        INTEGER NOT NULL,
  error            TEXT,
  -- What the simulated faults have done so far (e.g. which files already failed once).
  fault_state      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS job_status ON job(status);
CREATE TABLE IF NOT EXISTS job_file (
  id       TEXT PRIMARY KEY,
  job_id   TEXT NOT NULL REFERENCES job(id) ON DELETE CASCADE,
  kind     TEXT NOT NULL CHECK (kind IN ('output', 'error')),
  seq      INTEGER NOT NULL,
  type     TEXT NOT NULL,
  rid_from INTEGER,
  rid_to   INTEGER,
  count    INTEGER NOT NULL CHECK (count > 0),
  content  TEXT
);
CREATE INDEX IF NOT EXISTS job_file_job ON job_file(job_id, kind, seq);
CREATE TABLE IF NOT EXISTS token (
  hash       TEXT PRIMARY KEY,
  subject    TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  -- The granted SMART scopes, space-separated; NULL = full access (the password grant).
  scope      TEXT
);
-- Client-assertion ids (jti) already used, kept until the assertion expires, so a replayed
-- assertion is refused even across a restart.
CREATE TABLE IF NOT EXISTS client_assertion (
  client_id  TEXT NOT NULL,
  jti        TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (client_id, jti)
);
CREATE INDEX IF NOT EXISTS client_assertion_expiry ON client_assertion(expires_at);
`;
