-- Duplicate titles are found through an index, not by comparing with every film: each film keeps
-- its normalised title key (core.text.title_key) and the key's first and last four characters,
-- so a near title (one typo anywhere) shares at least one of them. Rows from before this
-- migration get their keys when the store opens (the key is computed in Python).
ALTER TABLE films ADD COLUMN title_key TEXT;
ALTER TABLE films ADD COLUMN key_head TEXT;
ALTER TABLE films ADD COLUMN key_tail TEXT;
CREATE INDEX films_title_key ON films (club_id, title_key);
CREATE INDEX films_key_head ON films (club_id, key_head);
CREATE INDEX films_key_tail ON films (club_id, key_tail);
