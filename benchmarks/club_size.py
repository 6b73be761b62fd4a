"""What a vote costs as the club grows: CPU per `vote` (through the core and the SQLite store,
one member after another) in clubs of 5, 100, 1,000 and 5,000 films, next to the club of 5.
A vote reads the poll's films by id, so the club's other films must not cost anything."""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import Figure, figure
from docclub.clock import SystemClock
from docclub.core.clubs import Docclub
from docclub.core.commands import dispatch
from docclub.core.models import Actor, ClubKey, NewFilm
from docclub.core.ports import ClubTx
from docclub.storage.sqlite import SqliteStore

GROUP = "Vote cost vs club size (core and SQLite store, CPU per vote)"
KEY = ClubKey("bench", "club")
OWNER = Actor("bench", "owner", "Ana", is_organizer=True)
SIZES = (5, 100, 1000, 5000)


async def open_club(path: Path, films: int) -> tuple[SqliteStore, Docclub]:
    store = await SqliteStore.open(path)
    app = Docclub(store, SystemClock())
    club = await app.club(KEY)

    async def add(tx: ClubTx) -> None:
        for i in range(films):
            film = NewFilm(f"Documentary number {i:05d}", 2000 + i % 25)
            await tx.films.add(club.id, film, "owner", "Ana", app.clock.now())

    await store.write(add)
    await app.polls.open(KEY, OWNER, film_refs=[f"#{films - i}" for i in range(5)])
    return store, app


async def votes_cpu(app: Docclub, films: int, first: int, votes: int) -> float:
    """CPU milliseconds per vote, each by a new member and its own commit."""
    start = time.process_time()
    for i in range(first, first + votes):
        await dispatch(app, KEY, Actor("bench", f"m{i}", f"member {i}"), f"vote #{films - i % 5}")
    return (time.process_time() - start) * 1000 / votes


async def run(quick: bool) -> list[Figure]:
    rounds, votes = (3, 60) if quick else (7, 80)
    samples: dict[int, list[float]] = {n: [] for n in SIZES}
    with tempfile.TemporaryDirectory() as d:
        clubs = {n: await open_club(Path(d) / f"club-{n}.db", n) for n in SIZES}
        try:
            for n, (_, app) in clubs.items():
                await votes_cpu(app, n, 0, 20)  # warm up
            # Sizes take turns, round after round, so machine noise falls on each alike.
            for r in range(rounds):
                for n, (_, app) in clubs.items():
                    samples[n].append(await votes_cpu(app, n, 100 + r * votes, votes))
        finally:
            for store, _ in clubs.values():
                await store.close()
    costs = {n: statistics.median(v) for n, v in samples.items()}
    base = costs[SIZES[0]]
    return [
        figure(GROUP, f"vote in a club of {n:,} films", cost, "ms", baseline=base,
               baseline_name="the same vote in a club of 5 films", target="<= 1.2x", met=cost <= 1.2 * base,
               note=f"median of {rounds} rounds of {votes} votes, each by a new member and its own commit")
        for n, cost in costs.items()
    ]


if __name__ == "__main__":
    import sys

    for row in asyncio.run(run(quick="--quick" in sys.argv)):
        print(row)
