-- As sqlite/0006_nights.sql: recurring club nights, their occurrences and standing RSVPs.
CREATE TABLE nights (
    club_id           BIGINT NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
    id                INTEGER NOT NULL,
    rule              TEXT NOT NULL,
    clock             TEXT NOT NULL,
    first_on          TEXT NOT NULL,
    where_text        TEXT,
    duration_minutes  INTEGER NOT NULL,
    poll_minutes      INTEGER NOT NULL,
    close_minutes     INTEGER NOT NULL,
    method            TEXT NOT NULL,
    top_n             INTEGER NOT NULL,
    status            TEXT NOT NULL,
    created_by        TEXT COLLATE "C" NOT NULL,
    created_at        BIGINT NOT NULL,
    ended_at          BIGINT,
    platform_ref      TEXT,
    PRIMARY KEY (club_id, id)
);
CREATE TABLE night_occurrences (
    club_id      BIGINT NOT NULL,
    id           INTEGER NOT NULL,
    night_id     INTEGER NOT NULL,
    original_at  BIGINT NOT NULL,
    starts_at    BIGINT NOT NULL,
    state        TEXT NOT NULL,
    poll_id      INTEGER,
    party_id     INTEGER,
    PRIMARY KEY (club_id, id),
    UNIQUE (club_id, night_id, original_at),
    FOREIGN KEY (club_id, night_id) REFERENCES nights(club_id, id) ON DELETE CASCADE
);
CREATE TABLE night_rsvps (
    club_id       BIGINT NOT NULL,
    night_id      INTEGER NOT NULL,
    user_id       TEXT COLLATE "C" NOT NULL,
    display_name  TEXT NOT NULL,
    answer        TEXT NOT NULL,
    answered_at   BIGINT NOT NULL,
    PRIMARY KEY (club_id, night_id, user_id),
    FOREIGN KEY (club_id, night_id) REFERENCES nights(club_id, id) ON DELETE CASCADE
);
