"""The process test_crash_safety kills: a vote/rate burst and the reminder scheduler on one
SQLite file, with the real clock.

    python crash_child.py DB NOTIFY_LOG RUN burst   # write until killed
    python crash_child.py DB NOTIFY_LOG RUN drain   # deliver what is due, then exit

Every acknowledged write is printed to stdout as soon as its command returned (after its
commit): `VOTE user film`, `RATE user film score`, and `REFUSED user film` for a command the
core refused. Reminders go to NOTIFY_LOG, one appended line per delivery: `key<TAB>title` (or `dm <member>`).
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import timedelta
from itertools import count

from docclub.clock import SystemClock
from docclub.core.clubs import Docclub
from docclub.core.errors import DocclubError
from docclub.core.models import Actor, ClubKey
from docclub.core.replies import Reply
from docclub.scheduler import Scheduler, SchedulerConfig
from docclub.storage.sqlite import SqliteStore

KEY = ClubKey("crash", "club")
FILMS = 5
WORKERS = 16


class FileNotifier:
    """Appends each delivery to a file; one write() per line, so a kill never splits one."""

    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    async def announce(self, club: ClubKey, channel: str | None, reply: Reply, *, key: str) -> None:
        os.write(self.fd, f"{key}\t{reply.title}\n".encode())

    async def direct(self, club: ClubKey, user_id: str, reply: Reply, *, key: str) -> None:
        # A reminder's title says the time left, which two reminders can share; the member it
        # goes to names it.
        os.write(self.fd, f"{key}\tdm {user_id}\n".encode())


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


async def burst(app: Docclub, run: int) -> None:
    async def worker(w: int) -> None:
        for i in count():
            user = f"r{run}w{w}i{i}"
            actor = Actor("crash", user, f"Member {user}")
            film = 1 + (w + i) % FILMS
            try:
                if i % 10 == 9:  # a score off the scale: refused, and must leave nothing behind
                    await app.ratings.rate(KEY, actor, f"#{film}", "11", "refused")
                elif i % 2 == 0:
                    await app.polls.vote(KEY, actor, "#1", [f"#{film}"])
                    say(f"VOTE {user} {film}")
                else:
                    score = 1 + (w * 7 + i) % 10
                    await app.ratings.rate(KEY, actor, f"#{film}", str(score), f"review by {user}")
                    say(f"RATE {user} {film} {score}")
            except DocclubError:
                say(f"REFUSED {user} {film}")

    await asyncio.gather(*(worker(w) for w in range(WORKERS)))


async def main(db: str, notify_log: str, run: int, mode: str) -> None:
    store = await SqliteStore.open(db)
    clock = SystemClock()
    app = Docclub(store, clock)
    # A short lease, so a reminder claimed by a killed process is taken over within a second.
    config = SchedulerConfig(grace=timedelta(hours=1), lease=timedelta(seconds=1))
    scheduler = Scheduler(app, store, clock, {"crash": FileNotifier(notify_log)}, config)
    task = asyncio.create_task(scheduler.run())
    say("READY")
    if mode == "burst":
        await burst(app, run)
        return
    horizon = int((clock.now() + timedelta(hours=1)).timestamp() * 1000)
    for _ in range(600):  # drain: up to 30 s for every reminder due within the hour to be sent
        left = await store.read(lambda tx: tx.conn.fetchone(
            "SELECT COUNT(*) FROM reminders WHERE state IN ('pending', 'claimed') AND due_at < ?", (horizon,)))
        if left is not None and left[0] == 0:
            break
        await asyncio.sleep(0.05)
    scheduler.stop()
    await task
    await store.close()
    say("DONE")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]))
