"""One docclub process of the PostgreSQL benchmark (benchmarks/postgresql.py starts several).

    python -m benchmarks.postgresql_worker vote URL SPACE FIRST COUNT
    python -m benchmarks.postgresql_worker remind URL EXPECTED

Both open the store named by URL (postgresql://… or sqlite:///…) with `open_store`, as a
deployment does, print `ready` and then:

- vote: wait for a `go` line on stdin, then members FIRST .. FIRST+COUNT-1 all vote at once
  (one task each) with `Docclub.polls.vote` in poll #1 of club ("bench", SPACE). Each vote
  counts once `vote` returns, i.e. after its transaction committed; every 25th acknowledged
  ballot is looked up at once on a separate connection. Prints one JSON line: wall-clock
  start and end, acks, ack p99, sampled acks visible.
- remind: run the real `Scheduler` (woken by NOTIFY on PostgreSQL) with a notifier that
  records every delivery without dropping repeats, until EXPECTED reminders are finished in
  the database. Prints one JSON line: the reminder ids it delivered (repeats included) and
  the wall-clock time of its first and last delivery.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
import time
from typing import Any

from benchmarks import percentile
from docclub.clock import SystemClock
from docclub.core.clubs import Docclub
from docclub.core.models import Actor, ClubKey
from docclub.core.replies import Reply
from docclub.scheduler import Scheduler
from docclub.storage.open import open_store, sqlite_path

SAMPLE_EVERY = 25


class Probe:
    """A second connection to the same database: is a row there, and how many?"""

    def __init__(self, url: str) -> None:
        self.url = url
        self.pg: Any = None
        self.lite: sqlite3.Connection | None = None
        self.lock = asyncio.Lock()  # one query at a time on the one connection

    async def open(self) -> None:
        if self.url.startswith("sqlite:"):
            self.lite = sqlite3.connect(sqlite_path(self.url))
        else:
            import asyncpg

            self.pg = await asyncpg.connect(self.url)

    async def value(self, sql: str, *args: Any) -> Any:
        if self.lite is not None:
            row = self.lite.execute(sql.replace("$1", "?").replace("$2", "?"), args).fetchone()
            return None if row is None else row[0]
        async with self.lock:
            return await self.pg.fetchval(sql, *args)

    async def close(self) -> None:
        if self.lite is not None:
            self.lite.close()
        if self.pg is not None:
            await self.pg.close()


async def vote(url: str, space: str, first: int, count: int) -> dict[str, Any]:
    store = await open_store(url)
    app = Docclub(store, SystemClock())
    key = ClubKey("bench", space)
    probe = Probe(url)
    await probe.open()
    club = await app.club(key)
    acks: list[float] = []
    checked = visible = 0

    async def one(i: int) -> None:
        nonlocal checked, visible
        t = time.perf_counter()
        await app.polls.vote(key, Actor("bench", f"m{i}", f"Member {i}"), "#1", [f"#{1 + i % 5}"])
        acks.append(time.perf_counter() - t)
        if i % SAMPLE_EVERY == 0:
            checked += 1
            found = await probe.value("SELECT 1 FROM ballots WHERE club_id = $1 AND user_id = $2",
                                      club.id, f"m{i}")
            visible += found is not None

    try:
        print("ready", flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)  # "go"
        t0, cpu0 = time.time(), time.process_time()
        await asyncio.gather(*(one(i) for i in range(first, first + count)))
        t1, cpu = time.time(), time.process_time() - cpu0
    finally:
        await probe.close()
        await store.close()
    return {"t0": t0, "t1": t1, "acks": len(acks), "ack_p99_ms": percentile(acks, 99) * 1000,
            "cpu_s": cpu, "checked": checked, "visible": visible, "retries": getattr(store, "retries", 0)}


class CountingNotifier:
    """Records every delivery (repeats too) and when the first and last arrived."""

    def __init__(self) -> None:
        self.keys: list[int] = []
        self.first = self.last = 0.0

    async def announce(self, club: ClubKey, channel: str | None, reply: Reply, *, key: str) -> None:
        self._arrive(key)

    async def direct(self, club: ClubKey, user_id: str, reply: Reply, *, key: str) -> None:
        self._arrive(key)

    def _arrive(self, key: str) -> None:
        now = time.time()
        self.first = self.first or now
        self.last = now
        self.keys.append(int(key.removeprefix("reminder-")))


async def remind(url: str, expected: int) -> dict[str, Any]:
    store = await open_store(url)
    clock = SystemClock()
    app = Docclub(store, clock)
    notifier = CountingNotifier()
    scheduler = Scheduler(app, store, clock, {"bench": notifier})
    loop = asyncio.create_task(scheduler.run(), name="bench-scheduler")
    probe = Probe(url)
    await probe.open()
    cpu0 = time.process_time()
    try:
        await scheduler.wait_idle()  # listening, and asleep with nothing due
        cpu0 = time.process_time()
        print("ready", flush=True)
        while not loop.done():
            finished = await probe.value(
                "SELECT count(*) FROM reminders WHERE state IN ('sent', 'failed', 'dropped')")
            if finished >= expected:
                break
            await asyncio.sleep(0.05)
    finally:
        cpu = time.process_time() - cpu0
        scheduler.stop()
        await loop
        await probe.close()
        await store.close()
    stats = scheduler.stats
    return {"keys": notifier.keys, "first": notifier.first, "last": notifier.last, "cpu_s": cpu,
            "sent": stats.sent, "skipped": stats.skipped, "failed": stats.failed,
            "dropped": stats.dropped, "retried": stats.retried}


def main(argv: list[str]) -> None:
    mode, url, *rest = argv
    if mode == "vote":
        result = asyncio.run(vote(url, rest[0], int(rest[1]), int(rest[2])))
    elif mode == "remind":
        result = asyncio.run(remind(url, int(rest[0])))
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
