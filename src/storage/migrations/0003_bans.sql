-- Five-year bans for false materials (notice 四(一)): once established, the person may not apply for a
-- title promotion for five years counted from the year of the application or of the revocation.
CREATE TABLE bans (
  id                 TEXT PRIMARY KEY,
  id_number          TEXT NOT NULL,
  holder_name        TEXT NOT NULL,
  start_year         INTEGER NOT NULL,
  end_year           INTEGER NOT NULL,   -- inclusive: start_year + 4
  clause             TEXT NOT NULL,
  source             TEXT NOT NULL CHECK (source IN ('revocation', 'application')),
  certificate_number TEXT REFERENCES certificates(number),
  note               TEXT NOT NULL,
  created_at         TEXT NOT NULL,
  created_by         TEXT NOT NULL
);
CREATE INDEX bans_id_number ON bans (id_number, end_year);
