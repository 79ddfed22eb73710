-- Issue 16 item 2: every opinion or decision on a case is a statement of the organisation that gave it
-- (notice 四(二) "出具审核意见，加盖单位公章", 四(四) "谁确认、谁签字、谁负责"), chained per case by digest and
-- signed by the organisation's electronic seal when it holds one (jws NULL: given without a seal), and stamped
-- by the service key when it was written (timestamp: a JWS over {digest, at}; NULL without a service key).
-- One row per history event of an organisation; (application_id, seq) is the event's key, so a statement
-- lands in the very batch of its event or not at all.
CREATE TABLE case_statements (
  application_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  org_code TEXT NOT NULL,
  payload TEXT NOT NULL,
  digest TEXT NOT NULL,
  jws TEXT,
  timestamp TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (application_id, seq)
);
-- A certificate issued from a case keeps whose seal its basis rests on: the confirming authority's sealed
-- approval (JSON {code, name, uscc?, at}), shown on the verification page; NULL when the approval was unsealed.
ALTER TABLE certificates ADD COLUMN basis_sealed_by TEXT;
-- Where statements begin: every organisation step of the history after this place in its chain (log_seq) has
-- one, so a statement deleted later is found even when all of a case's are gone; steps before it never had any.
CREATE TABLE case_statement_start (log_seq INTEGER NOT NULL);
INSERT INTO case_statement_start (log_seq) SELECT COALESCE(MAX(log_seq), 0) FROM application_events;
-- Append-only like the logs: a statement, once given, is never changed or withdrawn here.
CREATE TRIGGER case_statements_no_update BEFORE UPDATE ON case_statements
BEGIN SELECT RAISE(ABORT, 'case_statements is append-only'); END;
CREATE TRIGGER case_statements_no_delete BEFORE DELETE ON case_statements
BEGIN SELECT RAISE(ABORT, 'case_statements is append-only'); END;
