"""What platform adapters keep for themselves (events applied, values by key), in SQL."""

from __future__ import annotations

from datetime import datetime

from docclub.storage.sql.rows import Conn, ts


class SqlPlatformState:
    """`PlatformState` over a `Conn`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def remember_event(self, key: str, at: datetime) -> bool:
        row = await self.conn.fetchone(
            "INSERT INTO events_seen (key, seen_at) VALUES (?, ?) ON CONFLICT (key) DO NOTHING RETURNING key",
            (key, ts(at)),
        )
        return row is not None

    async def forget_events_before(self, cutoff: datetime) -> int:
        # Counted first, so no backend has to hand back every deleted key.
        row = await self.conn.fetchone("SELECT COUNT(*) FROM events_seen WHERE seen_at < ?", (ts(cutoff),))
        await self.conn.execute("DELETE FROM events_seen WHERE seen_at < ?", (ts(cutoff),))
        return int(row[0]) if row is not None else 0

    async def value(self, key: str) -> str | None:
        row = await self.conn.fetchone("SELECT value FROM platform_state WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    async def set_value(self, key: str, value: str, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO platform_state (key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (key, value, ts(at)),
        )
