-- The schema of the certificate service. Applied by storage/migrate.ts on Node and by
-- `wrangler d1 migrations apply` on Workers; never edit an applied file, add the next number.

-- Organisations: issuing authorities (title offices, self-evaluating universities) and later units,
-- competent departments. Kept in step with the trust store for authorities.
CREATE TABLE organisations (
  code        TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL,
  parent_code TEXT REFERENCES organisations(code),
  created_at  TEXT NOT NULL
);

-- API tokens: opaque to clients, stored only as SHA-256, scoped to one organisation and one role.
CREATE TABLE api_tokens (
  id          TEXT PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  org_code    TEXT NOT NULL REFERENCES organisations(code),
  role        TEXT NOT NULL,
  label       TEXT,
  created_at  TEXT NOT NULL,
  revoked_at  TEXT
);

CREATE TABLE certificates (
  number               TEXT PRIMARY KEY,
  authority_code       TEXT NOT NULL REFERENCES organisations(code),
  authority_name       TEXT NOT NULL,   -- as signed: a later renaming of the office changes no certificate
  kid                  TEXT NOT NULL,
  holder_name          TEXT NOT NULL,
  holder_gender        TEXT NOT NULL,
  id_type              TEXT NOT NULL,
  id_number            TEXT NOT NULL,
  id_number_masked     TEXT NOT NULL,
  photo                BLOB,
  photo_type           TEXT,
  series_code          TEXT NOT NULL,
  series_name          TEXT NOT NULL,   -- as signed, whatever the catalog later calls it
  title_name           TEXT NOT NULL,
  level                TEXT NOT NULL,
  specialty            TEXT NOT NULL,
  acquired_on          TEXT NOT NULL,   -- the ORIGINAL acquisition date (notice 二(二)4)
  acquisition_method   TEXT NOT NULL,
  evaluating_body      TEXT NOT NULL,
  original_number      TEXT,
  decision_number      TEXT NOT NULL,
  decided_on           TEXT NOT NULL,
  issued_at            TEXT NOT NULL,
  token                TEXT NOT NULL,   -- the signed compact JWS
  link_proof           TEXT NOT NULL,   -- the `s` of the QR link: 128 bits derived from the token
  status               TEXT NOT NULL CHECK (status IN ('valid', 'revoked')),
  revoked_at           TEXT,
  revocation_reason    TEXT CHECK (revocation_reason IN ('false_materials', 'issued_in_error', 'other')),
  revocation_note      TEXT,
  revoked_by           TEXT
);
CREATE INDEX certificates_authority ON certificates (authority_code, issued_at);

-- The rendered PDF, kept from issuance so a download never re-renders (and Workers need not).
CREATE TABLE certificate_pdfs (
  number TEXT PRIMARY KEY REFERENCES certificates(number),
  pdf    BLOB NOT NULL
);

-- Idempotency-Key of a create request: a retry with the same key and body returns the same certificate.
CREATE TABLE idempotency_keys (
  scope        TEXT NOT NULL,   -- the organisation that sent it
  key          TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  number       TEXT NOT NULL REFERENCES certificates(number),
  created_at   TEXT NOT NULL,
  PRIMARY KEY (scope, key)
);
