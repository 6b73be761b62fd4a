"""The film catalog port: where films are looked up (The Movie Database behind it).

A catalog is a convenience, never a dependency: it answers None when it cannot be asked (no
key set, the service down, slow or answering nonsense) and the club goes on with what the
member typed. It never raises for those; it logs them itself.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Protocol

DOCUMENTARY = "Documentary"
# Control characters (a line break aside) and text-direction overrides: never in a looked-up text.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


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


def film_to_dict(film: CatalogFilm) -> dict[str, Any]:
    """The film as plain JSON data (kept with the club's film, exported, cached)."""
    data = asdict(film)
    if film.streaming is not None:
        data["streaming"]["checked_at"] = film.streaming.checked_at.isoformat()
    return data


def film_from_dict(data: Any) -> CatalogFilm:
    """Read what `film_to_dict` wrote; ValueError saying what is wrong when it is not that."""
    if not isinstance(data, dict):
        raise ValueError("looked-up details must be an object")

    def text(name: str, raw: Any, *, optional: bool = True) -> str | None:
        if raw is None and optional:
            return None
        if not isinstance(raw, str) or len(raw) > 2000 or _CONTROL.search(raw):
            raise ValueError(f"{name} must be text of at most 2000 characters, without control characters")
        return raw

    def address(name: str, raw: Any) -> str | None:
        value = text(name, raw)
        if value is not None and (not value.startswith("https://") or " " in value):
            raise ValueError(f"{name} must be an https:// address")
        return value

    def texts(name: str, raw: Any) -> tuple[str, ...]:
        if not isinstance(raw, list | tuple) or len(raw) > 100:
            raise ValueError(f"{name} must be a list of text")
        return tuple(str(text(name, item, optional=False)) for item in raw)

    def number(name: str, raw: Any) -> int | None:
        if raw is None:
            return None
        if not isinstance(raw, int) or isinstance(raw, bool) or not 0 < raw < 10**9:
            raise ValueError(f"{name} must be a positive whole number")
        return raw

    tmdb_id = number("tmdb_id", data.get("tmdb_id"))
    if tmdb_id is None:
        raise ValueError("tmdb_id is missing")
    raw_streaming = data.get("streaming")
    streaming = None
    if raw_streaming is not None:
        if not isinstance(raw_streaming, dict):
            raise ValueError("streaming must be an object")
        try:
            checked_at = datetime.fromisoformat(str(raw_streaming.get("checked_at")))
        except ValueError:
            raise ValueError("streaming.checked_at must be a time") from None
        if checked_at.tzinfo is None:
            raise ValueError("streaming.checked_at must have a timezone")
        streaming = Streaming(
            region=str(text("streaming.region", raw_streaming.get("region"), optional=False)),
            stream=texts("streaming.stream", raw_streaming.get("stream")),
            rent=texts("streaming.rent", raw_streaming.get("rent")),
            link=address("streaming.link", raw_streaming.get("link")),
            checked_at=checked_at,
        )
    return CatalogFilm(
        tmdb_id=tmdb_id,
        title=str(text("title", data.get("title"), optional=False)),
        original_title=text("original_title", data.get("original_title")),
        year=number("year", data.get("year")),
        runtime=number("runtime", data.get("runtime")),
        directors=texts("directors", data.get("directors", [])),
        synopsis=text("synopsis", data.get("synopsis")),
        poster_url=address("poster_url", data.get("poster_url")),
        imdb_id=text("imdb_id", data.get("imdb_id")),
        genres=texts("genres", data.get("genres", [])),
        streaming=streaming,
    )


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
    "film_from_dict",
    "film_to_dict",
    "imdb_url",
    "tmdb_url",
]
