-- As sqlite/0005_film_lookup.sql: looked-up details of a film, catalog answers, pending picks.
ALTER TABLE films ADD COLUMN details TEXT;

CREATE TABLE lookups (
    key         TEXT COLLATE "C" PRIMARY KEY,
    value       TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);

CREATE TABLE film_picks (
    club_id     BIGINT NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
    user_id     TEXT COLLATE "C" NOT NULL,
    payload     TEXT NOT NULL,
    expires_at  BIGINT NOT NULL,
    PRIMARY KEY (club_id, user_id)
);

CREATE INDEX lookups_expiry ON lookups (expires_at);
