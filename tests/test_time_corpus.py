"""The corpus of times members write (tests/data/time_phrases.csv), read two ways here: by the
reader itself, row by row, and through the console's text grammar as an organizer schedules
a party (`party schedule #1 <phrase>`). The Discord and Slack adapters run a slice of it through
their own command paths (adapters/*/tests/test_time_corpus*.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from docclub.console import ConsoleSession
from docclub.core.clubs import Docclub
from docclub.core.errors import InvalidInput
from docclub.core.when import date_order_for, read_when
from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock, time_corpus
from docclub.testing.time_corpus import Case

CORPUS = time_corpus.load(Path(__file__).parent / "data" / "time_phrases.csv")


def test_the_corpus_is_broad() -> None:
    assert len(CORPUS) >= 300
    zones = {c.timezone for c in CORPUS}
    assert {"Europe/Berlin", "America/New_York", "Australia/Sydney"} <= zones
    assert {"dmy", "mdy", "ymd", "auto"} <= {c.date_order for c in CORPUS}
    assert {"en", "fr", "de"} <= {c.language for c in CORPUS}
    assert sum(c.instant is None for c in CORPUS) >= 50  # questions and refusals


def read(case: Case) -> tuple[datetime | None, str]:
    order = date_order_for(case.timezone, None if case.date_order == "auto" else case.date_order)
    try:
        reading = read_when(case.phrase, case.timezone, case.now, date_order=order, language=case.language)
    except InvalidInput as refused:
        return None, refused.message
    return reading.at, " ".join(reading.notes)


@pytest.mark.parametrize("case", CORPUS, ids=[f"{c.line}:{c.phrase}" for c in CORPUS])
def test_each_phrase_reads_as_the_corpus_says(case: Case) -> None:
    at, said = read(case)
    if case.instant is None:
        assert at is None, f"{case}: read as {at}, expected {case.expect!r}"
        assert case.message in said
    else:
        shown = at.astimezone(ZoneInfo(case.timezone)).isoformat(timespec="minutes") if at else said
        assert at == case.instant, f"{case}: expected {case.expect}, got {shown}"
        assert case.note in said


async def test_the_whole_corpus_through_the_console_grammar(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "club.db")
    clock = FakeClock(min(c.now for c in CORPUS))
    session = ConsoleSession(Docclub(store, clock), "club", tmp_path)
    try:
        await session.handle("suggest Fire of Love (2022)")
        problems = await time_corpus.run(CORPUS, session.handle, clock.set)
    finally:
        await store.close()
    assert not problems, "\n\n".join(problems[:10])


async def test_the_grammar_finds_a_time_in_the_clubs_language_and_date_order(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "club.db")
    clock = FakeClock(datetime(2026, 10, 12, 8, 0, tzinfo=ZoneInfo("UTC")))
    session = ConsoleSession(Docclub(store, clock), "club", tmp_path)
    try:
        for line in ("config set timezone Europe/Paris", "config set language fr", "config set date_order mdy",
                     "suggest Navalny (2022)", "suggest Honeyland (2019)"):
            await session.handle(line)
        opened = await session.handle("poll open --closes vendredi 18h Navalny, Honeyland")
        scheduled = await session.handle("party schedule Navalny --where Zoom 12/05 20h")
    finally:
        await store.close()
    assert "Closes Fri 16 Oct 2026 18:00 CEST" in opened
    assert "When: Sat 05 Dec 2026 20:00 CET" in scheduled
    assert "Where: Zoom" in scheduled


async def test_time_settings_refuse_what_they_cannot_use(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "club.db")
    session = ConsoleSession(Docclub(store, FakeClock()), "club", tmp_path)
    try:
        order = await session.handle("config set date_order dd/mm")
        language = await session.handle("config set language klingon")
        shown = await session.handle("config show")
        organizer_only = await session.handle("alice> config set date_order mdy")
    finally:
        await store.close()
    assert order.startswith("The date order is dmy (12/05 is 12 May), mdy (12/05 is 5 December), ymd, or auto.")
    assert "config set date_order dmy|mdy|ymd|auto" in order
    assert language.startswith("'klingon' is not a language I can read times in.")
    assert "date_order: dmy (from the timezone)" in shown and "language: en" in shown
    assert "Only the club's organizers" in organizer_only
