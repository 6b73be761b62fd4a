"""The corpus of times members write, and a runner that sends it through any adapter.

`tests/data/time_phrases.csv` holds one phrasing a row: the club's timezone, date order
("auto": from the timezone) and language, the club's wall-clock "now", the phrase, and what
it must become: an instant (ISO 8601 with the club's offset), "ask: <words of the question>"
or "refuse: <words of the refusal>", and, for an instant, words the reply must add about how
it was read ("note"). The expectations were worked out from the calendar and the tz database,
not from docclub's reader.

`run` plays the corpus as an organizer would: per club setting, `config set` the timezone,
date order and language, then `party schedule #1 <phrase> --again` for each phrase, and checks the
reply. Any driver with `send(line) -> str` (the console, Discord and Slack transcript drivers)
and a way to set the clock can run it, so the same expectations hold on every platform.
"""

from __future__ import annotations

import csv
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path
from zoneinfo import ZoneInfo

from docclub.core.replies import format_time

__all__ = ["Case", "load", "run", "shown_when"]


@dataclass(frozen=True, slots=True)
class Case:
    """One phrasing of the corpus and what it must read as."""

    line: int
    timezone: str
    date_order: str  # dmy | mdy | ymd | auto
    language: str
    now: datetime  # aware, UTC
    phrase: str
    expect: str  # ISO instant, "ask: …" or "refuse: …"
    note: str  # words the reply adds about the reading ("" for none)

    @property
    def instant(self) -> datetime | None:
        """The expected instant (UTC), or None when a question or refusal is expected."""
        if self.expect.startswith(("ask: ", "refuse: ")):
            return None
        return datetime.fromisoformat(self.expect).astimezone(UTC)

    @property
    def message(self) -> str:
        """For a question or refusal, the words the member must see."""
        return self.expect.split(": ", 1)[1]

    @property
    def settings(self) -> tuple[str, str, str, datetime]:
        return (self.timezone, self.date_order, self.language, self.now)

    def __str__(self) -> str:
        return f"line {self.line}: {self.phrase!r} ({self.timezone}, {self.date_order}, {self.language})"


def load(path: Path) -> list[Case]:
    """Every row of the corpus file, in file order."""
    cases: list[Case] = []
    with path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            zone = ZoneInfo(row["timezone"])
            now = datetime.fromisoformat(row["now"]).replace(tzinfo=zone).astimezone(UTC)
            cases.append(
                Case(
                    line,
                    row["timezone"],
                    row["date_order"],
                    row["language"],
                    now,
                    row["phrase"],
                    row["expect"],
                    row["note"],
                )
            )
    return cases


def shown_when(case: Case) -> str:
    """The start of the line a party reply shows for the expected instant, in the club's
    timezone (a span from now may follow it)."""
    instant = case.instant
    assert instant is not None
    return f"When: {format_time(instant, case.timezone)}"


def mismatch(case: Case, reply: str) -> str | None:
    """Why `reply` (plain text) is not what the case expects; None when it is."""
    if case.instant is None:
        if "== Watch party" in reply or case.message not in reply:
            return f"{case}: expected {case.expect!r}, got:\n{reply}"
        return None
    when = shown_when(case)
    shown = any(ln.strip() == when or ln.strip().startswith(when + " (") for ln in reply.splitlines())
    if not shown or case.note not in reply:
        wanted = shown_when(case) + (f" and {case.note!r}" if case.note else "")
        return f"{case}: expected {wanted}, got:\n{reply}"
    return None


async def run(
    cases: Iterable[Case],
    send: Callable[[str], Awaitable[str]],
    set_clock: Callable[[datetime], Awaitable[None]],
) -> list[str]:
    """Schedule each phrase as the organizer; the mismatches, one text each (empty: all read right).

    The club must hold a film #1. The clock only moves forward, so cases run by their "now"."""
    problems: list[str] = []
    ordered = sorted(cases, key=lambda c: (c.now, c.timezone, c.date_order, c.language, c.line))
    for (tz, order, language, now), group in groupby(ordered, key=lambda c: c.settings):
        await set_clock(now)
        for setting, value in (("timezone", tz), ("date_order", order), ("language", language)):
            answer = await send(f"config set {setting} {value}")
            if f"Updated {setting}" not in answer:
                problems.append(f"config set {setting} {value} was refused: {answer}")
        for case in group:
            # The corpus schedules film #1 again and again, some phrases at the same time.
            problem = mismatch(case, await send(f"party schedule #1 {case.phrase} --again"))
            if problem:
                problems.append(problem)
    return problems
