"""Answers at the speed of the framework: docclub next to bare slack-bolt and discord.py.

Three processes per platform: this one is the load generator; `benchmarks.platform_fake`
is the platform (Slack's Web API and response_urls; Discord's REST API and gateway); and
`benchmarks.platform_app` runs the app — docclub's adapter as `docclub run` starts it, or the
bare framework floor (a slack-bolt app acking `/docclub` with a static text; a discord.py
client answering `/vote` with a static message). Both apps of a platform run at once and
take turns, rate by rate, so machine noise falls on both alike.

Load is open-loop: request i leaves at start + i / rate whatever happened to the others
(Slack: signed `/docclub vote` requests over HTTP; Discord: `/vote` INTERACTION_CREATEs sent
over the gateway, timed at the fake from sending to the interaction callback). Each rate
runs for a few seconds, then a burst of 500 at once. CPU per request is the app process's
CPU time (every thread) over the phase, read after its late answers were sent, divided by
the requests: wall time on a shared 2-core machine says little, CPU seconds do. The
"answered in the ack" count waits for late answers before counting.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from benchmarks import Figure, figure, percentile

ROOT = Path(__file__).resolve().parent.parent
SIGNING_SECRET = "bench-signing-secret"
RATES = (20, 100, 300, 1000)
BURST = 500
DEADLINE_MS = 3000.0


@dataclass
class Phase:
    name: str
    sent: int = 0
    latencies: list[float] = field(default_factory=list)  # ms, to the acknowledgement
    in_ack: int = 0  # answered in the acknowledgement itself
    working: int = 0  # acknowledged at once, answered later
    late: int = 0  # late answers that arrived
    failed: int = 0  # no acknowledgement, or not 200
    cpu_s: float = 0.0
    behind_ms: float = 0.0  # how late the generator sent its last request (its own lag)

    @property
    def cpu_ms(self) -> float:
        return self.cpu_s * 1000 / max(1, self.sent)


class Proc:
    """A child process that prints `ready <port>` (and maybe other `key value` lines first)."""

    def __init__(self, *args: str) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        self.p = subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, env=env, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        self.info: dict[str, str] = {}

    def wait_ready(self, timeout: float = 60) -> int:
        assert self.p.stdout is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError(f"{self.p.args} ended before it was ready")
            key, _, value = line.strip().partition(" ")
            self.info[key] = value
            if key == "ready":
                return int(value)
        raise TimeoutError(f"{self.p.args} not ready")

    def stop(self) -> None:
        if self.p.stdin is not None:
            self.p.stdin.close()
        try:
            self.p.wait(15)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()


async def _get(session: aiohttp.ClientSession, url: str) -> Any:
    async with session.get(url, timeout=aiohttp.ClientTimeout(total=120)) as resp:
        return await resp.json()


async def _schedule(n: int, rate: float | None, fire: Any) -> float:
    """Call fire(i) for i < n at start + i / rate (all at once when rate is None); the lag of the last, ms."""
    loop = asyncio.get_running_loop()
    start = loop.time() + 0.05
    behind = 0.0
    for i in range(n):
        at = start + (i / rate if rate else 0.0)
        delay = at - loop.time()
        if delay > 0:
            await asyncio.sleep(delay)
        behind = max(behind, loop.time() - at)
        fire(i)
    return behind * 1000


# ---- Slack ----

def _slack_request(n: int, api: str) -> str:
    from docclub_slack.testing import slash_body

    return slash_body(f"vote #1 #{1 + n % 5}", user_id=f"UM{n:06d}", user_name=f"member{n}",
                      response_url=api.replace("/api/", f"/response/{n}"), trigger_id=f"{n}.{n}.t")


async def slack_phase(session: aiohttp.ClientSession, events: str, control: str, api: str, name: str,
                      n: int, rate: float | None, offset: int) -> Phase:
    from docclub_slack.testing import signed_headers

    phase = Phase(name, sent=n)
    requests = [_slack_request(offset + i, api) for i in range(n)]
    before = (await _get(session, f"{control}/cpu"))["cpu"]
    late_before = (await _get(session, api.replace("/api/", "/stats")))["late"]
    tasks: list[asyncio.Task[None]] = []

    async def one(i: int) -> None:
        # Signed as it is sent, as Slack signs: a request signed seconds before it leaves looks
        # to the app as if it had waited that long on the way, and gets less of its 3 s.
        headers = signed_headers(SIGNING_SECRET, requests[i])
        t = time.perf_counter()
        try:
            async with session.post(events, data=requests[i].encode(), headers=headers) as resp:
                text = await resp.text()
                phase.latencies.append((time.perf_counter() - t) * 1000)
                if resp.status != 200:
                    phase.failed += 1
                elif "Working on it" in text:
                    phase.working += 1
                elif text and json.loads(text).get("text"):
                    phase.in_ack += 1
        except aiohttp.ClientError:
            phase.failed += 1

    phase.behind_ms = await _schedule(n, rate, lambda i: tasks.append(asyncio.create_task(one(i))))
    await asyncio.gather(*tasks)
    await _get(session, f"{control}/settled")
    phase.cpu_s = (await _get(session, f"{control}/cpu"))["cpu"] - before
    phase.late = (await _get(session, api.replace("/api/", "/stats")))["late"] - late_before
    return phase


async def run_slack(workdir: Path, plan: list[tuple[str, int, float | None]]) -> dict[str, list[Phase]]:
    fake = Proc("benchmarks.platform_fake", "slack")
    apps: dict[str, Proc] = {}
    try:
        api = f"http://127.0.0.1:{fake.wait_ready()}/api/"
        for kind in ("slack-bolt", "slack-docclub", "slack-static", "slack-durable"):
            apps[kind] = Proc("benchmarks.platform_app", kind, api, str(workdir / f"{kind}.db"))
        ports = {kind: p.wait_ready() for kind, p in apps.items()}
        events = {kind: f"http://127.0.0.1:{p.info.get('events', ports[kind])}/slack/events"
                  for kind, p in apps.items()}
        out: dict[str, list[Phase]] = {kind: [] for kind in apps}
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:
            for kind in apps:  # warm up: first requests import and cache
                await slack_phase(session, events[kind], f"http://127.0.0.1:{ports[kind]}", api, "warm", 30, 100, 0)
            offset = 1000
            for name, n, rate in plan:
                for kind in apps:
                    control = f"http://127.0.0.1:{ports[kind]}"
                    out[kind].append(await slack_phase(session, events[kind], control, api, name, n, rate, offset))
                    offset += n
        return out
    finally:
        for p in apps.values():
            p.stop()
        fake.stop()


# ---- Discord ----

async def discord_phase(session: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse, control: str,
                        to: str, name: str, n: int, rate: float | None, offset: int) -> Phase:
    phase = Phase(name, sent=n)
    tag = f"{to}-{name}-{offset}"
    before = (await _get(session, f"{control}/cpu"))["cpu"]
    late_before = await _discord_stats(ws, "none")
    sends: list[asyncio.Task[None]] = []
    def fire(i: int) -> None:
        message = json.dumps({"to": to, "n": offset + i, "phase": tag})
        sends.append(asyncio.create_task(ws.send_str(message)))

    phase.behind_ms = await _schedule(n, rate, fire)
    await asyncio.gather(*sends)
    stats: dict[str, Any] = {}
    for _ in range(600):  # until every interaction got its callback (or a minute passed)
        await asyncio.sleep(0.1)
        stats = await _discord_stats(ws, tag)
        if len(stats["latencies"]) >= n:
            break
    await _get(session, f"{control}/settled")
    phase.cpu_s = (await _get(session, f"{control}/cpu"))["cpu"] - before
    stats = await _discord_stats(ws, tag)
    phase.latencies = stats["latencies"]
    phase.in_ack = stats["in_ack"]
    phase.working = stats["deferred"]
    phase.late = stats["late"] - late_before["late"]
    phase.failed = n - len(phase.latencies)
    return phase


async def _discord_stats(ws: aiohttp.ClientWebSocketResponse, tag: str) -> dict[str, Any]:
    await ws.send_str(json.dumps({"stats": tag}))
    answer: dict[str, Any] = json.loads(await ws.receive_str())
    return answer


async def run_discord(workdir: Path, plan: list[tuple[str, int, float | None]]) -> dict[str, list[Phase]]:
    fake = Proc("benchmarks.platform_fake", "discord")
    apps: dict[str, Proc] = {}
    tokens = {"discord-py": "bare-token", "discord-docclub": "docclub-token", "discord-static": "static-token",
              "discord-durable": "durable-token"}
    try:
        port = fake.wait_ready()
        api = f"http://127.0.0.1:{port}/api/v10"
        for kind in tokens:
            apps[kind] = Proc("benchmarks.platform_app", kind, api, str(workdir / f"{kind}.db"))
        ports = {kind: p.wait_ready() for kind, p in apps.items()}
        out: dict[str, list[Phase]] = {kind: [] for kind in apps}
        async with aiohttp.ClientSession() as session, session.ws_connect(f"http://127.0.0.1:{port}/control") as ws:
            offset = 0
            for kind in apps:  # warm up
                control = f"http://127.0.0.1:{ports[kind]}"
                await discord_phase(session, ws, control, tokens[kind], "warm", 30, 100, offset)
                offset += 30
            for name, n, rate in plan:
                for kind in apps:
                    control = f"http://127.0.0.1:{ports[kind]}"
                    out[kind].append(await discord_phase(session, ws, control, tokens[kind], name, n, rate, offset))
                    offset += n
        return out
    finally:
        for p in apps.values():
            p.stop()
        fake.stop()


# ---- figures ----

def _figures(group: str, what: str, bare_name: str, ours: list[Phase], bare: list[Phase]) -> list[Figure]:
    rows: list[Figure] = []
    for mine, floor in zip(ours, bare, strict=True):
        burst = mine.name == "burst"
        label = f"burst of {mine.sent}" if burst else f"{mine.name}"
        answered = (f"{mine.in_ack} answered in the ack, {mine.working} acknowledged at once and answered "
                    f"later ({mine.late} late answers arrived), {mine.failed} failed; generator lag "
                    f"{mine.behind_ms:.0f} ms")
        if not burst:
            rows.append(figure(group, f"{what} CPU per request at {label}", mine.cpu_ms, "ms", baseline=floor.cpu_ms,
                               baseline_name=bare_name, target="<= 1.5x",
                               met=mine.cpu_ms <= 1.5 * floor.cpu_ms if mine.name != "1000 req/s" else None,
                               note=f"{mine.sent} requests"))
        p50, p99 = percentile(mine.latencies, 50), percentile(mine.latencies, 99)
        rows.append(figure(group, f"{what} ack p50 at {label}", p50, "ms", baseline=percentile(floor.latencies, 50),
                           baseline_name=bare_name))
        target, met = "", None
        if burst:
            target, met = "< 400 ms", p99 < 400
        elif mine.name == "100 req/s" and group.startswith("Slack"):
            target, met = "< 10 ms", p99 < 10
        elif mine.name == "1000 req/s":
            target, met = "every ack < 3 s", mine.failed == 0 and max(mine.latencies, default=0) < DEADLINE_MS
        rows.append(figure(group, f"{what} ack p99 at {label}", p99, "ms", baseline=percentile(floor.latencies, 99),
                           baseline_name=bare_name, target=target, met=met, note=answered))
    return rows


def _beside(group: str, what: str, label: str, ours: list[Phase], base: list[Phase], base_name: str,
            note: str) -> list[Figure]:
    """CPU per request of one app (`ours`) next to another's (`base`), rate by rate."""
    return [figure(group, f"{what} CPU per request at {mine.name}, {label}", mine.cpu_ms, "ms",
                   baseline=floor.cpu_ms, baseline_name=base_name, note=note)
            for mine, floor in zip(ours, base, strict=True) if mine.name != "burst"]


def _breakdown(group: str, what: str, runs: dict[str, list[Phase]], platform: str, bare: str,
               bare_name: str) -> list[Figure]:
    """Where the CPU goes: the adapter alone (the vote answered by the reply it gives: no core,
    no store), and the least a durable vote costs (the bare framework writing one row durably
    first), with docclub's whole vote next to that least."""
    static, durable = runs[f"{platform}-static"], runs[f"{platform}-durable"]
    floor_name = f"{bare_name} after one durable INSERT + COMMIT"
    return (_beside(group, what, "the adapter alone", static, runs[bare], bare_name,
                    f"the vote answered without the core or the store (`{platform}-static`)")
            + _beside(group, what, "the bare framework after one durable write", durable, runs[bare], bare_name,
                      f"one raw INSERT + COMMIT (SQLite WAL, synchronous=FULL) in a thread per request "
                      f"(`{platform}-durable`): the least a bot pays that acknowledges only what is on disk")
            + _beside(group, what, "docclub next to that least", runs[f"{platform}-docclub"], durable, floor_name,
                      "docclub's whole vote (the core's checks, the member, the reply) over one bare durable write"))


def plan_for(quick: bool) -> list[tuple[str, int, float | None]]:
    # Kept short so `make bench` stays within its 10 minutes on a busy machine.
    seconds = {20: 4.0, 100: 2.0, 300: 2.0, 1000: 2.0} if not quick else {20: 2.5, 100: 1.0, 300: 1.0, 1000: 1.0}
    plan: list[tuple[str, int, float | None]] = [(f"{r} req/s", int(r * seconds[r]), float(r)) for r in RATES]
    plan.append(("burst", BURST, None))
    return plan


async def run(quick: bool, platforms: tuple[str, ...] | None = None) -> list[Figure]:
    """Both platforms, or those named (`platforms`, else DOCCLUB_BENCH_PLATFORMS, e.g. "slack")."""
    chosen = platforms or tuple(os.environ.get("DOCCLUB_BENCH_PLATFORMS", "slack,discord").split(","))
    plan = plan_for(quick)
    load_before = os.getloadavg()[0]
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as d:
        if "slack" in chosen:
            slack = await run_slack(Path(d), plan)
            group = "Slack: docclub next to bare slack-bolt (three processes, open loop)"
            bare = "bare slack-bolt acking a static text"
            figures += _figures(group, "/docclub vote", bare, slack["slack-docclub"], slack["slack-bolt"])
            figures += _breakdown(group, "/docclub vote", slack, "slack", "slack-bolt", bare)
        if "discord" in chosen:
            discord = await run_discord(Path(d), plan)
            group = "Discord: docclub next to bare discord.py (three processes, open loop)"
            bare = "bare discord.py answering a static message"
            figures += _figures(group, "/vote", bare, discord["discord-docclub"], discord["discord-py"])
            figures += _breakdown(group, "/vote", discord, "discord", "discord-py", bare)
    load_after = os.getloadavg()[0]
    figures.append(figure("Slack: docclub next to bare slack-bolt (three processes, open loop)",
                          "machine load average (1 min) before / after", load_before, "", baseline=load_after,
                          baseline_name="after", note="2 cores shared with other work: latency figures are noisy, "
                                                       "CPU per request much less so"))
    return figures


if __name__ == "__main__":
    # python -m benchmarks.platform_load [--quick] [--platform slack|discord]
    only = tuple(sys.argv[sys.argv.index("--platform") + 1:][:1]) if "--platform" in sys.argv else None
    for row in asyncio.run(run(quick="--quick" in sys.argv, platforms=only)):
        print(row)
