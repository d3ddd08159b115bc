ALTER TABLE status_lists DROP COLUMN revoked_bits;
