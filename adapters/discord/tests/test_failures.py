"""When Discord or the store fails part-way: what members see, and what is tried again."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from docclub_discord.notifier import DiscordNotifier
from docclub_discord.testing import CHANNEL_ID, GUILD_ID, Harness, Member, harness

from docclub.core.models import ClubKey, ReminderState
from docclub.scheduler import Scheduler

ALICE = Member(500000000000000011, "alice")
KEY = ClubKey("discord", str(GUILD_ID))


class StoreThatFailsLater:
    """The real store, whose writes start failing after `allow` more succeed (a full disk)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.allow: int | None = None

    async def write(self, work: Callable[[Any], Awaitable[Any]]) -> Any:
        if self.allow is not None:
            if self.allow <= 0:
                raise OSError("database or disk is full")
            self.allow -= 1
        return await self.store.write(work)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


async def test_an_answer_already_posted_is_never_taken_back(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    failing: list[StoreThatFailsLater] = []

    def wrap(store: Any) -> StoreThatFailsLater:
        failing.append(StoreThatFailsLater(store))
        return failing[0]

    async with harness(tmp_path, wrap_store=wrap) as h:
        await h.slash(h.owner, "club set", setting="announce_channel", value=f"<#{CHANNEL_ID}>")
        await h.slash(h.owner, "film suggest", title="Navalny (2022)")
        failing[0].allow = 1  # the party is written; remembering where its card is posted is not
        with caplog.at_level(logging.ERROR, logger="docclub.discord"):
            answer = await h.slash(h.owner, "party schedule", film="#1", when="2026-12-05 20:00")
        assert [r.method for r in answer.requests] == ["POST"]  # the card, and nothing after it
        assert "Watch party" in answer.text() and "try again" not in answer.text()
        assert h.message(answer)["id"]  # still there
        [logged] = [r for r in caplog.records if "after it was answered" in r.getMessage()]
        assert "ref " in logged.getMessage() and logged.exc_info is not None


async def test_a_member_with_closed_dms_is_not_messaged_five_times(discord_club: Harness) -> None:
    h = discord_club
    await h.slash(h.owner, "film suggest", title="Navalny (2022)")
    await h.slash(h.owner, "party schedule", film="#1", when="2026-12-05 20:00")
    await h.slash(ALICE, "rsvp", party="#1", answer="yes", remind="2h")
    h.fake.closed_dms.add(ALICE.user_id)
    scheduler = Scheduler(h.app, h.store, h.clock, {"discord": DiscordNotifier(h.bot)})
    for _ in range(10):  # every reminder, and any retry, as it falls due
        due = await h.store.read(lambda tx: tx.reminders.next_due_at())
        if due is None:
            break
        await h.clock.set(max(due, h.clock.now()))
        await scheduler.run_due()
    dm_posts = [
        r for r in h.fake.requests("POST", r"/channels/\d+/messages") if int(r.path.split("/")[2]) in h.fake.dm_channels
    ]
    assert len(dm_posts) == 1
    club = await h.app.club(KEY)
    reminders = await h.store.read(lambda tx: tx.reminders.list(club.id))
    [dm] = [r for r in reminders if r.user_id == str(ALICE.user_id)]
    assert dm.state is ReminderState.FAILED and dm.attempts == 0
