"""The club's SQL, written once for every backend.

Backends provide a `Conn` (placeholders are `?`; a backend translates them) and run each
`SqlTx` inside one transaction. Times are stored as integer milliseconds since the epoch,
lists as JSON text, booleans as integers, so the same statements run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Protocol

from docclub.core.models import (
    Attendance,
    Ballot,
    Club,
    ClubConfig,
    ClubKey,
    ClubSnapshot,
    Film,
    FilmScore,
    FilmStatus,
    MemberRating,
    NewFilm,
    NewReminder,
    Party,
    PartyStatus,
    Poll,
    PollMethod,
    PollStatus,
    Prompt,
    RatedFilm,
    Rating,
    Reminder,
    ReminderKind,
    ReminderState,
    Rsvp,
    RsvpAnswer,
    config_from_dict,
    config_to_dict,
)
from docclub.core.text import title_key

Row = Sequence[Any]

# A near title (one typo) keeps either its first or its last few key characters.
KEY_END = 4


class Conn(Protocol):
    dialect: str

    async def execute(self, sql: str, args: Sequence[Any] = ()) -> None: ...
    async def fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]: ...
    async def fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None: ...


def ts(at: datetime) -> int:
    return int(at.timestamp() * 1000)


def dt(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def opt_dt(ms: int | None) -> datetime | None:
    return None if ms is None else dt(ms)


def exact(at: datetime) -> datetime:
    """`at` as the store keeps it (millisecond precision)."""
    return dt(ts(at))


def config_to_json(config: ClubConfig) -> str:
    return json.dumps(config_to_dict(config), sort_keys=True)


@functools.lru_cache(maxsize=1024)
def config_from_json(text: str) -> ClubConfig:
    # Every command reads its club; a club's settings rarely change, and ClubConfig is frozen.
    return config_from_dict(json.loads(text))


_FILM_COLS = (
    "club_id, id, title, year, link, where_to_watch, warnings, tags, pitch, status, "
    "suggested_by, suggested_by_name, created_at"
)
_POLL_COLS = (
    "club_id, id, method, anonymous, status, film_ids, created_by, created_at, closes_at, closed_at, winner_film_id, "
    "platform_ref"
)
_PARTY_COLS = (
    "club_id, id, film_id, starts_at, duration_minutes, where_text, status, created_by, "
    "created_at, series_id, platform_ref"
)
_REMINDER_COLS = "id, club_id, kind, target_id, due_at, state, attempts, offset_minutes, user_id, lease_until"


def _film(r: Row) -> Film:
    return Film(
        club_id=r[0],
        id=r[1],
        title=r[2],
        year=r[3],
        link=r[4],
        where=r[5],
        warnings=tuple(json.loads(r[6])),
        tags=tuple(json.loads(r[7])),
        pitch=r[8],
        status=FilmStatus(r[9]),
        suggested_by=r[10],
        suggested_by_name=r[11],
        created_at=dt(r[12]),
    )


# Three index searches (the same key, the same head, the same tail), spelled as a union because
# planners read `a = ? OR b = ? OR c = ?` as one scan of the club's films; nearest length first.
TITLE_CANDIDATES = (
    f"SELECT {_FILM_COLS} FROM films WHERE club_id = ? AND status <> 'withdrawn' AND id IN ("
    "SELECT id FROM films WHERE club_id = ? AND title_key = ? "
    "UNION ALL SELECT id FROM films WHERE club_id = ? AND key_head = ? "
    "UNION ALL SELECT id FROM films WHERE club_id = ? AND key_tail = ?) "
    "ORDER BY CASE WHEN title_key = ? THEN 0 ELSE 1 END, ABS(LENGTH(title_key) - ?), id LIMIT ?"
)


def _key_ends(key: str) -> tuple[str, str]:
    return key[:KEY_END], key[-KEY_END:]


def _key_columns(title: str) -> tuple[str, str, str]:
    """title_key, key_head, key_tail of a film, as stored and indexed."""
    key = title_key(title)
    return (key, *_key_ends(key))


def _poll(r: Row) -> Poll:
    return Poll(
        club_id=r[0],
        id=r[1],
        method=PollMethod(r[2]),
        anonymous=bool(r[3]),
        status=PollStatus(r[4]),
        film_ids=tuple(json.loads(r[5])),
        created_by=r[6],
        created_at=dt(r[7]),
        closes_at=opt_dt(r[8]),
        closed_at=opt_dt(r[9]),
        winner_film_id=r[10],
        platform_ref=r[11],
    )


def _party(r: Row) -> Party:
    return Party(
        club_id=r[0],
        id=r[1],
        film_id=r[2],
        starts_at=dt(r[3]),
        duration_minutes=r[4],
        where=r[5],
        status=PartyStatus(r[6]),
        created_by=r[7],
        created_at=dt(r[8]),
        series_id=r[9],
        platform_ref=r[10],
    )


def _reminder(r: Row) -> Reminder:
    return Reminder(
        id=r[0],
        club_id=r[1],
        kind=ReminderKind(r[2]),
        target_id=r[3],
        due_at=dt(r[4]),
        state=ReminderState(r[5]),
        attempts=r[6],
        offset_minutes=r[7],
        user_id=r[8],
        lease_until=opt_dt(r[9]),
    )


def _club(r: Row) -> Club:
    return Club(id=r[0], key=ClubKey(r[1], r[2]), name=r[3], config=config_from_json(r[4]), created_at=dt(r[5]))


class SqlTx:
    """`ClubTx` over any `Conn`. Runs inside a transaction the backend opened."""

    def __init__(self, conn: Conn) -> None:
        self.conn = conn

    async def _next_id(self, club_id: int, kind: str) -> int:
        row = await self.conn.fetchone(
            "UPDATE club_counters SET last_id = last_id + 1 WHERE club_id = ? AND kind = ? RETURNING last_id",
            (club_id, kind),
        )
        if row is None:
            await self.conn.execute(
                "INSERT INTO club_counters (club_id, kind, last_id) VALUES (?, ?, 1)",
                (club_id, kind),
            )
            return 1
        return int(row[0])

    # ---- clubs and members ----
    async def get_club(self, key: ClubKey) -> Club | None:
        row = await self.conn.fetchone(
            "SELECT id, platform, space_id, name, config, created_at FROM clubs WHERE platform = ? AND space_id = ?",
            (key.platform, key.space_id),
        )
        return _club(row) if row else None

    async def get_club_by_id(self, club_id: int) -> Club | None:
        row = await self.conn.fetchone(
            "SELECT id, platform, space_id, name, config, created_at FROM clubs WHERE id = ?",
            (club_id,),
        )
        return _club(row) if row else None

    async def create_club(self, key: ClubKey, name: str, config: ClubConfig, at: datetime) -> Club:
        row = await self.conn.fetchone(
            "INSERT INTO clubs (platform, space_id, name, config, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
            (key.platform, key.space_id, name, config_to_json(config), ts(at)),
        )
        assert row is not None
        return Club(id=int(row[0]), key=key, name=name, config=config, created_at=exact(at))

    async def set_club_config(self, club_id: int, config: ClubConfig) -> None:
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
        rows = await self.conn.fetchall("SELECT user_id, display_name FROM members WHERE club_id = ?", (club_id,))
        return {r[0]: r[1] for r in rows}

    # ---- films ----
    async def add_film(self, club_id: int, film: NewFilm, by: str, by_name: str, at: datetime) -> Film:
        added = Film(
            id=await self._next_id(club_id, "film"),
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
        )
        await self._insert_film(added)
        return added

    async def _insert_film(self, f: Film) -> None:
        await self.conn.execute(
            f"INSERT INTO films ({_FILM_COLS}, title_key, key_head, key_tail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                *_key_columns(f.title),
            ),
        )

    async def films_like_title(self, club_id: int, key: str, limit: int) -> list[Film]:
        head, tail = _key_ends(key)
        rows = await self.conn.fetchall(
            TITLE_CANDIDATES, (club_id, club_id, key, club_id, head, club_id, tail, key, len(key), limit)
        )
        return [_film(r) for r in rows]

    async def fill_title_keys(self) -> int:
        """Key the films stored before title keys existed (migration 0003); returns how many."""
        rows = await self.conn.fetchall("SELECT club_id, id, title FROM films WHERE title_key IS NULL")
        for club_id, film_id, title in rows:
            await self.conn.execute(
                "UPDATE films SET title_key = ?, key_head = ?, key_tail = ? WHERE club_id = ? AND id = ?",
                (*_key_columns(title), club_id, film_id),
            )
        return len(rows)

    async def get_film(self, club_id: int, film_id: int) -> Film | None:
        row = await self.conn.fetchone(
            f"SELECT {_FILM_COLS} FROM films WHERE club_id = ? AND id = ?", (club_id, film_id)
        )
        return _film(row) if row else None

    async def films_by_id(self, club_id: int, film_ids: Sequence[int]) -> dict[int, Film]:
        ids = sorted(set(film_ids))
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        rows = await self.conn.fetchall(
            f"SELECT {_FILM_COLS} FROM films WHERE club_id = ? AND id IN ({marks})", (club_id, *ids)
        )
        return {film.id: film for film in map(_film, rows)}

    async def list_films(self, club_id: int, statuses: Sequence[FilmStatus] | None = None) -> list[Film]:
        if statuses:
            marks = ", ".join("?" for _ in statuses)
            rows = await self.conn.fetchall(
                f"SELECT {_FILM_COLS} FROM films WHERE club_id = ? AND status IN ({marks}) ORDER BY id",
                (club_id, *(s.value for s in statuses)),
            )
        else:
            rows = await self.conn.fetchall(f"SELECT {_FILM_COLS} FROM films WHERE club_id = ? ORDER BY id", (club_id,))
        return [_film(r) for r in rows]

    async def set_film_status(self, club_id: int, film_id: int, status: FilmStatus) -> None:
        await self.conn.execute(
            "UPDATE films SET status = ? WHERE club_id = ? AND id = ?",
            (status.value, club_id, film_id),
        )

    async def delete_film(self, club_id: int, film_id: int) -> None:
        await self.conn.execute("DELETE FROM films WHERE club_id = ? AND id = ?", (club_id, film_id))

    async def mark_seen(self, club_id: int, film_id: int, user_id: str, at: datetime) -> bool:
        row = await self.conn.fetchone(
            "INSERT INTO seen (club_id, film_id, user_id, seen_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (club_id, film_id, user_id) DO NOTHING RETURNING film_id",
            (club_id, film_id, user_id, ts(at)),
        )
        return row is not None

    async def seen_by(self, club_id: int, film_id: int) -> list[str]:
        rows = await self.conn.fetchall(
            "SELECT user_id FROM seen WHERE club_id = ? AND film_id = ? ORDER BY seen_at, user_id",
            (club_id, film_id),
        )
        return [r[0] for r in rows]

    # ---- polls and ballots ----
    async def add_poll(
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
            id=await self._next_id(club_id, "poll"),
            club_id=club_id,
            method=method,
            anonymous=anonymous,
            status=PollStatus.OPEN,
            film_ids=tuple(film_ids),
            created_by=by,
            created_at=exact(at),
            closes_at=None if closes_at is None else exact(closes_at),
        )
        await self._insert_poll(poll)
        return poll

    async def _insert_poll(self, p: Poll) -> None:
        await self.conn.execute(
            f"INSERT INTO polls ({_POLL_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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

    async def get_poll(self, club_id: int, poll_id: int) -> Poll | None:
        row = await self.conn.fetchone(
            f"SELECT {_POLL_COLS} FROM polls WHERE club_id = ? AND id = ?", (club_id, poll_id)
        )
        return _poll(row) if row else None

    async def list_polls(self, club_id: int, open_only: bool = False) -> list[Poll]:
        where = " AND status = 'open'" if open_only else ""
        rows = await self.conn.fetchall(
            f"SELECT {_POLL_COLS} FROM polls WHERE club_id = ?{where} ORDER BY id", (club_id,)
        )
        return [_poll(r) for r in rows]

    async def set_poll_films(self, club_id: int, poll_id: int, film_ids: Sequence[int]) -> None:
        await self.conn.execute(
            "UPDATE polls SET film_ids = ? WHERE club_id = ? AND id = ?",
            (json.dumps(list(film_ids)), club_id, poll_id),
        )

    async def set_poll_ref(self, club_id: int, poll_id: int, ref: str | None) -> None:
        await self.conn.execute(
            "UPDATE polls SET platform_ref = ? WHERE club_id = ? AND id = ?", (ref, club_id, poll_id)
        )

    async def close_poll(
        self, club_id: int, poll_id: int, status: str, at: datetime, winner_film_id: int | None
    ) -> None:
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

    async def list_ballots(self, club_id: int, poll_id: int) -> list[Ballot]:
        rows = await self.conn.fetchall(
            "SELECT club_id, poll_id, user_id, display_name, choices, cast_at FROM ballots "
            "WHERE club_id = ? AND poll_id = ? ORDER BY cast_at, user_id",
            (club_id, poll_id),
        )
        return [
            Ballot(
                club_id=r[0],
                poll_id=r[1],
                user_id=r[2],
                display_name=r[3],
                choices=tuple(json.loads(r[4])),
                cast_at=dt(r[5]),
            )
            for r in rows
        ]

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

    async def film_vote_counts(self, club_id: int) -> dict[int, int]:
        rows = await self.conn.fetchall("SELECT choices FROM ballots WHERE club_id = ?", (club_id,))
        counts: dict[int, int] = {}
        for (choices,) in rows:
            for film_id in set(json.loads(choices)):
                counts[film_id] = counts.get(film_id, 0) + 1
        return counts

    # ---- watch parties and RSVPs ----
    async def add_party(
        self,
        club_id: int,
        film_id: int,
        starts_at: datetime,
        duration_minutes: int,
        where: str | None,
        by: str,
        at: datetime,
        series_id: int | None = None,
    ) -> Party:
        party = Party(
            id=await self._next_id(club_id, "party"),
            club_id=club_id,
            film_id=film_id,
            starts_at=exact(starts_at),
            duration_minutes=duration_minutes,
            where=where,
            status=PartyStatus.SCHEDULED,
            created_by=by,
            created_at=exact(at),
            series_id=series_id,
        )
        await self._insert_party(party)
        return party

    async def _insert_party(self, party: Party) -> None:
        await self.conn.execute(
            f"INSERT INTO parties ({_PARTY_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                party.club_id,
                party.id,
                party.film_id,
                ts(party.starts_at),
                party.duration_minutes,
                party.where,
                party.status.value,
                party.created_by,
                ts(party.created_at),
                party.series_id,
                party.platform_ref,
            ),
        )

    async def get_party(self, club_id: int, party_id: int) -> Party | None:
        row = await self.conn.fetchone(
            f"SELECT {_PARTY_COLS} FROM parties WHERE club_id = ? AND id = ?", (club_id, party_id)
        )
        return _party(row) if row else None

    async def list_parties(
        self, club_id: int, film_id: int | None = None, statuses: Sequence[str] | None = None
    ) -> list[Party]:
        sql = f"SELECT {_PARTY_COLS} FROM parties WHERE club_id = ?"
        args: list[Any] = [club_id]
        if film_id is not None:
            sql += " AND film_id = ?"
            args.append(film_id)
        if statuses:
            sql += " AND status IN (" + ", ".join("?" for _ in statuses) + ")"
            args.extend(statuses)
        rows = await self.conn.fetchall(sql + " ORDER BY starts_at, id", args)
        return [_party(r) for r in rows]

    async def update_party(self, party: Party) -> None:
        await self.conn.execute(
            "UPDATE parties SET film_id = ?, starts_at = ?, duration_minutes = ?, where_text = ?, "
            "status = ?, series_id = ?, platform_ref = ? WHERE club_id = ? AND id = ?",
            (
                party.film_id,
                ts(party.starts_at),
                party.duration_minutes,
                party.where,
                party.status.value,
                party.series_id,
                party.platform_ref,
                party.club_id,
                party.id,
            ),
        )

    async def put_rsvp(self, rsvp: Rsvp) -> None:
        await self.conn.execute(
            "INSERT INTO rsvps (club_id, party_id, user_id, display_name, answer, answered_at, "
            "dm_offset_minutes) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (club_id, party_id, user_id) DO UPDATE SET "
            "display_name = excluded.display_name, answer = excluded.answer, "
            "answered_at = excluded.answered_at, dm_offset_minutes = excluded.dm_offset_minutes",
            (
                rsvp.club_id,
                rsvp.party_id,
                rsvp.user_id,
                rsvp.display_name,
                rsvp.answer.value,
                ts(rsvp.answered_at),
                rsvp.dm_offset_minutes,
            ),
        )

    async def list_rsvps(self, club_id: int, party_id: int) -> list[Rsvp]:
        rows = await self.conn.fetchall(
            "SELECT club_id, party_id, user_id, display_name, answer, answered_at, "
            "dm_offset_minutes FROM rsvps WHERE club_id = ? AND party_id = ? "
            "ORDER BY answered_at, user_id",
            (club_id, party_id),
        )
        return [
            Rsvp(
                club_id=r[0],
                party_id=r[1],
                user_id=r[2],
                display_name=r[3],
                answer=RsvpAnswer(r[4]),
                answered_at=dt(r[5]),
                dm_offset_minutes=r[6],
            )
            for r in rows
        ]

    async def record_attendance(self, attendance: Attendance) -> bool:
        row = await self.conn.fetchone(
            "INSERT INTO attendance (club_id, party_id, user_id, display_name, joined_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (club_id, party_id, user_id) DO NOTHING RETURNING user_id",
            (
                attendance.club_id,
                attendance.party_id,
                attendance.user_id,
                attendance.display_name,
                ts(attendance.joined_at),
            ),
        )
        return row is not None

    async def list_attendance(self, club_id: int, party_id: int) -> list[Attendance]:
        rows = await self.conn.fetchall(
            "SELECT club_id, party_id, user_id, display_name, joined_at FROM attendance "
            "WHERE club_id = ? AND party_id = ? ORDER BY joined_at, user_id",
            (club_id, party_id),
        )
        return [
            Attendance(club_id=r[0], party_id=r[1], user_id=r[2], display_name=r[3], joined_at=dt(r[4])) for r in rows
        ]

    # ---- ratings ----
    async def put_rating(self, rating: Rating) -> None:
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

    async def get_rating(self, club_id: int, film_id: int, user_id: str) -> Rating | None:
        row = await self.conn.fetchone(
            "SELECT club_id, film_id, user_id, display_name, score, review, rated_at FROM ratings "
            "WHERE club_id = ? AND film_id = ? AND user_id = ?",
            (club_id, film_id, user_id),
        )
        return _rating(row) if row else None

    async def list_ratings(self, club_id: int, film_id: int) -> list[Rating]:
        rows = await self.conn.fetchall(
            "SELECT club_id, film_id, user_id, display_name, score, review, rated_at FROM ratings "
            "WHERE club_id = ? AND film_id = ? ORDER BY rated_at, user_id",
            (club_id, film_id),
        )
        return [_rating(r) for r in rows]

    async def count_ratings(self, club_id: int, film_id: int) -> int:
        row = await self.conn.fetchone(
            "SELECT COUNT(*) FROM ratings WHERE club_id = ? AND film_id = ?", (club_id, film_id)
        )
        return int(row[0]) if row else 0

    async def member_ratings(self, club_id: int, user_id: str) -> list[MemberRating]:
        rows = await self.conn.fetchall(
            "SELECT r.film_id, f.title, f.year, r.score, r.review, r.rated_at FROM ratings r "
            "JOIN films f ON f.club_id = r.club_id AND f.id = r.film_id "
            "WHERE r.club_id = ? AND r.user_id = ? ORDER BY r.rated_at DESC, r.film_id",
            (club_id, user_id),
        )
        return [
            MemberRating(film_id=r[0], title=r[1], year=r[2], score=r[3], review=r[4], rated_at=dt(r[5])) for r in rows
        ]

    async def leaderboard(
        self, club_id: int, min_ratings: int, limit: int, rated_by: str | None = None
    ) -> list[FilmScore]:
        # The member's few rated films are listed once (IN), not looked up per rating row.
        mine = ""
        args: tuple[Any, ...] = (club_id,)
        if rated_by is not None:
            mine = "AND r.film_id IN (SELECT m.film_id FROM ratings m WHERE m.club_id = ? AND m.user_id = ?) "
            args += (club_id, rated_by)
        rows = await self.conn.fetchall(
            "SELECT f.id, f.title, f.year, COUNT(*) AS n, AVG(r.score * 1.0) AS mean "
            "FROM ratings r JOIN films f ON f.club_id = r.club_id AND f.id = r.film_id "
            f"WHERE r.club_id = ? {mine}GROUP BY f.id, f.title, f.year HAVING COUNT(*) >= ? "
            "ORDER BY mean DESC, n DESC, f.id LIMIT ?",
            (*args, min_ratings, limit),
        )
        return [FilmScore(film_id=r[0], title=r[1], year=r[2], count=int(r[3]), mean=float(r[4])) for r in rows]

    async def rated_films_not_rated_by(self, club_id: int, user_id: str) -> list[RatedFilm]:
        rows = await self.conn.fetchall(
            "SELECT f.id, f.title, f.year, COUNT(*) AS n "
            "FROM ratings r JOIN films f ON f.club_id = r.club_id AND f.id = r.film_id "
            "WHERE r.club_id = ? AND r.film_id NOT IN (SELECT m.film_id FROM ratings m "
            "WHERE m.club_id = ? AND m.user_id = ?) "
            "GROUP BY f.id, f.title, f.year ORDER BY n DESC, f.id",
            (club_id, club_id, user_id),
        )
        return [RatedFilm(film_id=r[0], title=r[1], year=r[2], count=int(r[3])) for r in rows]

    # ---- discussion prompts ----
    async def add_prompt(self, club_id: int, film_id: int, text: str, by_name: str, at: datetime) -> Prompt:
        prompt_id = await self._next_id(club_id, "prompt")
        await self.conn.execute(
            "INSERT INTO film_prompts (club_id, film_id, id, text, added_by_name, added_at) VALUES (?, ?, ?, ?, ?, ?)",
            (club_id, film_id, prompt_id, text, by_name, ts(at)),
        )
        return Prompt(key=f"film:{prompt_id}", text=text, added_by_name=by_name)

    async def film_prompts(self, club_id: int, film_id: int) -> list[Prompt]:
        rows = await self.conn.fetchall(
            "SELECT id, text, added_by_name FROM film_prompts WHERE club_id = ? AND film_id = ? ORDER BY id",
            (club_id, film_id),
        )
        return [Prompt(key=f"film:{r[0]}", text=r[1], added_by_name=r[2]) for r in rows]

    async def recent_prompt_keys(self, club_id: int, limit: int) -> list[str]:
        rows = await self.conn.fetchall(
            "SELECT prompt_key FROM prompts_shown WHERE club_id = ? ORDER BY seq DESC LIMIT ?",
            (club_id, limit),
        )
        return [r[0] for r in rows]

    async def record_prompts_shown(self, club_id: int, film_id: int, keys: Sequence[str], at: datetime) -> None:
        for key in keys:
            seq = await self._next_id(club_id, "prompt_shown")
            await self.conn.execute(
                "INSERT INTO prompts_shown (club_id, prompt_key, film_id, shown_at, seq) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (club_id, prompt_key) DO UPDATE SET "
                "film_id = excluded.film_id, shown_at = excluded.shown_at, seq = excluded.seq",
                (club_id, key, film_id, ts(at), seq),
            )

    # ---- reminders ----
    async def add_reminders(self, reminders: Sequence[NewReminder]) -> None:
        for r in reminders:
            await self.conn.execute(
                "INSERT INTO reminders (club_id, kind, target_id, due_at, state, attempts, "
                "offset_minutes, user_id) VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)",
                (r.club_id, r.kind.value, r.target_id, ts(r.due_at), r.offset_minutes, r.user_id),
            )

    async def delete_pending_reminders(self, club_id: int, kinds: Sequence[str], target_id: int) -> int:
        marks = ", ".join("?" for _ in kinds)
        rows = await self.conn.fetchall(
            f"DELETE FROM reminders WHERE club_id = ? AND target_id = ? AND kind IN ({marks}) "
            "AND state = 'pending' RETURNING id",
            (club_id, target_id, *kinds),
        )
        return len(rows)

    @staticmethod
    def _platform_filter(platforms: Sequence[str] | None) -> tuple[str, list[Any]]:
        if not platforms:
            return "", []
        marks = ", ".join("?" for _ in platforms)
        return f" AND club_id IN (SELECT id FROM clubs WHERE platform IN ({marks}))", list(platforms)

    async def next_due_at(self, platforms: Sequence[str] | None = None) -> datetime | None:
        where, args = self._platform_filter(platforms)
        row = await self.conn.fetchone(
            "SELECT MIN(t) FROM ("
            f"SELECT MIN(due_at) AS t FROM reminders WHERE state = 'pending'{where} "
            f"UNION ALL SELECT MIN(lease_until) AS t FROM reminders WHERE state = 'claimed'{where}) AS due",
            (*args, *args),
        )
        return None if row is None or row[0] is None else dt(row[0])

    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int, platforms: Sequence[str] | None = None
    ) -> list[Reminder]:
        lock = " FOR UPDATE SKIP LOCKED" if self.conn.dialect == "postgresql" else ""
        where, args = self._platform_filter(platforms)
        rows = await self.conn.fetchall(
            "SELECT id FROM reminders WHERE ((state = 'pending' AND due_at <= ?) "
            f"OR (state = 'claimed' AND lease_until <= ?)){where} ORDER BY due_at, id LIMIT ?" + lock,
            (ts(now), ts(now), *args, limit),
        )
        claimed: list[Reminder] = []
        for (rid,) in rows:
            row = await self.conn.fetchone(
                f"UPDATE reminders SET state = 'claimed', lease_until = ? WHERE id = ? RETURNING {_REMINDER_COLS}",
                (ts(lease_until), rid),
            )
            if row is not None:
                claimed.append(_reminder(row))
        return claimed

    async def finish_reminder(self, reminder_id: int, state: ReminderState, at: datetime) -> None:
        await self.conn.execute(
            "UPDATE reminders SET state = ?, finished_at = ?, lease_until = NULL WHERE id = ?",
            (state.value, ts(at), reminder_id),
        )

    async def retry_reminder(self, reminder_id: int, due_at: datetime, attempts: int) -> None:
        await self.conn.execute(
            "UPDATE reminders SET state = 'pending', due_at = ?, attempts = ?, lease_until = NULL WHERE id = ?",
            (ts(due_at), attempts, reminder_id),
        )

    async def list_reminders(self, club_id: int, target_id: int | None = None) -> list[Reminder]:
        sql = f"SELECT {_REMINDER_COLS} FROM reminders WHERE club_id = ?"
        args: list[Any] = [club_id]
        if target_id is not None:
            sql += " AND target_id = ?"
            args.append(target_id)
        rows = await self.conn.fetchall(sql + " ORDER BY due_at, id", args)
        return [_reminder(r) for r in rows]

    async def later_reminder_due(self, reminder: Reminder, now: datetime) -> bool:
        row = await self.conn.fetchone(
            "SELECT 1 FROM reminders WHERE club_id = ? AND target_id = ? AND kind = ? "
            "AND COALESCE(user_id, '') = ? AND state IN ('pending', 'claimed', 'sent') "
            "AND COALESCE(offset_minutes, 0) < ? AND due_at > ? AND due_at <= ? AND id <> ? LIMIT 1",
            (
                reminder.club_id,
                reminder.target_id,
                reminder.kind.value,
                reminder.user_id or "",
                reminder.offset_minutes or 0,
                ts(reminder.due_at),
                ts(now),
                reminder.id,
            ),
        )
        return row is not None

    # ---- idempotency ----
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

    async def platform_value(self, key: str) -> str | None:
        row = await self.conn.fetchone("SELECT value FROM platform_state WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    async def set_platform_value(self, key: str, value: str, at: datetime) -> None:
        await self.conn.execute(
            "INSERT INTO platform_state (key, value, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            (key, value, ts(at)),
        )

    # ---- export / import ----
    async def export_club(self, club_id: int) -> ClubSnapshot:
        club = await self.get_club_by_id(club_id)
        if club is None:
            raise LookupError(club_id)
        snap = ClubSnapshot(club=club)
        snap.films = await self.list_films(club_id)
        rows = await self.conn.fetchall(
            "SELECT film_id, user_id, seen_at FROM seen WHERE club_id = ? ORDER BY film_id, user_id",
            (club_id,),
        )
        snap.seen = [(r[0], r[1], dt(r[2])) for r in rows]
        snap.polls = await self.list_polls(club_id)
        for poll in snap.polls:
            snap.ballots.extend(await self.list_ballots(club_id, poll.id))
        snap.parties = await self.list_parties(club_id)
        for party in snap.parties:
            snap.rsvps.extend(await self.list_rsvps(club_id, party.id))
            snap.attendance.extend(await self.list_attendance(club_id, party.id))
        for film in snap.films:
            snap.ratings.extend(await self.list_ratings(club_id, film.id))
            snap.prompts.extend((film.id, p) for p in await self.film_prompts(club_id, film.id))
        snap.members = await self.member_names(club_id)
        return snap

    async def import_club(self, snapshot: ClubSnapshot) -> Club:
        src = snapshot.club
        existing = await self.get_club(src.key)
        if existing is not None:
            # Keep the club's row (and id); replace everything in it.
            for table in (
                "reminders",
                "prompts_shown",
                "film_prompts",
                "ratings",
                "attendance",
                "rsvps",
                "parties",
                "ballots",
                "polls",
                "seen",
                "films",
                "members",
                "club_counters",
            ):
                await self.conn.execute(f"DELETE FROM {table} WHERE club_id = ?", (existing.id,))
            await self.conn.execute(
                "UPDATE clubs SET name = ?, config = ?, created_at = ? WHERE id = ?",
                (src.name, config_to_json(src.config), ts(src.created_at), existing.id),
            )
            club = Club(id=existing.id, key=src.key, name=src.name, config=src.config, created_at=exact(src.created_at))
        else:
            club = await self.create_club(src.key, src.name, src.config, src.created_at)
        cid = club.id
        for user_id, name in sorted(snapshot.members.items()):
            await self.upsert_member(cid, user_id, name, src.created_at)
        for f in snapshot.films:
            await self._insert_film(replace(f, club_id=cid))
        for film_id, user_id, at in snapshot.seen:
            await self.mark_seen(cid, film_id, user_id, at)
        for p in snapshot.polls:
            await self._insert_poll(replace(p, club_id=cid))
        for b in snapshot.ballots:
            await self.put_ballot(replace(b, club_id=cid))
        for party in snapshot.parties:
            await self._insert_party(replace(party, club_id=cid))
        for rsvp in snapshot.rsvps:
            await self.put_rsvp(replace(rsvp, club_id=cid))
        for joined in snapshot.attendance:
            await self.record_attendance(replace(joined, club_id=cid))
        for rating in snapshot.ratings:
            await self.put_rating(replace(rating, club_id=cid))
        for film_id, prompt in snapshot.prompts:
            prompt_id = int(prompt.key.split(":", 1)[1])
            await self.conn.execute(
                "INSERT INTO film_prompts (club_id, film_id, id, text, added_by_name, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (cid, film_id, prompt_id, prompt.text, prompt.added_by_name or "", ts(src.created_at)),
            )
        # Counters continue after the highest imported id of each kind.
        for kind, ids in (
            ("film", [f.id for f in snapshot.films]),
            ("poll", [p.id for p in snapshot.polls]),
            ("party", [p.id for p in snapshot.parties]),
            ("prompt", [int(p.key.split(":", 1)[1]) for _, p in snapshot.prompts]),
        ):
            await self.conn.execute(
                "INSERT INTO club_counters (club_id, kind, last_id) VALUES (?, ?, ?)",
                (cid, kind, max(ids, default=0)),
            )
        return club


def _rating(r: Row) -> Rating:
    return Rating(
        club_id=r[0], film_id=r[1], user_id=r[2], display_name=r[3], score=r[4], review=r[5], rated_at=dt(r[6])
    )
