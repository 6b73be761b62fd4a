"""Three real docclub processes on one PostgreSQL (reminder_worker.py) share the club nights'
steps: the poll of each club's night opens once, with one announcement, whichever process
claims it, and each opening plans that club's closing and its next night once."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from docclub.core.models import (
    ClubConfig,
    ClubKey,
    NewFilm,
    NewReminder,
    NightPlan,
    OccurrenceState,
    ReminderKind,
)

asyncpg = pytest.importorskip("asyncpg")
pytestmark = [pytest.mark.postgresql, pytest.mark.slow]

WORKER = Path(__file__).with_name("reminder_worker.py")
CLUBS = 60
LEASE_SECONDS = 2.0


async def test_three_processes_open_each_clubs_night_poll_once(postgresql_store: Any, pg_url: str) -> None:
    store = postgresql_store
    admin = await asyncpg.connect(pg_url)
    await admin.execute(
        "CREATE TABLE IF NOT EXISTS deliveries ("
        "key TEXT NOT NULL, process TEXT NOT NULL, at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())"
    )
    await admin.execute("TRUNCATE deliveries")
    now = datetime.now(UTC)
    # The club's timezone is UTC: the night is the first Saturday 20:00 at least two days ahead,
    # and the next one's poll (two days before it) is days away.
    night_at = datetime.combine(now.date(), time(20), tzinfo=UTC) + timedelta(days=2)
    night_at += timedelta(days=(5 - night_at.weekday()) % 7)
    plan = NightPlan(rule="every saturday", clock="20:00", first_on=date(2026, 1, 3), poll_minutes=2 * 1440)

    async def club_with_a_night(tx: Any, n: int) -> None:
        club = await tx.clubs.create(ClubKey("discord", f"guild-{n}"), "Docs", ClubConfig(), now)
        for title in ("Navalny", "Honeyland", "Free Solo"):
            await tx.films.add(club.id, NewFilm(title), "u", "U", now)
        night = await tx.nights.add(club.id, plan, "u", now)
        o = await tx.nights.add_occurrence(club.id, night.id, night_at, night_at, OccurrenceState.PLANNED)
        due = now + timedelta(seconds=1, milliseconds=n * 10)
        await tx.reminders.add([NewReminder(club.id, ReminderKind.NIGHT_POLL_OPEN, o.id, due)])

    workers: list[Any] = []
    try:
        workers = [
            await asyncio.create_subprocess_exec(
                sys.executable, str(WORKER), pg_url, f"p{n}", str(LEASE_SECONDS), str(CLUBS),
                stdout=asyncio.subprocess.PIPE,
            )
            for n in range(3)
        ]
        for w in workers:
            assert w.stdout is not None
            assert await asyncio.wait_for(w.stdout.readline(), 60) == b"ready\n"
        for n in range(CLUBS):
            await store.write(lambda tx, n=n: club_with_a_night(tx, n))
        exits = await asyncio.wait_for(asyncio.gather(*(w.wait() for w in workers)), 120)
    finally:
        for w in workers:
            if w.returncode is None:
                w.kill()
                await w.wait()

    rows = await admin.fetch("SELECT key, process FROM deliveries")
    polls = await admin.fetch("SELECT club_id, count(*) AS n FROM polls GROUP BY club_id")
    states = await admin.fetch("SELECT state, count(*) AS n FROM night_occurrences GROUP BY state")
    steps = await admin.fetch(
        "SELECT kind, state, count(*) AS n FROM reminders GROUP BY kind, state ORDER BY kind, state"
    )
    await admin.close()

    assert exits == [0, 0, 0]
    assert len(polls) == CLUBS and {r["n"] for r in polls} == {1}  # one poll in every club
    delivered = Counter(r["key"] for r in rows)
    assert len(delivered) == CLUBS and set(delivered.values()) == {1}  # each announced once
    assert len({r["process"] for r in rows}) > 1  # the work was shared
    # Each opening planned its closing and the club's next night, once.
    assert {r["state"]: r["n"] for r in states} == {"poll_open": CLUBS, "planned": CLUBS}
    assert [(r["kind"], r["state"], r["n"]) for r in steps] == [
        ("night_poll_close", "pending", CLUBS),
        ("night_poll_open", "pending", CLUBS),
        ("night_poll_open", "sent", CLUBS),
    ]
