"""Film catalog answers kept until they expire, and members' suggestions waiting for a pick, in SQL."""

from __future__ import annotations

from datetime import datetime

from docclub.storage.sql.rows import Conn, ts


class SqlLookups:
    """`StoredLookups` over a `Conn`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def get(self, key: str, now: datetime) -> str | None:
        row = await self.conn.fetchone("SELECT value FROM lookups WHERE key = ? AND expires_at > ?", (key, ts(now)))
        return None if row is None else str(row[0])

    async def put(self, key: str, value: str, expires_at: datetime, now: datetime) -> None:
        await self.conn.execute("DELETE FROM lookups WHERE expires_at <= ?", (ts(now),))
        await self.conn.execute(
            "INSERT INTO lookups (key, value, expires_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
            (key, value, ts(expires_at)),
        )

    async def pick(self, club_id: int, user_id: str, now: datetime) -> str | None:
        row = await self.conn.fetchone(
            "SELECT payload FROM film_picks WHERE club_id = ? AND user_id = ? AND expires_at > ?",
            (club_id, user_id, ts(now)),
        )
        return None if row is None else str(row[0])

    async def set_pick(self, club_id: int, user_id: str, payload: str | None, expires_at: datetime) -> None:
        if payload is None:
            await self.conn.execute("DELETE FROM film_picks WHERE club_id = ? AND user_id = ?", (club_id, user_id))
            return
        await self.conn.execute(
            "INSERT INTO film_picks (club_id, user_id, payload, expires_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (club_id, user_id) DO UPDATE SET payload = excluded.payload, expires_at = excluded.expires_at",
            (club_id, user_id, payload, ts(expires_at)),
        )
