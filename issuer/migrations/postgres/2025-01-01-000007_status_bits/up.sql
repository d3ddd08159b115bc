-- Each status list keeps its bits (bit i set = the award at index i is
-- revoked), updated in the transaction that revokes, so that publishing the
-- list reads one row instead of every revoked award of the list. NULL until
-- first needed: rebuilt from the awards then, under the list's row lock
-- (lists created before this migration, and new ones).
ALTER TABLE status_lists ADD COLUMN revoked_bits BYTEA;
-- Stored out of line without compression: the bits change on every
-- revocation, and compressing 16 KiB each time costs more than it saves.
ALTER TABLE status_lists ALTER COLUMN revoked_bits SET STORAGE EXTERNAL;
