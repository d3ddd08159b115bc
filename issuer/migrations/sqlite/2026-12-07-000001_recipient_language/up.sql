-- The language the participant reads (BCP 47 primary tag: 'fr' or 'en'):
-- the award e-mail is written in it. Awards made before were French.
ALTER TABLE awards ADD COLUMN recipient_language TEXT NOT NULL DEFAULT 'fr';
