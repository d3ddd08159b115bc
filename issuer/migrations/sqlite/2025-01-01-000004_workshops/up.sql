-- Workshops: a cycle of sessions leading to a badge, its participants and
-- their attendance (a row per session attended). A participant is awarded
-- at most once per workshop: award_id is set when they are.
CREATE TABLE workshops (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    achievement_id TEXT NOT NULL REFERENCES achievements(id),
    title TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX workshops_org ON workshops (org_id, created_at);

CREATE TABLE workshop_sessions (
    id TEXT PRIMARY KEY NOT NULL,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    label TEXT NOT NULL,
    held_on TEXT,
    UNIQUE (workshop_id, position)
);

CREATE TABLE workshop_participants (
    id TEXT PRIMARY KEY NOT NULL,
    workshop_id TEXT NOT NULL REFERENCES workshops(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT,
    name_consent INTEGER NOT NULL,
    award_id TEXT REFERENCES awards(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX workshop_participants_workshop ON workshop_participants (workshop_id);

CREATE TABLE attendance (
    session_id TEXT NOT NULL REFERENCES workshop_sessions(id) ON DELETE CASCADE,
    participant_id TEXT NOT NULL REFERENCES workshop_participants(id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, participant_id)
);
