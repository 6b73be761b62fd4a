"""A club night shows in the server's Events once its poll opens, and follows the night: moved
with it, renamed to the film when the poll's winner is scheduled (the watch party takes the
event over rather than making a second one), taken down when the night is skipped."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from docclub_discord.notifier import DiscordNotifier
from docclub_discord.testing import GUILD_ID, MANAGE_EVENTS, Harness, Member, harness

from docclub.scheduler import Scheduler

ALICE = Member(500000000000000011, "alice")
MONDAY = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
EVENTS = rf"/guilds/{GUILD_ID}/scheduled-events"


async def _run_until(h: Harness, end: datetime) -> None:
    """Deliver each reminder and run each night's step at its due time, up to `end`."""
    scheduler = Scheduler(h.app, h.store, h.clock, {"discord": DiscordNotifier(h.bot)})
    while (due := await h.store.read(lambda tx: tx.reminders.next_due_at())) is not None and due <= end:
        await h.clock.set(max(due, h.clock.now()))
        await scheduler.run_due()
    await h.clock.set(end)


async def _club_with_a_friday_night(h: Harness) -> None:
    for title in ("Navalny (2022)", "Honeyland (2019)", "Fire of Love (2022)"):
        await h.slash(h.owner, "film suggest", title=title)
    answer = await h.slash(
        h.owner, "night schedule", rule="every friday", time="20:00", where="the back room", poll="3d", closes="1d"
    )
    assert "Set: Club night #1" in answer.text(), answer.text()


async def test_a_night_gets_its_event_when_its_poll_opens_and_the_winner_takes_it_over(tmp_path: Path) -> None:
    async with harness(tmp_path, start=MONDAY, app_permissions=MANAGE_EVENTS) as h:
        await _club_with_a_friday_night(h)
        assert h.fake.requests("POST", EVENTS) == []  # its film is not known: nothing in Events yet

        await _run_until(h, datetime(2026, 12, 2, tzinfo=UTC))  # the poll of Fri 4 Dec opened Tue 20:00
        [made] = h.fake.requests("POST", EVENTS)
        assert made.body["name"] == "Club night — film by poll"
        assert made.body["scheduled_start_time"] == "2026-12-04T20:00:00+00:00"
        assert made.body["scheduled_end_time"] == "2026-12-04T22:00:00+00:00"
        assert made.body["entity_metadata"] == {"location": "the back room"}

        moved = await h.slash(h.owner, "night move", date="4 dec", when="2026-12-04 21:00")
        assert "Moved" in moved.text(), moved.text()
        [patch] = h.fake.requests("PATCH", EVENTS + r"/\d+")
        assert patch.body["scheduled_start_time"] == "2026-12-04T21:00:00+00:00"

        voted = await h.slash(ALICE, "vote", poll="#1", films="Honeyland")
        assert "Honeyland" in voted.text(), voted.text()
        await _run_until(h, datetime(2026, 12, 3, 22, tzinfo=UTC))  # the poll closed Thu 21:00
        assert len(h.fake.requests("POST", EVENTS)) == 1  # the party took the night's event over
        renamed = h.fake.requests("PATCH", EVENTS + r"/\d+")[-1]
        assert renamed.path == patch.path  # the night's own event, renamed
        assert renamed.body["name"] == "Watch party: Honeyland (2019)"
        assert renamed.body["scheduled_start_time"] == "2026-12-04T21:00:00+00:00"

        # The party is the event's owner now: cancelling the party cancels the event.
        await h.slash(h.owner, "party cancel", party="#1")
        assert h.fake.requests("PATCH", EVENTS + r"/\d+")[-1].body == {"status": 4}


async def test_a_skipped_night_takes_its_event_down(tmp_path: Path) -> None:
    async with harness(tmp_path, start=MONDAY, app_permissions=MANAGE_EVENTS) as h:
        await _club_with_a_friday_night(h)
        await _run_until(h, datetime(2026, 12, 2, tzinfo=UTC))
        [made] = h.fake.requests("POST", EVENTS)
        skipped = await h.slash(h.owner, "night skip", date="4 dec")
        assert "Skipped" in skipped.text(), skipped.text()
        [cancel] = h.fake.requests("PATCH", EVENTS + r"/\d+")
        assert cancel.body == {"status": 4}
        # The next Friday's poll opens on its own, and its night gets an event of its own.
        await _run_until(h, MONDAY + timedelta(days=9))
        posts = h.fake.requests("POST", EVENTS)
        assert len(posts) == 2 and posts[1].body["scheduled_start_time"] == "2026-12-11T20:00:00+00:00"
        assert made is posts[0]
