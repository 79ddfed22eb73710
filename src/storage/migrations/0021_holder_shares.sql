-- Issue 17 items 1, 2: the holder's side. A person may carry the ID number an admin recorded for them (a
-- holder of a directly issued certificate); holder access goes by that number, never by organisation role.
ALTER TABLE people ADD COLUMN id_number TEXT;
CREATE INDEX people_id_number ON people (id_number);
CREATE INDEX certificates_id_number ON certificates (id_number);

-- A holder's share link (加注): one certificate, a purpose and an expiry. Only the SHA-256 of the link's
-- secret is kept; `ended_at` is set when the holder ends it early. At most 3 live per certificate
-- (domain/shareLink.ts), enforced by the one INSERT … SELECT that writes a link.
CREATE TABLE share_links (
  id                  TEXT PRIMARY KEY,
  secret_hash         TEXT NOT NULL UNIQUE,
  certificate_number  TEXT NOT NULL REFERENCES certificates(number),
  person_id           TEXT NOT NULL REFERENCES people(id),
  purpose             TEXT NOT NULL,
  created_at          TEXT NOT NULL,
  expires_at          TEXT NOT NULL,
  ended_at            TEXT
);
CREATE INDEX share_links_certificate ON share_links (certificate_number, expires_at);
CREATE INDEX share_links_person ON share_links (person_id, created_at);
