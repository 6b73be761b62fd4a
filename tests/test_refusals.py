"""Bad input gets a clear message saying what was wrong and how to do it right, and the store
is unchanged."""

from __future__ import annotations

import pytest

from tests.conftest import Club

SETUP = [
    'suggest "Beyond Utopia" (2023) --where Amazon --cw torture, trafficking',
    "alice> suggest Navalny (2022)",
    "bob> suggest Fire of Love (2022)",
    "suggest Fire in the Blood (2013)",
    'poll open "Beyond Utopia", Navalny',
    "alice> vote Navalny",
]

CASES = [
    ("frobnicate", "I don't know the command 'frobnicate'"),
    ("suggest", "What's the film called?"),
    ("rate #1", "Give a score."),
    ("rate #1 11", "The score '11' is out of range: this club rates from 1 to 10 in whole numbers"),
    ("rate #1 -1", "The score '-1' is out of range: this club rates from 1 to 10"),
    ("rate #1 ten", "The score 'ten' isn't a number: this club rates from 1 to 10"),
    ("film #99", "There is no film #99 in this club"),
    ("film Koyaanisqatsi", "No film in this club matches 'Koyaanisqatsi'"),
    ("film Fire", "'Fire' matches several films: #3 Fire of Love (2022), #4 Fire in the Blood (2013)"),
    ("suggest " + "A" * 10_000, "the limit is 200"),
    ("suggest Bad\x07Title", "control character (U+0007)"),
    ("suggest Navalny (2022)", "Navalny (2022) is already here as #2"),
    ("suggest the beyond utopia", "Beyond Utopia (2023) is already here as #1"),
    ("party schedule #1 blurday", "couldn't read"),
    ("party schedule #1 2020-01-01 20:00", "in the past"),
    ("poll open #1, #2 --closes someday", "couldn't read"),
    ("bob> poll close", "Only the club's organizers can close polls"),
    ("bob> shortlist #1", "Only the club's organizers can shortlist films"),
    ("bob> config set timezone Europe/Berlin", "Only the club's organizers can change the club's settings"),
    ("config set timezone Mars/Olympus", "is not a timezone I know"),
    ("config set colour blue", "There is no setting called 'colour'"),
    ("bob> withdraw Navalny", "Only alice, who suggested Navalny (2022), or an organizer can withdraw it"),
    ("vote Beyond Utopia, Navalny", "single choice: vote for one film"),
    ("vote Fire of Love", "Fire of Love (2022) is not in poll #1"),
    ("poll open #1", "A poll needs at least two films"),
    ("rsvp yes", "There is no upcoming watch party"),
    ("suggest Film --link ftp://x", "isn't a web address"),
    ("suggest Film (1066)", "doesn't look like a film's year"),
    ("export pdf", "Export json (a full backup) or csv"),
]


@pytest.mark.parametrize(("line", "message"), CASES, ids=[c[0][:30] for c in CASES])
async def test_refusal_is_clear_and_changes_nothing(club: Club, line: str, message: str) -> None:
    for setup in SETUP:
        await club.say(setup)
    before = await club.snapshot()
    out = await club.say(line)
    assert message in out
    assert "Traceback" not in out and "Something went wrong" not in out
    assert await club.snapshot() == before


async def test_voting_in_a_closed_poll_is_refused(club: Club) -> None:
    for setup in SETUP:
        await club.say(setup)
    await club.say("poll close")
    before = await club.snapshot()
    out = await club.say("bob> vote #1 Navalny")
    assert "Poll #1 is closed; it no longer takes votes." in out
    assert await club.snapshot() == before


async def test_refusals_carry_usage_where_it_helps(club: Club) -> None:
    out = await club.say("rate #1 eleven")
    assert "Usage: rate" in out or "There is no film #1" in out
    await club.say("suggest Navalny")
    out = await club.say("rate Navalny eleven")
    assert "Which film?" in out or "Usage: rate" in out


SUBCOMMANDS = ("show", "add", "close", "cancel", "ics", "move", "list", "schedule", "set", "clear")
BAD_LINES = [
    "suggest",
    "suggest Foo --year 20x",
    "suggest Foo --link nope",
    "suggest #3",
    "films bogus",
    "films a b",
    "film",
    "seen",
    "withdraw",
    "shortlist",
    "delete",
    "poll",
    "poll bogus",
    "poll open Navalny",
    "poll open --method bogus Navalny, Honeyland",
    "poll open --top x",
    "poll open --top 99",
    "poll show a b",
    "poll show x",
    "poll add",
    "poll close a b",
    "poll close x",
    "poll close #1 --schedule",
    "vote",
    "vote #1",
    "vote #1 Navalny, Navalny",
    "vote #2 Free Solo, Honeyland",
    "vote #1 Honeyland",
    "vote clear",
    "unvote x",
    "party",
    "party bogus",
    "party schedule",
    "party schedule Navalny",
    "party schedule Navalny --where",
    "party list a b",
    "party show",
    "party show x",
    "party show #1 x",
    "party ics",
    "party move",
    "party move #1",
    "party cancel",
    "rsvp",
    "rsvp #1",
    "rsvp #1 perhaps",
    "rsvp yes",
    "rsvp #1 yes --remind",
    "rate",
    "rate Navalny",
    "rate #1 x",
    "rate Navalny 8 --bogus",
    "ratings",
    "my",
    "my stuff",
    "prompts",
    "prompt",
    "prompt add",
    "prompt add Navalny",
    "config bogus",
    "config set",
    "config set timezone Mars/Base",
    "config set rating_scale 7",
    "config set bogus x",
    "config set reminders 1h,2h,3h,4h,5h,6h,7h",
    "config set members_add_to_polls maybe",
    "export",
    "export bogus",
    "import",
]


async def test_every_refusals_usage_line_is_the_commands_own(club: Club) -> None:
    for setup in (
        "suggest Navalny (2022)",
        "suggest Fire of Love",
        "suggest Free Solo",
        "suggest Honeyland",
        "poll open Navalny, Fire of Love",
        "poll open Free Solo, Honeyland",
        "party schedule Fire of Love sat 20:00",
        "party schedule Honeyland sun 20:00",
    ):
        await club.say(setup)
    for bad in BAD_LINES:
        out = await club.say(bad)
        usage = [ln for ln in out.splitlines() if ln.startswith("Usage: ")]
        assert usage, f"{bad!r} gave no usage: {out}"
        words = bad.split()
        if words[0] == "unvote":  # the alias answers with the form it stands for
            words = ["vote", "clear", *words[1:]]
        assert usage[0].startswith(f"Usage: {words[0]}"), f"{bad!r} -> {usage[0]}"
        if len(words) > 1 and words[1] in SUBCOMMANDS:
            assert f"{words[0]} {words[1]}" in usage[0], f"{bad!r} -> {usage[0]}"
