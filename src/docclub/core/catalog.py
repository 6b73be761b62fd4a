"""The film catalog port: where films are looked up (The Movie Database behind it).

A catalog is a convenience, never a dependency: it answers None when it cannot be asked (no
key set, the service down, slow or answering nonsense) and the club goes on with what the
member typed. It never raises for those; it logs them itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

DOCUMENTARY = "Documentary"


@dataclass(frozen=True, slots=True)
class CatalogMatch:
    """One answer to a title search: enough to tell films of one title apart."""

    tmdb_id: int
    title: str
    original_title: str | None
    year: int | None
    genres: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Streaming:
    """Where a film can be watched in one region, as JustWatch tells TMDB.

    `stream`: subscription, free and with-ads services; `rent`: services that rent or sell it.
    `link` is TMDB's page of these offers for the region (the attribution members can follow).
    """

    region: str
    stream: tuple[str, ...]
    rent: tuple[str, ...]
    link: str | None
    checked_at: datetime


@dataclass(frozen=True, slots=True)
class CatalogFilm:
    """A film as the catalog knows it, complete."""

    tmdb_id: int
    title: str
    original_title: str | None
    year: int | None
    runtime: int | None  # minutes
    directors: tuple[str, ...]
    synopsis: str | None
    poster_url: str | None
    imdb_id: str | None
    genres: tuple[str, ...]
    streaming: Streaming | None

    @property
    def is_documentary(self) -> bool:
        return DOCUMENTARY in self.genres

    @property
    def tmdb_url(self) -> str:
        return tmdb_url(self.tmdb_id)

    @property
    def imdb_url(self) -> str | None:
        return imdb_url(self.imdb_id)


def tmdb_url(tmdb_id: int) -> str:
    """The film's page on The Movie Database."""
    return f"https://www.themoviedb.org/movie/{tmdb_id}"


def imdb_url(imdb_id: str | None) -> str | None:
    """The film's page on IMDb, when its IMDb id is known."""
    return f"https://www.imdb.com/title/{imdb_id}/" if imdb_id else None


class FilmCatalog(Protocol):
    """Looks films up. Every method answers None when the catalog could not be asked (no key,
    down, slow, a malformed answer); it never raises for that and logs it once itself."""

    async def search(self, title: str, year: int | None = None) -> list[CatalogMatch] | None:
        """Films whose title is like `title` (released in `year`, when given), best match first,
        at most 20. [] when the catalog knows none; None when it could not be asked."""
        ...

    async def film(self, tmdb_id: int, region: str, *, fresh: bool = False) -> CatalogFilm | None:
        """The film, complete, with where it streams in `region` (ISO 3166-1 code, e.g. "US").
        A cached answer may be up to a day old unless `fresh`. None when the catalog has no
        such film or could not be asked."""
        ...


class NoCatalog:
    """The catalog when none is configured: it is never asked anything."""

    async def search(self, title: str, year: int | None = None) -> list[CatalogMatch] | None:
        return None

    async def film(self, tmdb_id: int, region: str, *, fresh: bool = False) -> CatalogFilm | None:
        return None


__all__ = [
    "DOCUMENTARY",
    "CatalogFilm",
    "CatalogMatch",
    "FilmCatalog",
    "NoCatalog",
    "Streaming",
    "imdb_url",
    "tmdb_url",
]
