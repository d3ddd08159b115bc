ALTER TABLE workshop_participants DROP COLUMN language;
