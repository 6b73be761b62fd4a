"""Slack HTTP-mode ack latency: a burst of signed `/docclub vote` slash commands.

The Slack adapter runs as in production (acknowledge-first bolt app, aiohttp server on
127.0.0.1, SQLite file, system clock) against the FakeSlack Web API in the same process.
Each request is signed like Slack signs it; its latency is from sending the request to the
HTTP answer, which carries the member's answer when the core finished within the ack budget.
The baseline is the same votes through the core's text grammar alone (`run_command`).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp
from docclub_slack.testing import SIGNING_SECRET, SlackHarness, signed_headers, slash_body

from benchmarks import Figure, figure, percentile
from docclub.clock import SystemClock
from docclub.core.clubs import Docclub
from docclub.core.commands import run_command
from docclub.core.models import Actor, ClubKey
from docclub.core.replies import render_plain
from docclub.storage.sqlite import SqliteStore

GROUP = "Slack HTTP-mode ack latency"
FILMS = ("Beyond Utopia", "Navalny", "Fire of Love", "Honeyland", "Collective")
DEADLINE_MS = 3000.0


async def burst_slack(workdir: Path, members: int, round_no: int) -> tuple[list[float], int]:
    """Latencies (s) of `members` concurrent signed `/docclub vote` requests, and the ballots stored."""
    async with SlackHarness(workdir / f"slack-{round_no}.db") as slack:
        slack.user("UADMIN", "Ana", admin=True)
        for title in FILMS:
            await slack.command(f'suggest "{title}"', "UADMIN")
        await slack.command("poll open " + ", ".join(f'"{t}"' for t in FILMS), "UADMIN")
        requests = []
        for i in range(members):
            user_id = slack.user(f"UM{i:05d}", f"member{i}")
            body = slash_body(
                f"vote #1 #{1 + i % len(FILMS)}",
                user_id=user_id,
                user_name=f"member{i}",
                response_url=slack.fake.response_url(i),
                trigger_id=f"{i}.{i}.t",
            )
            requests.append((body, signed_headers(SIGNING_SECRET, body)))
        latencies: list[float] = []
        answered = 0
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def one(body: str, headers: dict[str, str]) -> None:
                nonlocal answered
                t = time.perf_counter()
                async with session.post(slack.url, data=body.encode(), headers=headers) as resp:
                    text = await resp.text()
                latencies.append(time.perf_counter() - t)
                if resp.status == 200 and "Your vote in poll #1" in text:
                    answered += 1

            await asyncio.gather(*(one(b, h) for b, h in requests))
        late = [r for r in slack.fake.responses if "Your vote" in str(r.args)]
        stored = await slack.runtime.store.read(lambda tx: _ballots(tx))
        if answered + len(late) != members or stored != members:
            raise AssertionError(
                f"{answered} answered in the ack, {len(late)} later, {stored} ballots stored for {members} votes"
            )
        return latencies, answered


async def _ballots(tx: object) -> int:
    club = await tx.get_club(ClubKey("slack", "T0CLUB"))  # type: ignore[attr-defined]
    return len(await tx.list_ballots(club.id, 1))  # type: ignore[attr-defined]


async def burst_core(workdir: Path, members: int, round_no: int) -> list[float]:
    """The same votes through `run_command` alone, from `members` concurrent tasks."""
    store = await SqliteStore.open(workdir / f"core-{round_no}.db")
    app = Docclub(store, SystemClock())
    key = ClubKey("bench", "club")
    admin = Actor("bench", "admin", "Ana", is_organizer=True)
    for title in FILMS:
        await run_command(app, key, admin, f'suggest "{title}"')
    opened = await run_command(app, key, admin, "poll open " + ", ".join(f'"{t}"' for t in FILMS))
    assert "Poll #1" in render_plain(opened), render_plain(opened)
    latencies: list[float] = []

    async def one(i: int) -> None:
        t = time.perf_counter()
        reply = await run_command(app, key, Actor("bench", f"m{i}", f"member{i}"), f"vote #1 #{1 + i % len(FILMS)}")
        latencies.append(time.perf_counter() - t)
        assert "Your vote" in render_plain(reply)

    try:
        await asyncio.gather(*(one(i) for i in range(members)))
    finally:
        await store.close()
    return latencies


async def run(quick: bool) -> list[Figure]:
    members = 500
    rounds = 1 if quick else 3
    slack_p50, slack_p99, core_p50, core_p99, in_ack = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for r in range(rounds):
            lat, answered = await burst_slack(workdir, members, r)
            slack_p50.append(percentile(lat, 50) * 1000)
            slack_p99.append(percentile(lat, 99) * 1000)
            in_ack.append(answered)
            core = await burst_core(workdir, members, r)
            core_p50.append(percentile(core, 50) * 1000)
            core_p99.append(percentile(core, 99) * 1000)
    med = statistics.median
    how = (
        f"median of {rounds} burst(s) of {members} concurrent signed requests to 127.0.0.1; "
        f"{int(med(in_ack))}/{members} answers came in the ack itself (the rest via response_url); "
        "cold users.info cache (one lookup per member, answered by the in-process fake)"
    )
    base = "the same votes through run_command alone"
    return [
        figure(
            GROUP,
            "/docclub vote ack, p50",
            round(med(slack_p50), 1),
            "ms",
            baseline=round(med(core_p50), 1),
            baseline_name=base,
            note=how,
        ),
        figure(
            GROUP,
            "/docclub vote ack, p99",
            round(med(slack_p99), 1),
            "ms",
            baseline=round(med(core_p99), 1),
            baseline_name=base,
            note="includes signature check, users.info, bolt dispatch, Block Kit render",
        ),
        figure(
            GROUP,
            "/docclub vote ack p99 vs Slack's deadline",
            round(med(slack_p99), 1),
            "ms",
            baseline=DEADLINE_MS,
            baseline_name="Slack's 3 s ack deadline",
            target="< 3000 ms",
            met=med(slack_p99) < DEADLINE_MS,
        ),
    ]


if __name__ == "__main__":
    for row in asyncio.run(run(quick=True)):
        print(row)
