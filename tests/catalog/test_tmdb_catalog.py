"""The TMDB catalog against a local fake TMDB: what it reads, what it caches, how it fails."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from docclub.config import Settings
from docclub.core.catalog import CatalogFilm
from docclub.testing import FakeClock
from docclub.testing.tmdb import FakeTmdb
from docclub.tmdb import MemoryCache, StoreCache, TmdbCatalog, TmdbClient

KEY = "0123456789abcdef0123456789abcdef"  # the shape of a v3 key
READ_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJkb2NjbHViIn0.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"


@dataclass
class Lookup:
    tmdb: FakeTmdb
    catalog: TmdbCatalog
    clock: FakeClock
    cache: MemoryCache


async def _lookup(key: str = KEY, *, fake_key: str | None = None) -> tuple[FakeTmdb, Lookup]:
    fake = await FakeTmdb(key=fake_key or key).start()
    clock = FakeClock()
    cache = MemoryCache()
    catalog = TmdbCatalog(TmdbClient(key, clock, base_url=fake.url, timeout=2.5), cache, clock)
    return fake, Lookup(fake, catalog, clock, cache)


@pytest.fixture
async def tmdb() -> AsyncIterator[Lookup]:
    fake, lookup = await _lookup()
    try:
        yield lookup
    finally:
        await lookup.catalog.close()
        await fake.stop()


async def test_search_finds_both_films_called_amy_with_their_years(tmdb: Lookup) -> None:
    found = await tmdb.catalog.search("Amy")
    assert found is not None
    assert sorted((m.title, m.year) for m in found) == [("Amy", 1997), ("Amy", 2015)]
    assert {m.year: m.genres for m in found} == {2015: ("Documentary",), 1997: ()}


async def test_search_with_a_year_asks_tmdb_for_that_year_only(tmdb: Lookup) -> None:
    found = await tmdb.catalog.search("Amy", 2015)
    assert found is not None and [(m.title, m.year) for m in found] == [("Amy", 2015)]
    assert tmdb.tmdb.asked("/3/search/movie")[-1].query["year"] == "2015"


async def test_search_knows_no_film_answers_an_empty_list(tmdb: Lookup) -> None:
    assert await tmdb.catalog.search("A Film Nobody Made") == []


async def test_a_persian_original_title_finds_the_film(tmdb: Lookup) -> None:
    found = await tmdb.catalog.search("این فیلم نیست")
    assert found is not None
    assert [(m.title, m.original_title, m.year) for m in found] == [("This Is Not a Film", "این فیلم نیست", 2011)]


async def test_film_has_everything_a_card_shows(tmdb: Lookup) -> None:
    [match] = await tmdb.catalog.search("Beyond Utopia") or []
    film = await tmdb.catalog.film(match.tmdb_id, "US")
    assert isinstance(film, CatalogFilm)
    assert (film.title, film.year, film.runtime, film.directors) == ("Beyond Utopia", 2023, 115, ("Madeleine Gavin",))
    assert film.genres == ("Documentary",) and film.is_documentary
    assert film.synopsis and film.synopsis.startswith("Families try to escape North Korea")
    assert film.imdb_url == "https://www.imdb.com/title/tt1000001/"
    assert film.tmdb_url == f"https://www.themoviedb.org/movie/{match.tmdb_id}"
    # The image host and size come from TMDB's configuration answer.
    assert film.poster_url == f"https://image.tmdb.org/t/p/w342/poster{match.tmdb_id}.jpg"
    assert film.streaming is not None
    assert (film.streaming.region, film.streaming.stream) == ("US", ("Amazon Prime Video",))
    assert film.streaming.rent == ("Apple TV", "Google Play Movies")
    assert film.streaming.link and film.streaming.link.endswith("watch?locale=US")
    [asked] = tmdb.tmdb.asked(f"/3/movie/{match.tmdb_id}")
    assert asked.query["append_to_response"] == "credits,external_ids,watch/providers"


async def test_film_streaming_follows_the_region(tmdb: Lookup) -> None:
    film = await tmdb.catalog.film(1_001_001, "gb")
    assert film is not None and film.streaming is not None
    assert (film.streaming.region, film.streaming.stream, film.streaming.rent) == ("GB", ("BBC iPlayer",), ())


async def test_film_without_offers_in_the_region_streams_nowhere(tmdb: Lookup) -> None:
    film = await tmdb.catalog.film(1_001_004, "US")
    assert film is not None and film.streaming is not None
    assert (film.streaming.stream, film.streaming.rent, film.genres) == ((), (), ("Drama", "Family"))
    assert not film.is_documentary


async def test_film_keeps_the_first_paragraph_of_the_synopsis_and_every_director(tmdb: Lookup) -> None:
    amy = await tmdb.catalog.film(1_001_003, "US")
    solo = await tmdb.catalog.film(1_001_005, "US")
    assert amy is not None and amy.synopsis is not None and "second paragraph" not in amy.synopsis
    assert solo is not None and solo.directors == ("Elizabeth Chai Vasarhelyi", "Jimmy Chin")


async def test_an_unknown_film_is_none(tmdb: Lookup) -> None:
    assert await tmdb.catalog.film(42, "US") is None


async def test_answers_are_cached_until_they_expire(tmdb: Lookup) -> None:
    await tmdb.catalog.search("Navalny")
    first = await tmdb.catalog.film(1_001_002, "US")
    await tmdb.catalog.search("  navalny ")
    assert await tmdb.catalog.film(1_001_002, "US") == first
    assert len(tmdb.tmdb.asked("/3/search/movie")) == 1
    assert len(tmdb.tmdb.asked("/3/movie/1001002")) == 1
    await tmdb.clock.advance(days=1, seconds=1)
    await tmdb.catalog.film(1_001_002, "US")
    assert len(tmdb.tmdb.asked("/3/movie/1001002")) == 2
    assert len(tmdb.tmdb.asked("/3/configuration")) == 1  # kept for days


async def test_fresh_asks_again_and_dates_the_streaming_answer(tmdb: Lookup) -> None:
    await tmdb.catalog.film(1_001_002, "US")
    await tmdb.clock.advance(hours=3)
    film = await tmdb.catalog.film(1_001_002, "US", fresh=True)
    assert film is not None and film.streaming is not None and film.streaming.checked_at == tmdb.clock.now()
    assert len(tmdb.tmdb.asked("/3/movie/1001002")) == 2


async def test_a_read_token_is_sent_as_a_bearer_header_never_in_the_address() -> None:
    fake, lookup = await _lookup(READ_TOKEN)
    try:
        assert await lookup.catalog.search("Navalny")
        [asked] = fake.asked("/3/search/movie")
        assert asked.headers["Authorization"] == f"Bearer {READ_TOKEN}"
        assert "api_key" not in asked.query
    finally:
        await lookup.catalog.close()
        await fake.stop()


async def test_a_v3_key_is_sent_as_api_key(tmdb: Lookup) -> None:
    await tmdb.catalog.search("Navalny")
    [asked] = tmdb.tmdb.asked("/3/search/movie")
    assert asked.query["api_key"] == KEY and "Authorization" not in asked.headers


async def test_a_refused_key_is_logged_once_without_the_key(caplog: pytest.LogCaptureFixture) -> None:
    fake, lookup = await _lookup(KEY, fake_key="another-key")
    try:
        with caplog.at_level(logging.DEBUG, logger="docclub"):
            assert await lookup.catalog.search("Navalny") is None
            assert await lookup.catalog.film(1_001_002, "US") is None
        warnings = [r for r in caplog.records if r.levelno >= logging.WARNING and r.name == "docclub.tmdb"]
        assert len(warnings) == 1 and "refused the key (401)" in warnings[0].getMessage()
        assert KEY not in caplog.text
    finally:
        await lookup.catalog.close()
        await fake.stop()


async def test_after_a_429_it_rests_for_retry_after_without_asking(tmdb: Lookup) -> None:
    tmdb.tmdb.fail(429, retry_after="5")
    assert await tmdb.catalog.search("Navalny") is None
    assert await tmdb.catalog.search("Free Solo") is None  # resting: TMDB is not asked
    assert len(tmdb.tmdb.requests) == 1
    await tmdb.clock.advance(5)
    assert await tmdb.catalog.search("Free Solo")
    assert len(tmdb.tmdb.requests) == 2


async def test_a_429_without_retry_after_rests_ten_seconds(tmdb: Lookup) -> None:
    tmdb.tmdb.fail(429)
    assert await tmdb.catalog.search("Navalny") is None
    await tmdb.clock.advance(9)
    assert await tmdb.catalog.search("Navalny") is None
    await tmdb.clock.advance(1)
    assert await tmdb.catalog.search("Navalny")


async def test_a_slow_tmdb_is_given_up_after_the_timeout(tmdb: Lookup, caplog: pytest.LogCaptureFixture) -> None:
    tmdb.tmdb.hang()
    search = asyncio.create_task(tmdb.catalog.search("Navalny"))
    await tmdb.tmdb.waiting(1)
    await tmdb.clock.advance(2.4)
    assert not search.done()
    with caplog.at_level(logging.WARNING, logger="docclub"):
        await tmdb.clock.advance(0.1)
        assert await search is None
    assert "no answer within 2.5 s" in caplog.text
    tmdb.tmdb.release()
    assert await tmdb.catalog.search("Navalny")


async def test_a_malformed_answer_is_no_answer(tmdb: Lookup) -> None:
    tmdb.tmdb.malformed()
    assert await tmdb.catalog.search("Navalny") is None
    tmdb.tmdb.malformed(b'{"page": 1}')
    assert await tmdb.catalog.search("Navalny") is None
    tmdb.tmdb.malformed(b"[1, 2, 3]")
    assert await tmdb.catalog.film(1_001_002, "US") is None
    assert await tmdb.catalog.search("Navalny")  # nothing malformed was cached


async def test_a_film_with_fields_of_the_wrong_type_keeps_what_is_sound(tmdb: Lookup) -> None:
    movie = dict(tmdb.tmdb.movies[1_001_002])
    movie.update(runtime="98 min", genres="Documentary", credits=None, poster_path=7, external_ids=[])
    movie["watch/providers"] = {"results": {"US": {"flatrate": [{"provider_name": None}, "Max"]}}}
    tmdb.tmdb.movies[1_001_002] = movie
    film = await tmdb.catalog.film(1_001_002, "US")
    assert film is not None
    assert (film.title, film.year, film.runtime, film.genres, film.directors, film.poster_url) == (
        "Navalny",
        2022,
        None,
        (),
        (),
        None,
    )
    assert film.imdb_id == "tt1000002"  # from the film itself when external_ids is unusable
    assert film.streaming is not None and film.streaming.stream == ()


async def test_server_errors_are_logged_once_and_recovery_once(tmdb: Lookup, caplog: pytest.LogCaptureFixture) -> None:
    tmdb.tmdb.fail(503, times=3)
    with caplog.at_level(logging.INFO, logger="docclub"):
        for _ in range(3):
            assert await tmdb.catalog.search("Navalny") is None
        assert await tmdb.catalog.search("Navalny")
    lines = [r.getMessage() for r in caplog.records]
    assert sum("TMDB lookups failing" in ln for ln in lines) == 1
    assert sum("TMDB answers again" in ln for ln in lines) == 1


async def test_tmdb_unreachable_is_no_answer_and_the_log_holds_no_key(caplog: pytest.LogCaptureFixture) -> None:
    fake, lookup = await _lookup()
    await fake.stop()
    try:
        with caplog.at_level(logging.DEBUG):
            assert await lookup.catalog.search("Navalny") is None
        assert "could not reach TMDB (ClientConnectorError)" in caplog.text
        assert KEY not in caplog.text
    finally:
        await lookup.catalog.close()


def test_the_key_is_a_secret_of_the_settings() -> None:
    settings = Settings(tmdb_api_key=KEY, _env_file=None)  # type: ignore[call-arg]
    assert KEY in settings.secrets()
    assert KEY not in repr(settings) and KEY not in str(settings.model_dump())


async def test_answers_kept_in_the_store_outlive_a_restart(tmp_path: Path, stores: Any) -> None:
    store = await stores.sqlite(tmp_path / "club.db")
    clock = FakeClock()
    async with FakeTmdb(key=KEY) as fake:
        for _ in range(2):  # the second catalog is a new process on the same database
            catalog = TmdbCatalog(TmdbClient(KEY, clock, base_url=fake.url), StoreCache(store, clock), clock)
            film = await catalog.film(1_001_005, "US")
            await catalog.close()
            assert film is not None and film.directors == ("Elizabeth Chai Vasarhelyi", "Jimmy Chin")
        assert len(fake.asked("/3/movie/1001005")) == 1
