"""Where docclub is installed (sealed platform credentials per space), in SQL."""

from __future__ import annotations

from datetime import datetime

from docclub.core.models import ClubKey
from docclub.storage.sql.rows import Conn, ts


class SqlInstallations:
    """`StoredInstallations` over a `Conn`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def save(self, key: ClubKey, sealed: str, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO installations (platform, space_id, sealed, installed_at, removed_at) "
            "VALUES (?, ?, ?, ?, NULL) ON CONFLICT (platform, space_id) DO UPDATE SET "
            "sealed = excluded.sealed, installed_at = excluded.installed_at, removed_at = NULL",
            (key.platform, key.space_id, sealed, ts(at)),
        )

    async def sealed(self, key: ClubKey) -> str | None:
        row = await self.conn.fetchone(
            "SELECT sealed FROM installations WHERE platform = ? AND space_id = ?", (key.platform, key.space_id)
        )
        return None if row is None or row[0] is None else str(row[0])

    async def remove(self, key: ClubKey, at: datetime) -> bool:
        row = await self.conn.fetchone(
            "UPDATE installations SET sealed = NULL, removed_at = ? "
            "WHERE platform = ? AND space_id = ? AND sealed IS NOT NULL RETURNING space_id",
            (ts(at), key.platform, key.space_id),
        )
        return row is not None

    async def removed_before(self, cutoff: datetime) -> list[ClubKey]:
        rows = await self.conn.fetchall(
            "SELECT platform, space_id FROM installations WHERE removed_at IS NOT NULL AND removed_at < ? "
            "ORDER BY removed_at, platform, space_id",
            (ts(cutoff),),
        )
        return [ClubKey(str(r[0]), str(r[1])) for r in rows]

    async def forget(self, key: ClubKey) -> bool:
        row = await self.conn.fetchone(
            "DELETE FROM installations WHERE platform = ? AND space_id = ? RETURNING space_id",
            (key.platform, key.space_id),
        )
        return row is not None
