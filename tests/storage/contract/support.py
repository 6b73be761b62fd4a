"""What the store contract tests share: two clubs, a fixed time, and builders for what they store.

Every test of the contract runs once per backend (the `store` fixture in tests/storage/conftest.py)
and asserts on what the store holds afterwards. One module per part of the transaction.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from docclub.core.catalog import CatalogFilm, Streaming
from docclub.core.models import (
    Club,
    ClubConfig,
    ClubKey,
    NewFilm,
    NewReminder,
    Rating,
    ReminderKind,
)

T0 = datetime(2026, 3, 6, 19, 0, tzinfo=UTC)
ALPHA = ClubKey("console", "alpha")
BETA = ClubKey("discord", "123456789")


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def looked_up(title: str = "Honeyland", year: int = 2019) -> CatalogFilm:
    """What the film catalog might say of a film."""
    return CatalogFilm(
        tmdb_id=575813, title=title, original_title="Медена земја", year=year, runtime=89,
        directors=("Tamara Kotevska", "Ljubomir Stefanov"), synopsis="A beekeeper's life.",
        poster_url="https://image.tmdb.org/t/p/w342/p.jpg", imdb_id="tt8991268",
        genres=("Documentary",),
        streaming=Streaming("US", ("Hulu",), ("Apple TV",), "https://www.themoviedb.org/w", at(1)))


async def new_club(store: Any, key: ClubKey = ALPHA, config: ClubConfig | None = None) -> Club:
    club: Club = await store.write(
        lambda tx: tx.clubs.create(key, f"{key.space_id} docs", config or ClubConfig(), T0)
    )
    return club


async def new_film(store: Any, club: Club, title: str, year: int | None = None,
                   by: str = "u-ana") -> int:
    film = await store.write(
        lambda tx: tx.films.add(club.id, NewFilm(title=title, year=year), by, by.upper(), T0)
    )
    return int(film.id)


def rating(club: Club, film_id: int, user: str, score: int, minutes: float = 0,
           review: str | None = None) -> Rating:
    return Rating(club_id=club.id, film_id=film_id, user_id=user, display_name=user.title(),
                  score=score, review=review, rated_at=at(minutes))


def reminder(club: Club, minutes: float, target: int = 1,
             kind: ReminderKind = ReminderKind.PARTY_BEFORE) -> NewReminder:
    return NewReminder(club_id=club.id, kind=kind, target_id=target, due_at=at(minutes),
                       offset_minutes=60)

