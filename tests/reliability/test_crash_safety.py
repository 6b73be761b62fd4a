"""Crash safety: a child process votes, rates and delivers reminders on one SQLite file and is
killed with SIGKILL at random moments, 20 times. After each kill the database is intact and
holds every write the child acknowledged; at the end every reminder was delivered, and any
repeat delivery carried the same idempotency key."""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from docclub.clock import SystemClock
from docclub.core.clubs import Docclub
from docclub.core.models import Actor, ClubKey, NewFilm, NewReminder, ReminderKind
from docclub.core.ports import ClubTx
from docclub.storage.sqlite import SqliteStore

CHILD = Path(__file__).with_name("crash_child.py")
KEY = ClubKey("crash", "club")
ORGANIZER = Actor("crash", "organizer", "Organizer", is_organizer=True)
KILLS = 20
REMINDERS_PER_ROUND = 12
OFFSET_BASE = 100  # offsets apart from the party's own reminders (1 h, 24 h), one member each
OURS = (OFFSET_BASE, OFFSET_BASE + KILLS * REMINDERS_PER_ROUND - 1)


async def prepare(db: Path) -> None:
    """A club with five films, an open poll of them, and a watch party far in the future."""
    async with await SqliteStore.open(db) as store:
        app = Docclub(store, SystemClock())
        for title in ("Beyond Utopia", "Navalny", "Fire of Love", "Honeyland", "Collective"):
            await app.films.suggest(KEY, ORGANIZER, NewFilm(title))
        await app.polls.open(KEY, ORGANIZER, method="single", film_refs=[f"#{i}" for i in range(1, 6)])
        await app.parties.schedule(KEY, ORGANIZER, "#1", "2031-01-10 20:00")


async def add_reminders(db: Path, first_offset: int, rng: random.Random) -> None:
    """Members' own reminders of the party coming due over the next second and a half, real
    time. Each goes to its own member (named by its offset), so its delivery names it uniquely,
    and none covers another."""
    now = datetime.now(UTC)

    async def work(tx: ClubTx) -> None:
        club = await tx.clubs.get(KEY)
        assert club is not None
        await tx.reminders.add([
            NewReminder(club.id, ReminderKind.PARTY_DM, 1, now + timedelta(seconds=rng.uniform(0, 1.5)),
                        offset_minutes=first_offset + i, user_id=f"m{first_offset + i}")
            for i in range(REMINDERS_PER_ROUND)])

    async with await SqliteStore.open(db) as store:
        await store.write(work)


async def run_child(db: Path, log: Path, run: int, mode: str, kill_after: float | None) -> list[str]:
    """Start the child; SIGKILL it `kill_after` seconds after it is ready. Its stdout lines."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(CHILD), str(db), str(log), str(run), mode,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    ready = await asyncio.wait_for(proc.stdout.readline(), 30)
    assert ready == b"READY\n", (ready, await proc.stderr.read())
    if kill_after is None:
        out, err = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 0, err.decode()
    else:
        # Real time on purpose: the kill must land at an arbitrary point of real work.
        await asyncio.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
        out, err = await proc.communicate()
        assert proc.returncode == -signal.SIGKILL, err.decode()
    # A line cut by the kill has no newline: it was never fully acknowledged.
    text = out.decode()
    lines = text.split("\n")
    return lines[:-1]


def check_database(db: Path, acks: list[str]) -> dict[str, int]:
    """Every acknowledged write is there; no refused one is; the file passes integrity_check."""
    con = sqlite3.connect(db)  # opening runs WAL recovery, as the next start would
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        ballots = {u: json.loads(c) for u, c in con.execute("SELECT user_id, choices FROM ballots")}
        ratings = {(u, f): s for u, f, s in con.execute("SELECT user_id, film_id, score FROM ratings")}
    finally:
        con.close()
    seen = {"votes": 0, "ratings": 0, "refused": 0}
    for ack in acks:
        kind, user, film, *rest = ack.split()
        if kind == "VOTE":
            assert ballots.get(user) == [int(film)], f"acknowledged vote lost: {ack}"
            seen["votes"] += 1
        elif kind == "RATE":
            assert ratings.get((user, int(film))) == int(rest[0]), f"acknowledged rating lost: {ack}"
            seen["ratings"] += 1
        elif kind == "REFUSED":
            assert (user, int(film)) not in ratings and user not in ballots, f"refused write present: {ack}"
            seen["refused"] += 1
        else:
            raise AssertionError(f"unexpected child output {ack!r}")
    return seen


@pytest.mark.slow
async def test_sigkill_loses_no_acknowledged_write_and_no_reminder(
        tmp_path: Path, figures: Callable[..., None]) -> None:
    """20 SIGKILLs at random points of a vote/rate burst with reminders coming due."""
    seed = int(os.environ.get("DOCCLUB_CRASH_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    db, log = tmp_path / "club.db", tmp_path / "notified.log"
    await prepare(db)
    totals = {"votes": 0, "ratings": 0, "refused": 0}
    kill_points = []
    for run in range(KILLS):
        await add_reminders(db, OFFSET_BASE + run * REMINDERS_PER_ROUND, rng)
        kill_after = rng.uniform(0.02, 0.6)
        kill_points.append(kill_after)
        acks = await run_child(db, log, run, "burst", kill_after)
        checked = check_database(db, acks)
        for k, v in checked.items():
            totals[k] += v
    assert totals["votes"] > 0 and totals["ratings"] > 0, f"the child never got to write (seed {seed})"

    # One last, clean start delivers what is still due and exits.
    assert await run_child(db, log, KILLS, "drain", None) == ["DONE"]
    con = sqlite3.connect(db)
    states = dict(con.execute("SELECT state, COUNT(*) FROM reminders WHERE offset_minutes BETWEEN ? AND ? "
                              "GROUP BY state", OURS).fetchall())
    ours = {rid: off for rid, off in con.execute(
        "SELECT id, offset_minutes FROM reminders WHERE offset_minutes BETWEEN ? AND ?", OURS)}
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.close()
    deliveries = [ln.split("\t") for ln in log.read_text().splitlines()]
    keys_of: dict[str, set[str]] = {}
    titles_of: dict[str, set[str]] = {}
    for key, title in deliveries:
        keys_of.setdefault(title, set()).add(key)
        titles_of.setdefault(key, set()).add(title)

    assert set(states) == {"sent"}, f"reminders not all sent: {states} (seed {seed})"
    assert {f"reminder-{rid}" for rid in ours} <= set(titles_of), "a reminder was never delivered"
    assert all(len(keys) == 1 for keys in keys_of.values()), "one reminder delivered under two keys"
    assert all(len(t) == 1 for t in titles_of.values()), "one key carried two different reminders"
    repeats = len(deliveries) - len(titles_of)
    figures(kills=KILLS, seed=seed, kill_points_s=f"{min(kill_points):.2f}–{max(kill_points):.2f}",
            acknowledged_votes_checked=totals["votes"], acknowledged_ratings_checked=totals["ratings"],
            refused_writes_checked_absent=totals["refused"], integrity_checks_ok=KILLS + 1,
            reminders=len(ours), reminders_delivered=len(titles_of), repeat_deliveries_same_key=repeats,
            reminders_under_two_keys=0)
