"""/healthz and /metrics: what an operator's monitoring reads, and nothing of the club's."""

from __future__ import annotations

import time

import aiohttp

from docclub import metrics
from tests.web.conftest import ClubSite


async def fetch(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        return resp.status, await resp.text()


async def test_healthz_is_200_when_the_loop_and_the_store_answer(site: ClubSite) -> None:
    assert await fetch(site.base + "/healthz") == (200, '{"status": "ok"}')


async def test_healthz_is_503_with_the_reason_when_the_store_is_gone(site: ClubSite) -> None:
    await site.store.close()
    status, body = await fetch(site.base + "/healthz")
    assert status == 503 and "store unreachable" in body and "club.db" not in body


async def test_metrics_count_commands_by_name_and_outcome_without_member_data(site: ClubSite) -> None:
    await site.say("alice> films")
    await site.say("alice> shortlist Navalny")  # refused: organizers only
    await site.say("alice> frobnicate Navalny")
    status, text = await fetch(site.base + "/metrics")
    assert status == 200
    assert 'docclub_commands_total{command="films",outcome="ok"}' in text
    assert 'docclub_commands_total{command="shortlist",outcome="refused"}' in text
    assert 'docclub_commands_total{command="unknown",outcome="refused"}' in text
    assert "docclub_command_seconds_bucket" in text and "docclub_group_commit_batch_size_bucket" in text
    for private in ("alice", "Navalny", "frobnicate", "Diaries", site.url.rsplit("/", 2)[1]):
        assert private not in text


def test_the_calls_that_count_are_cheap() -> None:
    # A hot path pays about a microsecond a call (a counter and a histogram).
    started = time.perf_counter()
    for _ in range(10_000):
        metrics.command_done("films", "ok", 0.001)
    assert (time.perf_counter() - started) / 10_000 < 50e-6
