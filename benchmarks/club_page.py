"""The club page of a big club: 500 films watched together and 1,000,000 ratings (100,000 with
--quick), served over HTTP by the process's one server, next to a static aiohttp response of
the same size on the same server as the baseline. Requests go one after another from a client
in the same process (as a proxy's would), so the figure is the page's own cost per request.

The page reads each film's counts by score (kept with every rating), never the ratings
themselves: its cost follows the club's films, not its ratings. It is measured twice: loaded
again and again as it is, and with a new rating of a charted film stored before each load (so
the page's numbers change every time and no chart drawn before fits). Besides wall time,
each request's process CPU time: on a busy machine it is steadier than wall time. The server
runs as `docclub run` serves it, its start-up heap frozen (`freeze_startup_heap`): without
that, the odd full garbage collection walking start-up's objects took 35 ms, and the p99."""

from __future__ import annotations

import asyncio
import itertools
import os
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import aiohttp
from aiohttp import web

from benchmarks import Figure, figure, percentile
from docclub.bootstrap import freeze_startup_heap
from docclub.clock import SystemClock
from docclub.core.club_links import new_token, token_hash
from docclub.core.clubs import Docclub
from docclub.core.models import ClubKey, FilmStatus, NewFilm, PartyStatus, Rating
from docclub.core.ports import ClubTx
from docclub.storage.sql.ratings import COUNT_COLS
from docclub.storage.sqlite import SqliteStore
from docclub.web.page import page_routes
from docclub.web.server import HttpServer

GROUP = "Club page (HTTP, one server, requests one after another)"
KEY = ClubKey("bench", "page")
FILMS = 500


async def build(path: Path, ratings: int) -> tuple[int, str]:
    """The club: FILMS watched films, each with a party long over, and `ratings` ratings."""
    store = await SqliteStore.open(path)
    app = Docclub(store, SystemClock())
    try:
        club = await app.club(KEY)
        now = app.clock.now()
        token = new_token()

        async def seed(tx: ClubTx) -> None:
            for i in range(FILMS):
                film = await tx.films.add(club.id, NewFilm(f"Documentary {i:03d}", 1990 + i % 35), f"m{i % 40}",
                                          f"member {i % 40}", now)
                await tx.films.set_status(club.id, film.id, FilmStatus.WATCHED)
                party = await tx.parties.add(club.id, film.id, now - timedelta(days=700 - i), 120, "Zoom", "m0", now)
                await tx.parties.update(replace(party, status=PartyStatus.DONE))
            for i in range(3):  # coming up, with answers
                film = await tx.films.add(club.id, NewFilm(f"Coming {i}"), "m1", "member 1", now)
                await tx.parties.add(club.id, film.id, now + timedelta(days=3 + i), 120, "Zoom", "m0", now)
            await tx.clubs.add_link_hash(club.id, token_hash(token), now, 20)

        await store.write(seed)
    finally:
        await store.close()
    # A million ratings go in the fast way: one transaction, then the counts the store keeps.
    members = max(1, ratings // FILMS)
    rng = random.Random(7)
    db = sqlite3.connect(path)
    try:
        db.execute("PRAGMA synchronous = OFF")
        rows = ((club.id, 1 + i % FILMS, f"u{i // FILMS}", f"member {i // FILMS}", rng.randint(1, 10), None,
                 1_700_000_000_000 + i) for i in range(members * FILMS))
        with db:
            db.executemany("INSERT INTO ratings (club_id, film_id, user_id, display_name, score, review, rated_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
            sums = ", ".join(f"SUM(score = {s})" for s in range(1, 11))
            db.execute(f"INSERT INTO film_rating_counts (club_id, film_id, {COUNT_COLS}) "
                       f"SELECT club_id, film_id, {sums} FROM ratings GROUP BY club_id, film_id")
        count = db.execute("SELECT COUNT(*) FROM ratings").fetchone()[0]
    finally:
        db.close()
    assert count == members * FILMS
    return club.id, token


async def timed(http: aiohttp.ClientSession, url: str, n: int, cpu: list[float],
                before: Callable[[], Awaitable[None]] | None = None) -> list[float]:
    """`n` requests one after another: each one's wall time in ms; each one's process CPU time
    (client, server and store threads alike) goes onto `cpu`. `before` runs ahead of each
    request, outside both measures."""
    out = []
    for _ in range(n):
        if before is not None:
            await before()
        c0, t0 = time.process_time(), time.perf_counter()
        async with http.get(url) as resp:
            await resp.read()
            assert resp.status == 200
        out.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return out


def _rater(store: SqliteStore, club_id: int) -> Callable[[], Awaitable[None]]:
    """A new member's rating of one of the films the page charts (the latest watched, in turn):
    the page's data changes before every load, so nothing drawn for the last one fits."""
    count = itertools.count()

    async def rate() -> None:
        i = next(count)
        rating = Rating(club_id, FILMS - i % 24, f"new{i}", f"new member {i}", 1 + i % 10, None, SystemClock().now())
        await store.write(lambda tx: tx.ratings.put(rating))

    return rate


async def run(quick: bool) -> list[Figure]:
    ratings, requests = (100_000, 150) if quick else (1_000_000, 400)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "club.db"
        t0 = time.perf_counter()
        club_id, token = await build(path, ratings)
        built = time.perf_counter() - t0
        store = await SqliteStore.open(path)
        app = Docclub(store, SystemClock())
        server = HttpServer("127.0.0.1", 0)
        server.add_routes(page_routes(app.club_page, server.app))
        static: list[bytes] = []

        async def baseline(_: web.Request) -> web.Response:
            return web.Response(body=static[0], content_type="text/html")

        server.add_routes([web.get("/baseline", baseline)])
        changed = _rater(store, club_id)
        page_ms: list[float] = []
        changed_ms: list[float] = []
        base_ms: list[float] = []
        page_cpu: list[float] = []
        changed_cpu: list[float] = []
        base_cpu: list[float] = []
        try:
            await server.start()
            app.club_page.base_url = server.local_url
            freeze_startup_heap()  # as `docclub run` does once it started: collections skip start-up's objects
            page_url = f"{server.local_url}/club/{club_id}/{token}/"
            base_url = f"{server.local_url}/baseline"
            async with aiohttp.ClientSession() as http:
                async with http.get(page_url) as resp:
                    static.append(await resp.read())
                size = len(static[0])
                await timed(http, page_url, 20, [])  # warm up all three
                await timed(http, page_url, 20, [], changed)
                await timed(http, base_url, 20, [])
                for _ in range(5):  # taking turns, so machine noise falls on all alike
                    page_ms += await timed(http, page_url, requests // 5, page_cpu)
                    changed_ms += await timed(http, page_url, requests // 5, changed_cpu, changed)
                    base_ms += await timed(http, base_url, requests // 5, base_cpu)
        finally:
            await server.stop()
            await store.close()
    load = os.getloadavg()[0]
    note = (f"{ratings:,} ratings of {FILMS} watched films; page {size // 1024} KiB; {requests} requests each, "
            f"taking turns; club built in {built:.1f} s; load average {load:.1f} on {os.cpu_count()} CPUs")
    changed_note = note + "; a new rating of a charted film is stored before each load (not timed)"
    cpu_note = note + "; process CPU time per request (client and server in one process), steadier than wall time"
    base = "a static aiohttp response of the same size"
    p99, c99 = percentile(page_ms, 99), percentile(changed_ms, 99)
    return [
        figure(GROUP, f"club page p50 ({ratings:,} ratings)", percentile(page_ms, 50), "ms",
               baseline=percentile(base_ms, 50), baseline_name=base, note=note),
        figure(GROUP, f"club page p99 ({ratings:,} ratings)", p99, "ms", baseline=percentile(base_ms, 99),
               baseline_name=base, target="< 50 ms", met=p99 < 50, note=note),
        figure(GROUP, "club page p50, changed before each load", percentile(changed_ms, 50), "ms",
               baseline=percentile(base_ms, 50), baseline_name=base, note=changed_note),
        figure(GROUP, "club page p99, changed before each load", c99, "ms", baseline=percentile(base_ms, 99),
               baseline_name=base, target="< 50 ms", met=c99 < 50, note=changed_note),
        figure(GROUP, "club page CPU per request", statistics.mean(page_cpu), "ms",
               baseline=statistics.mean(base_cpu), baseline_name=base, note=cpu_note),
        figure(GROUP, "club page CPU per request, changed before each load", statistics.mean(changed_cpu), "ms",
               baseline=statistics.mean(base_cpu), baseline_name=base, note=cpu_note),
    ]


if __name__ == "__main__":
    import sys

    for row in asyncio.run(run(quick="--quick" in sys.argv)):
        print(row)
