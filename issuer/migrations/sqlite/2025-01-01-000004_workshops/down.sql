DROP TABLE attendance;
DROP TABLE workshop_participants;
DROP TABLE workshop_sessions;
DROP TABLE workshops;
