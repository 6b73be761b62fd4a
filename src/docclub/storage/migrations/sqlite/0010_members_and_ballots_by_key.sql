-- Members and ballots are only ever found by their primary key, so they are kept in it
-- (WITHOUT ROWID): a new member's row, and a new ballot, write one b-tree page each instead
-- of a table page and an index page, and a first vote commits two pages instead of four.
CREATE TABLE members_by_key (
    club_id       INTEGER NOT NULL REFERENCES clubs(id) ON DELETE CASCADE,
    user_id       TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    joined_at     INTEGER NOT NULL,
    PRIMARY KEY (club_id, user_id)
) WITHOUT ROWID;
INSERT INTO members_by_key (club_id, user_id, display_name, joined_at)
    SELECT club_id, user_id, display_name, joined_at FROM members;
DROP TABLE members;
ALTER TABLE members_by_key RENAME TO members;
CREATE TABLE ballots_by_key (
    club_id       INTEGER NOT NULL,
    poll_id       INTEGER NOT NULL,
    user_id       TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    choices       TEXT NOT NULL,
    cast_at       INTEGER NOT NULL,
    PRIMARY KEY (club_id, poll_id, user_id),
    FOREIGN KEY (club_id, poll_id) REFERENCES polls(club_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
INSERT INTO ballots_by_key (club_id, poll_id, user_id, display_name, choices, cast_at)
    SELECT club_id, poll_id, user_id, display_name, choices, cast_at FROM ballots;
DROP TABLE ballots;
ALTER TABLE ballots_by_key RENAME TO ballots;
