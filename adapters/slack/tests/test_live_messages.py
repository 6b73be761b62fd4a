"""Poll and party messages stay current wherever and whenever a vote comes in: where they are
shown is kept in the store (every process, every restart), a `/docclub vote` edits them like a
button does, and edits still waiting go out when docclub stops."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from docclub_slack.testing import FakeSlack, SlackDriver, SlackHarness, blocks_to_text

from docclub.testing import FakeClock


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    await fake.start()
    yield fake
    await fake.close()


def _harness(tmp_path: Path, fake: FakeSlack, clock: FakeClock) -> SlackHarness:
    return SlackHarness(tmp_path / "club.db", clock=clock, fake=fake)


async def _open_poll(slack: SlackHarness) -> str:
    slack.user("UADMIN", "Ana", admin=True)
    slack.user("UALICE", "alice")
    for title in ("Navalny", "Fire of Love"):
        await slack.command(f"suggest {title}", "UALICE")
    await slack.command("poll open Navalny, Fire of Love", "UADMIN")
    return slack.fake.posted[-1][1]


def _edits_of(fake: FakeSlack, ts: str) -> list[str]:
    return [blocks_to_text(c["blocks"]) for c in fake.calls_to("chat.update") if c["ts"] == ts]


async def test_a_vote_in_another_process_edits_the_poll_message(
    tmp_path: Path, fake: FakeSlack, clock: FakeClock
) -> None:
    async with _harness(tmp_path, fake, clock) as first, _harness(tmp_path, fake, clock) as second:
        ts = await _open_poll(first)
        await second.command("vote Fire of Love", "UALICE")  # the slash command, in the other process
        [shown] = _edits_of(fake, ts)
        assert "#2 Fire of Love: 1 — alice" in shown


async def test_a_poll_message_deleted_in_slack_is_no_longer_edited(
    tmp_path: Path, fake: FakeSlack, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, "docclub.slack")
    async with _harness(tmp_path, fake, clock) as slack:
        ts = await _open_poll(slack)
        channel = slack.fake.posted[-1][0]
        fake.delete_message(channel, ts)  # a member deleted the poll's message
        await slack.command("vote Navalny", "UALICE")
        assert len(fake.calls_to("chat.update")) == 1  # tried once: Slack says it is gone
        await clock.advance(5)
        await slack.command("vote Fire of Love", "UALICE")  # a refresh at once: the last was 5 s ago
        assert len(fake.calls_to("chat.update")) == 1  # forgotten: not tried on every vote
        gone = [r.getMessage() for r in caplog.records if "no longer kept current" in r.getMessage()]
        assert len(gone) == 1, gone


async def test_a_vote_after_a_restart_edits_the_poll_message_posted_before_it(
    tmp_path: Path, fake: FakeSlack, clock: FakeClock
) -> None:
    async with _harness(tmp_path, fake, clock) as before:
        ts = await _open_poll(before)
    async with _harness(tmp_path, fake, clock) as after:
        await after.command("vote Navalny", "UALICE")
        [shown] = _edits_of(fake, ts)
        assert "#1 Navalny: 1 — alice" in shown


async def test_a_poll_closed_just_before_the_stop_shows_as_closed(
    tmp_path: Path, fake: FakeSlack, clock: FakeClock
) -> None:
    async with _harness(tmp_path, fake, clock) as slack:
        ts = await _open_poll(slack)
        await slack.command("vote Navalny", "UALICE")
        assert len(_edits_of(fake, ts)) == 1  # the first change edits at once
        await slack.command("poll close", "UADMIN")  # within 2 s: this edit waits
        assert len(_edits_of(fake, ts)) == 1
    edits = _edits_of(fake, ts)  # stopped: the waiting edit went out first
    assert len(edits) == 2
    last = [c for c in fake.calls_to("chat.update") if c["ts"] == ts][-1]
    assert not [b for b in last["blocks"] if b.get("type") == "actions"]  # no vote buttons left
    assert "closed" in edits[-1].lower()


async def test_the_discussion_thread_hangs_from_the_card_in_the_announcement_channel(
    slack: SlackHarness, clock: FakeClock
) -> None:
    driver = SlackDriver(slack, clock)
    await slack.command("config set announce_channel <#C0WATCH|watch-party>", "UADMIN")
    await slack.command("config set reminders none", "UADMIN")
    await slack.command("suggest Navalny (2022)", "UALICE")
    await slack.command("party schedule Navalny 2026-11-25 20:00 --duration 2h", "UADMIN", channel="C0WATCH")
    card = slack.fake.posted[-1]
    assert card[0] == "C0WATCH"
    await slack.command("rsvp #1 yes", "UALICE")
    await slack.command("party show #1", "UBOB", channel="C0GENERAL")  # shown elsewhere, later
    assert slack.fake.posted[-1][0] == "C0GENERAL"
    await driver.advance(12 * 3600)
    [nudge] = [c for c in slack.fake.calls_to("chat.postMessage") if "Thanks for watching" in str(c.get("text"))]
    assert (nudge["channel"], nudge.get("thread_ts")) == card
