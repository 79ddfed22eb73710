-- Issue 19 item 1: each certificate's 电子证照标识 1.2.156.3005.2.{type}.{authority USCC}.{serial}.{version}.{check}
-- (domain/licenceIdentifier.ts), kept whole for lookups (/v/{identifier}) and by field for allocating the serial:
-- the next serial of a (type code, authority) is MAX + 1, and the unique index makes a racing second one fail and
-- try again, so serials have neither gaps nor duplicates. Version 001 first; a correction (issue 19 item 2) can
-- take version 002 of the same serial. Certificates issued before this migration keep NULL: they have no
-- identifier and still verify by number.
ALTER TABLE certificates ADD COLUMN identifier TEXT;
ALTER TABLE certificates ADD COLUMN licence_type_code TEXT;
ALTER TABLE certificates ADD COLUMN licence_authority_code TEXT;
ALTER TABLE certificates ADD COLUMN licence_serial INTEGER;
ALTER TABLE certificates ADD COLUMN licence_version TEXT;
CREATE UNIQUE INDEX certificates_identifier ON certificates (identifier) WHERE identifier IS NOT NULL;
CREATE UNIQUE INDEX certificates_licence_serial ON certificates (licence_type_code, licence_authority_code, licence_serial, licence_version)
  WHERE licence_serial IS NOT NULL;
