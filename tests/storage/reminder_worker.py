"""One docclub process delivering reminders from a shared PostgreSQL, for the multi-process
test: `python reminder_worker.py URL NAME LEASE_SECONDS EXPECTED`.

It runs the real `Scheduler` on a `PostgresStore`, woken by NOTIFY like a deployment, with a
notifier that records every delivery (reminder key, process name) in a `deliveries` table
without deduplicating, so the test sees every repeat. It exits once EXPECTED reminders are
finished.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import timedelta

import asyncpg

from docclub.clock import SystemClock
from docclub.core.clubs import Docclub
from docclub.core.models import ClubKey
from docclub.core.replies import Reply
from docclub.scheduler import Scheduler, SchedulerConfig
from docclub.storage.postgresql import PostgresStore


class RecordingNotifier:
    def __init__(self, pool: asyncpg.Pool, name: str) -> None:
        self.pool = pool
        self.name = name

    async def announce(self, club: ClubKey, channel: str | None, reply: Reply, *, key: str) -> None:
        await self.pool.execute(
            "INSERT INTO deliveries (key, process) VALUES ($1, $2)", key, self.name)

    async def direct(self, club: ClubKey, user_id: str, reply: Reply, *, key: str) -> None:
        await self.announce(club, None, reply, key=key)


async def main(url: str, name: str, lease: float, expected: int) -> None:
    store = await PostgresStore.open(url)
    pool = await asyncpg.create_pool(url, min_size=1, max_size=4)
    clock = SystemClock()
    app = Docclub(store, clock)
    scheduler = Scheduler(app, store, clock, {"discord": RecordingNotifier(pool, name)},
                          SchedulerConfig(lease=timedelta(seconds=lease), batch=50))
    loop = asyncio.create_task(scheduler.run())
    print("ready", flush=True)
    try:
        while not loop.done():
            finished = await pool.fetchval(
                "SELECT count(*) FROM reminders WHERE state IN ('sent', 'failed', 'dropped')")
            if finished >= expected:
                break
            await asyncio.sleep(0.1)
    finally:
        scheduler.stop()
        await loop
        await pool.close()
        await store.close()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])))
