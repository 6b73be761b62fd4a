"""Hints and usage lines name `/docclub …`, spelled in the text grammar that `/docclub` runs."""

from __future__ import annotations

import json

import pytest
from docclub_slack.render import CONSOLE_ONLY, SLASH_COMMAND, spell
from docclub_slack.testing import SlackHarness

from docclub.core.commands import dispatch
from docclub.core.errors import UsageError
from docclub.core.models import Actor, ClubKey
from docclub.core.replies import COMMAND_PARAMS, Cmd, synopsis

OFFERED = sorted(op for op in COMMAND_PARAMS if op not in CONSOLE_ONLY)
SAMPLE = {"film": "#1", "title": "Fire of Love", "poll": "#1", "party": "#1", "answer": "maybe", "what": "csv"}


def _filled(op: str) -> Cmd:
    return Cmd(op, tuple((p.name, SAMPLE.get(p.name, "x")) for p in COMMAND_PARAMS[op] if p.kind != "flag"))


@pytest.mark.parametrize("op", OFFERED)
async def test_every_command_the_core_can_name_is_one_that_slash_docclub_runs(op: str, slack: SlackHarness) -> None:
    """Each command, spelled as a hint spells it, reaches its own handler: whatever the answer
    (the film may not exist), it is never "I don't know the command" or "There is no 'poll …'"."""
    spelled = spell(_filled(op))
    assert spelled.startswith(f"{SLASH_COMMAND} ")
    try:
        await dispatch(slack.app, ClubKey("slack", "T1"), Actor("slack", "U1", "ana", True), spelled.split(" ", 1)[1])
    except UsageError as exc:
        assert "know the command" not in exc.message and "There is no '" not in exc.message, (spelled, exc.message)
    except Exception as exc:  # a refusal about the data is fine; not a grammar that does not exist
        assert not isinstance(exc, (LookupError, TypeError)), (spelled, exc)


def test_spelling_is_the_slash_command_then_the_text_grammar() -> None:
    assert spell(Cmd("films", (("which", "all"),))) == "/docclub films all"
    assert spell(synopsis("rate")) == "/docclub rate <film> <score> [review] [--no-review]"


async def test_a_refusal_points_to_slash_docclub_in_code(slack: SlackHarness) -> None:
    answer = await slack.command("film #9", "UALICE")
    raw = json.dumps(answer.ack)
    assert "See the list with: `/docclub films all`" in raw
    assert answer.shown()[0].endswith("See the list with: films all")


async def test_a_usage_example_names_a_film_of_this_club(slack: SlackHarness) -> None:
    await slack.command('suggest "Fire of Love" (2022)', "UALICE")
    answer = await slack.command("my ratings", "UALICE")
    raw = json.dumps(answer.ack)
    assert '`/docclub rate \\"Fire of Love\\" 8 Harrowing, and it earns it`' in raw
    assert "Beyond Utopia" not in raw
