"""The terminal console: shell-like line editing at a terminal (history across runs, Ctrl-C
clears the line, Ctrl-D or quit leaves), and piped standard input read line by line. The
terminal is prompt_toolkit's pipe input (keys) and a plain-text output (what the screen shows)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.plain_text import PlainTextOutput

from docclub.cli import _history_file
from docclub.config import Settings
from docclub.console import ConsoleSession, run_console
from docclub.core.clubs import Docclub
from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock

UP = "\x1b[A"
CTRL_C, CTRL_D = "\x03", "\x04"


@pytest.fixture
async def console(tmp_path: Path) -> AsyncIterator[tuple[Docclub, ConsoleSession]]:
    store = await SqliteStore.open(tmp_path / "club.db")
    app = Docclub(store, FakeClock())
    try:
        yield app, ConsoleSession(app, "club", tmp_path)
    finally:
        await store.close()


async def at_terminal(console: tuple[Docclub, ConsoleSession], history: Path, *keys: str) -> str:
    """Type `keys` at the console; what the screen showed."""
    app, session = console
    screen = io.StringIO()
    with create_pipe_input() as keyboard:
        for text in keys:
            keyboard.send_text(text)
        await run_console(app, session, interactive=True, history=history, terminal=(keyboard, PlainTextOutput(screen)))
    return screen.getvalue()


async def films(console: tuple[Docclub, ConsoleSession]) -> str:
    return await console[1].handle("films all")


async def test_ctrl_c_clears_the_line_and_ctrl_d_leaves(
    console: tuple[Docclub, ConsoleSession], tmp_path: Path
) -> None:
    keys = ("suggest Navalny (2022)\r", "suggest Half a tit", CTRL_C, "films all\r", CTRL_D, "films\r")
    out = await at_terminal(console, tmp_path / "h", *keys)
    assert out.index("docclub console") < out.index("Suggested #1 Navalny (2022)")
    assert "Films (all): 1" in out  # the console stayed after Ctrl-C, the half line was dropped
    assert "Films (suggested and shortlisted)" not in out  # nothing after Ctrl-D
    assert "Half a tit" not in await films(console)


async def test_history_is_kept_across_runs_and_the_up_arrow_brings_it_back(
    console: tuple[Docclub, ConsoleSession], tmp_path: Path
) -> None:
    history = tmp_path / ".docclub_history"
    await at_terminal(console, history, "suggest Navalny (2022)\r", "quit\r")
    await at_terminal(console, history, "withdraw #1\r", CTRL_D)
    assert "[withdrawn]" in await films(console)
    # A new run: three times up (withdraw, quit, suggest) brings back the first run's suggestion.
    await at_terminal(console, history, UP, UP, UP, "\r", CTRL_D)
    assert "#2 Navalny (2022)" in await films(console)
    assert "+suggest Navalny (2022)" in history.read_text()


async def test_the_history_file_lives_beside_the_database(tmp_path: Path) -> None:
    settings = Settings(docclub_database_url=f"sqlite:///{tmp_path}/clubs/docclub.db")  # type: ignore[call-arg]
    assert _history_file(settings) == tmp_path / "clubs" / ".docclub_history"


async def test_piped_input_skips_comment_lines_and_stops_at_quit(
    console: tuple[Docclub, ConsoleSession], capsys: pytest.CaptureFixture[str]
) -> None:
    app, session = console
    lines = "# a comment line\nsuggest Navalny (2022) --where #cinema\n\nvote #1\nquit\nsuggest After Quit\n"
    await run_console(app, session, stdin=io.StringIO(lines), interactive=False)
    out = capsys.readouterr().out
    assert "Suggested #1 Navalny (2022)" in out and "Where to watch: #cinema" in out
    assert "After Quit" not in await films(console)
