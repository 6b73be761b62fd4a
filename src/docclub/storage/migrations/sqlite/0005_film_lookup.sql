-- Film lookup (The Movie Database). `details` is what the catalog said of the film, as JSON
-- (title, original title, year, runtime, directors, synopsis, poster, ids, genres, and where
-- it streams in the club's region); NULL for a film kept as typed.
ALTER TABLE films ADD COLUMN details TEXT;

-- Catalog answers kept until they expire, shared by every club and process. Not part of a
-- club's export.
CREATE TABLE lookups (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    expires_at  INTEGER NOT NULL
);

-- A member's suggestion waiting for them to pick among several films of its title: the
-- suggestion and the films offered, as JSON. One per member and club; it expires.
CREATE TABLE film_picks (
    club_id     INTEGER NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
    user_id     TEXT NOT NULL,
    payload     TEXT NOT NULL,
    expires_at  INTEGER NOT NULL,
    PRIMARY KEY (club_id, user_id)
);

CREATE INDEX lookups_expiry ON lookups (expires_at);
