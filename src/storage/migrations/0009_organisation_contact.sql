-- Issue 12 A4: how an employer reaches an issuing office, shown on the verification page as read at
-- verification time (never part of a signed certificate). Both optional; checked by domain/organisationContact.ts.
ALTER TABLE organisations ADD COLUMN contact_phone TEXT;
ALTER TABLE organisations ADD COLUMN contact_address TEXT;
