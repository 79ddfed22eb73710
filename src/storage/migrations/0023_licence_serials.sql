-- Issue 19 item 1: the 流水号 of each (type code, authority), taken atomically before a certificate is rendered.
-- 0020 took MAX + 1 and let a racing issuance fail on the unique index and render its PDF again; under a few
-- concurrent issuances most of them did. Now one UPSERT … RETURNING hands each issuance its own serial (SQLite
-- and D1 alike); the unique index stays as the guard. A serial whose issuance then fails (render refused,
-- disk full) is skipped, never reused: serials never repeat, and may have gaps.
CREATE TABLE licence_serials (
  type_code       TEXT NOT NULL,
  authority_code  TEXT NOT NULL,
  last            INTEGER NOT NULL,
  PRIMARY KEY (type_code, authority_code)
);
INSERT INTO licence_serials (type_code, authority_code, last)
  SELECT licence_type_code, licence_authority_code, MAX(licence_serial) FROM certificates
  WHERE licence_serial IS NOT NULL GROUP BY licence_type_code, licence_authority_code;
