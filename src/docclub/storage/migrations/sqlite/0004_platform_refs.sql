-- Where each poll is shown on its platform (the messages kept current as votes come in), kept
-- with the poll as parties keep theirs, so every process and every restart finds them.
ALTER TABLE polls ADD COLUMN platform_ref TEXT;

-- Small values a platform adapter keeps for itself rather than for a club, such as the hash
-- of the Discord command set last synced. Not part of a club's export.
CREATE TABLE platform_state (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
);
