-- As sqlite/0002_attendance.sql: who actually joined a watch party's voice channel.
CREATE TABLE attendance (
    club_id       BIGINT NOT NULL,
    party_id      INTEGER NOT NULL,
    user_id       TEXT COLLATE "C" NOT NULL,
    display_name  TEXT NOT NULL,
    joined_at     BIGINT NOT NULL,
    PRIMARY KEY (club_id, party_id, user_id),
    FOREIGN KEY (club_id, party_id) REFERENCES parties(club_id, id) ON DELETE CASCADE
);
