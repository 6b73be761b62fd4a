-- As sqlite/0004_platform_refs.sql: where each poll is shown, and values adapters keep.
ALTER TABLE polls ADD COLUMN platform_ref TEXT;

CREATE TABLE platform_state (
    key         TEXT COLLATE "C" PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
