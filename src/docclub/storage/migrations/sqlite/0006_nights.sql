-- Recurring club nights. A night's rule is stored as its words ("first friday") and read by
-- core/night_rules.py; each occurrence is written when its first step is planned, or when an
-- organizer skips or moves it. Its steps are reminders (night_poll_open, night_poll_close)
-- whose target is the occurrence.
CREATE TABLE nights (
    club_id           INTEGER NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
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
    created_by        TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    ended_at          INTEGER,
    platform_ref      TEXT,
    PRIMARY KEY (club_id, id)
);
CREATE TABLE night_occurrences (
    club_id      INTEGER NOT NULL,
    id           INTEGER NOT NULL,
    night_id     INTEGER NOT NULL,
    original_at  INTEGER NOT NULL,
    starts_at    INTEGER NOT NULL,
    state        TEXT NOT NULL,
    poll_id      INTEGER,
    party_id     INTEGER,
    PRIMARY KEY (club_id, id),
    UNIQUE (club_id, night_id, original_at),
    FOREIGN KEY (club_id, night_id) REFERENCES nights(club_id, id) ON DELETE CASCADE
);
CREATE TABLE night_rsvps (
    club_id       INTEGER NOT NULL,
    night_id      INTEGER NOT NULL,
    user_id       TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    answer        TEXT NOT NULL,
    answered_at   INTEGER NOT NULL,
    PRIMARY KEY (club_id, night_id, user_id),
    FOREIGN KEY (club_id, night_id) REFERENCES nights(club_id, id) ON DELETE CASCADE
);
