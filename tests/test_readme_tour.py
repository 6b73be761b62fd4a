"""The README's five-minute tour, pasted into the console exactly as printed, gives the replies
the README promises, and nothing of a comment ends up in a title, a vote or a time."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from docclub.console import ConsoleSession, run_console
from docclub.core.clubs import Docclub
from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock

README = Path(__file__).resolve().parents[1] / "README.md"
WEDNESDAY_NOON = datetime(2026, 11, 25, 11, 0, tzinfo=UTC)


def tour() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## A five-minute tour") :]
    block = re.search(r"```text\n(.*?)```", section, re.S)
    assert block is not None
    return block.group(1).splitlines()


# What each commented line promises, as the member sees it.
PROMISES = {
    "alice> suggest beyond utopia": ["Beyond Utopia (2023) is already here as #1", "See it with: film #1"],
    "alice> vote Navalny, Beyond Utopia": ["1. Navalny (2022) > 2. Beyond Utopia (2023)"],
    "poll close --schedule sat 20:00": ["Scheduled watch party #1: Sat 28 Nov 2026 20:00 CET"],
    "alice> rsvp yes --remind 2h": ["You're going to watch party #1", "I'll message you 2 h before it starts."],
    "party ics #1": ["Saved docclub-party-1.ics"],
    "export json": ["Saved docclub-backup-"],
}


async def test_the_readme_tour_pasted_line_by_line_gives_the_promised_replies(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "docclub.db")
    app = Docclub(store, FakeClock(WEDNESDAY_NOON))
    session = ConsoleSession(app, "club", tmp_path)
    replies: dict[str, str] = {}
    blind_then_seen: list[str] = []
    try:
        for line in tour():
            if not line.strip() or line.lstrip().startswith("#"):
                continue  # as the console does
            reply = await session.handle(line)
            replies[line] = reply
            if line == 'alice> ratings "Beyond Utopia"':
                blind_then_seen.append(reply)
            if line != "alice> suggest beyond utopia":
                assert "Usage:" not in reply and "went wrong" not in reply, f"{line}\n{reply}"
        films = await session.handle("films all")
    finally:
        await store.close()
    for line, promised in PROMISES.items():
        for text in promised:
            assert text in replies[line], f"{line}\n{replies[line]}"
    blind, seen = blind_then_seen
    assert "Rate it to see" in blind or "rate it" in blind.lower(), blind
    assert "Mean" not in blind and "Mean" in seen, seen
    assert films.startswith("== Films (all): 3 ==")  # no film made of a comment
    assert (tmp_path / "docclub-party-1.ics").exists()


async def test_the_whole_tour_pasted_at_once_runs_the_same(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = await SqliteStore.open(tmp_path / "docclub.db")
    app = Docclub(store, FakeClock(WEDNESDAY_NOON))
    session = ConsoleSession(app, "club", tmp_path)
    try:
        await run_console(app, session, stdin=io.StringIO("\n".join(tour()) + "\n"), interactive=False)
        films = await session.handle("films all")
    finally:
        await store.close()
    out = capsys.readouterr().out
    assert out.count("Usage:") == 1  # the one refusal the tour shows
    assert "went wrong" not in out
    assert films.startswith("== Films (all): 3 ==")
