DROP TABLE awards;
DROP TABLE status_lists;
DROP TABLE achievement_versions;
DROP TABLE achievements;
DROP TABLE images;
