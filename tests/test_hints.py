"""Hints and usage lines name commands as structured `Cmd` pieces (each adapter spells them its
way), and their examples name a film of the club, not one it never suggested."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from docclub.core.commands import COMMANDS
from docclub.core.replies import COMMAND_PARAMS, Cmd, cmd, synopsis, text_command
from tests.conftest import Club

CORE = Path(__file__).parents[1] / "src" / "docclub" / "core"
WORDS = "|".join(sorted(COMMANDS, key=len, reverse=True))
# A command written into a member-facing string: "See it with: film #1", "Try: help".
WRITTEN_COMMAND = re.compile(
    rf"\w: +(?:{WORDS})(?: (?:[#<\"(0-9-]|all\b|json|csv|set |add |list|open|show|close|clear|ics|move)|$|\))"
)


def test_a_command_names_only_parameters_it_has_in_order() -> None:
    with pytest.raises(ValueError):
        Cmd("films all")
    with pytest.raises(ValueError):
        cmd("rate", score="8", film="#1")
    with pytest.raises(ValueError):
        cmd("film", title="Navalny")


def test_the_console_spells_commands_in_the_text_grammar() -> None:
    assert text_command(cmd("films", which="all")) == "films all"
    assert text_command(cmd("rate", film="Fire of Love", score="8")) == 'rate "Fire of Love" 8'
    assert text_command(cmd("suggest", title="Title", year="2023")) == "suggest Title (2023)"
    assert text_command(synopsis("poll close")) == "poll close [#poll] [--schedule WHEN]"


@pytest.mark.parametrize("op", sorted(COMMAND_PARAMS))
def test_every_command_a_hint_can_name_is_in_the_text_grammar(op: str) -> None:
    assert op.split()[0] in COMMANDS


def _member_strings(tree: ast.AST) -> list[tuple[int, str, bool]]:
    """(line, text, is a usage=) of every string a member may read: no docstrings, and not the
    help texts given to `@command(...)`."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "command":
            skip.update(id(n) for arg in node.args for n in ast.walk(arg))
    found: list[tuple[int, str, bool]] = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.keyword)
            and node.arg == "usage"
            and isinstance(node.value, (ast.Constant, ast.JoinedStr))
        ):
            found.append((node.value.lineno, ast.unparse(node.value), True))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            found.append((node.lineno, node.value, False))
    return found


@pytest.mark.parametrize("path", sorted(CORE.glob("*.py")), ids=lambda p: p.name)
def test_core_messages_name_commands_as_pieces_not_console_text(path: Path) -> None:
    """A command written as text would reach Discord members as a console form they can't type."""
    tree = ast.parse(path.read_text())
    bad = []
    for lineno, text, is_usage in _member_strings(tree):
        first = text.strip("\"'f ").split(" ")[0]
        if (is_usage and first in COMMANDS) or WRITTEN_COMMAND.search(text):
            bad.append(f"{path.name}:{lineno}: {text[:80]}")
    assert not bad, "write these as cmd(...) pieces:\n" + "\n".join(bad)


async def test_a_usage_example_names_a_film_of_the_club(club: Club) -> None:
    await club.say("suggest Navalny (2022)")
    said = await club.say("my ratings")
    assert said.endswith("For example: rate Navalny 8 Harrowing, and it earns it")


async def test_without_films_the_example_has_a_neutral_placeholder(club: Club) -> None:
    said = await club.say("my ratings")
    assert said.endswith("For example: rate <film> 8 Harrowing, and it earns it")


async def test_a_long_title_is_named_by_its_number_in_an_example(club: Club) -> None:
    await club.say("suggest " + "Very Long Documentary Title " * 3)
    said = await club.say("my ratings")
    assert said.endswith("For example: rate #1 8 Harrowing, and it earns it")


async def test_several_open_polls_show_the_usage_of_the_command_asked(club: Club) -> None:
    for title in ("A", "B", "C", "D"):
        await club.say(f"suggest Film {title}")
    await club.say("poll open #1, #2")
    await club.say("poll open #3, #4")
    assert (await club.say("poll close")).endswith("Usage: poll close [#poll] [--schedule WHEN]")
    assert (await club.say("poll show")).endswith("Usage: poll show [#poll]")
