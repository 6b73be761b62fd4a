"""What keeps a request cheap under load, and what it must still do: rights asked of Slack once
for a burst, rate limits waited out, repeats caught without a commit of their own, late
answers through the response_url, and a body parsed once (the way bolt would not)."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from docclub_slack.testing import SlackHarness, slash_body

from docclub.testing import FakeClock
from docclub.testing.tmdb import FakeTmdb

TMDB_KEY = "51ac51ac51ac51ac51ac51ac51ac51ac"


async def _two_films(slack: SlackHarness) -> None:
    await slack.command("suggest Navalny", "UALICE")
    await slack.command('suggest "Fire of Love"', "UALICE")


async def test_a_burst_of_commands_by_one_new_organizer_asks_slack_once(slack: SlackHarness) -> None:
    await _two_films(slack)
    slack.fake.clear()
    answers = await asyncio.gather(*(slack.command(f"shortlist #{1 + n % 2}", "UADMIN") for n in range(12)))
    assert all(a.status == 200 for a in answers)
    assert len(slack.fake.calls_to("users.info")) == 1
    assert all("shortlisted" in "\n".join(a.shown()).lower() for a in answers)


async def test_a_rate_limit_is_waited_out_for_as_long_as_retry_after_says(
    slack: SlackHarness, clock: FakeClock
) -> None:
    slack.fake.failures["users.info"] = (
        429,
        "application/json",
        '{"ok": false, "error": "ratelimited"}',
        {"Retry-After": "30"},
    )
    await slack.command("suggest Navalny", "UALICE")
    refused = await slack.command("shortlist Navalny", "UADMIN")
    assert "Only the club's organizers" in refused.shown()[0]
    del slack.fake.failures["users.info"]
    await clock.advance(29)
    still = await slack.command("shortlist Navalny", "UADMIN")
    assert "Only the club's organizers" in still.shown()[0]
    assert len(slack.fake.calls_to("users.info")) == 1
    await clock.advance(1)
    done = await slack.command("shortlist Navalny", "UADMIN")
    assert "shortlisted" in "\n".join(done.shown()).lower()
    assert len(slack.fake.calls_to("users.info")) == 2


def _remembered(slack: SlackHarness) -> list[str]:
    with sqlite3.connect(slack.db_path) as db:
        return sorted(str(row[0]) for row in db.execute("SELECT key FROM events_seen"))


async def test_identical_copies_sent_at_once_run_once(slack: SlackHarness, poll_open_body: str) -> None:
    await _two_films(slack)
    body, stamp = poll_open_body, int(time.time())
    before = len(slack.fake.calls)
    answers = await asyncio.gather(*(slack.post(body, timestamp=stamp) for _ in range(5)))
    assert all(a.status == 200 for a in answers)
    # Each answer lists what Slack was told while it was open, so copies answered after the poll
    # card went out list it too: the card itself went out once.
    cards = [c for c in slack.fake.calls[before:] if c.method == "chat.postMessage"]
    assert len(cards) == 1 and "Poll #1 is open" in cards[0].args.get("text", "") + str(cards[0].args.get("blocks"))
    assert "There is no poll #2" in "\n".join((await slack.command("poll show #2", "UADMIN")).shown())


async def test_a_fresh_request_is_remembered_in_the_store_for_other_processes(
    slack: SlackHarness, poll_open_body: str, tmp_path: Path, clock: FakeClock
) -> None:
    await _two_films(slack)
    body, stamp = poll_open_body, int(time.time())
    before = len(_remembered(slack))
    assert "Poll #1" in "\n".join((await slack.post(body, timestamp=stamp)).shown())
    assert len(_remembered(slack)) == before + 1
    # A second process on the same database, reached by the copy once it is past fresh.
    async with SlackHarness(slack.db_path, clock=clock, fake=slack.fake) as other:
        assert other.adapter.bot is not None
        other.adapter.bot.repeats.fresh = 0  # as when the copy comes seconds after Slack signed it
        copy = await other.post(body, timestamp=stamp)
        assert copy.status == 200 and copy.shown() == []
    assert "There is no poll #2" in "\n".join((await slack.command("poll show #2", "UADMIN")).shown())


async def test_a_request_signed_minutes_ago_is_claimed_in_the_store_before_it_runs(
    slack: SlackHarness, poll_open_body: str
) -> None:
    await _two_films(slack)
    body, two_minutes_ago = poll_open_body, int(time.time()) - 120
    first = await slack.post(body, timestamp=two_minutes_ago)
    assert "Poll #1" in "\n".join(first.shown())
    assert slack.adapter.bot is not None
    slack.adapter.bot.repeats._recent.clear()  # as in a process restarted since
    again = await slack.post(body, timestamp=two_minutes_ago)
    assert again.status == 200 and again.shown() == []


async def test_a_command_from_a_channel_named_payload_is_answered(slack: SlackHarness) -> None:
    body = slash_body(
        "suggest the payload", user_id="UALICE", user_name="payload-fan", response_url=slack.fake.response_url(7)
    ).replace("general", "payload")
    answer = await slack.post(body)
    assert answer.status == 200
    assert "Suggested #1 the payload" in answer.shown()[0]


@pytest.fixture
async def slack_with_tmdb(tmp_path: Path, clock: FakeClock) -> AsyncIterator[tuple[SlackHarness, FakeTmdb]]:
    async with (
        FakeTmdb(key=TMDB_KEY) as tmdb,
        SlackHarness(tmp_path / "club.db", clock=clock, tmdb=(tmdb.url, TMDB_KEY)) as slack,
    ):
        slack.user("UALICE", "alice")
        yield slack, tmdb


async def test_a_command_slower_than_its_budget_is_answered_through_the_response_url(
    slack_with_tmdb: tuple[SlackHarness, FakeTmdb],
) -> None:
    slack, tmdb = slack_with_tmdb
    assert slack.adapter.bot is not None
    slack.adapter.bot.slash.ack_budget = 0.001  # TMDB is held: the core can't answer in time
    tmdb.hang()
    sent = asyncio.ensure_future(slack.command("suggest Beyond Utopia", "UALICE"))
    await tmdb.waiting()
    tmdb.release()
    answer = await sent
    assert answer.ack is not None and answer.ack["text"] == "Working on it…"
    assert [r.args["response_type"] for r in answer.responses] == ["in_channel"]
    assert "Suggested #1 Beyond Utopia (2023)" in answer.shown()[1]
