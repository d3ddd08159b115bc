-- How each award reached its participant: 'sent' (e-mail accepted by the
-- SMTP server), 'failed' (with a reason that never holds the address),
-- 'no_address' or 'no_smtp' (a code to print). NULL: awarded before this
-- was recorded, or not attempted yet.
ALTER TABLE awards ADD COLUMN delivery_status TEXT;
ALTER TABLE awards ADD COLUMN delivery_error TEXT;
ALTER TABLE awards ADD COLUMN delivery_at BIGINT;
