"""Looking a suggestion up in the film catalog: which film is meant, and what a card shows of it.

The rule for "which film": the catalog's films whose title (or original title) is the typed
title, loosely (`title_key`: case, accents, punctuation and a leading article ignored), in the
typed year when one is given. One such film is taken; several are offered for the member to
pick, documentaries first; none leaves the suggestion as typed, with the nearest title named.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from docclub.core.catalog import CatalogFilm, CatalogMatch, FilmCatalog, film_from_dict, film_to_dict
from docclub.core.club_config import DEFAULT_REGION
from docclub.core.errors import InvalidInput
from docclub.core.models import ClubConfig, NewFilm
from docclub.core.replies import Field, Line, cmd, line, span_words
from docclub.core.text import SHORT_MAX, TITLE_MAX, clean, title_key
from docclub.core.when import zone_country

PICK_MAX = 5  # films offered to pick from, at most
RUNTIME_MARGIN_MINUTES = 20  # a party lasts the film plus this (introductions, a break), rounded up
SYNOPSIS_SHOWN = 600
ATTRIBUTION = "Streaming offers from JustWatch, via TMDB"


@dataclass(frozen=True, slots=True)
class Found:
    """What the catalog says about a suggestion: one film, several to pick from, or neither
    (with a note for the member when the catalog answered but knows no such film)."""

    film: CatalogFilm | None = None
    candidates: tuple[CatalogFilm, ...] = ()
    note: Line | None = None


def same_film(match: CatalogMatch, title: str, year: int | None) -> bool:
    """Whether the catalog's `match` is a film called `title` (in `year`, when given)."""
    key = title_key(title)
    named = key in (title_key(match.title), title_key(match.original_title or match.title))
    return named and (year is None or match.year in (year, None))


async def look_up(catalog: FilmCatalog, new: NewFilm, region: str | Callable[[], Awaitable[str]]) -> Found:
    """Ask the catalog about a suggestion. Never raises for the catalog's failures: a catalog
    that cannot be asked gives `Found()` and the film is suggested as typed. `region` may be
    a coroutine function, called only once the catalog has answered the search."""
    matches = await catalog.search(new.title, new.year)
    if matches is None:
        return Found()
    if not isinstance(region, str):
        region = await region()
    exact = [m for m in matches if same_film(m, new.title, new.year)]
    if not exact:
        return Found(note=_not_found(new, matches))
    exact.sort(key=lambda m: "Documentary" not in m.genres)  # stable: the catalog's order otherwise
    films = await asyncio.gather(*(catalog.film(m.tmdb_id, region) for m in exact[:PICK_MAX]))
    found = [f for f in films if f is not None]
    if len(found) == 1:
        return Found(film=found[0])
    return Found(candidates=tuple(found))


def club_region(config: ClubConfig) -> str:
    """Where the club watches, for streaming offers: its `region` setting, else the country of
    its timezone, else the United States (UTC and zones of no country)."""
    return config.region or zone_country(config.timezone) or DEFAULT_REGION  # the same as `region_shown`


def pick_payload(new: NewFilm, new_anyway: bool, candidates: tuple[CatalogFilm, ...]) -> str:
    """A suggestion waiting for its member to pick, as stored (`tx.lookups.set_pick`)."""
    typed = {
        "title": new.title,
        "year": new.year,
        "link": new.link,
        "where": new.where,
        "warnings": list(new.warnings),
        "tags": list(new.tags),
        "pitch": new.pitch,
    }
    return json.dumps(
        {"film": typed, "new": new_anyway, "candidates": [film_to_dict(f) for f in candidates]}, ensure_ascii=False
    )


def read_pick(payload: str) -> tuple[NewFilm, bool, tuple[CatalogFilm, ...]]:
    """What `pick_payload` stored; ValueError when it can't be read."""
    data = json.loads(payload)
    typed = data["film"]
    new = NewFilm(
        title=str(typed["title"]),
        year=typed.get("year"),
        link=typed.get("link"),
        where=typed.get("where"),
        warnings=tuple(typed.get("warnings") or ()),
        tags=tuple(typed.get("tags") or ()),
        pitch=typed.get("pitch"),
    )
    return new, bool(data.get("new")), tuple(film_from_dict(f) for f in data["candidates"])


def _not_found(new: NewFilm, matches: list[CatalogMatch]) -> Line:
    typed = f"{new.title} ({new.year})" if new.year else new.title
    if not matches:
        return line(f"TMDB knows no film called {typed!r}, so it is kept as you typed it.")
    near = matches[0]
    year = str(near.year) if near.year else None
    return line(
        f"TMDB has no film called exactly {typed!r}, so it is kept as you typed it. The nearest it knows is "
        f"{near.title}{f' ({year})' if year else ''}; to suggest that one instead: ",
        cmd("suggest", title=near.title, year=year) if year else cmd("suggest", title=near.title),
    )


def completed(new: NewFilm, film: CatalogFilm) -> NewFilm:
    """The suggestion with what the catalog knows filled in; what the member typed (`--year`,
    `--where`, `--cw`, `--link`, `--pitch`) wins. The catalog's title is used when it reads as
    a title here (it may be in better case than what was typed)."""
    try:
        title = clean(film.title, "title", TITLE_MAX)
    except InvalidInput:
        title = new.title
    return replace(new, title=title, year=new.year if new.year is not None else film.year)


def pick_label(film: CatalogFilm) -> str:
    """How a film is told apart from others of its title: `Amy (2015, Asif Kapadia)`, with its
    genres when it is not a documentary."""
    facts = [str(film.year) if film.year else "", ", ".join(film.directors[:2])]
    label = film.title + (f" ({', '.join(f for f in facts if f)})" if any(facts) else "")
    if film.original_title and title_key(film.original_title) != title_key(film.title):
        label += f" [{film.original_title}]"
    if not film.is_documentary and film.genres:
        label += f" — {', '.join(film.genres[:2])}"
    return label


def genre_note(film: CatalogFilm) -> Line | None:
    """A note when the catalog does not list the film as a documentary."""
    if film.is_documentary:
        return None
    if not film.genres:
        return line("TMDB lists no genre for it; suggested all the same.")
    return line(f"TMDB lists it as {', '.join(film.genres[:3])}, not as a documentary; suggested all the same.")


def party_minutes(film: CatalogFilm | None) -> int | None:
    """A party's default length for the film: its runtime and a margin, in quarter hours."""
    if film is None or film.runtime is None:
        return None
    total = film.runtime + RUNTIME_MARGIN_MINUTES
    return -(-total // 15) * 15


def streaming_line(film: CatalogFilm) -> Line | None:
    """`Streams on Amazon Prime Video (US); rent or buy: Apple TV`, or that it does not stream."""
    s = film.streaming
    if s is None:
        return None
    parts = []
    if s.stream:
        parts.append(f"Streams on {', '.join(s.stream[:4])} ({s.region})")
    if s.rent:
        parts.append(f"rent or buy: {', '.join(s.rent[:3])}")
    if not parts:
        return line(f"No streaming offer in {s.region} that TMDB knows of")
    text = "; ".join(parts)
    return line(text[:1].upper() + text[1:])


def detail_fields(film: CatalogFilm, *, where: str | None, title: str) -> tuple[Field, ...]:
    """The card's looked-up fields: director, runtime, synopsis, genres, where it streams (the
    member's own `where` wins), and the TMDB and IMDb links."""
    fields: list[Field] = []
    if film.original_title and title_key(film.original_title) != title_key(title):
        fields.append(Field("Original title", (line(film.original_title),), inline=True))
    if film.directors:
        label = "Director" if len(film.directors) == 1 else "Directors"
        fields.append(Field(label, (line(", ".join(film.directors[:4])),), inline=True))
    if film.runtime:
        fields.append(Field("Runtime", (line(span_words(film.runtime * 60)),), inline=True))
    if film.genres:
        fields.append(Field("Genres", (line(", ".join(film.genres[:4])),), inline=True))
    if film.synopsis:
        fields.append(Field("Synopsis", (line(_shorten(film.synopsis, SYNOPSIS_SHOWN)),)))
    stream = streaming_line(film)
    if where is None and stream is not None:
        fields.append(Field("Where to watch", (stream, line(ATTRIBUTION))))
    links = [film.tmdb_url, *([film.imdb_url] if film.imdb_url else [])]
    fields.append(Field("TMDB" if len(links) == 1 else "TMDB · IMDb", (line(" · ".join(links)),)))
    return tuple(fields)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = cut.rfind(". ")
    return cut[: end + 1] if end > limit // 2 else cut.rstrip() + "…"


def where_text(film: CatalogFilm) -> str | None:
    """Where to watch as one short text (for a list line), or None."""
    stream = streaming_line(film)
    return "".join(str(p) for p in stream)[:SHORT_MAX] if stream else None


__all__ = [
    "ATTRIBUTION",
    "Found",
    "club_region",
    "completed",
    "detail_fields",
    "genre_note",
    "look_up",
    "party_minutes",
    "pick_label",
    "pick_payload",
    "read_pick",
    "same_film",
]
