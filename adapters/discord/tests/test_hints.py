"""Hints and usage lines name Discord's own slash commands, with their real options."""

from __future__ import annotations

from pathlib import Path

import pytest
from discord import app_commands
from docclub_discord.adapter import compose
from docclub_discord.spelling import CONSOLE_ONLY, parse, slash_commands, spell
from docclub_discord.testing import Member, harness

from docclub.core.replies import COMMAND_PARAMS, Cmd, synopsis
from docclub.testing import FakeClock

ALICE = Member(500000000000000011, "alice")
OFFERED = sorted(op for op in COMMAND_PARAMS if op not in CONSOLE_ONLY)
SAMPLE = {"film": "#1", "title": "Fire of Love", "poll": "#2", "party": "#3", "answer": "maybe", "method": "ranked"}


def _filled(op: str) -> Cmd:
    return Cmd(op, tuple((p.name, "" if p.kind == "flag" else SAMPLE.get(p.name, "x")) for p in COMMAND_PARAMS[op]))


def _registered() -> dict[str, app_commands.Command]:  # type: ignore[type-arg]
    """The commands a Bot registers in its command tree, by qualified name."""
    tree = compose(None, FakeClock()).tree  # type: ignore[arg-type]  # registering needs no club
    return {sub.qualified_name: sub for top in tree.get_commands() for sub in (getattr(top, "commands", None) or [top])}


@pytest.mark.parametrize("op", OFFERED)
def test_every_command_the_core_can_name_is_a_registered_slash_command(op: str) -> None:
    registered = _registered()
    slash = slash_commands()[op]
    assert slash.command.qualified_name in registered
    options = {p.name for p in registered[slash.command.qualified_name].parameters}
    for param in COMMAND_PARAMS[op]:
        assert slash.options[param.name] in options, f"{op}: {param.name} is not an option of {slash.path}"


@pytest.mark.parametrize("op", OFFERED)
def test_a_spelled_command_reads_back_as_the_same_command(op: str) -> None:
    for c in (synopsis(op), _filled(op)):
        spelled = spell(c)
        assert spelled.startswith("/") and parse(spelled) == c, spelled


def test_spelling_uses_the_slash_command_and_its_option_names() -> None:
    assert spell(Cmd("films", (("which", "all"),))) == "/film list which:all"
    assert spell(Cmd("rate", (("film", "#1"), ("score", None), ("review", None)))) == "/rate film:#1 score: [review]"
    assert spell(Cmd("config set", (("key", "timezone"), ("value", "Europe/Berlin")))) == (
        "/club set setting:timezone value:Europe/Berlin"
    )
    assert spell(Cmd("rsvp", (("party", "#1"), ("answer", None)))) == "/rsvp party:#1 answer:going|maybe|can't make it"
    assert spell(Cmd("my ratings")) == "/ratings"


async def test_a_refusal_points_to_the_slash_command_not_the_console_form(tmp_path: Path) -> None:
    async with harness(tmp_path) as h:
        answer = await h.slash(ALICE, "film info", film="#9")
        assert "There is no film #9 in this club. See the list with: `/film list which:all`" in answer.text()
        assert "films all" not in answer.text()


async def test_a_usage_example_names_a_film_of_this_club(tmp_path: Path) -> None:
    async with harness(tmp_path) as h:
        await h.slash(ALICE, "film suggest", title="Fire of Love (2022)")
        answer = await h.slash(ALICE, "ratings")
        assert "For example: `/rate film:Fire of Love score:8 review:Harrowing, and it earns it`" in answer.text()
        assert "Beyond Utopia" not in answer.text()


async def test_a_seen_film_suggests_rating_it_with_the_rate_command(tmp_path: Path) -> None:
    async with harness(tmp_path) as h:
        await h.slash(ALICE, "film suggest", title="Navalny")
        answer = await h.slash(ALICE, "film seen", film="#1")
        assert "Rate it with: `/rate film:#1 score: [review]`" in answer.text()
