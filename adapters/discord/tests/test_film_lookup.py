"""Films looked up on TMDB, on Discord: the poster as the card's thumbnail, a select menu to pick
among films of one title, /film refresh, and a Letterboxd list as an attachment."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from docclub_discord.testing import Harness, Member, Upload, harness

from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock
from docclub.testing.tmdb import FakeTmdb
from docclub.tmdb import StoreCache, TmdbCatalog, TmdbClient

KEY = "d15c0d15c0d15c0d15c0d15c0d15c0d1"
ALICE = Member(500000000000000311, "alice")


@pytest.fixture
async def club(tmp_path: Path) -> AsyncIterator[Harness]:
    async with FakeTmdb(key=KEY) as tmdb:
        made: list[TmdbCatalog] = []

        def catalog(store: SqliteStore, clock: FakeClock) -> TmdbCatalog:
            made.append(TmdbCatalog(TmdbClient(KEY, clock, base_url=tmdb.url), StoreCache(store, clock), clock))
            return made[0]

        async with harness(tmp_path, catalog=catalog) as h:
            yield h
        await made[0].close()


def _embed(answer: Any) -> dict[str, Any]:
    return next(e for m in answer.messages() for e in m.get("embeds") or [])


def _select(answer: Any) -> dict[str, Any]:
    return next(
        c for m in answer.messages() for row in m.get("components") or [] for c in row["components"] if c["type"] == 3
    )


async def test_a_suggestion_shows_its_poster_runtime_and_director(club: Harness) -> None:
    answer = await club.slash(club.owner, "film suggest", title="Beyond Utopia")
    embed = _embed(answer)
    assert embed["title"] == "Suggested #1 Beyond Utopia (2023)"
    assert embed["thumbnail"]["url"] == "https://image.tmdb.org/t/p/w342/poster1001001.jpg"
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert (fields["Director"], fields["Runtime"]) == ("Madeleine Gavin", "1 h 55 min")
    assert "Streams on Amazon Prime Video (US)" in fields["Where to watch"]


async def test_several_matches_are_offered_in_a_select_menu_and_the_choice_suggests_it(club: Harness) -> None:
    asked = await club.slash(ALICE, "film suggest", title="Amy")
    assert asked.ephemeral
    select = _select(asked)
    assert select["custom_id"] == "docclub:pick"
    assert [o["label"] for o in select["options"]] == [
        "1. Amy (2015, Asif Kapadia)",
        "2. Amy (1997, Nadia Tass) — Drama, Family",
        "None of these: keep it as typed",
    ]
    assert "/film pick choice:1" in asked.text()
    picked = await club.choose(ALICE, club.message(asked), "docclub:pick", "1")
    assert "Suggested #1 Amy (2015)" in picked.text()
    assert _embed(picked)["thumbnail"]["url"].endswith("/poster1001003.jpg")


async def test_film_refresh_is_a_slash_command(club: Harness) -> None:
    await club.slash(club.owner, "film suggest", title="Navalny")
    answer = await club.slash(ALICE, "film refresh", film="#1")
    assert "Looked up #1 Navalny (2022) again on TMDB." in answer.text()
    assert "Streams on Max (US)" in answer.text()


async def test_a_letterboxd_list_attached_to_film_import_is_suggested_in_one_go(club: Harness) -> None:
    listed = (Path(__file__).parents[3] / "tests" / "data" / "letterboxd_club_picks.csv").read_bytes()
    await club.slash(club.owner, "film suggest", title="Navalny")
    answer = await club.slash(club.owner, "film import", file=Upload("club-picks.csv", listed))
    text = answer.text()
    assert "Suggested 5 films from the list: #2 Beyond Utopia (2023), #3 Amy (2015)" in text
    assert "Navalny (2022) (here as #1)" in text


async def test_a_letterboxd_import_is_for_organizers(club: Harness) -> None:
    answer = await club.slash(ALICE, "film import", file=Upload("list.csv", b"Position,Name,Year\n1,Amy,2015\n"))
    assert "Only the club's organizers can import a Letterboxd list." in answer.text()
