-- Where docclub is installed on a platform that installs per space (a Slack workspace through
-- /slack/install): the adapter's credentials, sealed with DOCCLUB_SECRET_KEY, so the database
-- holds no usable token. Removed (uninstalled, tokens revoked): `sealed` is NULL and
-- `removed_at` says when; the club's data is forgotten DOCCLUB_FORGET_UNINSTALLED_DAYS later.
-- Not tied to `clubs`: a space installs before its club is created by its first command.
CREATE TABLE installations (
    platform      TEXT NOT NULL,
    space_id      TEXT NOT NULL,
    sealed        TEXT,
    installed_at  INTEGER NOT NULL,
    removed_at    INTEGER,
    PRIMARY KEY (platform, space_id)
);
CREATE INDEX installations_removed ON installations (removed_at) WHERE removed_at IS NOT NULL;
