"""Which film a suggestion means, and what its card shows: the lookup rules on the fake TMDB."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from docclub.core.catalog import NoCatalog
from docclub.core.catalog_rules import completed, detail_fields, genre_note, look_up, party_minutes, pick_label
from docclub.core.models import NewFilm
from docclub.core.replies import plain_line
from docclub.testing import FakeClock
from docclub.testing.tmdb import FakeTmdb
from docclub.tmdb import MemoryCache, TmdbCatalog, TmdbClient


@pytest.fixture
async def catalog() -> AsyncIterator[TmdbCatalog]:
    async with FakeTmdb(key="k") as fake:
        clock = FakeClock()
        found = TmdbCatalog(TmdbClient("k", clock, base_url=fake.url), MemoryCache(), clock)
        try:
            yield found
        finally:
            await found.close()


def _text(ln: object) -> str:
    return plain_line(ln, "UTC")  # type: ignore[arg-type]


async def test_one_film_of_the_title_is_taken(catalog: TmdbCatalog) -> None:
    found = await look_up(catalog, NewFilm("beyond utopia"), "US")
    assert found.film is not None and (found.film.title, found.film.year) == ("Beyond Utopia", 2023)
    assert completed(NewFilm("beyond utopia"), found.film) == NewFilm("Beyond Utopia", 2023)


async def test_several_films_of_the_title_are_offered_documentaries_first(catalog: TmdbCatalog) -> None:
    found = await look_up(catalog, NewFilm("Amy"), "US")
    assert found.film is None
    assert [pick_label(f) for f in found.candidates] == [
        "Amy (2015, Asif Kapadia)",
        "Amy (1997, Nadia Tass) — Drama, Family",
    ]


async def test_the_year_tells_them_apart(catalog: TmdbCatalog) -> None:
    found = await look_up(catalog, NewFilm("Amy", 1997), "US")
    assert found.film is not None and found.film.directors == ("Nadia Tass",)
    assert genre_note(found.film) is not None
    assert "TMDB lists it as Drama, Family" in _text(genre_note(found.film))


async def test_the_original_title_finds_the_film(catalog: TmdbCatalog) -> None:
    found = await look_up(catalog, NewFilm("این فیلم نیست"), "US")
    assert found.film is not None and found.film.title == "This Is Not a Film"
    fields = {f.name: _text(f.lines[0]) for f in detail_fields(found.film, where=None, title=found.film.title)}
    assert fields["Original title"] == "این فیلم نیست"


async def test_an_unknown_title_is_kept_as_typed_with_a_note(catalog: TmdbCatalog) -> None:
    found = await look_up(catalog, NewFilm("The Act of Seeing 🎥"), "US")
    assert (found.film, found.candidates) == (None, ())
    assert found.note is not None and "TMDB knows no film called 'The Act of Seeing 🎥'" in _text(found.note)


async def test_a_near_title_is_named_not_taken(catalog: TmdbCatalog) -> None:
    found = await look_up(catalog, NewFilm("Free"), "US")
    assert found.film is None and found.note is not None
    assert 'The nearest it knows is Free Solo (2018); to suggest that one instead: suggest "Free Solo" (2018)' in _text(
        found.note
    )


async def test_no_catalog_means_no_lookup_and_no_note() -> None:
    found = await look_up(NoCatalog(), NewFilm("Navalny"), "US")
    assert (found.film, found.candidates, found.note) == (None, (), None)


async def test_the_members_year_where_and_warnings_win(catalog: TmdbCatalog) -> None:
    found = await look_up(catalog, NewFilm("Navalny"), "US")
    assert found.film is not None
    typed = NewFilm("navalny", 2022, where="the library", warnings=("violence",))
    assert completed(typed, found.film) == NewFilm("Navalny", 2022, where="the library", warnings=("violence",))
    names = [f.name for f in detail_fields(found.film, where="the library", title="Navalny")]
    assert "Where to watch" not in names  # the member's own where is shown instead


async def test_the_card_fields_name_director_runtime_streaming_and_links(catalog: TmdbCatalog) -> None:
    found = await look_up(catalog, NewFilm("Beyond Utopia"), "US")
    assert found.film is not None
    fields = {
        f.name: [_text(ln) for ln in f.lines] for f in detail_fields(found.film, where=None, title="Beyond Utopia")
    }
    assert fields["Director"] == ["Madeleine Gavin"]
    assert fields["Runtime"] == ["1 h 55 min"]
    assert fields["Where to watch"] == [
        "Streams on Amazon Prime Video (US); rent or buy: Apple TV, Google Play Movies",
        "Streaming offers from JustWatch, via TMDB",
    ]
    assert fields["TMDB · IMDb"] == [f"{found.film.tmdb_url} · https://www.imdb.com/title/tt1000001/"]
    assert party_minutes(found.film) == 135  # 115 + 20, in quarter hours
