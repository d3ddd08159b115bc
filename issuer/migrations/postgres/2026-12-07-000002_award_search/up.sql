-- An award's name, e-mail and claim code as searched: lowercase, accents
-- dropped (issuer::awards::search::search_form), so that a LIKE finds
-- "Hélène" from "helene" the same way on SQLite and PostgreSQL. Filled when
-- the award is made; NULL for earlier awards until the service fills them
-- in at start-up (issuer::awards::search::backfill).
ALTER TABLE awards ADD COLUMN search_text TEXT;
