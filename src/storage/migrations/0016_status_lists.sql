-- Issue 15: an authority's credentials spread over several Bitstring Status Lists, each of the same size
-- (131,072 entries), a further list opened when the current one is full (domain/statusList.ts
-- statusListCapacity). A certificate's place is now (list, index); every place drawn before this
-- migration is in list 1, whose address stays /status/{code}/revocation. Still random and never next to
-- another certificate's place within a list.
ALTER TABLE certificates ADD COLUMN status_list INTEGER NOT NULL DEFAULT 1;
DROP INDEX certificates_status_index;
CREATE UNIQUE INDEX certificates_status_place ON certificates (authority_code, status_list, status_index) WHERE status_index IS NOT NULL;
