"""Clubs and their members, in SQL."""

from __future__ import annotations

from datetime import datetime

from docclub.core.models import Club, ClubConfig, ClubKey
from docclub.storage.sql import rows
from docclub.storage.sql.rows import Conn, config_to_json, exact, ts


class SqlClubs:
    """`StoredClubs` over a `Conn`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def get(self, key: ClubKey) -> Club | None:
        row = await self.conn.fetchone(
            "SELECT id, platform, space_id, name, config, created_at FROM clubs WHERE platform = ? AND space_id = ?",
            (key.platform, key.space_id),
        )
        return rows.known_club(row) if row else None

    async def get_by_id(self, club_id: int) -> Club | None:
        row = await self.conn.fetchone(
            "SELECT id, platform, space_id, name, config, created_at FROM clubs WHERE id = ?",
            (club_id,),
        )
        return rows.club(row) if row else None

    async def create(self, key: ClubKey, name: str, config: ClubConfig, at: datetime) -> Club:
        row = await self.conn.fetchone(
            "INSERT INTO clubs (platform, space_id, name, config, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            (key.platform, key.space_id, name, config_to_json(config), ts(at)),
        )
        assert row is not None
        return Club(id=int(row[0]), key=key, name=name, config=config, created_at=exact(at))

    async def delete(self, key: ClubKey) -> bool:
        # Every table of a club's data cascades from its row.
        row = await self.conn.fetchone(
            "DELETE FROM clubs WHERE platform = ? AND space_id = ? RETURNING id", (key.platform, key.space_id)
        )
        return row is not None

    async def set_config(self, club_id: int, config: ClubConfig) -> None:
        await self.conn.execute("UPDATE clubs SET config = ? WHERE id = ?", (config_to_json(config), club_id))

    async def upsert_member(self, club_id: int, user_id: str, display_name: str, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO members (club_id, user_id, display_name, joined_at) VALUES (?, ?, ?, ?) "
            # Only a new name is written: a known member's command dirties no page here.
            "ON CONFLICT (club_id, user_id) DO UPDATE SET display_name = excluded.display_name "
            "WHERE members.display_name <> excluded.display_name",
            (club_id, user_id, display_name, ts(at)),
        )

    async def member_names(self, club_id: int) -> dict[str, str]:
        found = await self.conn.fetchall("SELECT user_id, display_name FROM members WHERE club_id = ?", (club_id,))
        return {r[0]: r[1] for r in found}

    async def link_hashes(self, club_id: int) -> list[str]:
        found = await self.conn.fetchall(
            "SELECT token_hash FROM club_links WHERE club_id = ? ORDER BY created_at, token_hash", (club_id,)
        )
        return [str(r[0]) for r in found]

    async def add_link_hash(self, club_id: int, token_hash: str, at: datetime, keep: int) -> None:
        await self.conn.execute(
            "INSERT INTO club_links (club_id, token_hash, created_at) VALUES (?, ?, ?)", (club_id, token_hash, ts(at))
        )
        hashes = await self.link_hashes(club_id)
        for old in hashes[: max(0, len(hashes) - keep)]:
            await self.conn.execute("DELETE FROM club_links WHERE club_id = ? AND token_hash = ?", (club_id, old))

    async def clear_links(self, club_id: int) -> int:
        found = len(await self.link_hashes(club_id))
        await self.conn.execute("DELETE FROM club_links WHERE club_id = ?", (club_id,))
        return found

    async def data_version(self) -> object:
        if self.conn.dialect == "postgresql":
            # The transaction's snapshot (reads are repeatable read): an equal snapshot sees the
            # same committed transactions, so the same data; any write transaction since changes it.
            row = await self.conn.fetchone("SELECT pg_current_snapshot()::text")
            assert row is not None
            return str(row[0])
        # SQLite: changed by every commit of any other connection, in any process, as this read
        # sees it. Each connection counts on its own, so the value goes with its connection.
        row = await self.conn.fetchone("PRAGMA data_version")
        assert row is not None
        return (self.conn, int(row[0]))
