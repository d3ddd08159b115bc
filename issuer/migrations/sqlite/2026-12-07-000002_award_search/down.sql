ALTER TABLE awards DROP COLUMN search_text;
