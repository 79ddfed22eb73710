-- Issue 19 item 2: a correction issues the corrected certificate as the next version (…{serial}.002.{check}), with
-- a new number, token and PDF; the old row is never overwritten, only marked 已变更 / superseded with when and by
-- which version (superseded_at, superseded_by). `status` keeps revocation alone ('valid' = not revoked; its CHECK from
-- 0001 admits no other value): a row with superseded_by set is superseded, and its revocation bit stays 0. `predecessor` (on the new row) links the chain; its unique index lets only one version follow
-- any certificate. certificate_corrections records each correction (why, who) and is the batch's guard: its
-- successor is read back from the predecessor's row as just superseded, so a predecessor that was no longer valid
-- (revoked or corrected by a racing request) leaves it NULL and the whole batch — new certificate included — fails.
ALTER TABLE certificates ADD COLUMN predecessor TEXT;
ALTER TABLE certificates ADD COLUMN superseded_at TEXT;
ALTER TABLE certificates ADD COLUMN superseded_by TEXT;
CREATE UNIQUE INDEX certificates_predecessor ON certificates (predecessor) WHERE predecessor IS NOT NULL;
CREATE TABLE certificate_corrections (
  predecessor  TEXT PRIMARY KEY,
  successor    TEXT NOT NULL UNIQUE,
  at           TEXT NOT NULL,
  reason       TEXT NOT NULL,
  corrected_by TEXT NOT NULL
);
-- Issue 19 item 3: 已注销 / cancelled (the holder's death, a duplicate issue, other), with when, why and by whom. Like
-- superseded it is read beside `status` (its CHECK admits valid and revoked only): a valid row with cancelled_at set is
-- cancelled. A cancellation ends the certificate for good, so it sets the revocation bit too (services/credentials.ts).
ALTER TABLE certificates ADD COLUMN cancelled_at TEXT;
ALTER TABLE certificates ADD COLUMN cancellation_reason TEXT;
ALTER TABLE certificates ADD COLUMN cancellation_note TEXT;
ALTER TABLE certificates ADD COLUMN cancelled_by TEXT;
