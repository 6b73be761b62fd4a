-- As sqlite/0008_club_page.sql: the club page's link hash, rating counts by score, and each
-- party's revision for the calendar feed.
CREATE TABLE club_links (
    club_id     BIGINT NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
    token_hash  TEXT COLLATE "C" NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (club_id, token_hash)
);
CREATE TABLE rating_counts (
    club_id  BIGINT NOT NULL,
    film_id  INTEGER NOT NULL,
    score    INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (club_id, film_id, score),
    FOREIGN KEY (club_id, film_id) REFERENCES films(club_id, id) ON DELETE CASCADE
);
INSERT INTO rating_counts (club_id, film_id, score, n)
    SELECT club_id, film_id, score, COUNT(*) FROM ratings GROUP BY club_id, film_id, score;
ALTER TABLE parties ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
