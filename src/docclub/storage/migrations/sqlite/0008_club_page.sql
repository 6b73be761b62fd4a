-- The club page. Its links: only a SHA-256 hash of each token is kept (a reset removes them
-- all). Each film's rating counts by score, kept with every rating, so that a page
-- never counts a club's ratings one by one. Each party's revision: the calendar feed's
-- SEQUENCE, raised when the party moves, changes or is cancelled.
CREATE TABLE club_links (
    club_id     INTEGER NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (club_id, token_hash)
);
CREATE TABLE rating_counts (
    club_id  INTEGER NOT NULL,
    film_id  INTEGER NOT NULL,
    score    INTEGER NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (club_id, film_id, score),
    FOREIGN KEY (club_id, film_id) REFERENCES films(club_id, id) ON DELETE CASCADE
);
INSERT INTO rating_counts (club_id, film_id, score, n)
    SELECT club_id, film_id, score, COUNT(*) FROM ratings GROUP BY club_id, film_id, score;
ALTER TABLE parties ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
