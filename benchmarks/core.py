"""Core benchmarks on the embedded store (SQLite file, WAL, synchronous=FULL):

1. command latency through `Docclub`, next to a raw aiosqlite round trip on the same file;
2. a burst of 500 concurrent votes: votes committed per second through the store's group
   commit, next to raw aiosqlite doing one INSERT + COMMIT per vote;
3. scale: 1,000 clubs, 100,000 films, 1,000,000 ratings: film card, leaderboard and
   `my ratings` p99, database size and resident memory;
4. `suggest` in one club of 100,000 films (the duplicate check searches indexed title keys),
   next to `suggest` in a club of 10 films and to the old check (difflib against every film).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import aiosqlite

from benchmarks import Figure, figure, percentile, timings_ms
from docclub.clock import SystemClock
from docclub.core.clubs import Docclub
from docclub.core.models import Actor, ClubConfig, ClubKey, NewFilm
from docclub.storage.sql.rows import config_to_json, key_columns
from docclub.storage.sqlite import SqliteStore

LATENCY = "Core command latency (SQLite file, WAL, synchronous=FULL)"
BURST = "Burst: 500 members vote at once"
SCALE = "Scale"
BIG_CLUB = "Suggest in a club of 100,000 films"

KEY = ClubKey("bench", "club")
ORGANIZER = Actor("bench", "organizer", "Organizer", is_organizer=True)


def member(i: int) -> Actor:
    return Actor("bench", f"m{i}", f"Member {i}")


def title(rng: random.Random) -> str:
    # Random letters: distinct enough that the near-duplicate check never refuses one.
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(12)).capitalize()


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident memory of this process in MB, from /proc."""
    current = peak = 0.0
    try:
        for row in Path("/proc/self/status").read_text().splitlines():
            if row.startswith("VmRSS:"):
                current = int(row.split()[1]) / 1024
            elif row.startswith("VmHWM:"):
                peak = int(row.split()[1]) / 1024
    except OSError:
        import resource

        peak = current = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return current, peak


async def raw_connection(path: Path) -> aiosqlite.Connection:
    """A plain aiosqlite connection set up as the store sets up its writer."""
    db = await aiosqlite.connect(path, isolation_level=None)
    await db.execute("PRAGMA busy_timeout = 10000")
    await db.execute("PRAGMA foreign_keys = ON")
    await db.execute("PRAGMA journal_mode = WAL")
    await db.execute("PRAGMA synchronous = FULL")
    return db


def ms_figures(group: str, name: str, samples: list[float], base: list[float], base_name: str,
               *, target_ms: float | None = None, note: str = "") -> list[Figure]:
    out = []
    for q in (50, 99):
        value = percentile(samples, q)
        met = None if target_ms is None or q != 99 else value < target_ms
        out.append(figure(group, f"{name} p{q}", round(value, 3), "ms", baseline=round(percentile(base, q), 3),
                          baseline_name=base_name, target=f"< {target_ms:g} ms" if target_ms and q == 99 else "",
                          met=met, note=note if q == 99 else ""))
    return out


# ---- 1. latency ----

async def latency(workdir: Path, quick: bool) -> list[Figure]:
    n = 100 if quick else 300
    rng = random.Random(7)
    path = workdir / "latency.db"
    store = await SqliteStore.open(path)
    app = Docclub(store, SystemClock())
    try:
        for _ in range(10):
            await app.films.suggest(KEY, ORGANIZER, NewFilm(title(rng), 2020))
        await app.polls.open(KEY, ORGANIZER, method="single", film_refs=[f"#{i}" for i in range(1, 6)])
        for i in range(1, 6):  # a rated film: `ratings` then shows the full statistics
            await app.ratings.rate(KEY, member(10_000 + i), "#1", str(5 + i), "A review")

        counter = iter(range(1, 10**9))

        async def suggest() -> None:
            await app.films.suggest(KEY, ORGANIZER, NewFilm(title(rng), 2021))

        async def vote() -> None:
            i = next(counter)
            await app.polls.vote(KEY, member(i), "#1", [f"#{1 + i % 5}"])

        async def rate() -> None:
            i = next(counter)
            await app.ratings.rate(KEY, member(i), f"#{1 + i % 10}", str(1 + i % 10), None)

        async def ratings() -> None:
            await app.ratings.show(KEY, member(10_001), "#1")

        async def card() -> None:
            await app.films.card(KEY, member(10_001), "#1")

        results = {name: await timings_ms(fn, n) for name, fn in
                   (("suggest", suggest), ("vote", vote), ("rate", rate), ("ratings", ratings),
                    ("film card", card))}
    finally:
        await store.close()

    # Baselines on the same file, with the store closed: the raw cost of one round trip.
    db = await raw_connection(path)
    try:
        ids = iter(range(1, 10**9))

        async def raw_write() -> None:
            i = next(ids)
            await db.execute("BEGIN")
            await db.execute(
                "INSERT INTO ballots (club_id, poll_id, user_id, display_name, choices, cast_at) "
                "VALUES (1, 1, ?, 'raw', '[1]', 0)", (f"raw{i}",))
            await db.execute("COMMIT")

        async def raw_read() -> None:
            async with db.execute("SELECT title FROM films WHERE club_id = 1 AND id = 1") as cur:
                await cur.fetchall()

        write_base = await timings_ms(raw_write, n)
        read_base = await timings_ms(raw_read, n)
    finally:
        await db.close()

    out: list[Figure] = []
    for name in ("suggest", "vote", "rate"):
        out += ms_figures(LATENCY, name, results[name], write_base, "raw aiosqlite INSERT + COMMIT")
    for name in ("ratings", "film card"):
        out += ms_figures(LATENCY, name, results[name], read_base, "raw aiosqlite SELECT of one film")
    out[0]["note"] = f"{n} sequential calls each; suggest checks every film for near duplicates"
    return out


# ---- 2. burst ----

POLL_ROW = ("INSERT INTO polls (club_id, id, method, anonymous, status, film_ids, created_by, created_at) "
            "VALUES (1, 1, 'single', 0, 'open', '[1]', 'o', 0)")


async def burst_core(path: Path, members: int, seed: int) -> dict[str, float]:
    """The `vote` command through Docclub from `members` concurrent tasks."""
    store = await SqliteStore.open(path)
    app = Docclub(store, SystemClock())
    rng = random.Random(seed)
    for _ in range(5):
        await app.films.suggest(KEY, ORGANIZER, NewFilm(title(rng), 2020))
    await app.polls.open(KEY, ORGANIZER, method="single", film_refs=[f"#{i}" for i in range(1, 6)])
    probe = sqlite3.connect(path)  # another connection: is an acknowledged vote there already?
    batches0, commands0 = store.batches, store.commands
    acks: list[float] = []
    checks: list[bool] = []

    async def one(i: int) -> None:
        t = time.perf_counter()
        await app.polls.vote(KEY, member(i), "#1", [f"#{1 + i % 5}"])
        acks.append(time.perf_counter() - t)
        if i % 25 == 0:
            checks.append(probe.execute("SELECT 1 FROM ballots WHERE user_id = ?", (f"m{i}",)).fetchone() is not None)

    t0 = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(members)))
    elapsed = time.perf_counter() - t0
    count = probe.execute("SELECT COUNT(*) FROM ballots").fetchone()[0]
    probe.close()
    commits = store.batches - batches0
    per_commit = (store.commands - commands0) / max(1, commits)
    await store.close()
    if count != members:
        raise AssertionError(f"{count} ballots committed for {members} acknowledged votes")
    return {"rate": members / elapsed, "per_commit": per_commit, "ack_p99": percentile(acks, 99) * 1000,
            "checked": len(checks), "visible": sum(checks)}


async def burst_store(path: Path, members: int) -> float:
    """The same ballots through store.write(put_ballot) alone."""
    from docclub.core.models import Ballot

    store = await SqliteStore.open(path)
    now = SystemClock().now()
    await store.write(lambda tx: tx.clubs.create(KEY, "bench", ClubConfig(), now))
    await store.write(lambda tx: tx.conn.execute(POLL_ROW))

    async def put(i: int) -> None:
        await store.write(lambda tx: tx.polls.put_ballot(Ballot(1, 1, f"m{i}", f"Member {i}", (1,), now)))

    t0 = time.perf_counter()
    await asyncio.gather(*(put(i) for i in range(members)))
    rate = members / (time.perf_counter() - t0)
    await store.close()
    return rate


async def burst_raw(path: Path, members: int) -> float:
    """Baseline: raw aiosqlite, one INSERT + COMMIT per vote, same schema and settings."""
    store = await SqliteStore.open(path)  # the same schema, by the same migrations
    now = SystemClock().now()
    await store.write(lambda tx: tx.clubs.create(KEY, "bench", ClubConfig(), now))
    await store.write(lambda tx: tx.conn.execute(POLL_ROW))
    await store.close()
    db = await raw_connection(path)
    lock = asyncio.Lock()

    async def raw(i: int) -> None:
        async with lock:  # one connection: each vote is its own transaction
            await db.execute("BEGIN")
            await db.execute(
                "INSERT INTO ballots (club_id, poll_id, user_id, display_name, choices, cast_at) "
                "VALUES (1, 1, ?, ?, '[1]', 0) ON CONFLICT (club_id, poll_id, user_id) DO UPDATE SET "
                "choices = excluded.choices", (f"m{i}", f"Member {i}"))
            await db.execute("COMMIT")

    t0 = time.perf_counter()
    await asyncio.gather(*(raw(i) for i in range(members)))
    rate = members / (time.perf_counter() - t0)
    await db.close()
    return rate


async def burst(workdir: Path, quick: bool, members: int = 500) -> list[Figure]:
    from docclub.storage import sqlite as sqlite_module

    rounds = 3 if quick else 5
    runs: dict[str, list[float]] = {"raw": [], "store": [], "core": [], "core1": [], "per_commit": [], "ack_p99": []}
    checked = visible = 0
    for r in range(rounds):  # interleaved, so a noisy neighbour hurts every variant alike
        runs["raw"].append(await burst_raw(workdir / f"raw-{r}.db", members))
        runs["store"].append(await burst_store(workdir / f"store-{r}.db", members))
        core = await burst_core(workdir / f"core-{r}.db", members, r)
        runs["core"].append(core["rate"])
        runs["per_commit"].append(core["per_commit"])
        runs["ack_p99"].append(core["ack_p99"])
        checked += int(core["checked"])
        visible += int(core["visible"])
        saved = sqlite_module.MAX_BATCH
        sqlite_module.MAX_BATCH = 1  # the same store with group commit turned off
        try:
            runs["core1"].append((await burst_core(workdir / f"core1-{r}.db", members, r))["rate"])
        finally:
            sqlite_module.MAX_BATCH = saved
    med = {k: statistics.median(v) for k, v in runs.items()}
    raw_name = "raw aiosqlite, one INSERT + COMMIT per vote"
    how = f"median of {rounds} bursts of {members} concurrent tasks"
    return [
        figure(BURST, "votes committed/s, store.write(put_ballot) with group commit", round(med["store"]),
               "votes/s", baseline=round(med["raw"]), baseline_name=raw_name, target=">= 2x baseline",
               met=med["store"] >= 2 * med["raw"], note=f"{how}; the same INSERT, same schema, same file system"),
        figure(BURST, "votes committed/s, `vote` command through Docclub", round(med["core"]), "votes/s",
               baseline=round(med["raw"]), baseline_name=raw_name,
               note=f"each vote also reads the club, poll and films and upserts the member (6 statements); "
                    f"{med['per_commit']:.0f} votes per commit; {visible}/{checked} sampled acks were "
                    "already visible to another connection when they returned"),
        figure(BURST, "votes committed/s, `vote` command, group commit vs one commit each", round(med["core"]),
               "votes/s", baseline=round(med["core1"]), baseline_name="the same commands, MAX_BATCH = 1",
               note="what group commit itself buys for whole commands"),
        figure(BURST, "slowest ack in a burst (p99), `vote` through Docclub", round(med["ack_p99"], 1), "ms",
               baseline=1000.0, baseline_name="the one second the burst arrives in",
               target="< 1000 ms", met=med["ack_p99"] < 1000),
    ]


# ---- 3. scale ----

CSV_BYTES = 0


def _rows(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Pass rows through, counting what they would take as CSV (the size baseline)."""
    global CSV_BYTES
    for row in rows:
        CSV_BYTES += sum(len(str(v)) for v in row) + len(row)
        yield row


def bulk_load(path: Path, clubs: int, films_per_club: int, members_per_club: int,
              ratings_per_member: int, seed: int = 1) -> dict[str, int]:
    """Fill a migrated database straight through the schema (executemany, one transaction)."""
    rng = random.Random(seed)
    config = config_to_json(ClubConfig())
    t = 1_767_225_600_000  # 2026-01-01 in ms
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")  # the load is not what is measured
    db.execute("BEGIN")
    db.executemany("INSERT INTO clubs (id, platform, space_id, name, config, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                   _rows((c, "bench", f"guild-{c}", f"Club {c}", config, t) for c in range(1, clubs + 1)))
    db.executemany("INSERT INTO club_counters (club_id, kind, last_id) VALUES (?, 'film', ?)",
                   _rows((c, films_per_club) for c in range(1, clubs + 1)))
    db.executemany("INSERT INTO members (club_id, user_id, display_name, joined_at) VALUES (?, ?, ?, ?)",
                   _rows((c, f"u{m}", f"Member {m}", t) for c in range(1, clubs + 1)
                         for m in range(members_per_club)))
    statuses = ("suggested", "shortlisted", "watched", "watched", "watched")
    db.executemany(
        "INSERT INTO films (club_id, id, title, year, link, where_to_watch, warnings, tags, pitch, status, "
        "suggested_by, suggested_by_name, created_at, title_key, key_head, key_tail) "
        "VALUES (?, ?, ?, ?, NULL, ?, '[]', '[\"doc\"]', ?, ?, ?, ?, ?, ?, ?, ?)",
        _rows((c, f, f"Documentary {c}-{f}", 1990 + f % 35, "Library", "A pitch of a few words.",
               statuses[f % 5], f"u{f % members_per_club}", f"Member {f % members_per_club}", t + f,
               *key_columns(f"Documentary {c}-{f}"))
              for c in range(1, clubs + 1) for f in range(1, films_per_club + 1)))

    def ratings() -> Iterator[tuple[Any, ...]]:
        for c in range(1, clubs + 1):
            for m in range(members_per_club):
                for f in rng.sample(range(1, films_per_club + 1), ratings_per_member):
                    review = "Quietly devastating." if rng.random() < 0.1 else None
                    yield (c, f, f"u{m}", f"Member {m}", rng.randint(1, 10), review, t + f * 1000 + m)

    rows = list(_rows(ratings())) if clubs * members_per_club * ratings_per_member <= 200_000 else None
    source = rows if rows is not None else _rows(ratings())
    db.executemany("INSERT INTO ratings (club_id, film_id, user_id, display_name, score, review, rated_at) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?)", source)
    # Rating marks a film seen, so the seen table is as large as the ratings table.
    db.execute("INSERT INTO seen (club_id, film_id, user_id, seen_at) "
               "SELECT club_id, film_id, user_id, rated_at FROM ratings")
    # One closed poll per club with every member's ballot: film cards count votes.
    db.executemany(
        "INSERT INTO polls (club_id, id, method, anonymous, status, film_ids, created_by, created_at) "
        "VALUES (?, 1, 'single', 0, 'closed', '[1, 2, 3, 4]', 'u0', ?)",
        _rows((c, t) for c in range(1, clubs + 1)))
    db.executemany(
        "INSERT INTO ballots (club_id, poll_id, user_id, display_name, choices, cast_at) VALUES (?, 1, ?, ?, ?, ?)",
        _rows((c, f"u{m}", f"Member {m}", json.dumps([1 + m % 4]), t) for c in range(1, clubs + 1)
              for m in range(members_per_club)))
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    counts = {name: db.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
              for name in ("clubs", "films", "ratings", "seen", "members", "ballots")}
    db.close()
    return counts


SCALE_QUERIES: dict[str, tuple[str, tuple[Any, ...]]] = {
    "member ratings": ("SELECT r.film_id, f.title FROM ratings r JOIN films f ON f.club_id = r.club_id "
                       "AND f.id = r.film_id WHERE r.club_id = ? AND r.user_id = ? ORDER BY r.rated_at DESC",
                       (1, "u1")),
    "leaderboard": ("SELECT f.id, COUNT(*), AVG(r.score * 1.0) AS mean FROM ratings r JOIN films f "
                    "ON f.club_id = r.club_id AND f.id = r.film_id WHERE r.club_id = ? GROUP BY f.id "
                    "ORDER BY mean DESC LIMIT 10", (1,)),
    "film ratings": ("SELECT user_id, score FROM ratings WHERE club_id = ? AND film_id = ? "
                     "ORDER BY rated_at, user_id", (1, 1)),
    "seen by": ("SELECT user_id FROM seen WHERE club_id = ? AND film_id = ? ORDER BY seen_at, user_id", (1, 1)),
    "ballots": ("SELECT choices FROM ballots WHERE club_id = ?", (1,)),
    "parties of a film": ("SELECT id FROM parties WHERE club_id = ? AND film_id = ? ORDER BY starts_at, id", (1, 1)),
}


def full_scans(path: Path) -> list[str]:
    """The scale queries whose plan scans a whole table instead of searching an index."""
    db = sqlite3.connect(path)
    found = []
    for name, (sql, args) in SCALE_QUERIES.items():
        plan = " | ".join(str(r[3]) for r in db.execute("EXPLAIN QUERY PLAN " + sql, args))
        if any(step.startswith("SCAN") and "USING" not in step for step in plan.split(" | ")):
            found.append(f"{name}: {plan}")
    db.close()
    return found


def db_size_mb(path: Path) -> float:
    return sum(os.path.getsize(p) for p in (path, f"{path}-wal") if os.path.exists(p)) / 1e6


async def scale(workdir: Path, quick: bool) -> list[Figure]:
    clubs, films_per_club, members_per_club, per_member = (100, 100, 50, 20) if quick else (1000, 100, 50, 20)
    n = 300 if quick else 1000
    rss_before, _ = rss_mb()
    path = workdir / "scale.db"
    store = await SqliteStore.open(path)  # migrations, exactly as a deployment gets them
    await store.close()
    t0 = time.perf_counter()
    counts = bulk_load(path, clubs, films_per_club, members_per_club, per_member)
    load_s = time.perf_counter() - t0
    size_mb = db_size_mb(path)
    scans = full_scans(path)

    store = await SqliteStore.open(path)
    app = Docclub(store, SystemClock())
    rng = random.Random(3)

    def someone() -> tuple[ClubKey, Actor]:
        c = rng.randint(1, clubs)
        return ClubKey("bench", f"guild-{c}"), Actor("bench", f"u{rng.randrange(members_per_club)}", "Member")

    async def card() -> None:
        key, actor = someone()
        await app.films.card(key, actor, f"#{rng.randint(1, films_per_club)}")

    async def board() -> None:
        key, actor = someone()
        await app.ratings.leaderboard(key, actor)

    async def mine() -> None:
        key, actor = someone()
        await app.ratings.mine(key, actor)

    try:
        results = {name: await timings_ms(fn, n, warmup=20) for name, fn in
                   (("film card", card), ("leaderboard", board), ("my ratings", mine))}
    finally:
        await store.close()
    db = await aiosqlite.connect(path, isolation_level=None)
    try:
        async def raw() -> None:
            c, f = rng.randint(1, clubs), rng.randint(1, films_per_club)
            async with db.execute("SELECT title FROM films WHERE club_id = ? AND id = ?", (c, f)) as cur:
                await cur.fetchall()

        base = await timings_ms(raw, n, warmup=20)
    finally:
        await db.close()
    rss_after, rss_peak = rss_mb()

    shape = (f"{counts['clubs']:,} clubs, {counts['films']:,} films, {counts['ratings']:,} ratings "
             f"(+{counts['seen']:,} seen marks, {counts['ballots']:,} ballots)")
    group = f"{SCALE}: {shape}"
    base_name = "raw aiosqlite SELECT of one film, random club"
    out: list[Figure] = []
    for name in ("film card", "leaderboard", "my ratings"):
        out += ms_figures(group, name, results[name], base, base_name, target_ms=10.0,
                          note=f"{n} calls, random club and member")
    out.append(figure(group, "database size", round(size_mb, 1), "MB", baseline=round(CSV_BYTES / 1e6, 1),
                      baseline_name="the same rows as CSV",
                      note=f"bulk load {load_s:.1f} s; full table scans in the hot queries: "
                           + ("; ".join(scans) if scans else "none")))
    out.append(figure(group, "resident memory after the queries", round(rss_after, 1), "MB",
                      baseline=round(rss_before, 1), baseline_name="the same process before opening the store",
                      note=f"peak {rss_peak:.0f} MB during the bulk load"))
    return out


# ---- 4. suggest in a very large club ----

WORDS = ("war", "river", "mother", "north", "escape", "island", "fire", "love", "children", "city", "road",
         "silence", "border", "factory", "music", "ocean", "prison", "garden", "winter", "archive", "king",
         "dream", "forest", "storm", "machine", "night", "valley", "bridge", "witness", "letters", "empire",
         "stranger", "harvest", "desert", "signal", "mountain", "harbour", "circus", "promise", "strike")


def real_title(rng: random.Random) -> str:
    """Titles from a small vocabulary, so many share their first or last letters (worst case for
    the head/tail indexes), with a number to keep them apart."""
    words = rng.sample(WORDS, rng.randint(2, 4))
    return " ".join(words).title() + f" {rng.randint(1, 10**6)}"


def load_big_club(path: Path, films: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    titles = [real_title(rng) for _ in range(films)]
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous = OFF")
    db.execute("BEGIN")
    db.execute("INSERT INTO clubs (id, platform, space_id, name, config, created_at) VALUES (1, 'bench', 'club', "
               "'Big club', ?, 0)", (config_to_json(ClubConfig()),))
    db.execute("INSERT INTO club_counters (club_id, kind, last_id) VALUES (1, 'film', ?)", (films,))
    db.executemany(
        "INSERT INTO films (club_id, id, title, year, warnings, tags, status, suggested_by, suggested_by_name, "
        "created_at, title_key, key_head, key_tail) VALUES (1, ?, ?, NULL, '[]', '[]', 'suggested', 'u', 'U', 0, "
        "?, ?, ?)", ((i, t, *key_columns(t)) for i, t in enumerate(titles, 1)))
    db.execute("COMMIT")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return titles


async def suggest_latency(path: Path, n: int, seed: int) -> list[float]:
    store = await SqliteStore.open(path)
    app = Docclub(store, SystemClock())
    rng = random.Random(seed)
    try:
        async def suggest() -> None:
            await app.films.suggest(KEY, ORGANIZER, NewFilm(real_title(rng)), new_anyway=True)

        return await timings_ms(suggest, n)
    finally:
        await store.close()


async def big_club(workdir: Path, quick: bool) -> list[Figure]:
    films = 10_000 if quick else 100_000
    n = 100 if quick else 300
    big, small = workdir / "big.db", workdir / "small.db"
    for path, count in ((big, films), (small, 10)):
        store = await SqliteStore.open(path)
        await store.close()
        load_big_club(path, count)
    big_ms = await suggest_latency(big, n, 11)
    small_ms = await suggest_latency(small, n, 11)

    # The check before title keys: every film read and compared with difflib, per suggestion.
    store = await SqliteStore.open(big)
    try:
        club_films = await store.read(lambda tx: tx.films.list(1))
    finally:
        await store.close()
    rng = random.Random(13)
    old_ms = []
    for _ in range(3 if quick else 5):
        new = NewFilm(real_title(rng))
        t0 = time.perf_counter()
        _old_find_duplicate(club_films, new)
        old_ms.append((time.perf_counter() - t0) * 1000)

    group = BIG_CLUB if not quick else BIG_CLUB.replace("100,000", f"{films:,}")
    out = ms_figures(group, "suggest (indexed duplicate check)", big_ms, small_ms,
                     "the same suggest in a club of 10 films",
                     note=f"{n} sequential suggestions; titles from a 40-word vocabulary, so thousands share "
                          "a title key's first or last letters")
    out.append(figure(group, "old duplicate check alone (difflib against every film)",
                      round(statistics.median(old_ms), 1), "ms", baseline=round(percentile(big_ms, 50), 3),
                      baseline_name="a whole indexed suggest, p50",
                      note=f"median of {len(old_ms)}; before title keys every suggestion paid this while "
                           "the club's writer waited (the film list read not included)"))
    return out


def _old_find_duplicate(films: list[Any], new: NewFilm) -> object:
    """The duplicate check as it was before title keys: difflib against every film of the club."""
    import difflib

    from docclub.core.text import title_key

    key = title_key(new.title)
    best = None
    for film in films:
        other = title_key(film.title)
        if other == key:
            return film
        ratio = difflib.SequenceMatcher(None, key, other).ratio()
        if len(key) >= 6 and ratio >= 0.9 and (best is None or ratio > best[0]):
            best = (ratio, film)
    return best


def _workdir() -> Path:
    """Benchmarks run on a real file system: DOCCLUB_BENCH_DIR, else the system temp dir."""
    root = os.environ.get("DOCCLUB_BENCH_DIR") or tempfile.gettempdir()
    return Path(tempfile.mkdtemp(prefix="docclub-bench-", dir=root))


async def run(quick: bool) -> list[Figure]:
    workdir = _workdir()
    try:
        out = await latency(workdir, quick)
        out += await burst(workdir, quick)
        out += await scale(workdir, quick)
        out += await big_club(workdir, quick)
        return out
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _print(figures: Sequence[Figure]) -> None:  # `python -m benchmarks.core` for a quick look
    for f in figures:
        print(f"{f['group'][:30]:30} {f['name']:50} {f['value']:>10} {f['unit']:8} base {f['baseline']}")


if __name__ == "__main__":
    import sys

    _print(asyncio.run(run("--quick" in sys.argv)))
