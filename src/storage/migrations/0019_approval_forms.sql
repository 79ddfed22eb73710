-- Issue 16 item 3: the approval form of a finished case (issued or rejected), sealed by every organisation that
-- gave an opinion on it (notice 四(二) "出具审核意见，加盖单位公章"), is made once and kept: the PDF in the blob
-- store (content-addressed, storage/blobs.ts), the row its SHA-256 and length, so a seal rotated or revoked
-- later never changes or breaks the form. One row per case: the first form made wins, every later request
-- serves it.
CREATE TABLE approval_forms (
  application_id TEXT PRIMARY KEY,
  pdf_sha256 TEXT NOT NULL,
  pdf_length INTEGER NOT NULL,
  made_at TEXT NOT NULL
);
-- Kept as made: never replaced or removed here.
CREATE TRIGGER approval_forms_no_update BEFORE UPDATE ON approval_forms
BEGIN SELECT RAISE(ABORT, 'approval_forms is append-only'); END;
CREATE TRIGGER approval_forms_no_delete BEFORE DELETE ON approval_forms
BEGIN SELECT RAISE(ABORT, 'approval_forms is append-only'); END;
