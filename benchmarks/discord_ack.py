"""Discord interaction-to-first-response latency: a burst of concurrent `/vote` interactions.

The Discord adapter runs as in production (discord.py client, default 2 s defer budget,
SQLite file, system clock) against the FakeDiscord REST server on 127.0.0.1 in the same
process. Every interaction is fed as a real INTERACTION_CREATE payload, all at once; its
latency runs from being fed to the fake receiving its interaction callback (the first
response Discord's 3-second deadline is about). The baseline is the same votes through the
core alone (`app.polls.vote`), all at once too.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

import discord
from docclub_discord.bot import Bot
from docclub_discord.testing import GUILD_ID, FakeDiscord, Interactions, Member

from benchmarks import Figure, figure, percentile
from docclub.clock import SystemClock
from docclub.core.clubs import Docclub
from docclub.core.models import Actor, Ballot, ClubKey, NewFilm
from docclub.core.ports import ClubTx
from docclub.storage.sqlite import SqliteStore

GROUP = "Discord interaction first-response latency"
FILMS = ("Beyond Utopia", "Navalny", "Fire of Love", "Honeyland", "Collective")
DEADLINE_MS = 3000.0
KEY = ClubKey("discord", str(GUILD_ID))


async def _club(db: Path) -> tuple[SqliteStore, Docclub]:
    store = await SqliteStore.open(db)
    app = Docclub(store, SystemClock())
    owner = Actor("discord", "1", "Ana", is_organizer=True)
    for title in FILMS:
        await app.films.suggest(KEY, owner, NewFilm(title=title))
    await app.polls.open(KEY, owner, film_refs=[f"#{i + 1}" for i in range(len(FILMS))])
    return store, app


async def burst_discord(workdir: Path, n: int) -> tuple[list[float], int, int]:
    """First-response latencies (ms) of n concurrent /vote interactions, deferred count, ballots."""
    fake = FakeDiscord()
    await fake.start()
    saved = discord.http.Route.BASE
    discord.http.Route.BASE = fake.base
    store, app = await _club(workdir / "discord.db")
    bot = Bot(app, app.clock)
    try:
        await bot.login("bench-token")
        build = Interactions(fake)
        payloads = [build.command(Member(600000000000000000 + i, f"member{i}"), "vote",
                                  {"films": f"#{1 + i % len(FILMS)}"}) for i in range(n)]
        fed: dict[str, float] = {}
        for p in payloads:
            fed[p["id"]] = time.perf_counter()
            bot.client._connection.parse_interaction_create(p)  # type: ignore[arg-type]  # a gateway payload
        async with asyncio.timeout(120):
            await asyncio.gather(*(bot.wait_handled(int(p["id"])) for p in payloads))
        latencies: list[float] = []
        deferred = 0
        for p in payloads:
            callback = next(r for r in fake.received if r.path == f"/interactions/{p['id']}/{p['token']}/callback")
            latencies.append((callback.mono - fed[p["id"]]) * 1000)
            deferred += callback.body["type"] == 5
        ballots = len(await store.read(_ballots))
        return latencies, deferred, ballots
    finally:
        await bot.close()
        await store.close()
        discord.http.Route.BASE = saved
        await fake.stop()


async def _ballots(tx: ClubTx) -> list[Ballot]:
    club = await tx.get_club(KEY)
    return await tx.list_ballots(club.id, 1) if club else []


async def burst_core(workdir: Path, n: int) -> list[float]:
    store, app = await _club(workdir / "core.db")
    try:
        async def one(i: int) -> float:
            t = time.perf_counter()
            await app.polls.vote(KEY, Actor("discord", str(700 + i), f"member{i}"), None, [f"#{1 + i % len(FILMS)}"])
            return (time.perf_counter() - t) * 1000

        return list(await asyncio.gather(*(one(i) for i in range(n))))
    finally:
        await store.close()


async def run(quick: bool) -> list[Figure]:
    n = 200 if quick else 500
    with tempfile.TemporaryDirectory() as d:
        workdir = Path(d)
        core = await burst_core(workdir, n)
        latencies, deferred, ballots = await burst_discord(workdir, n)
    p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
    c50, c99 = percentile(core, 50), percentile(core, 99)
    note = f"{n} concurrent /vote interactions; {deferred} deferred; {ballots} ballots stored"
    return [
        figure(GROUP, f"/vote first response p50 ({n} concurrent)", p50, "ms", baseline=c50,
               baseline_name="same votes through the core alone", note=note),
        figure(GROUP, f"/vote first response p99 ({n} concurrent)", p99, "ms", baseline=c99,
               baseline_name="same votes through the core alone", target="< 3 s deadline",
               met=p99 < DEADLINE_MS and ballots == n, note=note),
        figure(GROUP, "p99 as a share of Discord's 3 s deadline", p99 / DEADLINE_MS * 100, "%",
               target="< 100 %", met=p99 < DEADLINE_MS),
    ]


if __name__ == "__main__":
    import sys

    for row in asyncio.run(run(quick="--quick" in sys.argv)):
        print(row)
