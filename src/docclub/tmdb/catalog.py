"""TmdbCatalog: the core's `FilmCatalog` on TMDB, with answers cached (in the store) for a while.

Three requests are made: `search/movie`, `movie/{id}` with `append_to_response=credits,
external_ids,watch/providers` (one request per film, everything a card shows), and
`configuration` for the image base URL and poster sizes (cached for days, as TMDB asks).
Answers are read defensively: a field of the wrong type is treated as missing, an answer
without what it must have (a search without `results`, a film without `id` and `title`) as no
answer at all.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any, Protocol

from docclub.core.catalog import CatalogFilm, CatalogMatch, Streaming, film_from_dict, film_to_dict
from docclub.core.ports import Clock, ClubStore
from docclub.tmdb.client import TmdbClient, TmdbNotFound, TmdbUnavailable

log = logging.getLogger("docclub.tmdb")

SEARCH_FOR = timedelta(days=7)
FILM_FOR = timedelta(days=1)  # where-to-stream changes; a day-old answer is fresh enough
CONFIGURATION_FOR = timedelta(days=3)
POSTER_SIZE = "w342"
DOCUMENTARY_GENRE_ID = 99
SYNOPSIS_MAX = 1000


class LookupCache(Protocol):
    """Keeps answers until they expire (the store's `lookups` table in production)."""

    async def get(self, key: str, now: datetime) -> str | None:
        """The value stored under `key` if it has not expired by `now`; None otherwise."""
        ...

    async def put(self, key: str, value: str, expires_at: datetime) -> None:
        """Store `value` under `key` (replacing any), until `expires_at`."""
        ...


class MemoryCache:
    """A `LookupCache` in a dict, for tests and for running without a store."""

    def __init__(self) -> None:
        self.values: dict[str, tuple[str, datetime]] = {}

    async def get(self, key: str, now: datetime) -> str | None:
        found = self.values.get(key)
        return found[0] if found is not None and found[1] > now else None

    async def put(self, key: str, value: str, expires_at: datetime) -> None:
        self.values[key] = (value, expires_at)


class StoreCache:
    """A `LookupCache` in the club store (`tx.lookups`): shared by every process, kept across
    restarts."""

    def __init__(self, store: ClubStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    async def get(self, key: str, now: datetime) -> str | None:
        return await self._store.read(lambda tx: tx.lookups.get(key, now))

    async def put(self, key: str, value: str, expires_at: datetime) -> None:
        now = self._clock.now()
        await self._store.write(lambda tx: tx.lookups.put(key, value, expires_at, now))


class TmdbCatalog:
    """`FilmCatalog` on TMDB. Never raises for TMDB's failures: answers None (see the port)."""

    def __init__(self, client: TmdbClient, cache: LookupCache, clock: Clock, *, language: str = "en-US") -> None:
        self._client = client
        self._cache = cache
        self._clock = clock
        self._language = language

    async def close(self) -> None:
        await self._client.close()

    async def search(self, title: str, year: int | None = None) -> list[CatalogMatch] | None:
        query = " ".join(title.split())
        key = f"tmdb:search:{year or ''}:{query.casefold()}"
        cached = await self._cached(key)
        if cached is not None:
            return [CatalogMatch(**m) for m in cached]
        params = {"query": query, "include_adult": "false", "language": self._language, "page": "1"}
        if year is not None:
            params["year"] = str(year)
        try:
            body = await self._client.get("/search/movie", params)
        except (TmdbUnavailable, TmdbNotFound):
            return None
        results = body.get("results")
        if not isinstance(results, list):
            self._malformed("search/movie without results")
            return None
        matches = [m for m in (_match(r) for r in results[:20]) if m is not None]
        await self._keep(key, [asdict(m) for m in matches], SEARCH_FOR)
        return matches

    async def film(self, tmdb_id: int, region: str, *, fresh: bool = False) -> CatalogFilm | None:
        region = region.upper()
        key = f"tmdb:movie:{tmdb_id}:{region}:{self._language}"
        cached = None if fresh else await self._cached(key)
        if cached is not None:
            try:
                return film_from_dict(cached)
            except ValueError:
                log.warning("TMDB cache held an unreadable film %s; asking again", tmdb_id)
        params = {"language": self._language, "append_to_response": "credits,external_ids,watch/providers"}
        try:
            body = await self._client.get(f"/movie/{int(tmdb_id)}", params)
        except (TmdbUnavailable, TmdbNotFound):
            return None
        images = await self._images()
        film = _film(body, region, images, self._clock.now())
        if film is None:
            self._malformed(f"movie/{tmdb_id} without id or title")
            return None
        await self._keep(key, film_to_dict(film), FILM_FOR)
        return film

    async def _images(self) -> tuple[str, str] | None:
        """(secure base URL, poster size) from TMDB's configuration, or None."""
        key = "tmdb:configuration"
        cached = await self._cached(key)
        if isinstance(cached, list) and len(cached) == 2:
            return str(cached[0]), str(cached[1])
        try:
            body = await self._client.get("/configuration")
        except (TmdbUnavailable, TmdbNotFound):
            return None
        images = body.get("images")
        base = images.get("secure_base_url") if isinstance(images, dict) else None
        sizes = images.get("poster_sizes") if isinstance(images, dict) else None
        if not isinstance(base, str) or not base.startswith(("https://", "http://")):
            self._malformed("configuration without images.secure_base_url")
            return None
        size = _poster_size(sizes if isinstance(sizes, list) else [])
        await self._keep(key, [base, size], CONFIGURATION_FOR)
        return base, size

    async def _cached(self, key: str) -> Any:
        try:
            raw = await self._cache.get(key, self._clock.now())
            return json.loads(raw) if raw is not None else None
        except Exception:  # a cache is a nicety: a broken one means asking TMDB
            log.exception("TMDB cache unreadable for %s", key)
            return None

    async def _keep(self, key: str, value: Any, keep_for: timedelta) -> None:
        try:
            await self._cache.put(key, json.dumps(value, ensure_ascii=False), self._clock.now() + keep_for)
        except Exception:
            log.exception("TMDB cache not written for %s", key)

    def _malformed(self, what: str) -> None:
        log.warning("TMDB answered something unexpected (%s); ignoring it", what)


def _str(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _year(date: Any) -> int | None:
    text = _str(date)
    if text is None or not re.match(r"^\d{4}", text):
        return None
    return int(text[:4])


def _match(raw: Any) -> CatalogMatch | None:
    if not isinstance(raw, dict):
        return None
    tmdb_id, title = raw.get("id"), _str(raw.get("title"))
    if not isinstance(tmdb_id, int) or isinstance(tmdb_id, bool) or title is None:
        return None
    genre_ids = raw.get("genre_ids")
    documentary = isinstance(genre_ids, list) and DOCUMENTARY_GENRE_ID in genre_ids
    return CatalogMatch(
        tmdb_id=tmdb_id,
        title=title,
        original_title=_str(raw.get("original_title")),
        year=_year(raw.get("release_date")),
        genres=("Documentary",) if documentary else (),
    )


def _names(items: Any, key: str = "name") -> list[str]:
    if not isinstance(items, list):
        return []
    return [n for n in (_str(i.get(key)) for i in items if isinstance(i, dict)) if n is not None]


def _film(body: dict[str, Any], region: str, images: tuple[str, str] | None, now: datetime) -> CatalogFilm | None:
    tmdb_id, title = body.get("id"), _str(body.get("title"))
    if not isinstance(tmdb_id, int) or isinstance(tmdb_id, bool) or title is None:
        return None
    credits = body.get("credits")
    crew = credits.get("crew") if isinstance(credits, dict) else None
    directors = [
        name
        for c in (crew if isinstance(crew, list) else [])
        if isinstance(c, dict) and c.get("job") == "Director"
        for name in [_str(c.get("name"))]
        if name is not None
    ]
    external = body.get("external_ids")
    imdb_id = _str(external.get("imdb_id")) if isinstance(external, dict) else None
    imdb_id = imdb_id or _str(body.get("imdb_id"))
    runtime = body.get("runtime")
    poster_path = _str(body.get("poster_path"))
    poster = f"{images[0].rstrip('/')}/{images[1]}{poster_path}" if images and poster_path else None
    overview = _str(body.get("overview"))
    synopsis = overview.split("\n\n")[0][:SYNOPSIS_MAX] if overview else None
    return CatalogFilm(
        tmdb_id=tmdb_id,
        title=title,
        original_title=_str(body.get("original_title")),
        year=_year(body.get("release_date")),
        runtime=runtime if isinstance(runtime, int) and not isinstance(runtime, bool) and runtime > 0 else None,
        directors=tuple(dict.fromkeys(directors)),
        synopsis=synopsis,
        poster_url=poster,
        imdb_id=imdb_id if imdb_id and re.fullmatch(r"tt\d+", imdb_id) else None,
        genres=tuple(dict.fromkeys(_names(body.get("genres")))),
        streaming=_streaming(body.get("watch/providers"), region, now),
    )


def _streaming(raw: Any, region: str, now: datetime) -> Streaming | None:
    results = raw.get("results") if isinstance(raw, dict) else None
    offers = results.get(region) if isinstance(results, dict) else None
    if not isinstance(offers, dict):
        return Streaming(region=region, stream=(), rent=(), link=None, checked_at=now)

    def by_priority(*kinds: str) -> list[str]:
        found: list[tuple[int, str]] = []
        for kind in kinds:
            items = offers.get(kind)
            for item in items if isinstance(items, list) else []:
                name = _str(item.get("provider_name")) if isinstance(item, dict) else None
                if name is not None:
                    priority = item.get("display_priority")
                    found.append((priority if isinstance(priority, int) else 999, name))
        return list(dict.fromkeys(name for _, name in sorted(found, key=lambda p: p[0])))

    stream = by_priority("flatrate", "free", "ads")
    rent = [n for n in by_priority("rent", "buy") if n not in stream]
    link = _str(offers.get("link"))
    return Streaming(
        region=region,
        stream=tuple(stream),
        rent=tuple(rent),
        link=link if link and link.startswith("https://") else None,
        checked_at=now,
    )


def _poster_size(sizes: list[Any]) -> str:
    names = [s for s in sizes if isinstance(s, str)]
    if POSTER_SIZE in names:
        return POSTER_SIZE
    widths = sorted((int(s[1:]), s) for s in names if re.fullmatch(r"w\d+", s))
    under = [s for w, s in widths if w <= 500]
    return under[-1] if under else (names[-1] if names else "original")
