"""/healthz and /metrics: what an operator's monitoring reads, and nothing of the club's."""

from __future__ import annotations

from datetime import UTC, datetime

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from docclub.console import ConsoleNotifier
from docclub.scheduler import Scheduler
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


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_metrics_count_the_reminders_the_scheduler_sends_and_how_late(site: ClubSite) -> None:
    shown: list[str] = []
    notifier = ConsoleNotifier(shown.append, lambda _: "Europe/Berlin", site.clock.now)
    scheduler = Scheduler(site.app, site.store, site.clock, {"console": notifier})
    before = _samples((await fetch(site.base + "/metrics"))[1])
    # Watch party #3 starts 2026-12-12 20:00 Berlin; its day-before reminder was due at 19:00 UTC.
    await site.clock.set(datetime(2026, 12, 11, 19, 5, tzinfo=UTC))
    await scheduler.run_due()
    assert any("Fire of Love" in text for text in shown), shown
    after = _samples((await fetch(site.base + "/metrics"))[1])

    def grew(name: str, **labels: str) -> float:
        key = (name, tuple(sorted(labels.items())))
        return after.get(key, 0.0) - before.get(key, 0.0)

    # The two November parties' reminders fell due while no scheduler ran: claimed, and dropped
    # rather than sent two weeks late (each party's last one as late, the others as covered by it).
    assert grew("docclub_reminders_sent_total", kind="party_before") == 1
    assert grew("docclub_reminders_dropped_total", kind="party_before", why="late") == 2
    assert grew("docclub_reminders_dropped_total", kind="party_before", why="superseded") == 4
    assert grew("docclub_reminders_dropped_total", kind="party_after", why="late") == 2
    assert grew("docclub_reminders_due_total", kind="party_before") == 7
    assert grew("docclub_reminders_failed_total", kind="party_before", permanent="no") == 0
    assert grew("docclub_reminder_late_seconds_count") == 1
    assert grew("docclub_reminder_late_seconds_sum") == 300  # sent five minutes after it was due
