-- Issue 13 item 6: why each certificate exists. `basis_kind` 'case' names the reconfirmation case it was
-- issued from (二(二)4; the case names the certificate in applications.certificate_number); 'decision' is
-- the authority's decision recorded outside the workflow for a direct issuance (number, date, reason).
-- Certificates issued before this migration keep NULL: shown as 未记录, never guessed.
ALTER TABLE certificates ADD COLUMN basis_kind TEXT CHECK (basis_kind IN ('case', 'decision'));
ALTER TABLE certificates ADD COLUMN basis_case_id TEXT;
ALTER TABLE certificates ADD COLUMN basis_decision_number TEXT;
ALTER TABLE certificates ADD COLUMN basis_decided_on TEXT;
ALTER TABLE certificates ADD COLUMN basis_reason TEXT;
