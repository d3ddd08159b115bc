ALTER TABLE awards DROP COLUMN delivery_at;
ALTER TABLE awards DROP COLUMN delivery_error;
ALTER TABLE awards DROP COLUMN delivery_status;
