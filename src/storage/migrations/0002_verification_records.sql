-- The 核实 log: verification records (attachment 2 of the notice, 四(三)), append-only and hash-chained.
-- Applied by storage/migrate.ts on Node and by `wrangler d1 migrations apply` on Workers.

-- One row per record; `seq` is its place in the chain (1, 2, 3 … with no gaps) and `hash` is SHA-256 over
-- the record's canonical form, which includes `prev_hash` (domain/verificationRecord.ts canonicalRecord).
CREATE TABLE verification_records (
  seq                INTEGER PRIMARY KEY CHECK (seq >= 1),
  id                 TEXT NOT NULL UNIQUE,
  org_code           TEXT NOT NULL REFERENCES organisations(code),
  holder_name        TEXT NOT NULL,
  id_number          TEXT NOT NULL,
  title_name         TEXT NOT NULL,
  evaluating_body    TEXT NOT NULL,
  acquired_on        TEXT NOT NULL,
  certificate_number TEXT,
  method             TEXT NOT NULL CHECK (method IN ('information_system', 'letter', 'phone', 'other')),
  details            TEXT NOT NULL,   -- the method's details as canonical JSON (evidence by SHA-256)
  checked_at         TEXT NOT NULL,   -- China time, YYYY-MM-DDTHH:MM:SS+08:00, so text order is time order
  result             TEXT NOT NULL CHECK (result IN ('genuine', 'not_genuine', 'unverifiable')),
  record             TEXT NOT NULL,
  handler_name       TEXT NOT NULL,
  recorded_on        TEXT NOT NULL,
  created_at         TEXT NOT NULL,
  written_by         TEXT NOT NULL,   -- the API token's id (notice 四(四): every step has a name)
  supersedes_id      TEXT REFERENCES verification_records(id),
  supersede_reason   TEXT,
  application_id     TEXT,
  prev_hash          TEXT NOT NULL,
  hash               TEXT NOT NULL UNIQUE,
  CHECK ((supersedes_id IS NULL) = (supersede_reason IS NULL))
);
-- A record is corrected at most once. Partial, so the many records that correct nothing cost no index entry.
CREATE UNIQUE INDEX verification_records_supersedes ON verification_records (supersedes_id) WHERE supersedes_id IS NOT NULL;
-- The list page: one organisation's records newest first (seq follows creation), by ID number, by holder.
-- The date filter (checked_at) reads the organisation's records in seq order; no index of its own, since
-- every index costs each append a page write.
CREATE INDEX verification_records_org ON verification_records (org_code, seq);
CREATE INDEX verification_records_id_number ON verification_records (id_number);
CREATE INDEX verification_records_holder ON verification_records (holder_name);

-- Evidence files by content: the same screenshot attached twice is kept once. D1 rows hold at most
-- 2,000,000 bytes, so the bytes are kept in parts of 1 MiB.
CREATE TABLE verification_evidence (
  sha256     TEXT PRIMARY KEY,
  media_type TEXT NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg', 'image/png')),
  size       INTEGER NOT NULL
);
CREATE TABLE verification_evidence_parts (
  sha256 TEXT NOT NULL REFERENCES verification_evidence(sha256),
  part   INTEGER NOT NULL,
  bytes  BLOB NOT NULL,
  PRIMARY KEY (sha256, part)
);

-- Chain heads signed by the service key (JWS, ES256): whoever alters a record before a signed head must
-- also forge that signature.
CREATE TABLE verification_log_heads (
  seq       INTEGER PRIMARY KEY,
  hash      TEXT NOT NULL,
  count     INTEGER NOT NULL,
  signed_at TEXT NOT NULL,
  kid       TEXT NOT NULL,
  jws       TEXT NOT NULL
);

-- Idempotency-Key of a record's creation: a retry with the same key and body returns the same record.
CREATE TABLE verification_idempotency_keys (
  scope        TEXT NOT NULL,
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  record_id    TEXT NOT NULL REFERENCES verification_records(id),
  created_at   TEXT NOT NULL,
  PRIMARY KEY (scope, key)
);

-- Append-only: no UPDATE, no DELETE, on the log and everything it points at. A correction is a new
-- record that supersedes the old one and says why.
CREATE TRIGGER verification_records_no_update BEFORE UPDATE ON verification_records
BEGIN
  SELECT RAISE(ABORT, 'verification_records is append-only: a correction is a new record that supersedes this one');
END;
CREATE TRIGGER verification_records_no_delete BEFORE DELETE ON verification_records
BEGIN
  SELECT RAISE(ABORT, 'verification_records is append-only: records are never deleted');
END;
CREATE TRIGGER verification_evidence_no_update BEFORE UPDATE ON verification_evidence
BEGIN
  SELECT RAISE(ABORT, 'verification_evidence is append-only');
END;
CREATE TRIGGER verification_evidence_no_delete BEFORE DELETE ON verification_evidence
BEGIN
  SELECT RAISE(ABORT, 'verification_evidence is append-only');
END;
CREATE TRIGGER verification_evidence_parts_no_update BEFORE UPDATE ON verification_evidence_parts
BEGIN
  SELECT RAISE(ABORT, 'verification_evidence_parts is append-only');
END;
CREATE TRIGGER verification_evidence_parts_no_delete BEFORE DELETE ON verification_evidence_parts
BEGIN
  SELECT RAISE(ABORT, 'verification_evidence_parts is append-only');
END;
CREATE TRIGGER verification_log_heads_no_update BEFORE UPDATE ON verification_log_heads
BEGIN
  SELECT RAISE(ABORT, 'verification_log_heads is append-only');
END;
CREATE TRIGGER verification_log_heads_no_delete BEFORE DELETE ON verification_log_heads
BEGIN
  SELECT RAISE(ABORT, 'verification_log_heads is append-only');
END;
