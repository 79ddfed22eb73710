-- Issue 18 items 1–2 (batch issuance): an evaluation round's certificates uploaded as one spreadsheet. The batch
-- belongs to the issuing authority whose issuer uploaded it (二(二)4: the authority confirms and issues); each row
-- keeps its cells as uploaded (so errors.xlsx gives the clerk back what they sent), the errors of the same checks
-- as a single issuance, and the photo that arrived in a ZIP named by ID number (二(三)1(4)).
CREATE TABLE batches (
  id TEXT PRIMARY KEY,
  org_code TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL,              -- validated
  source TEXT NOT NULL,              -- csv | xlsx
  header TEXT NOT NULL,              -- JSON: the header row as uploaded
  columns TEXT NOT NULL,             -- JSON: each column's field path ('' for the ignored error column)
  total INTEGER NOT NULL DEFAULT 0,
  valid INTEGER NOT NULL DEFAULT 0,
  issued INTEGER NOT NULL DEFAULT 0,
  failed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX batches_org ON batches (org_code, created_at);

CREATE TABLE batch_rows (
  batch_id TEXT NOT NULL REFERENCES batches (id),
  row_no INTEGER NOT NULL,           -- the sheet's row number (the header is row 1)
  cells TEXT NOT NULL,               -- JSON: the row's cells as uploaded, in header order
  id_number TEXT,                    -- holder.idNumber upper-cased, to match a photo's file name
  errors TEXT NOT NULL,              -- JSON: [{field, message: {zh, en}}], empty when the row is valid
  photo BLOB,
  photo_type TEXT,
  PRIMARY KEY (batch_id, row_no)
);
CREATE INDEX batch_rows_id_number ON batch_rows (batch_id, id_number);
CREATE INDEX batch_rows_errors ON batch_rows (batch_id, errors);
