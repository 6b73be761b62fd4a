-- Who actually joined a watch party's voice channel while it was on, next to the RSVPs.
CREATE TABLE attendance (
    club_id       INTEGER NOT NULL,
    party_id      INTEGER NOT NULL,
    user_id       TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    joined_at     INTEGER NOT NULL,
    PRIMARY KEY (club_id, party_id, user_id),
    FOREIGN KEY (club_id, party_id) REFERENCES parties(club_id, id) ON DELETE CASCADE
);
