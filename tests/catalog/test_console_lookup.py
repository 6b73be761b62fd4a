"""Films that arrive complete, at the console: suggest, pick, refresh, a party's length, and a
Letterboxd list; with TMDB down or without a key the club works as typed."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from docclub.console import ConsoleSession
from docclub.core.clubs import Docclub
from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock
from docclub.testing.tmdb import FakeTmdb
from docclub.tmdb import StoreCache, TmdbCatalog, TmdbClient

KEY = "fa1ce0fa1ce0fa1ce0fa1ce0fa1ce0fa"
DATA = Path(__file__).parents[1] / "data"


def _backup(folder: Path) -> tuple[Path, str]:
    """The one backup `export json` wrote into `folder`, and its text."""
    [backup] = list(folder.glob("docclub-backup-*.json"))
    return backup, backup.read_text(encoding="utf-8")


@dataclass
class Club:
    session: ConsoleSession
    store: SqliteStore
    tmdb: FakeTmdb
    clock: FakeClock

    async def say(self, text: str) -> str:
        return await self.session.handle(text)


@pytest.fixture
async def club(tmp_path: Path) -> AsyncIterator[Club]:
    store = await SqliteStore.open(tmp_path / "club.db")
    clock = FakeClock()
    async with FakeTmdb(key=KEY) as tmdb:
        catalog = TmdbCatalog(TmdbClient(KEY, clock, base_url=tmdb.url), StoreCache(store, clock), clock)
        app = Docclub(store, clock, catalog=catalog)
        try:
            yield Club(ConsoleSession(app, "club", tmp_path), store, tmdb, clock)
        finally:
            await catalog.close()
            await store.close()


async def test_a_suggestion_with_one_match_arrives_complete(club: Club) -> None:
    await club.say("config set timezone America/New_York")
    said = await club.say("suggest beyond utopia --cw torture, trafficking")
    assert "== Suggested #1 Beyond Utopia (2023) ==" in said
    for shown in (
        "Director: Madeleine Gavin",
        "Runtime: 1 h 55 min",
        "Streams on Amazon Prime Video (US); rent or buy: Apple TV, Google Play Movies",
        "Streaming offers from JustWatch, via TMDB",
        "Content warnings: [spoiler: torture, trafficking]",
        "https://www.imdb.com/title/tt1000001/",
    ):
        assert shown in said


async def test_the_region_follows_the_clubs_timezone_and_its_setting(club: Club) -> None:
    await club.say("config set timezone Europe/London")
    assert "Streams on BBC iPlayer (GB)" in await club.say("suggest Beyond Utopia")
    await club.say("config set region DE")
    assert "Streams on Amazon Prime Video (DE)" in await club.say("suggest Navalny")


async def test_several_matches_ask_which_and_pick_suggests_it(club: Club) -> None:
    asked = await club.say("alice> suggest Amy --pitch Her voice")
    assert "1. Amy (2015, Asif Kapadia)" in asked and "2. Amy (1997, Nadia Tass) — Drama, Family" in asked
    assert "pick 1" in asked
    assert "None yet" in await club.say("films")
    picked = await club.say("alice> pick 1")
    assert "== Suggested #1 Amy (2015) ==" in picked and "Pitch: Her voice" in picked
    assert "no suggestion waiting" in await club.say("alice> pick 1")


async def test_a_pick_is_the_members_own(club: Club) -> None:
    await club.say("alice> suggest Amy")
    assert "no suggestion waiting" in await club.say("bob> pick 2")


async def test_a_film_that_is_not_a_documentary_is_suggested_with_a_note(club: Club) -> None:
    said = await club.say("suggest Amy (1997)")
    assert "== Suggested #1 Amy (1997) ==" in said
    assert "TMDB lists it as Drama, Family, not as a documentary; suggested all the same." in said


async def test_pick_none_keeps_the_title_as_typed(club: Club) -> None:
    await club.say("suggest amy")
    said = await club.say("pick none")
    assert "== Suggested #1 amy ==" in said and "Director" not in said


async def test_a_persian_title_finds_the_film_and_keeps_the_original_title(club: Club) -> None:
    said = await club.say("suggest این فیلم نیست")
    assert "== Suggested #1 This Is Not a Film (2011) ==" in said
    assert "Original title: این فیلم نیست" in said


async def test_a_film_tmdb_does_not_know_is_kept_as_typed_with_a_note(club: Club) -> None:
    said = await club.say("suggest Grizzly Man 🐻 (2005)")
    assert "== Suggested #1 Grizzly Man 🐻 (2005) ==" in said
    assert "TMDB knows no film called 'Grizzly Man 🐻 (2005)', so it is kept as you typed it." in said


async def test_the_members_own_where_wins(club: Club) -> None:
    said = await club.say("suggest Navalny --where the library's DVD")
    assert "Where to watch: the library's DVD" in said and "Max" not in said


async def test_a_party_lasts_the_runtime_and_a_margin_unless_told(club: Club) -> None:
    await club.say("suggest Free Solo")
    assert "2 h" in await club.say("party schedule Free Solo tomorrow 20:00")  # 100 min + 20 -> 2 h
    assert "1 h 30 min" in await club.say("party schedule Free Solo tomorrow 23:00 --duration 90m --again")


async def test_tmdb_down_means_suggested_as_typed_without_an_error(
    club: Club, caplog: pytest.LogCaptureFixture
) -> None:
    club.tmdb.fail(503, times=10)
    with caplog.at_level(logging.WARNING, logger="docclub"):
        said = await club.say("suggest Navalny (2022)")
    assert said.startswith("== Suggested #1 Navalny (2022) ==")
    assert "TMDB" not in said and "wrong" not in said
    assert sum("TMDB lookups failing" in r.getMessage() for r in caplog.records) == 1


async def test_film_refresh_completes_a_film_kept_as_typed(club: Club) -> None:
    club.tmdb.fail(503)
    await club.say("suggest Navalny")
    said = await club.say("film refresh Navalny")
    assert "Looked up #1 Navalny (2022) again on TMDB." in said or "Looked up #1 Navalny again" in said
    assert "Director: Daniel Roher" in await club.say("film #1")


async def test_film_refresh_brings_streaming_up_to_date(club: Club) -> None:
    await club.say("suggest Navalny")
    movie = club.tmdb.movies[1_001_002]
    movie["watch/providers"]["results"]["US"]["flatrate"][0]["provider_name"] = "Netflix"
    assert "Streams on Max (US)" in await club.say("film #1")
    assert "Streams on Netflix (US)" in await club.say("film refresh #1")


async def test_a_letterboxd_list_is_suggested_in_one_go_with_duplicates_skipped(club: Club) -> None:
    await club.say("suggest Navalny")
    said = await club.say(f"import letterboxd {DATA / 'letterboxd_club_picks.csv'}")
    assert "Suggested 5 films from the list: #2 Beyond Utopia (2023), #3 Amy (2015), #4 Free Solo (2018)" in said
    assert "Skipped, already here: Navalny (2022) (here as #1); Navalny (2022) (here as #1)." in said
    assert "Director: Asif Kapadia" in await club.say("film #3")


async def test_a_letterboxd_import_is_for_organizers(club: Club) -> None:
    said = await club.say(f"alice> import letterboxd {DATA / 'letterboxd_club_picks.csv'}")
    assert "Only the club's organizers can import a Letterboxd list." in said


async def test_a_backup_keeps_what_tmdb_said_and_never_the_key(club: Club, tmp_path: Path) -> None:
    await club.say("config set region GB")
    await club.say("suggest Beyond Utopia")
    said = await club.say("export json")
    backup, text = _backup(tmp_path)
    assert KEY not in text and KEY not in said
    data = json.loads(text)
    assert data["club"]["config"]["region"] == "GB"
    assert data["films"][0]["details"]["directors"] == ["Madeleine Gavin"]
    await club.say("delete #1")
    await club.say(f"import {backup}")
    card = await club.say("film #1")
    assert "Director: Madeleine Gavin" in card and "Streams on BBC iPlayer (GB)" in card


async def test_a_backup_with_damaged_details_is_refused(club: Club, tmp_path: Path) -> None:
    await club.say("suggest Navalny")
    await club.say("export json")
    backup, text = _backup(tmp_path)
    data = json.loads(text)
    data["films"][0]["details"]["poster_url"] = "javascript:alert(1)"
    backup.write_text(json.dumps(data), encoding="utf-8")
    said = await club.say(f"import {backup}")
    assert "films[0].details" in said and "poster_url must be an https:// address" in said


async def test_where_to_stream_is_brought_up_to_date_when_a_poll_opens(club: Club) -> None:
    await club.say("suggest Navalny")
    await club.say("suggest Free Solo")
    club.tmdb.movies[1_001_002]["watch/providers"]["results"]["US"]["flatrate"][0]["provider_name"] = "Netflix"
    await club.clock.advance(hours=2)
    await club.say("poll open Navalny, Free Solo")
    assert "Streams on Max (US)" in await club.say("film Navalny")  # an answer 2 hours old will do
    await club.say("poll cancel")
    await club.clock.advance(days=1)
    await club.say("poll open Navalny, Free Solo")
    assert "Streams on Netflix (US)" in await club.say("film Navalny")


async def test_a_slow_tmdb_is_given_up_after_its_timeout_and_the_film_kept_as_typed(club: Club) -> None:
    club.tmdb.hang()
    said = asyncio.create_task(club.say("suggest Free Solo (2018)"))
    await club.tmdb.waiting(1)
    await club.clock.advance(2.5)
    assert (await said).startswith("== Suggested #1 Free Solo (2018) ==\nThanks!")
    club.tmdb.release()
