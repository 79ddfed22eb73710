-- Rows of the audit trail and the case history not chained yet (written before migration 0007, or by a
-- process still running older code): the chain writer seals them whenever any exists, not only when the
-- newest is one (storage/chainWriter.ts seal). These partial indexes hold only such rows — none once sealed —
-- so asking "is there any?" at start costs one lookup, not a scan of the log.
CREATE INDEX audit_events_unchained ON audit_events (hash) WHERE hash IS NULL;
CREATE INDEX application_events_unchained ON application_events (hash) WHERE hash IS NULL;
