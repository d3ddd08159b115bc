-- A departmental or regional network and its member organisations (each
-- member is an issuer of its own, with its own keys and facilitators).
CREATE TABLE network_members (
    network_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (network_id, member_id)
);
CREATE INDEX network_members_member ON network_members (member_id);
