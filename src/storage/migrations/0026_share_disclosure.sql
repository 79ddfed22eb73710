-- Issue 17 item 3 (selective disclosure): a share link shows the holder's full ID number only when the
-- holder ticked it when making the link; every earlier link keeps the masked number (notice 四(四)).
ALTER TABLE share_links ADD COLUMN disclose_id_number INTEGER NOT NULL DEFAULT 0;
