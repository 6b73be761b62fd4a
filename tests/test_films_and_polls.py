"""Films (duplicates, finding, status) and polls (methods, anonymity, closing, runners-up)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from docclub.core.film_rules import find_duplicate
from docclub.core.models import Film, FilmStatus, NewFilm
from tests.conftest import Club


def film(id: int, title: str, year: int | None, status: FilmStatus = FilmStatus.SUGGESTED) -> Film:
    return Film(id, 1, title, year, None, None, (), (), None, status, "u", "U", datetime(2026, 1, 1, tzinfo=UTC))


EXISTING = [film(1, "Beyond Utopia", 2023), film(2, "The Act of Killing", 2012), film(3, "Nosferatu", 1922),
            film(4, "Amélie", None), film(5, "Withdrawn Doc", 2020, FilmStatus.WITHDRAWN)]


@pytest.mark.parametrize(("title", "year", "match", "certain"), [
    ("beyond utopia", None, 1, False), ("Beyond Utopia", 2023, 1, True), ("BEYOND  UTOPIA", 2023, 1, True),
    ("Act of Killing", 2012, 2, True), ("the act of killing", None, 2, False), ("Beyond Utopa", 2023, 1, False),
    ("Amelie", 2001, 4, False), ("Nosferatu", 1979, None, None), ("Beyond", None, None, None),
    ("Withdrawn Doc", 2020, None, None),
])
def test_duplicates_are_same_title_and_year_or_a_near_title(
    title: str, year: int | None, match: int | None, certain: bool | None
) -> None:
    found = find_duplicate(EXISTING, NewFilm(title, year))
    assert (found[0].id if found else None) == match
    assert (found[1] if found else None) == certain


SERIES = [film(1, "Fahrenheit 9/11", 2004), film(2, "Paradise Lost 2: Revelations", 2000),
          film(3, "Planet Earth II", 2016), film(4, "Free Solo", 2018), film(5, "Up", None)]


@pytest.mark.parametrize(("title", "year"), [
    ("Fahrenheit 11/9", None), ("Fahrenheit 11/9", 2018), ("Paradise Lost 3: Purgatory", None),
    ("Paradise Lost 3: Revelations", None), ("Planet Earth III", None), ("Planet Earth 3", 2023),
    ("Free Solo", 2019), ("Free Solo 2", None), ("7 Up", None),
])
def test_different_films_are_not_duplicates(title: str, year: int | None) -> None:
    assert find_duplicate(SERIES, NewFilm(title, year)) is None


@pytest.mark.parametrize(("title", "year", "match"), [
    ("Planet Earth 2", 2016, 3), ("Planet Earth Two", None, 3), ("Fahrenheit 9-11", None, 1), ("Free Slo", None, 4),
])
def test_the_same_number_written_differently_is_still_the_same_title(title: str, year: int | None, match: int) -> None:
    found = find_duplicate(SERIES, NewFilm(title, year))
    assert found is not None and found[0].id == match


async def test_titles_match_by_unique_prefix_ignoring_case_and_accents(club: Club) -> None:
    await club.say("suggest Amélie (2001)")
    await club.say("suggest Honeyland (2019)")
    assert (await club.say("film ame")).startswith("== #1 Amélie (2001) ==")
    assert (await club.say("film HONEY")).startswith("== #2 Honeyland (2019) ==")


async def test_status_flow_from_suggested_to_withdrawn(club: Club) -> None:
    await club.say("alice> suggest Honeyland (2019)")
    assert "Shortlisted #1" in await club.say("shortlist Honeyland")
    assert "[shortlisted]" in await club.say("films all")
    assert "Withdrew #1" in await club.say("alice> withdraw Honeyland")
    assert "None yet" in await club.say("films")
    assert "#1 Honeyland (2019) [withdrawn]" in await club.say("films all")


async def test_single_choice_poll_counts_and_names_voters(club: Club) -> None:
    for t in ("Navalny", "Honeyland", "Fire of Love"):
        await club.say(f"suggest {t}")
    await club.say("poll open Navalny, Honeyland, Fire of Love")
    await club.say("a> vote Navalny")
    await club.say("b> vote Honeyland")
    await club.say("b> vote Navalny")  # changed their mind: one ballot each
    out = await club.say("poll show")
    assert "#1 Navalny: 2 — a, b" in out
    assert "2 ballots so far." in out
    closed = await club.say("poll close")
    assert "Winner: #1 Navalny (2 ballots)." in closed
    assert "shortlisted" in await club.say("film Navalny")


async def test_a_vote_by_title_looks_among_the_polls_films_first(club: Club) -> None:
    for t in ("Navalny", "Nanook of the North", "Honeyland"):
        await club.say(f"suggest {t}")
    await club.say("poll open Navalny, Honeyland")
    # "na" fits two films of the club but only one of the poll.
    assert "Your vote in poll #1: Navalny." in await club.say("a> vote na")
    refused = await club.say("a> vote Nanook")
    assert "Nanook of the North is not in poll #1" in refused
    assert "No film in this club matches 'Grizzly Man'" in await club.say("a> vote Grizzly Man")


async def test_anonymous_poll_hides_standings_and_voters_until_closed(club: Club) -> None:
    for t in ("Navalny", "Honeyland"):
        await club.say(f"suggest {t}")
    await club.say("poll open Navalny, Honeyland --anonymous --method approval")
    await club.say("a> vote Navalny, Honeyland")
    await club.say("b> vote Honeyland")
    shown = await club.say("b> poll show")
    assert "standings stay hidden until the poll closes" in shown
    assert "Honeyland: 2" not in shown
    closed = await club.say("poll close")
    assert "🏆 #2 Honeyland: 2" in closed
    assert " — a" not in closed and " — b" not in closed


async def test_films_that_lost_are_offered_first_in_the_next_top_poll(club: Club) -> None:
    for t in ("A One", "B Two", "C Three", "D Four", "E Five", "F Six"):
        await club.say(f"suggest {t}")
    await club.say("poll open E Five, F Six")
    await club.say("x> vote E Five")
    await club.say("poll close")
    out = await club.say("poll open --top 3")
    standings = out.split("Standings:")[1]
    assert standings.index("F Six") < standings.index("A One")
    assert "E Five" not in standings  # the winner is shortlisted and not re-offered first
    assert "B Two" in standings


async def test_members_add_films_to_an_open_poll_only_when_allowed(club: Club) -> None:
    for t in ("Navalny", "Honeyland", "Fire of Love"):
        await club.say(f"suggest {t}")
    await club.say("poll open Navalny, Honeyland")
    assert "only organizers add films" in await club.say("a> poll add Fire of Love")
    await club.say("config set members_add_to_polls yes")
    assert "#3 Fire of Love: 0" in await club.say("a> poll add Fire of Love")


async def test_poll_deadline_is_shown_in_the_clubs_timezone(club: Club) -> None:
    await club.say("config set timezone America/New_York")
    for t in ("Navalny", "Honeyland"):
        await club.say(f"suggest {t}")
    out = await club.say("poll open Navalny, Honeyland --closes friday 18:00")
    assert "Closes Fri 27 Nov 2026 18:00 EST (in 2 days 11 h)" in out
