-- When the participant opened their badge with its claim code (the
-- dashboard lists badges not yet claimed).
ALTER TABLE awards ADD COLUMN claimed_at BIGINT;
