"""Several docclub processes on one PostgreSQL share the reminders: three real processes run
the scheduler (reminder_worker.py), one is SIGKILLed mid-run, and every reminder is still
delivered. The promise (scheduler.py, README): at least once, with a stable key per reminder;
a repeat can only come from the killed process's last claimed batch, whose lease expired."""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from docclub.core.models import ClubConfig, ClubKey, NewFilm, NewReminder, ReminderKind

asyncpg = pytest.importorskip("asyncpg")
pytestmark = [pytest.mark.postgresql, pytest.mark.slow]

WORKER = Path(__file__).with_name("reminder_worker.py")
REMINDERS = 3000
BATCH = 50  # the workers' claim size (reminder_worker.py)
LEASE_SECONDS = 2.0


async def poll_until(probe: Any, what: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not await probe():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds}s waiting for {what}")
        await asyncio.sleep(0.05)


async def test_three_processes_deliver_3000_reminders_though_one_is_killed(
        postgresql_store: Any, pg_url: str) -> None:
    store = postgresql_store
    admin = await asyncpg.connect(pg_url)
    await admin.execute("CREATE TABLE IF NOT EXISTS deliveries ("
                        "key TEXT NOT NULL, process TEXT NOT NULL, "
                        "at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())")
    await admin.execute("TRUNCATE deliveries")
    now = datetime.now(UTC)

    async def club_night(tx: Any) -> int:
        club = await tx.clubs.create(ClubKey("discord", "guild-1"), "Docs", ClubConfig(), now)
        film = await tx.films.add(club.id, NewFilm("Beyond Utopia", 2023), "u", "U", now)
        party = await tx.parties.add(club.id, film.id, now + timedelta(days=2), 120, None, "u", now)
        return int(party.club_id)

    club_id = await store.write(club_night)
    workers = [await asyncio.create_subprocess_exec(
        sys.executable, str(WORKER), pg_url, f"p{n}", str(LEASE_SECONDS), str(REMINDERS),
        stdout=asyncio.subprocess.PIPE) for n in range(3)]
    try:
        for w in workers:
            assert w.stdout is not None
            assert await asyncio.wait_for(w.stdout.readline(), 60) == b"ready\n"

        # Nothing was due, so the workers sleep with no deadline: only NOTIFY wakes them.
        due = datetime.now(UTC) + timedelta(seconds=0.5)
        await store.write(lambda tx: tx.reminders.add([
            NewReminder(club_id=club_id, kind=ReminderKind.PARTY_BEFORE, target_id=1,
                        due_at=due + timedelta(milliseconds=n % 100 * 20), offset_minutes=60)
            for n in range(REMINDERS)]))

        async def victim_busy() -> bool:
            n = await admin.fetchval("SELECT count(*) FROM deliveries WHERE process = 'p0'")
            return bool(n >= 100)

        await poll_until(victim_busy, "p0 to deliver 100 reminders", 60)
        workers[0].kill()
        await workers[0].wait()
        survivors = await asyncio.wait_for(
            asyncio.gather(*(w.wait() for w in workers[1:])), 120)
    finally:
        for w in workers:
            if w.returncode is None:
                w.kill()
                await w.wait()

    rows = await admin.fetch("SELECT key, process FROM deliveries")
    states = await admin.fetch("SELECT state, count(*) FROM reminders GROUP BY state")
    ids = [r["id"] for r in await admin.fetch("SELECT id FROM reminders")]
    await admin.close()

    assert survivors == [0, 0]
    assert {r["state"]: r["count"] for r in states} == {"sent": REMINDERS}
    delivered = Counter(r["key"] for r in rows)
    assert set(delivered) == {f"reminder-{i}" for i in ids}
    by_process = Counter(r["process"] for r in rows)
    assert by_process["p1"] > 0 and by_process["p2"] > 0
    repeats = {key for key, n in delivered.items() if n > 1}
    # Only the killed process's unfinished batch can be delivered again, and only once more.
    assert all(n <= 2 for n in delivered.values())
    assert all(any(r["process"] == "p0" for r in rows if r["key"] == key) for key in repeats)
    assert len(repeats) <= BATCH
