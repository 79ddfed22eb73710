-- The Bitstring Status List (W3C) of each authority's credentials: a certificate's place in its
-- authority's revocation list, drawn at random when its Verifiable Credential is first asked for, never
-- next to another certificate's place (so a list leaks no issuing order and no batch).
ALTER TABLE certificates ADD COLUMN status_index INTEGER;
CREATE UNIQUE INDEX certificates_status_index ON certificates (authority_code, status_index) WHERE status_index IS NOT NULL;
