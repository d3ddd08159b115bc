-- Failed logins are counted in `throttles` (per account and client address,
-- per client, per account), atomically; this table is no longer used.
DROP TABLE login_failures;
