"""PostgreSQL with several docclub processes (issue 8): how throughput scales with processes.

Against a local PostgreSQL (127.0.0.1:5432, user postgres, trust auth; or the admin URL in
DOCCLUB_BENCH_POSTGRES_URL), in a scratch database `docclub_bench_<hex>` that is dropped at
the end, also on failure. Every process is a real OS process (benchmarks/postgresql_worker.py)
with its own `PostgresStore` (asyncpg pool, default size), started and connected before the
clock starts.

1. Votes: N members vote at the same instant in one poll, through `Docclub.polls.vote`,
   split evenly over 1, 2 and 4 processes. Votes committed per second, from the `go` to the
   last acknowledgement; a vote is acknowledged only after its transaction committed (the run
   checks that every acknowledged vote is in the database, and samples acks on a second
   connection as they return). Baseline: the same members and votes in one process on SQLite
   (WAL, synchronous=FULL, group commit), and, for the scaling, PostgreSQL with one process.
2. Reminders: N reminders all due now, delivered by the real `Scheduler` in 1 and 3
   processes (woken by NOTIFY when the reminders are committed) through a counting notifier.
   Reminders delivered per second, from the commit to the last delivery; the run checks that
   each was delivered exactly once across the processes. Baseline: one process.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from benchmarks import Figure, figure
from docclub.clock import SystemClock
from docclub.core.clubs import Docclub
from docclub.core.models import Actor, ClubConfig, ClubKey, NewFilm, NewReminder, ReminderKind
from docclub.core.ports import ClubTx
from docclub.storage.open import open_store

ROOT = Path(__file__).resolve().parent.parent
VOTES = "PostgreSQL: votes committed/s with several processes"
REMINDERS = "PostgreSQL: reminders delivered/s with several processes"
WHAT = "PostgreSQL throughput with several processes"
ORGANIZER = Actor("bench", "organizer", "Organizer", is_organizer=True)
VOTE_PROCESSES = (1, 2, 4)
REMIND_PROCESSES = (1, 3)
WORKER_TIMEOUT_S = 120.0
# (members or reminders, rounds). Full: several rounds, interleaved, each long enough that the
# start of a run does not weigh on its rate. Quick (CI): one short round of each variant, about
# half a minute in all; starting the worker processes takes most of it.
VOTE_SIZES = {False: (8000, 3), True: (1000, 1)}
REMIND_SIZES = {False: (15000, 3), True: (1000, 1)}


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


async def _find_admin() -> tuple[str | None, str]:
    """A reachable server where we may create databases, or why there is none."""
    try:
        import asyncpg
    except ImportError:
        return None, "asyncpg is not installed (uv sync --all-extras)"
    explicit = os.environ.get("DOCCLUB_BENCH_POSTGRES_URL")
    candidates = [explicit] if explicit else [
        f"postgresql://postgres@127.0.0.1:5432/{db}" for db in ("postgres", "test")]
    failures = []
    for url in candidates:
        try:
            conn = await asyncpg.connect(url, timeout=3)
        except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
            failures.append(f"{url}: {exc.__class__.__name__}: {exc}")
            continue
        await conn.close()
        return url, ""
    return None, "; ".join(failures)


async def _admin_execute(admin: str, sql: str) -> Any:
    import asyncpg

    conn = await asyncpg.connect(admin, timeout=10)
    try:
        return await conn.fetch(sql)
    finally:
        await conn.close()


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, from /proc/stat; (0, 0) elsewhere."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0, 0.0
    hz = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / hz, sum(fields[:8]) / hz


def busy_cpus(before: tuple[float, float], after: tuple[float, float]) -> float:
    """How many CPUs the whole machine kept busy between two `machine_busy()` readings."""
    busy, total = after[0] - before[0], after[1] - before[1]
    return 0.0 if total <= 0 else busy / total * (os.cpu_count() or 1)


# ---- worker processes ----

class Worker:
    """One benchmark process: `ready` when set up, then one JSON line with its result."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc

    @classmethod
    async def start(cls, *args: str) -> Worker:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "benchmarks.postgresql_worker", *args, cwd=ROOT, env=env,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            limit=2**26)  # the remind result lists every delivered id on one line
        return cls(proc)

    async def line(self) -> str:
        assert self.proc.stdout is not None
        raw = await asyncio.wait_for(self.proc.stdout.readline(), WORKER_TIMEOUT_S)
        if not raw:
            code = await self.proc.wait()
            raise RuntimeError(f"benchmark worker exited with code {code} (see its output above)")
        return raw.decode().strip()

    async def ready(self) -> None:
        got = await self.line()
        if got != "ready":
            raise RuntimeError(f"benchmark worker said {got!r} instead of 'ready'")

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"go\n")

    async def result(self) -> dict[str, Any]:
        out: dict[str, Any] = json.loads(await self.line())
        await asyncio.wait_for(self.proc.wait(), WORKER_TIMEOUT_S)
        return out

    async def kill(self) -> None:
        if self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()


async def _all(workers: Sequence[Worker], what: str) -> list[Any]:
    return list(await asyncio.gather(*(getattr(w, what)() for w in workers)))


# ---- 1. votes ----

async def _vote_club(url: str, space: str) -> None:
    """A club with five films and an open single-choice poll #1 of them."""
    store = await open_store(url)
    app = Docclub(store, SystemClock())
    key = ClubKey("bench", space)
    try:
        for i in range(5):
            await app.films.suggest(key, ORGANIZER, NewFilm(f"Documentary {'ABCDE'[i]}", 2020 + i))
        await app.polls.open(key, ORGANIZER, method="single", film_refs=[f"#{i}" for i in range(1, 6)])
    finally:
        await store.close()


async def _ballots(url: str, space: str) -> int:
    store = await open_store(url)
    try:
        async def count(tx: ClubTx) -> int:
            club = await tx.clubs.get(ClubKey("bench", space))
            assert club is not None
            return len(await tx.polls.ballots(club.id, 1))

        n: int = await store.read(count)
        return n
    finally:
        await store.close()


async def vote_run(url: str, space: str, processes: int, members: int) -> dict[str, float]:
    """`members` votes at once, split over `processes` worker processes on `url`."""
    await _vote_club(url, space)
    share = members // processes
    workers = []
    try:
        for p in range(processes):
            count = share if p < processes - 1 else members - share * (processes - 1)
            workers.append(await Worker.start("vote", url, space, str(p * share), str(count)))
        await _all(workers, "ready")
        cpu0 = machine_busy()
        for w in workers:
            w.go()
        results = await _all(workers, "result")
        machine = busy_cpus(cpu0, machine_busy())
    finally:
        for w in workers:
            await w.kill()
    acks = sum(r["acks"] for r in results)
    committed = await _ballots(url, space)
    if acks != members or committed != members:
        raise AssertionError(f"{members} votes cast, {acks} acknowledged, {committed} ballots committed")
    elapsed = max(r["t1"] for r in results) - min(r["t0"] for r in results)
    return {"rate": members / elapsed, "ack_p99": max(r["ack_p99_ms"] for r in results),
            "checked": sum(r["checked"] for r in results), "visible": sum(r["visible"] for r in results),
            "retries": sum(r["retries"] for r in results),
            # CPU the docclub processes used per vote, and how many CPUs they kept busy
            "cpu_ms": sum(r["cpu_s"] for r in results) / members * 1000,
            "busy": sum(r["cpu_s"] for r in results) / elapsed, "machine": machine}


async def votes(url: str, workdir: Path, quick: bool) -> list[Figure]:
    members, rounds = VOTE_SIZES[quick]
    runs: dict[str, list[dict[str, float]]] = {"sqlite": [], **{f"pg{n}": [] for n in VOTE_PROCESSES}}
    for r in range(rounds):  # interleaved, so a noisy neighbour hurts every variant alike
        lite = f"sqlite:///{workdir / f'votes-{r}.db'}"
        runs["sqlite"].append(await vote_run(lite, f"votes-{r}", 1, members))
        for n in VOTE_PROCESSES:
            runs[f"pg{n}"].append(await vote_run(url, f"votes-{n}p-{r}", n, members))

    def med(variant: str, field: str = "rate") -> float:
        return statistics.median(run[field] for run in runs[variant])

    checked = sum(int(run["checked"]) for v in runs.values() for run in v)
    visible = sum(int(run["visible"]) for v in runs.values() for run in v)
    retries = sum(int(run["retries"]) for n in VOTE_PROCESSES for run in runs[f"pg{n}"])
    how = f"{'median of ' + str(rounds) + ' runs' if rounds > 1 else 'one run'} of {members:,} members voting at once"
    lite_name = "SQLite file, 1 process (WAL, synchronous=FULL, group commit)"
    group = f"{VOTES}: {members:,} members vote at once in one poll"
    out: list[Figure] = []
    for n in VOTE_PROCESSES:
        note = (f"ack p99 {med(f'pg{n}', 'ack_p99'):.0f} ms (SQLite {med('sqlite', 'ack_p99'):.0f} ms); "
                f"docclub CPU {med(f'pg{n}', 'cpu_ms'):.2f} ms/vote (SQLite {med('sqlite', 'cpu_ms'):.2f}), "
                f"the docclub processes kept {med(f'pg{n}', 'busy'):.1f} and the whole machine (all it runs) "
                f"{med(f'pg{n}', 'machine'):.1f} of {os.cpu_count()} CPUs busy")
        if n == 1:
            note = (f"{how}, through Docclub.polls.vote; every acknowledged vote was committed; "
                    f"{visible}/{checked} sampled acks (all runs) visible to another connection at once; " + note)
        out.append(figure(group, f"PostgreSQL, {n} process{'es' if n > 1 else ''}", round(med(f"pg{n}")),
                          "votes/s", baseline=round(med("sqlite")), baseline_name=lite_name, note=note))
    one = med("pg1")
    for n in VOTE_PROCESSES[1:]:
        note = (f"{n}x the processes gives {med(f'pg{n}') / one:.2f}x the votes on {os.cpu_count()} CPUs "
                "shared with the PostgreSQL server")
        if n == VOTE_PROCESSES[-1]:
            note += f"; {retries} writes retried after a serialization failure or deadlock"
        out.append(figure(group, f"scaling: PostgreSQL, {n} processes vs 1", round(med(f"pg{n}")), "votes/s",
                          baseline=round(one), baseline_name="PostgreSQL, 1 process", note=note))
    return out


# ---- 2. reminders ----

async def _reminder_club(url: str) -> tuple[int, int]:
    """A club (on the bench platform) with one party two days ahead: (club id, party id)."""
    store = await open_store(url)
    now = datetime.now(UTC)

    async def club_night(tx: ClubTx) -> tuple[int, int]:
        club = await tx.clubs.create(ClubKey("bench", "reminders"), "Docs", ClubConfig(), now)
        film = await tx.films.add(club.id, NewFilm("Beyond Utopia", 2023), "u", "U", now)
        party = await tx.parties.add(club.id, film.id, now + timedelta(days=2), 120, None, "u", now)
        return club.id, party.id

    try:
        ids: tuple[int, int] = await store.write(club_night)
        return ids
    finally:
        await store.close()


async def remind_run(url: str, club_id: int, party_id: int, processes: int, count: int) -> dict[str, Any]:
    """`count` reminders due now, delivered by `processes` scheduler processes."""
    import asyncpg

    conn = await asyncpg.connect(url)
    await conn.execute("DELETE FROM reminders")
    workers = []
    store = await open_store(url)
    try:
        for _ in range(processes):
            workers.append(await Worker.start("remind", url, str(count)))
        await _all(workers, "ready")  # each is asleep with nothing due, listening
        now = datetime.now(UTC)
        rows = [NewReminder(club_id=club_id, kind=ReminderKind.PARTY_BEFORE, target_id=party_id, due_at=now,
                            offset_minutes=60) for _ in range(count)]
        await store.write(lambda tx: tx.reminders.add(rows))  # NOTIFY at commit wakes the workers
        committed, cpu0 = time.time(), machine_busy()
        results = await _all(workers, "result")
        machine = busy_cpus(cpu0, machine_busy())
        ids = {int(r["id"]) for r in await conn.fetch("SELECT id FROM reminders")}
        states = {r["state"]: r["n"] for r in await conn.fetch(
            "SELECT state, count(*) AS n FROM reminders GROUP BY state")}
    finally:
        for w in workers:
            await w.kill()
        await store.close()
        await conn.close()
    delivered = Counter(k for r in results for k in r["keys"])
    missing = len(ids - set(delivered))
    repeats = sum(n - 1 for n in delivered.values())
    unknown = len(set(delivered) - ids)
    if states != {"sent": count} or missing or unknown:
        raise AssertionError(f"{count} reminders: states {states}, {missing} never delivered, {unknown} unknown")
    last = max(r["last"] for r in results)
    shares = sorted((sum(1 for _ in r["keys"]) for r in results), reverse=True)
    cpu = sum(r["cpu_s"] for r in results)
    return {"rate": count / (last - committed), "cpu_ms": cpu / count * 1000,
            "busy": cpu / (last - committed), "machine": machine, "repeats": repeats, "shares": shares,
            "first_ms": (min(r["first"] for r in results) - committed) * 1000}


async def reminders(url: str, quick: bool) -> list[Figure]:
    count, rounds = REMIND_SIZES[quick]
    club_id, party_id = await _reminder_club(url)
    runs: dict[int, list[dict[str, Any]]] = {n: [] for n in REMIND_PROCESSES}
    for _ in range(rounds):
        for n in REMIND_PROCESSES:
            runs[n].append(await remind_run(url, club_id, party_id, n, count))

    def med(n: int, field: str = "rate") -> float:
        return float(statistics.median(run[field] for run in runs[n]))

    repeats = sum(run["repeats"] for v in runs.values() for run in v)
    how = f"{'median of ' + str(rounds) + ' runs' if rounds > 1 else 'one run'}"
    group = f"{REMINDERS}: {count:,} reminders all due now"
    one, many = REMIND_PROCESSES
    shares = " / ".join(f"{s:,}" for s in runs[many][-1]["shares"])
    return [figure(
        group, f"real Scheduler in {many} processes", round(med(many)), "reminders/s",
        baseline=round(med(one)), baseline_name=f"the same in {one} process", target="each delivered once",
        met=repeats == 0,
        note=(f"{how}; from the commit of the reminders to the last delivery; first delivery "
              f"{med(many, 'first_ms'):.0f} ms after the commit (NOTIFY); every reminder delivered, "
              f"{repeats} repeats in all runs; docclub CPU {med(many, 'cpu_ms'):.2f} ms/reminder in {many} "
              f"processes ({med(one, 'cpu_ms'):.2f} in {one}), keeping {med(many, 'busy'):.1f} "
              f"({med(one, 'busy'):.1f}) CPUs busy, the whole machine {med(many, 'machine'):.1f} "
              f"({med(one, 'machine'):.1f}) of {os.cpu_count()}; split between the processes (last run) {shares}"))]


# ---- run ----

def _not_available(reason: str) -> list[Figure]:
    return [{"group": f"{WHAT} (postgresql)", "name": f"not available: {reason}", "value": None,
             "unit": "", "baseline": None}]


async def run(quick: bool) -> list[Figure]:
    logging.getLogger("docclub").setLevel(logging.ERROR)
    admin, reason = await _find_admin()
    if admin is None:
        return _not_available(f"no PostgreSQL server reachable ({reason})")
    name = f"docclub_bench_{secrets.token_hex(4)}"
    workdir = Path(tempfile.mkdtemp(prefix="docclub-bench-pg-", dir=os.environ.get("DOCCLUB_BENCH_DIR")))
    await _admin_execute(admin, f'CREATE DATABASE "{name}"')
    try:
        from docclub.storage.postgresql import migrate

        url = _with_database(admin, name)
        await migrate(url)
        settings = {r["name"]: r["setting"] for r in await _admin_execute(
            admin, "SELECT name, setting FROM pg_settings WHERE name IN ('synchronous_commit', 'fsync')")}
        version = (await _admin_execute(admin, "SHOW server_version"))[0][0]
        out = await votes(url, workdir, quick)
        out += await reminders(url, quick)
        out[0]["note"] += (f"; PostgreSQL {version.split()[0]}, "
                           f"synchronous_commit={settings.get('synchronous_commit')}, fsync={settings.get('fsync')}")
        return out
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        with contextlib.suppress(Exception):
            await _admin_execute(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _main() -> None:  # python -m benchmarks.postgresql [--quick]
    t0 = time.perf_counter()
    for f in asyncio.run(run("--quick" in sys.argv)):
        print(f"{f['name']:45} {f['value']!s:>8} {f['unit']:12} baseline {f['baseline']}  {f.get('note', '')}")
    print(f"took {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    _main()


__all__ = ["run"]
