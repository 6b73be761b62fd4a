-- As sqlite/0007_installations.sql: sealed platform credentials per space, and when removed.
CREATE TABLE installations (
    platform      TEXT COLLATE "C" NOT NULL,
    space_id      TEXT COLLATE "C" NOT NULL,
    sealed        TEXT,
    installed_at  BIGINT NOT NULL,
    removed_at    BIGINT,
    PRIMARY KEY (platform, space_id)
);
CREATE INDEX installations_removed ON installations (removed_at) WHERE removed_at IS NOT NULL;
