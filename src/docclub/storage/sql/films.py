"""The club's films and seen marks, in SQL."""

from __future__ import annotations

import builtins
import json
from collections.abc import Sequence
from datetime import datetime

from docclub.core.catalog import CatalogFilm
from docclub.core.models import Film, FilmBrief, FilmStatus, NewFilm
from docclub.storage.sql import rows
from docclub.storage.sql.rows import Conn, exact, key_columns, key_ends, next_id, ts

# Three index searches (the same key, the same head, the same tail), spelled as a union because
# planners read `a = ? OR b = ? OR c = ?` as one scan of the club's films; nearest length first.
TITLE_CANDIDATES = (
    f"SELECT {rows.FILM_COLS} FROM films WHERE club_id = ? AND status <> 'withdrawn' AND id IN ("
    "SELECT id FROM films WHERE club_id = ? AND title_key = ? "
    "UNION ALL SELECT id FROM films WHERE club_id = ? AND key_head = ? "
    "UNION ALL SELECT id FROM films WHERE club_id = ? AND key_tail = ?) "
    "ORDER BY CASE WHEN title_key = ? THEN 0 ELSE 1 END, ABS(LENGTH(title_key) - ?), id LIMIT ?"
)

FILM_STATUS = {s.value: s for s in FilmStatus}  # a dict lookup is a tenth of FilmStatus(value)


class SqlFilms:
    """`StoredFilms` over a `Conn`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def add(self, club_id: int, film: NewFilm, by: str, by_name: str, at: datetime) -> Film:
        added = Film(
            id=await next_id(self.conn, club_id, "film"),
            club_id=club_id,
            title=film.title,
            year=film.year,
            link=film.link,
            where=film.where,
            warnings=film.warnings,
            tags=film.tags,
            pitch=film.pitch,
            status=FilmStatus.SUGGESTED,
            suggested_by=by,
            suggested_by_name=by_name,
            created_at=exact(at),
            details=film.details,
        )
        await self.insert(added)
        return added

    async def insert(self, f: Film) -> None:
        await self.conn.execute(
            f"INSERT INTO films ({rows.FILM_COLS}, title_key, key_head, key_tail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                f.club_id,
                f.id,
                f.title,
                f.year,
                f.link,
                f.where,
                json.dumps(list(f.warnings)),
                json.dumps(list(f.tags)),
                f.pitch,
                f.status.value,
                f.suggested_by,
                f.suggested_by_name,
                ts(f.created_at),
                rows.details_to_json(f.details),
                *key_columns(f.title),
            ),
        )

    async def get(self, club_id: int, film_id: int) -> Film | None:
        row = await self.conn.fetchone(
            f"SELECT {rows.FILM_COLS} FROM films WHERE club_id = ? AND id = ?", (club_id, film_id)
        )
        return rows.known_film(row) if row else None

    async def by_id(self, club_id: int, film_ids: Sequence[int]) -> dict[int, Film]:
        ids = sorted(set(film_ids))
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        found = await self.conn.fetchall(
            f"SELECT {rows.FILM_COLS} FROM films WHERE club_id = ? AND id IN ({marks})", (club_id, *ids)
        )
        return {film.id: film for film in map(rows.known_film, found)}

    async def list(self, club_id: int, statuses: Sequence[FilmStatus] | None = None) -> builtins.list[Film]:
        if statuses:
            marks = ", ".join("?" for _ in statuses)
            found = await self.conn.fetchall(
                f"SELECT {rows.FILM_COLS} FROM films WHERE club_id = ? AND status IN ({marks}) ORDER BY id",
                (club_id, *(s.value for s in statuses)),
            )
        else:
            found = await self.conn.fetchall(
                f"SELECT {rows.FILM_COLS} FROM films WHERE club_id = ? ORDER BY id", (club_id,)
            )
        return [rows.film(r) for r in found]

    async def briefs(self, club_id: int) -> builtins.list[FilmBrief]:
        found = await self.conn.fetchall(
            "SELECT id, title, year, status, suggested_by_name FROM films WHERE club_id = ? ORDER BY id", (club_id,)
        )
        status = FILM_STATUS
        return [FilmBrief(r[0], r[1], r[2], status[r[3]], r[4]) for r in found]

    async def set_status(self, club_id: int, film_id: int, status: FilmStatus) -> None:
        await self.conn.execute(
            "UPDATE films SET status = ? WHERE club_id = ? AND id = ?",
            (status.value, club_id, film_id),
        )

    async def delete(self, club_id: int, film_id: int) -> None:
        await self.conn.execute("DELETE FROM films WHERE club_id = ? AND id = ?", (club_id, film_id))

    async def set_details(self, club_id: int, film_id: int, details: CatalogFilm | None) -> None:
        await self.conn.execute(
            "UPDATE films SET details = ? WHERE club_id = ? AND id = ?",
            (rows.details_to_json(details), club_id, film_id),
        )

    async def like_title(self, club_id: int, key: str, limit: int) -> builtins.list[Film]:
        head, tail = key_ends(key)
        found = await self.conn.fetchall(
            TITLE_CANDIDATES, (club_id, club_id, key, club_id, head, club_id, tail, key, len(key), limit)
        )
        return [rows.film(r) for r in found]

    async def fill_title_keys(self) -> int:
        """Key the films stored before title keys existed (migration 0003); returns how many."""
        found = await self.conn.fetchall("SELECT club_id, id, title FROM films WHERE title_key IS NULL")
        for club_id, film_id, title in found:
            await self.conn.execute(
                "UPDATE films SET title_key = ?, key_head = ?, key_tail = ? WHERE club_id = ? AND id = ?",
                (*key_columns(title), club_id, film_id),
            )
        return len(found)

    async def mark_seen(self, club_id: int, film_id: int, user_id: str, at: datetime) -> bool:
        row = await self.conn.fetchone(
            "INSERT INTO seen (club_id, film_id, user_id, seen_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (club_id, film_id, user_id) DO NOTHING RETURNING film_id",
            (club_id, film_id, user_id, ts(at)),
        )
        return row is not None

    async def seen_by(self, club_id: int, film_id: int) -> builtins.list[str]:
        found = await self.conn.fetchall(
            "SELECT user_id FROM seen WHERE club_id = ? AND film_id = ? ORDER BY seen_at, user_id",
            (club_id, film_id),
        )
        return [r[0] for r in found]
