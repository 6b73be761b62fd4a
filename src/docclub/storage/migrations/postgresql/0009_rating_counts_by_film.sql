-- As sqlite/0009_rating_counts_by_film.sql: each film's rating counts in one row, a column per score.
CREATE TABLE film_rating_counts (
    club_id  BIGINT NOT NULL,
    film_id  INTEGER NOT NULL,
    n1  INTEGER NOT NULL DEFAULT 0,
    n2  INTEGER NOT NULL DEFAULT 0,
    n3  INTEGER NOT NULL DEFAULT 0,
    n4  INTEGER NOT NULL DEFAULT 0,
    n5  INTEGER NOT NULL DEFAULT 0,
    n6  INTEGER NOT NULL DEFAULT 0,
    n7  INTEGER NOT NULL DEFAULT 0,
    n8  INTEGER NOT NULL DEFAULT 0,
    n9  INTEGER NOT NULL DEFAULT 0,
    n10 INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (club_id, film_id),
    FOREIGN KEY (club_id, film_id) REFERENCES films(club_id, id) ON DELETE CASCADE
);
INSERT INTO film_rating_counts (club_id, film_id, n1, n2, n3, n4, n5, n6, n7, n8, n9, n10)
    SELECT club_id, film_id,
        SUM(CASE WHEN score = 1 THEN n ELSE 0 END),
        SUM(CASE WHEN score = 2 THEN n ELSE 0 END),
        SUM(CASE WHEN score = 3 THEN n ELSE 0 END),
        SUM(CASE WHEN score = 4 THEN n ELSE 0 END),
        SUM(CASE WHEN score = 5 THEN n ELSE 0 END),
        SUM(CASE WHEN score = 6 THEN n ELSE 0 END),
        SUM(CASE WHEN score = 7 THEN n ELSE 0 END),
        SUM(CASE WHEN score = 8 THEN n ELSE 0 END),
        SUM(CASE WHEN score = 9 THEN n ELSE 0 END),
        SUM(CASE WHEN score = 10 THEN n ELSE 0 END)
    FROM rating_counts GROUP BY club_id, film_id;
DROP TABLE rating_counts;
