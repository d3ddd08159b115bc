ALTER TABLE status_lists DROP COLUMN signed_digest;
ALTER TABLE status_lists DROP COLUMN signed_credential;
ALTER TABLE awards DROP COLUMN credential_jwt;
