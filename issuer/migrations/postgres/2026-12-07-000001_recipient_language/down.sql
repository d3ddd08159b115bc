ALTER TABLE awards DROP COLUMN recipient_language;
