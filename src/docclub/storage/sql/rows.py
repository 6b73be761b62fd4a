"""How the club's values are kept in rows, shared by every part of the SQL store.

Times are stored as integer milliseconds since the epoch, lists as JSON text, booleans as
integers, so the same statements run on SQLite and PostgreSQL. `Conn` is what a backend gives
the parts: placeholders are `?`, a backend translates them.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from docclub.core.catalog import CatalogFilm, film_from_dict, film_to_dict
from docclub.core.models import (
    Attendance,
    Ballot,
    Club,
    ClubConfig,
    ClubKey,
    Film,
    FilmStatus,
    Party,
    PartyStatus,
    Poll,
    PollMethod,
    PollStatus,
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
V = TypeVar("V")

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


def key_ends(key: str) -> tuple[str, str]:
    return key[:KEY_END], key[-KEY_END:]


def key_columns(title: str) -> tuple[str, str, str]:
    """title_key, key_head, key_tail of a film, as stored and indexed."""
    key = title_key(title)
    return (key, *key_ends(key))


async def next_id(conn: Conn, club_id: int, kind: str) -> int:
    """The club's next id of `kind` (film, poll, party, prompt, prompt_shown)."""
    if conn.dialect == "postgresql":
        # One upsert instead of update-then-insert: two transactions taking a club's first id
        # of a kind at once would otherwise both insert the counter row.
        row = await conn.fetchone(
            "INSERT INTO club_counters (club_id, kind, last_id) VALUES (?, ?, 1) "
            "ON CONFLICT (club_id, kind) DO UPDATE SET last_id = club_counters.last_id + 1 "
            "RETURNING last_id",
            (club_id, kind),
        )
        assert row is not None
        return int(row[0])
    row = await conn.fetchone(
        "UPDATE club_counters SET last_id = last_id + 1 WHERE club_id = ? AND kind = ? RETURNING last_id",
        (club_id, kind),
    )
    if row is None:
        await conn.execute("INSERT INTO club_counters (club_id, kind, last_id) VALUES (?, ?, 1)", (club_id, kind))
        return 1
    return int(row[0])


CLUB_COLS = "id, platform, space_id, name, config, created_at"
FILM_COLS = (
    "club_id, id, title, year, link, where_to_watch, warnings, tags, pitch, status, "
    "suggested_by, suggested_by_name, created_at, details"
)
POLL_COLS = (
    "club_id, id, method, anonymous, status, film_ids, created_by, created_at, closes_at, closed_at, winner_film_id, "
    "platform_ref"
)
BALLOT_COLS = "club_id, poll_id, user_id, display_name, choices, cast_at"
PARTY_COLS = (
    "club_id, id, film_id, starts_at, duration_minutes, where_text, status, created_by, "
    "created_at, series_id, platform_ref, revision"
)
RSVP_COLS = "club_id, party_id, user_id, display_name, answer, answered_at, dm_offset_minutes"
ATTENDANCE_COLS = "club_id, party_id, user_id, display_name, joined_at"
RATING_COLS = "club_id, film_id, user_id, display_name, score, review, rated_at"
REMINDER_COLS = "id, club_id, kind, target_id, due_at, state, attempts, offset_minutes, user_id, lease_until"


def club(r: Row) -> Club:
    return Club(id=r[0], key=ClubKey(r[1], r[2]), name=r[3], config=config_from_json(r[4]), created_at=dt(r[5]))


def film(r: Row) -> Film:
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
        details=details_from_json(r[13]),
    )


def remembered(build: Callable[[Row], V], size: int) -> Callable[[Row], V]:
    """`build`, remembering its value for the last `size` distinct rows. Every command reads
    the same few rows again (its club's open poll, the poll's films), and the values are
    frozen, so a row read before is answered without parsing it again."""
    cached = functools.lru_cache(maxsize=size)(build)

    def value(r: Row) -> V:
        try:
            return cached(r)
        except TypeError:  # a row holding an unhashable value is built every time
            return build(r)

    return value


def details_to_json(details: CatalogFilm | None) -> str | None:
    return json.dumps(film_to_dict(details), ensure_ascii=False) if details is not None else None


def details_from_json(raw: str | None) -> CatalogFilm | None:
    """The film's looked-up details; None when there are none or they can't be read (a film
    then shows as typed, and `film refresh` looks it up again)."""
    if not raw:
        return None
    try:
        return film_from_dict(json.loads(raw))
    except ValueError:
        return None


def poll(r: Row) -> Poll:
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


def ballot(r: Row) -> Ballot:
    return Ballot(
        club_id=r[0],
        poll_id=r[1],
        user_id=r[2],
        display_name=r[3],
        choices=tuple(json.loads(r[4])),
        cast_at=dt(r[5]),
    )


def party(r: Row) -> Party:
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
        revision=r[11],
    )


def rsvp(r: Row) -> Rsvp:
    return Rsvp(
        club_id=r[0],
        party_id=r[1],
        user_id=r[2],
        display_name=r[3],
        answer=RsvpAnswer(r[4]),
        answered_at=dt(r[5]),
        dm_offset_minutes=r[6],
    )


def attendance(r: Row) -> Attendance:
    return Attendance(club_id=r[0], party_id=r[1], user_id=r[2], display_name=r[3], joined_at=dt(r[4]))


def rating(r: Row) -> Rating:
    return Rating(
        club_id=r[0], film_id=r[1], user_id=r[2], display_name=r[3], score=r[4], review=r[5], rated_at=dt(r[6])
    )


def reminder(r: Row) -> Reminder:
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


# What every command looks up (its club, the poll, the poll's films): the same rows again and again.
known_club = remembered(club, 256)
known_film = remembered(film, 1024)
known_poll = remembered(poll, 256)
