-- Signed documents kept beside their rows: a VC-JWT award's compact token
-- (`credential` keeps the credential JSON it secures), and each status list's
-- last signed BitstringStatusListCredential with the digest of what it was
-- signed over (bits, issuer, key), so the list is re-signed only on change.
ALTER TABLE awards ADD COLUMN credential_jwt TEXT;
ALTER TABLE status_lists ADD COLUMN signed_credential TEXT;
ALTER TABLE status_lists ADD COLUMN signed_digest TEXT;
