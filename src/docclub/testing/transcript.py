"""Scenario transcripts: a club evening written as members' lines and the replies they get.

A transcript is plain text:

    # comments start with '#'
    ~ start 2026-11-25 12:00         (first line only: when the evening starts, UTC)
    $ suggest "Beyond Utopia" (2023)  (a command by the console's organizer)
    == Suggested #1 Beyond Utopia (2023) ==
    ...                              (the expected reply, every line)
    $ alice> vote Beyond Utopia       (a command by member alice)
    ~ advance 1d 2h                  (time passes; reminders that fire are the expected text)
    ~ restart                        (the bot stops and starts again on the same database)

The runner is adapter-neutral: a `TranscriptDriver` sends lines and moves time, and the
expected text is the console's plain rendering. Other adapters reuse the runner with a driver
that turns their platform output back into text, or with a looser `compare`.
Set DOCCLUB_UPDATE_TRANSCRIPTS=1 to rewrite the expected text from what the bot said.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Protocol

from docclub.console import ConsoleNotifier, ConsoleSession
from docclub.core.catalog import FilmCatalog
from docclub.core.clubs import Docclub
from docclub.scheduler import Scheduler
from docclub.storage.sqlite import SqliteStore
from docclub.testing.clock import FakeClock


@dataclass
class Step:
    kind: str  # "cmd" | "advance"
    text: str
    expected: list[str] = field(default_factory=list)
    lineno: int = 0


@dataclass
class Transcript:
    path: Path
    start: datetime
    steps: list[Step]


class TranscriptDriver(Protocol):
    async def send(self, line: str) -> str:
        """Run one member line ("alice> vote #1" or "vote #1") and return what they see."""
        ...

    async def advance(self, seconds: float) -> str:
        """Let time pass; return what the bot announced meanwhile."""
        ...


_DURATION = re.compile(r"(\d+)\s*([dhms])")


def parse_advance(text: str) -> float:
    total = 0.0
    for n, unit in _DURATION.findall(text):
        total += int(n) * {"d": 86400, "h": 3600, "m": 60, "s": 1}[unit]
    if total <= 0:
        raise ValueError(f"bad advance {text!r}")
    return total


def load(path: Path) -> Transcript:
    start = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    steps: list[Step] = []
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if raw.startswith("$ "):
            steps.append(Step("cmd", raw[2:], lineno=lineno))
        elif raw.startswith("~ start "):
            start = datetime.fromisoformat(raw[len("~ start ") :].strip()).replace(tzinfo=UTC)
        elif raw.startswith("~ advance "):
            steps.append(Step("advance", raw[len("~ advance ") :], lineno=lineno))
        elif raw.strip() == "~ restart":
            steps.append(Step("restart", "", lineno=lineno))
        elif raw.startswith("#") and not steps:
            continue
        elif steps:
            steps[-1].expected.append(raw)
    for step in steps:
        while step.expected and not step.expected[-1].strip():
            step.expected.pop()
    return Transcript(path, start, steps)


def normalize(text: str) -> list[str]:
    lines = [ln.rstrip() for ln in text.strip("\n").splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    return lines


@dataclass
class Mismatch:
    step: Step
    actual: list[str]

    def __str__(self) -> str:
        diff = "\n".join(difflib.unified_diff(self.step.expected, self.actual, "expected", "actual", lineterm=""))
        return f"line {self.step.lineno}: {self.step.kind} {self.step.text!r}\n{diff}"


async def run(
    transcript: Transcript, driver: TranscriptDriver, compare: Callable[[list[str], list[str]], bool] | None = None
) -> list[Mismatch]:
    """Play every step; return the steps whose output differs from the transcript."""
    same = compare or (lambda expected, actual: expected == actual)
    mismatches: list[Mismatch] = []
    for step in transcript.steps:
        if step.kind == "cmd":
            out = await driver.send(step.text)
        elif step.kind == "restart":
            # A driver that cannot stop its bot (a platform harness) goes on: restarts are the
            # store's and the scheduler's business, which the console's driver checks.
            restart = getattr(driver, "restart", None)
            out = await restart() if restart is not None else ""
        else:
            out = await driver.advance(parse_advance(step.text))
        actual = normalize(out)
        if not same(step.expected, actual):
            mismatches.append(Mismatch(step, actual))
    if mismatches and os.environ.get("DOCCLUB_UPDATE_TRANSCRIPTS"):
        write_back(transcript, {id(m.step): m.actual for m in mismatches})
    return mismatches


def write_back(transcript: Transcript, actual: dict[int, list[str]]) -> None:
    """Rewrite the transcript file with the bot's actual output (for authoring)."""
    lines = transcript.path.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    steps = iter(transcript.steps)
    current: Step | None = None
    skipping = False
    for raw in lines:
        is_step = raw.startswith("$ ") or raw.startswith("~ advance ") or raw.strip() == "~ restart"
        if is_step:
            current = next(steps)
            out.append(raw)
            if id(current) in actual:
                out.extend(actual[id(current)])
                out.append("")
                skipping = True
            else:
                skipping = False
            continue
        if skipping:
            continue
        out.append(raw)
    transcript.path.write_text("\n".join(out) + "\n", encoding="utf-8")


class ConsoleDriver:
    """Runs a transcript through the console adapter on a real SQLite file and a FakeClock.

    Time moves reminder by reminder: the clock stops at each due time and the scheduler
    delivers what is due, exactly as its loop would, with nothing left to timing."""

    def __init__(
        self,
        session: ConsoleSession,
        scheduler: Scheduler,
        clock: FakeClock,
        output: list[str],
        reopen: Callable[[], Awaitable[ConsoleDriver]] | None = None,
    ) -> None:
        self.session = session
        self.scheduler = scheduler
        self.clock = clock
        self.output = output
        self.reopen = reopen

    async def restart(self) -> str:
        """Stop the bot and start a new one on the same database and clock: only what the
        store holds carries over."""
        assert self.reopen is not None
        fresh = await self.reopen()
        self.session, self.scheduler = fresh.session, fresh.scheduler
        return ""

    async def send(self, line: str) -> str:
        return await self.session.handle(line)

    async def advance(self, seconds: float) -> str:
        target = self.clock.now() + timedelta(seconds=seconds)
        self.output.clear()
        platforms = self.scheduler.platforms
        while True:
            nxt = await self.scheduler.store.read(lambda tx: tx.reminders.next_due_at(platforms))
            if nxt is None or nxt > target:
                break
            if nxt > self.clock.now():
                await self.clock.set(nxt)
            await self.scheduler.run_due()
        await self.clock.set(target)
        return "\n\n".join(self.output)


async def console_driver(
    db_path: Path,
    start: datetime,
    out_dir: Path,
    *,
    catalog: Callable[[SqliteStore, FakeClock], FilmCatalog] | None = None,
) -> tuple[ConsoleDriver, Callable[[], object]]:
    """A ConsoleDriver on a fresh database; returns it with an async close function. `catalog`
    makes the club's film catalog (TMDB on a fake, say) from the store and the clock."""
    clock = FakeClock(start)
    output: list[str] = []
    stores: list[SqliteStore] = []

    async def open_bot() -> ConsoleDriver:
        for old in stores:
            await old.close()
        stores[:] = [await SqliteStore.open(db_path)]
        app = Docclub(stores[0], clock, catalog=catalog(stores[0], clock) if catalog else None)
        session = ConsoleSession(app, "club", out_dir)
        await session.load()
        notifier = ConsoleNotifier(output.append, session.tz, clock.now)
        scheduler = Scheduler(app, stores[0], clock, {"console": notifier})
        return ConsoleDriver(session, scheduler, clock, output, open_bot)

    async def close() -> None:
        for store in stores:
            await store.close()

    return await open_bot(), close
