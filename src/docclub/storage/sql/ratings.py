"""Members' ratings, in SQL."""

from __future__ import annotations

import builtins
from typing import Any

from docclub.core.models import FilmScore, MemberRating, RatedFilm, Rating
from docclub.storage.sql import rows
from docclub.storage.sql.rows import Conn, dt, ts

COUNT_COLS = ", ".join(f"n{score}" for score in range(1, 11))  # film_rating_counts, scores 1–10


class SqlRatings:
    """`StoredRatings` over a `Conn`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def put(self, rating: Rating) -> None:
        before = await self.conn.fetchone(
            "SELECT score FROM ratings WHERE club_id = ? AND film_id = ? AND user_id = ?",
            (rating.club_id, rating.film_id, rating.user_id),
        )
        await self.conn.execute(
            "INSERT INTO ratings (club_id, film_id, user_id, display_name, score, review, rated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (club_id, film_id, user_id) DO UPDATE SET "
            "display_name = excluded.display_name, score = excluded.score, "
            "review = excluded.review, rated_at = excluded.rated_at",
            (
                rating.club_id,
                rating.film_id,
                rating.user_id,
                rating.display_name,
                rating.score,
                rating.review,
                ts(rating.rated_at),
            ),
        )
        # Each film's counts by score are kept with its ratings, one row per film, for the club page.
        if before is not None and before[0] == rating.score:
            return
        add = f"n{int(rating.score)}"  # a column name: the score is an int 1–10 (checked by the table)
        if before is None:
            await self.conn.execute(
                f"INSERT INTO film_rating_counts (club_id, film_id, {add}) VALUES (?, ?, 1) "
                f"ON CONFLICT (club_id, film_id) DO UPDATE SET {add} = film_rating_counts.{add} + 1",
                (rating.club_id, rating.film_id),
            )
            return
        drop = f"n{int(before[0])}"
        await self.conn.execute(
            f"UPDATE film_rating_counts SET {drop} = {drop} - 1, {add} = {add} + 1 WHERE club_id = ? AND film_id = ?",
            (rating.club_id, rating.film_id),
        )

    async def counts(self, club_id: int) -> dict[int, tuple[int, ...]]:
        found = await self.conn.fetchall(
            f"SELECT film_id, {COUNT_COLS} FROM film_rating_counts WHERE club_id = ?", (club_id,)
        )
        return {r[0]: tuple(r[1:]) for r in found if any(r[1:])}

    async def get(self, club_id: int, film_id: int, user_id: str) -> Rating | None:
        row = await self.conn.fetchone(
            f"SELECT {rows.RATING_COLS} FROM ratings WHERE club_id = ? AND film_id = ? AND user_id = ?",
            (club_id, film_id, user_id),
        )
        return rows.rating(row) if row else None

    async def list(self, club_id: int, film_id: int) -> builtins.list[Rating]:
        found = await self.conn.fetchall(
            f"SELECT {rows.RATING_COLS} FROM ratings WHERE club_id = ? AND film_id = ? ORDER BY rated_at, user_id",
            (club_id, film_id),
        )
        return [rows.rating(r) for r in found]

    async def count(self, club_id: int, film_id: int) -> int:
        row = await self.conn.fetchone(
            "SELECT COUNT(*) FROM ratings WHERE club_id = ? AND film_id = ?", (club_id, film_id)
        )
        return int(row[0]) if row else 0

    async def of_member(self, club_id: int, user_id: str) -> builtins.list[MemberRating]:
        found = await self.conn.fetchall(
            "SELECT r.film_id, f.title, f.year, r.score, r.review, r.rated_at FROM ratings r "
            "JOIN films f ON f.club_id = r.club_id AND f.id = r.film_id "
            "WHERE r.club_id = ? AND r.user_id = ? ORDER BY r.rated_at DESC, r.film_id",
            (club_id, user_id),
        )
        return [
            MemberRating(film_id=r[0], title=r[1], year=r[2], score=r[3], review=r[4], rated_at=dt(r[5])) for r in found
        ]

    async def leaderboard(
        self, club_id: int, min_ratings: int, limit: int, rated_by: str | None = None
    ) -> builtins.list[FilmScore]:
        # The member's few rated films are listed once (IN), not looked up per rating row.
        mine = ""
        args: tuple[Any, ...] = (club_id,)
        if rated_by is not None:
            mine = "AND r.film_id IN (SELECT m.film_id FROM ratings m WHERE m.club_id = ? AND m.user_id = ?) "
            args += (club_id, rated_by)
        found = await self.conn.fetchall(
            "SELECT f.id, f.title, f.year, COUNT(*) AS n, AVG(r.score * 1.0) AS mean "
            "FROM ratings r JOIN films f ON f.club_id = r.club_id AND f.id = r.film_id "
            f"WHERE r.club_id = ? {mine}GROUP BY f.id, f.title, f.year HAVING COUNT(*) >= ? "
            "ORDER BY mean DESC, n DESC, f.id LIMIT ?",
            (*args, min_ratings, limit),
        )
        return [FilmScore(film_id=r[0], title=r[1], year=r[2], count=int(r[3]), mean=float(r[4])) for r in found]

    async def films_not_rated_by(self, club_id: int, user_id: str) -> builtins.list[RatedFilm]:
        found = await self.conn.fetchall(
            "SELECT f.id, f.title, f.year, COUNT(*) AS n "
            "FROM ratings r JOIN films f ON f.club_id = r.club_id AND f.id = r.film_id "
            "WHERE r.club_id = ? AND r.film_id NOT IN (SELECT m.film_id FROM ratings m "
            "WHERE m.club_id = ? AND m.user_id = ?) "
            "GROUP BY f.id, f.title, f.year ORDER BY n DESC, f.id",
            (club_id, club_id, user_id),
        )
        return [RatedFilm(film_id=r[0], title=r[1], year=r[2], count=int(r[3])) for r in found]
