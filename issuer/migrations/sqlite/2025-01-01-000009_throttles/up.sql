-- Throttles kept in the database, so that they hold across instances and
-- restarts and cannot be flushed (issuer::throttle): one row per counted key
-- (a claim client, a network, an account...), hits in the fixed window that
-- started at window_start (Unix seconds).
CREATE TABLE throttles (
    key TEXT PRIMARY KEY NOT NULL,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL
);
CREATE INDEX throttles_window_start ON throttles (window_start);
