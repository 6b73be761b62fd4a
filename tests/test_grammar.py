"""The text grammar: quoting, options and how words become core calls."""

from __future__ import annotations

import pytest

from docclub.core.commands import COMMANDS
from docclub.core.errors import UsageError
from docclub.core.grammar import Quoted, parse, tokenize
from tests.conftest import Club


def test_double_quotes_group_words_and_apostrophes_stay_apostrophes() -> None:
    assert tokenize('suggest "Beyond Utopia" --pitch A family\'s escape') == [
        "suggest", "Beyond Utopia", "--pitch", "A", "family's", "escape"]


def test_curly_quotes_group_words() -> None:
    assert tokenize("film “Fire of Love”") == ["film", "Fire of Love"]


def test_unclosed_quote_is_refused_with_how_to_quote() -> None:
    with pytest.raises(UsageError, match="not closed"):
        tokenize('film "Beyond Utopia')


def test_options_take_words_up_to_the_next_option() -> None:
    p = parse(tokenize("Navalny --where HBO Max --cw violence, poisoning"), options=("where", "cw"))
    assert p.words == ["Navalny"]
    assert p.options == {"where": "HBO Max", "cw": "violence, poisoning"}


def test_single_word_options_leave_the_rest_as_words() -> None:
    p = parse(tokenize("--method ranked Navalny, Fire of Love"), single=("method",))
    assert p.options == {"method": "ranked"}
    assert p.words == ["Navalny,", "Fire", "of", "Love"]


@pytest.mark.parametrize(
    ("written", "value"),
    [("3 days", "3 days"), ("10 minutes", "10 minutes"), ("2 h", "2 h"), ("1h 30m", "1h 30m"), ("2h", "2h")],
)
def test_a_single_word_option_takes_a_number_with_its_unit_written_apart(written: str, value: str) -> None:
    p = parse(tokenize(f"#1 maybe --remind {written}"), single=("remind",))
    assert p.options == {"remind": value}
    assert p.words == ["#1", "maybe"]


def test_a_single_word_option_leaves_a_following_number_alone() -> None:
    p = parse(tokenize("--top 4 Navalny"), single=("top",))
    assert p.options == {"top": "4"}
    assert p.words == ["Navalny"]


def test_a_phrase_option_stops_at_a_quoted_word() -> None:
    p = parse(tokenize('--closes friday 18:00 "Beyond Utopia", "Navalny"'), phrase=("closes",))
    assert p.options == {"closes": "friday 18:00"}
    assert p.words == ["Beyond Utopia", ",", "Navalny"]
    assert isinstance(p.words[0], Quoted)


def test_unknown_option_lists_the_known_ones() -> None:
    with pytest.raises(UsageError, match="--where"):
        parse(["--wher", "x"], options=("where",))


def test_option_without_value_is_refused() -> None:
    with pytest.raises(UsageError, match="--where needs a value"):
        parse(["Navalny", "--where"], options=("where",))


def test_a_quoted_word_that_looks_like_an_option_is_a_word() -> None:
    p = parse(tokenize('"--not-an-option"'), options=("where",))
    assert p.words == ["--not-an-option"]


async def test_unquoted_multi_word_title_then_score(club: Club) -> None:
    await club.say("suggest 20 Days in Mariupol (2023)")
    out = await club.say("rate 20 Days in Mariupol 9 Devastating and precise")
    assert out.startswith("You rated 20 Days in Mariupol (2023): 9/10.")
    assert "Devastating and precise" in out


async def test_unquoted_title_then_time_for_a_party(club: Club) -> None:
    await club.say("suggest Beyond Utopia (2023)")
    out = await club.say("party schedule Beyond Utopia sat 20:00 --where #watch-party")
    assert "== Watch party #1: Beyond Utopia (2023) ==" in out
    assert "When: Sat 28 Nov 2026 20:00 UTC" in out
    assert "Where: #watch-party" in out


async def test_vote_with_a_poll_number_then_films(club: Club) -> None:
    for title in ("Navalny", "Fire of Love", "Beyond Utopia"):
        await club.say(f"suggest {title}")
    await club.say("poll open #1, #2 --method approval")
    await club.say("poll open #2, #3")
    out = await club.say("alice> vote #1 Navalny, Fire of Love")
    assert out.startswith("Your vote in poll #1: Navalny, Fire of Love.")
    out = await club.say("alice> vote Navalny")
    assert "Several polls are open (#1, #2); say which one." in out


async def test_unknown_command_suggests_the_nearest(club: Club) -> None:
    assert "Did you mean 'suggest'?" in await club.say("sugest Navalny")


async def test_help_for_one_command_shows_an_example(club: Club) -> None:
    out = await club.say("help rate")
    assert out.startswith("== help rate ==")
    assert 'e.g. rate "Beyond Utopia" 9' in out


async def test_a_film_with_nothing_after_it_asks_for_what_is_missing(club: Club) -> None:
    await club.say("suggest Beyond Utopia (2023)")
    assert "When is the party?" in await club.say('party schedule "Beyond Utopia"')
    assert "When is the party?" in await club.say("party schedule Beyond Utopia")
    assert "Give a score." in await club.say("rate Beyond Utopia")
    assert "What's your question?" in await club.say("prompt add #1")


async def test_options_may_come_before_the_films_of_a_poll(club: Club) -> None:
    await club.say("suggest Navalny")
    await club.say("suggest Fire of Love")
    out = await club.say("poll open --method ranked --closes friday 18:00 Navalny, Fire of Love")
    assert out.startswith("== Poll #1 is open ==")
    assert "ranked choice" in out and "Closes Fri 27 Nov 2026 18:00 UTC" in out
    assert "#1 Navalny" in out and "#2 Fire of Love" in out


async def test_a_party_time_may_follow_the_where_option(club: Club) -> None:
    await club.say("suggest Free Solo")
    out = await club.say("party schedule Free Solo --where Zoom sat 20:00")
    assert "When: Sat 28 Nov 2026 20:00 UTC" in out and "Where: Zoom" in out
    out = await club.say("party schedule #1 --duration 1h45 sun 19:00")
    assert "When: Sun 29 Nov 2026 19:00 UTC" in out and "Duration: 1 h 45 min" in out


async def test_a_quoted_title_may_follow_the_options_of_a_suggestion(club: Club) -> None:
    out = await club.say('suggest --where Netflix "My Octopus Teacher" (2020) --cw animal death')
    assert out.splitlines()[0] == "== Suggested #1 My Octopus Teacher (2020) =="
    assert "Where to watch: Netflix" in out and "Content warnings: [spoiler: animal death]" in out
    out = await club.say('suggest --pitch Bees, and a way of life "Honeyland"')
    assert out.splitlines()[0] == "== Suggested #2 Honeyland ==" and "Pitch: Bees, and a way of life" in out
    # Without quotes nothing tells the title from the option's words: asked, with the way to write it.
    out = await club.say("suggest --where Netflix Free Solo")
    assert out.splitlines()[0].startswith("What's the film called?"), out
    assert 'Write the title first, or in quotes: suggest "Beyond Utopia" --where' in out, out


async def test_close_schedule_time_may_come_before_the_poll_number(club: Club) -> None:
    await club.say("suggest Navalny")
    await club.say("suggest Fire of Love")
    await club.say("poll open Navalny, Fire of Love")
    await club.say("alice> vote Navalny")
    out = await club.say("poll close --schedule sat 20:00 #1")
    assert "Winner: #1 Navalny" in out and "Scheduled watch party #1: Sat 28 Nov 2026 20:00 UTC" in out


@pytest.mark.parametrize(
    ("line", "usage"),
    [
        ("poll show", "poll show [#poll]"),
        ("poll close", "poll close [#poll] [--schedule WHEN]"),
        ("poll cancel", "poll cancel [#poll]"),
        ("poll add Honeyland", "poll add [#poll] <film>"),
        ("vote Navalny", "vote [#poll] <film>[, <film> ...]"),
        ("vote clear", "vote clear [#poll]"),
    ],
)
async def test_with_several_polls_open_each_command_shows_its_own_usage(club: Club, line: str, usage: str) -> None:
    for title in ("Navalny", "Fire of Love", "Free Solo", "Honeyland"):
        await club.say(f"suggest {title}")
    await club.say("poll open Navalny, Fire of Love")
    await club.say("poll open Free Solo, Honeyland")
    out = await club.say(line)
    assert out == f"Several polls are open (#1, #2); say which one.\nUsage: {usage}"


async def test_help_lists_every_form_of_every_command_with_an_example(club: Club) -> None:
    out = await club.say("help")
    for cmd in COMMANDS.values():
        if cmd.name == "help":
            continue
        for usage, example in cmd.forms:
            assert usage in out, usage
            assert example, f"{usage} has no example"
            assert f"e.g. {example}" in out, usage
    for form in ("poll close [#poll]", "party move [#party] <WHEN>", "config set <key> <value>", "vote clear"):
        assert form in out


async def test_help_quit_explains_how_to_leave(club: Club) -> None:
    out = await club.say("help quit")
    assert out.startswith("== help quit ==") and "In the console, quit (or Ctrl-D) leaves" in out


async def test_vote_clear_withdraws_the_ballot_while_the_poll_is_open(club: Club) -> None:
    await club.say("suggest Navalny")
    await club.say("suggest Fire of Love")
    await club.say("poll open Navalny, Fire of Love")
    await club.say("alice> vote Navalny")
    assert (await club.say("alice> vote clear")).startswith("Withdrew your ballot from poll #1.")
    assert (await club.snapshot()).ballots == []
    await club.say("alice> vote Fire of Love")
    assert (await club.say("alice> unvote")).startswith("Withdrew your ballot from poll #1.")
    assert "0 ballots so far." in await club.say("poll show")
    await club.say("poll close")
    assert "it no longer takes votes" in await club.say("alice> vote clear #1")


async def test_a_poll_closed_without_a_schedule_says_what_comes_next(club: Club) -> None:
    await club.say("suggest Navalny")
    await club.say("suggest Fire of Love")
    await club.say("poll open Navalny, Fire of Love")
    await club.say("alice> vote Fire of Love")
    out = await club.say("poll close")
    assert "Next: schedule its watch party with: party schedule #2 <when>" in out


async def test_closing_a_poll_without_ballots_to_schedule_says_it_stays_open_and_how_to_close_it(club: Club) -> None:
    await club.say("suggest Navalny")
    await club.say("suggest Fire of Love")
    await club.say("poll open Navalny, Fire of Love")
    out = await club.say("poll close --schedule sat 20:00")
    assert out == (
        "Poll #1 has no ballots, so it has no winner to schedule. Nothing was changed: the poll is "
        "still open. Close it without a watch party with: poll close #1"
    )
    assert "(open)" in await club.say("poll show")


async def test_another_command_after_film_points_to_that_command(club: Club) -> None:
    await club.say("suggest Navalny (2022)")
    out = await club.say("film withdraw #1")
    assert out == "'withdraw' is a command of its own, not a film. Try: withdraw #1"
    assert (await club.say("film #1")).startswith("== #1 Navalny (2022) ==")


async def test_exporting_ratings_before_rating_anything_says_so_and_writes_no_file(club: Club) -> None:
    out = await club.say("export csv")
    assert out == (
        "You have rated no films in this club yet, so there is nothing to export. Rate one with: rate <film> <score>"
    )


def _title(n: int, seed: str) -> str:
    words = f"{seed} Keepers of the Northern Lights Who Stayed When the Ships Had Gone and the Sea Forgot".split()
    out: list[str] = []
    while len(" ".join(out)) < n:
        out.append(words[len(out) % len(words)])
    return " ".join(out)[:n].rstrip()


@pytest.mark.parametrize("length", [151, 175, 200])
async def test_a_long_title_goes_through_every_command_that_takes_one(club: Club, length: int) -> None:
    long, other = _title(length, "Lighthouse"), _title(length, "Harbour")
    assert len(long) >= 150 and len(other) >= 150
    lines = [
        f"suggest {long}",
        "suggest Navalny",
        f"bob> suggest {other}",
        f"film {long}",
        f"shortlist {long}",
        f"poll open {long}, Navalny --method approval",
        f"alice> vote {long}",
        f"poll add {other}",
        f"alice> vote {long}, {other}",
        "poll cancel",
        f"alice> seen {long}",
        f"alice> rate {long} 8 Quietly devastating",
        f"alice> ratings {long}",
        f'alice> prompt add "{long}" Who kept the lights on?',
        f"prompts {long}",
        f"party schedule {long} sat 20:00",
        f"bob> withdraw {other}",
        f"delete {other}",
    ]
    for text in lines:
        out = await club.say(text)
        assert "Usage:" not in out and "No film" not in out and "Which film" not in out, (text, out)
    snap = await club.snapshot()
    assert [f.title for f in snap.films] == [long, "Navalny"]
    assert [p.film_id for p in snap.parties] == [1] and [r.score for r in snap.ratings] == [8]
