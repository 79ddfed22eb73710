-- The audit trail and the case history become hash chains like the 核实 log (issue 12, C13): each row
-- holds its place, the hash of the row before it and SHA-256 over its canonical form (storage/chainLogs.ts),
-- with heads signed by the service key by the same rule. Rows written before this migration have no hash
-- yet: SQL cannot hash, so the service chains them, in the order they were written, before its first write
-- after the upgrade (storage/chainWriter.ts seal) — on Node at start, on Workers on the first write.

ALTER TABLE audit_events ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_events ADD COLUMN hash TEXT;

-- The case history is one chain across all cases: `log_seq` is an event's place in it (`seq` stays the
-- case's own step count, which keeps two racing steps of one case from both landing).
ALTER TABLE application_events ADD COLUMN log_seq INTEGER;
ALTER TABLE application_events ADD COLUMN prev_hash TEXT;
ALTER TABLE application_events ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX application_events_log_seq ON application_events (log_seq);

-- Append-only as before, except the one-time chaining of a row written before this migration: it may gain
-- its place and hashes once, every other column unchanged.
DROP TRIGGER audit_events_no_update;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
WHEN OLD.hash IS NOT NULL OR NEW.hash IS NULL OR NEW.prev_hash IS NULL
  OR NEW.seq IS NOT OLD.seq OR NEW.at IS NOT OLD.at OR NEW.org_code IS NOT OLD.org_code OR NEW.person_id IS NOT OLD.person_id
  OR NEW.role IS NOT OLD.role OR NEW.action IS NOT OLD.action OR NEW.subject IS NOT OLD.subject OR NEW.detail IS NOT OLD.detail
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;

DROP TRIGGER application_events_no_update;
CREATE TRIGGER application_events_no_update BEFORE UPDATE ON application_events
WHEN OLD.hash IS NOT NULL OR NEW.hash IS NULL OR NEW.prev_hash IS NULL OR NEW.log_seq IS NULL
  OR NEW.application_id IS NOT OLD.application_id OR NEW.seq IS NOT OLD.seq OR NEW.action IS NOT OLD.action
  OR NEW.from_status IS NOT OLD.from_status OR NEW.to_status IS NOT OLD.to_status OR NEW.person_id IS NOT OLD.person_id
  OR NEW.person_name IS NOT OLD.person_name OR NEW.org_code IS NOT OLD.org_code OR NEW.org_name IS NOT OLD.org_name
  OR NEW.role IS NOT OLD.role OR NEW.at IS NOT OLD.at OR NEW.opinion IS NOT OLD.opinion OR NEW.data IS NOT OLD.data
  OR NEW.idempotency_key IS NOT OLD.idempotency_key
BEGIN SELECT RAISE(ABORT, 'application_events is append-only'); END;

-- Signed heads of the audit trail and the case history (the 核实 log keeps verification_log_heads).
CREATE TABLE chain_heads (
  log       TEXT NOT NULL CHECK (log IN ('audit', 'history')),
  seq       INTEGER NOT NULL,
  hash      TEXT NOT NULL,
  count     INTEGER NOT NULL,
  signed_at TEXT NOT NULL,
  kid       TEXT NOT NULL,
  jws       TEXT NOT NULL,
  PRIMARY KEY (log, seq)
);
CREATE TRIGGER chain_heads_no_update BEFORE UPDATE ON chain_heads
BEGIN SELECT RAISE(ABORT, 'chain_heads is append-only'); END;
CREATE TRIGGER chain_heads_no_delete BEFORE DELETE ON chain_heads
BEGIN SELECT RAISE(ABORT, 'chain_heads is append-only'); END;

-- /healthz proves the database takes a write by rewriting this one row (so it never grows the database).
CREATE TABLE service_health (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  probed_at TEXT NOT NULL,
  filler    BLOB
);
