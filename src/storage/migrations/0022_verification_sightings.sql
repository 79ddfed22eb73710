-- Issue 17 item 4 (who verified me): one row per verification of a holder's certificate, for the holder to
-- read. A QR link with the right proof, a live share link or a matching typed lookup names the certificate;
-- a 核实 record (notice 四(三)) names the person by the subject's ID number, the same number the
-- verification_records row keeps (a hash of an 18-digit ID number would hide nothing). The verifier's
-- organisation only when a signed-in staff member or the record's handler did it; never an IP address or a
-- user agent. Written in batches after the answer (storage/sightingBuffer.ts), never in the request.
CREATE TABLE verification_sightings (
  id                  INTEGER PRIMARY KEY AUTOINCREMENT,
  at                  TEXT NOT NULL,
  channel             TEXT NOT NULL CHECK (channel IN ('qr', 'share', 'lookup', 'record')),
  certificate_number  TEXT,
  id_number           TEXT,
  purpose             TEXT,
  org_code            TEXT,
  CHECK ((certificate_number IS NULL) <> (id_number IS NULL))
);
CREATE INDEX verification_sightings_certificate ON verification_sightings (certificate_number, at);
CREATE INDEX verification_sightings_id_number ON verification_sightings (id_number, at);
