-- Credentials name the organisation's did:web DID as their issuer. A status
-- list is signed under the identity its credentials name, because peers
-- (Bitstring Status List §2.2 as Digital Bazaar and DCC apply it) expect the
-- list and the credential to have the same issuer: lists opened before the DID
-- keep the Profile ('profile') for the credentials they already hold; new
-- lists take only credentials issued under the DID ('did').
ALTER TABLE status_lists ADD COLUMN issuer_form TEXT NOT NULL DEFAULT 'profile';
