"""The club's polls and ballots, in SQL."""

from __future__ import annotations

import builtins
import json
from collections.abc import Sequence
from datetime import datetime

from docclub.core.models import Ballot, Poll, PollMethod, PollStatus
from docclub.storage.sql import rows
from docclub.storage.sql.rows import Conn, exact, next_id, ts


class SqlPolls:
    """`StoredPolls` over a `Conn`."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def add(
        self,
        club_id: int,
        method: PollMethod,
        anonymous: bool,
        film_ids: Sequence[int],
        by: str,
        at: datetime,
        closes_at: datetime | None,
    ) -> Poll:
        poll = Poll(
            id=await next_id(self.conn, club_id, "poll"),
            club_id=club_id,
            method=method,
            anonymous=anonymous,
            status=PollStatus.OPEN,
            film_ids=tuple(film_ids),
            created_by=by,
            created_at=exact(at),
            closes_at=None if closes_at is None else exact(closes_at),
        )
        await self.insert(poll)
        return poll

    async def insert(self, p: Poll) -> None:
        await self.conn.execute(
            f"INSERT INTO polls ({rows.POLL_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                p.club_id,
                p.id,
                p.method.value,
                int(p.anonymous),
                p.status.value,
                json.dumps(list(p.film_ids)),
                p.created_by,
                ts(p.created_at),
                None if p.closes_at is None else ts(p.closes_at),
                None if p.closed_at is None else ts(p.closed_at),
                p.winner_film_id,
                p.platform_ref,
            ),
        )

    async def get(self, club_id: int, poll_id: int) -> Poll | None:
        row = await self.conn.fetchone(
            f"SELECT {rows.POLL_COLS} FROM polls WHERE club_id = ? AND id = ?", (club_id, poll_id)
        )
        return rows.known_poll(row) if row else None

    async def list(self, club_id: int, open_only: bool = False) -> builtins.list[Poll]:
        where = " AND status = 'open'" if open_only else ""
        found = await self.conn.fetchall(
            f"SELECT {rows.POLL_COLS} FROM polls WHERE club_id = ?{where} ORDER BY id", (club_id,)
        )
        return [rows.known_poll(r) for r in found]

    async def set_films(self, club_id: int, poll_id: int, film_ids: Sequence[int]) -> None:
        await self.conn.execute(
            "UPDATE polls SET film_ids = ? WHERE club_id = ? AND id = ?",
            (json.dumps(list(film_ids)), club_id, poll_id),
        )

    async def set_ref(self, club_id: int, poll_id: int, ref: str | None) -> None:
        await self.conn.execute(
            "UPDATE polls SET platform_ref = ? WHERE club_id = ? AND id = ?", (ref, club_id, poll_id)
        )

    async def close(self, club_id: int, poll_id: int, status: str, at: datetime, winner_film_id: int | None) -> None:
        await self.conn.execute(
            "UPDATE polls SET status = ?, closed_at = ?, winner_film_id = ? WHERE club_id = ? AND id = ?",
            (status, ts(at), winner_film_id, club_id, poll_id),
        )

    async def put_ballot(self, ballot: Ballot) -> None:
        await self.conn.execute(
            "INSERT INTO ballots (club_id, poll_id, user_id, display_name, choices, cast_at) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (club_id, poll_id, user_id) DO UPDATE SET "
            "display_name = excluded.display_name, choices = excluded.choices, "
            "cast_at = excluded.cast_at",
            (
                ballot.club_id,
                ballot.poll_id,
                ballot.user_id,
                ballot.display_name,
                json.dumps(list(ballot.choices)),
                ts(ballot.cast_at),
            ),
        )

    async def delete_ballot(self, club_id: int, poll_id: int, user_id: str) -> bool:
        found = await self.conn.fetchone(
            "SELECT 1 FROM ballots WHERE club_id = ? AND poll_id = ? AND user_id = ?", (club_id, poll_id, user_id)
        )
        if found is None:
            return False
        await self.conn.execute(
            "DELETE FROM ballots WHERE club_id = ? AND poll_id = ? AND user_id = ?", (club_id, poll_id, user_id)
        )
        return True

    async def ballots(self, club_id: int, poll_id: int) -> builtins.list[Ballot]:
        found = await self.conn.fetchall(
            f"SELECT {rows.BALLOT_COLS} FROM ballots WHERE club_id = ? AND poll_id = ? ORDER BY cast_at, user_id",
            (club_id, poll_id),
        )
        return [rows.ballot(r) for r in found]

    async def vote_counts(self, club_id: int) -> dict[int, int]:
        found = await self.conn.fetchall("SELECT choices FROM ballots WHERE club_id = ?", (club_id,))
        counts: dict[int, int] = {}
        for (choices,) in found:
            for film_id in set(json.loads(choices)):
                counts[film_id] = counts.get(film_id, 0) + 1
        return counts
