-- As sqlite/0003_title_keys.sql: indexed title keys for finding duplicate suggestions.
ALTER TABLE films ADD COLUMN title_key TEXT COLLATE "C";
ALTER TABLE films ADD COLUMN key_head TEXT COLLATE "C";
ALTER TABLE films ADD COLUMN key_tail TEXT COLLATE "C";
CREATE INDEX films_title_key ON films (club_id, title_key);
CREATE INDEX films_key_head ON films (club_id, key_head);
CREATE INDEX films_key_tail ON films (club_id, key_tail);
