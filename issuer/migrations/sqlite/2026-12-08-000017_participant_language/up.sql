-- The language the participant reads ('fr' or 'en'): the e-mail of the
-- badge awarded from the workshop is written in it. Participants added
-- before were French.
ALTER TABLE workshop_participants ADD COLUMN language TEXT NOT NULL DEFAULT 'fr';
