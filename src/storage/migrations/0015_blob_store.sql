-- Large files out of the database (issue 15): a certificate's PDF and photo are kept in the blob store
-- (a directory beside the SQLite file on Node, R2 on Workers, storage/blobs.ts); the row keeps each file's
-- SHA-256 and length, and every download is checked against them. Rows from before this migration keep
-- their bytes where they were (certificate_pdfs, certificates.photo) and are read from there: nothing is
-- moved, so nothing can be lost. The 核实 evidence and application materials already had their SHA-256 and
-- size in verification_evidence; new files have no verification_evidence_parts rows, their bytes are in the
-- blob store.
ALTER TABLE certificates ADD COLUMN pdf_sha256 TEXT;
ALTER TABLE certificates ADD COLUMN pdf_length INTEGER;
ALTER TABLE certificates ADD COLUMN photo_sha256 TEXT;
ALTER TABLE certificates ADD COLUMN photo_length INTEGER;
