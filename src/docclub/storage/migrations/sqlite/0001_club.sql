-- The club: films, polls, parties, ratings, prompts, reminders. Ids of club things are per club.
CREATE TABLE clubs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    platform    TEXT NOT NULL,
    space_id    TEXT NOT NULL,
    name        TEXT NOT NULL,
    config      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    UNIQUE (platform, space_id)
);
CREATE TABLE club_counters (
    club_id  INTEGER NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
    kind     TEXT NOT NULL,
    last_id  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (club_id, kind)
);
CREATE TABLE members (
    club_id       INTEGER NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    joined_at     INTEGER NOT NULL,
    PRIMARY KEY (club_id, user_id)
);
CREATE TABLE films (
    club_id            INTEGER NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
    id                 INTEGER NOT NULL,
    title              TEXT NOT NULL,
    year               INTEGER,
    link               TEXT,
    where_to_watch     TEXT,
    warnings           TEXT NOT NULL,
    tags               TEXT NOT NULL,
    pitch              TEXT,
    status             TEXT NOT NULL,
    suggested_by       TEXT NOT NULL,
    suggested_by_name  TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    PRIMARY KEY (club_id, id)
);
CREATE TABLE seen (
    club_id  INTEGER NOT NULL,
    film_id  INTEGER NOT NULL,
    user_id  TEXT NOT NULL,
    seen_at  INTEGER NOT NULL,
    PRIMARY KEY (club_id, film_id, user_id),
    FOREIGN KEY (club_id, film_id) REFERENCES films(club_id, id) ON DELETE CASCADE
);
CREATE TABLE polls (
    club_id         INTEGER NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
    id              INTEGER NOT NULL,
    method          TEXT NOT NULL,
    anonymous       INTEGER NOT NULL,
    status          TEXT NOT NULL,
    film_ids        TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    closes_at       INTEGER,
    closed_at       INTEGER,
    winner_film_id  INTEGER,
    PRIMARY KEY (club_id, id)
);
CREATE TABLE ballots (
    club_id       INTEGER NOT NULL,
    poll_id       INTEGER NOT NULL,
    user_id       TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    choices       TEXT NOT NULL,
    cast_at       INTEGER NOT NULL,
    PRIMARY KEY (club_id, poll_id, user_id),
    FOREIGN KEY (club_id, poll_id) REFERENCES polls(club_id, id) ON DELETE CASCADE
);
CREATE TABLE parties (
    club_id           INTEGER NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
    id                INTEGER NOT NULL,
    film_id           INTEGER NOT NULL,
    starts_at         INTEGER NOT NULL,
    duration_minutes  INTEGER NOT NULL,
    where_text        TEXT,
    status            TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    series_id         INTEGER,
    platform_ref      TEXT,
    PRIMARY KEY (club_id, id),
    FOREIGN KEY (club_id, film_id) REFERENCES films(club_id, id) ON DELETE CASCADE
);
CREATE TABLE rsvps (
    club_id            INTEGER NOT NULL,
    party_id           INTEGER NOT NULL,
    user_id            TEXT NOT NULL,
    display_name       TEXT NOT NULL,
    answer             TEXT NOT NULL,
    answered_at        INTEGER NOT NULL,
    dm_offset_minutes  INTEGER,
    PRIMARY KEY (club_id, party_id, user_id),
    FOREIGN KEY (club_id, party_id) REFERENCES parties(club_id, id) ON DELETE CASCADE
);
CREATE TABLE ratings (
    club_id       INTEGER NOT NULL,
    film_id       INTEGER NOT NULL,
    user_id       TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    score         INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
    review        TEXT,
    rated_at      INTEGER NOT NULL,
    PRIMARY KEY (club_id, film_id, user_id),
    FOREIGN KEY (club_id, film_id) REFERENCES films(club_id, id) ON DELETE CASCADE
);
CREATE INDEX ratings_by_member ON ratings (club_id, user_id);
CREATE TABLE film_prompts (
    club_id        INTEGER NOT NULL,
    film_id        INTEGER NOT NULL,
    id             INTEGER NOT NULL,
    text           TEXT NOT NULL,
    added_by_name  TEXT NOT NULL,
    added_at       INTEGER NOT NULL,
    PRIMARY KEY (club_id, film_id, id),
    FOREIGN KEY (club_id, film_id) REFERENCES films(club_id, id) ON DELETE CASCADE
);
CREATE TABLE prompts_shown (
    club_id     INTEGER NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
    prompt_key  TEXT NOT NULL,
    film_id     INTEGER NOT NULL,
    shown_at    INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    PRIMARY KEY (club_id, prompt_key)
);
CREATE TABLE reminders (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    club_id         INTEGER NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL,
    target_id       INTEGER NOT NULL,
    due_at          INTEGER NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    offset_minutes  INTEGER,
    user_id         TEXT,
    lease_until     INTEGER,
    finished_at     INTEGER
);
CREATE INDEX reminders_due ON reminders (state, due_at);
CREATE INDEX reminders_target ON reminders (club_id, target_id, kind);
CREATE TABLE events_seen (
    key      TEXT PRIMARY KEY,
    seen_at  INTEGER NOT NULL
);
