-- Achievements (versioned), images, status lists and awards.
CREATE TABLE images (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    content_type TEXT NOT NULL,
    data_base64 TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX images_org ON images (org_id);

CREATE TABLE achievements (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
CREATE INDEX achievements_org ON achievements (org_id);

CREATE TABLE achievement_versions (
    id TEXT PRIMARY KEY NOT NULL,
    achievement_id TEXT NOT NULL REFERENCES achievements(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    criteria_narrative TEXT NOT NULL,
    image_id TEXT REFERENCES images(id),
    achievement_type TEXT NOT NULL,
    tags_json TEXT NOT NULL,
    language TEXT NOT NULL,
    alignments_json TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (achievement_id, version)
);

CREATE TABLE status_lists (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    size INTEGER NOT NULL,
    allocated INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX status_lists_org ON status_lists (org_id);

CREATE TABLE awards (
    id TEXT PRIMARY KEY NOT NULL,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    achievement_version_id TEXT NOT NULL REFERENCES achievement_versions(id),
    recipient_name TEXT NOT NULL,
    recipient_email TEXT,
    name_consent INTEGER NOT NULL,
    narrative TEXT,
    evidence_url TEXT,
    format TEXT NOT NULL,
    credential TEXT NOT NULL,
    status_list_id TEXT NOT NULL REFERENCES status_lists(id),
    status_index INTEGER NOT NULL,
    public_token TEXT NOT NULL UNIQUE,
    claim_code TEXT UNIQUE,
    idempotency_key TEXT,
    awarded_by TEXT NOT NULL,
    revoked_at BIGINT,
    revocation_reason TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (status_list_id, status_index),
    UNIQUE (org_id, idempotency_key)
);
CREATE INDEX awards_org_created ON awards (org_id, created_at);
CREATE INDEX awards_revoked ON awards (status_list_id, revoked_at);
