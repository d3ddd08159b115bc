ALTER TABLE awards DROP COLUMN claimed_at;
