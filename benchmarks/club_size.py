"""What a vote costs as the club grows: CPU per `vote` (through the core and the SQLite store,
one member after another) in clubs of 5, 100, 1,000 and 5,000 films, next to the club of 5.
A vote reads the poll's films by id, so the club's other films must not cost anything.
Votes by new members (each one also joins the club) and by returning members (who voted
before, and change their vote) are measured apart."""

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


async def votes_cpu(app: Docclub, films: int, first: int, votes: int, *, returning: bool = False) -> float:
    """CPU milliseconds per vote, each in its own commit: by a new member each, or (returning)
    by the members m0..m19, who voted before, changing their vote."""
    start = time.process_time()
    for i in range(first, first + votes):
        who = i % 20 if returning else i
        await dispatch(app, KEY, Actor("bench", f"m{who}", f"member {who}"), f"vote #{films - i % 5}")
    return (time.process_time() - start) * 1000 / votes


async def run(quick: bool) -> list[Figure]:
    rounds, votes = (3, 60) if quick else (7, 80)
    samples: dict[tuple[bool, int], list[float]] = {(r, n): [] for r in (False, True) for n in SIZES}
    with tempfile.TemporaryDirectory() as d:
        clubs = {n: await open_club(Path(d) / f"club-{n}.db", n) for n in SIZES}
        try:
            for n, (_, app) in clubs.items():
                await votes_cpu(app, n, 0, 20)  # warm up; m0..m19 are the returning members
            # Sizes and kinds of vote take turns, round after round, so machine noise falls on each alike.
            for r in range(rounds):
                for returning in (False, True):
                    for n, (_, app) in clubs.items():
                        cost = await votes_cpu(app, n, 100 + r * votes, votes, returning=returning)
                        samples[(returning, n)].append(cost)
        finally:
            for store, _ in clubs.values():
                await store.close()
    costs = {kind: statistics.median(v) for kind, v in samples.items()}
    out = []
    for returning in (False, True):
        base = costs[(returning, SIZES[0])]
        who = "a returning member (who voted before)" if returning else "a new member"
        for n in SIZES:
            cost = costs[(returning, n)]
            name = f"vote in a club of {n:,} films" + (", returning member" if returning else "")
            out.append(figure(GROUP, name, cost, "ms", baseline=base,
                              baseline_name="the same vote in a club of 5 films", target="<= 1.2x",
                              met=cost <= 1.2 * base,
                              note=f"median of {rounds} rounds of {votes} votes, each by {who} and its own commit"))
    return out


if __name__ == "__main__":
    import sys

    for row in asyncio.run(run(quick="--quick" in sys.argv)):
        print(row)
