"""The reminder scheduler, driven through its real loop (`Scheduler.run()`) on a FakeClock.

Every test runs the loop as a task against a real SQLite file and a fake platform that records
what members would see. Time moves only by `Bot.run_until`, which stops the FakeClock at each
instant the loop is asleep towards and waits (`Scheduler.wait_idle`) until it is asleep again:
nothing here sleeps for real or depends on timing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from docclub.console import ConsoleSession
from docclub.core.clubs import Docclub
from docclub.core.models import ClubKey, Reminder, ReminderKind, ReminderState
from docclub.core.ports import ClubStore, DeliveryFailed
from docclub.core.replies import Reply, UserRef, render_plain
from docclub.core.when import describe
from docclub.scheduler import Scheduler, SchedulerConfig
from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock

START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # Wed 25 Nov 2026, 13:00 in Berlin
SAT_20_BERLIN = datetime(2026, 11, 28, 19, 0, tzinfo=UTC)  # "sat 20:00" in Europe/Berlin (CET)


@dataclass
class Delivery:
    at: datetime
    to: str  # "channel #x" or "dm alice"
    key: str
    title: str
    text: str
    notify: tuple[str, ...]


@dataclass
class FakePlatform:
    """A chat platform as members see it. Like Discord's message nonce, a second delivery
    with the same key is accepted but not shown again. `fail` decides which calls fail."""

    clock: FakeClock
    shown: list[Delivery] = field(default_factory=list)
    calls: list[Delivery] = field(default_factory=list)
    fail_channel: bool = False
    fail_times: int = 0  # the next N calls fail (platform down)
    hang: bool = False  # calls never return (the process is about to die)
    hang_after_delivery: bool = False
    hanging: asyncio.Event = field(default_factory=asyncio.Event)

    async def announce(self, club: ClubKey, channel: str | None, reply: Reply, *, key: str) -> None:
        await self._deliver(f"channel {channel}", reply, key, channel=True)

    async def direct(self, club: ClubKey, user_id: str, reply: Reply, *, key: str) -> None:
        await self._deliver(f"dm {user_id}", reply, key, channel=False)

    async def _deliver(self, to: str, reply: Reply, key: str, *, channel: bool) -> None:
        now = self.clock.now()
        d = Delivery(
            now,
            to,
            key,
            reply.title or "",
            render_plain(reply, "Europe/Berlin", now),
            tuple(u.user_id for u in reply.notify if isinstance(u, UserRef)),
        )
        if self.hang:
            self.hanging.set()
            await asyncio.Event().wait()
        self.calls.append(d)
        if self.fail_times > 0:
            self.fail_times -= 1
            raise DeliveryFailed("platform answered 503")
        if channel and self.fail_channel:
            raise DeliveryFailed("Unknown Channel (the channel was deleted)")
        if key not in {s.key for s in self.shown}:
            self.shown.append(d)
        if self.hang_after_delivery:
            self.hanging.set()
            await asyncio.Event().wait()


class Bot:
    """One running bot process: store, core, console session, scheduler loop on a FakeClock."""

    def __init__(
        self,
        store: ClubStore,
        clock: FakeClock,
        platform: FakePlatform,
        path: Path,
        config: SchedulerConfig | None = None,
    ) -> None:
        self.store = store
        self.clock = clock
        self.platform = platform
        self.app = Docclub(store, clock)
        self.session = ConsoleSession(self.app, "club", path)
        self.scheduler = Scheduler(self.app, store, clock, {"console": platform}, config)
        self.task: asyncio.Task[None] | None = None

    async def say(self, text: str) -> str:
        out = await self.session.handle(text)
        if self.task is not None:
            await self.scheduler.wait_idle()
        return out

    async def start(self) -> None:
        self.task = asyncio.create_task(self.scheduler.run())
        await self.scheduler.wait_idle()

    async def crash(self) -> None:
        """The process dies: the loop stops wherever it is, the store connection goes."""
        assert self.task is not None
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        self.task = None
        await self.store.close()

    async def run_until(self, target: datetime) -> None:
        """Let time pass until `target`, stopping at every instant the loop sleeps towards."""
        assert self.task is not None, "start the scheduler first"
        while True:
            await self.scheduler.wait_idle()
            nxt = self.scheduler.sleeping_until
            if nxt is None or nxt > target:
                break
            await self.clock.set(nxt)
        if target > self.clock.now():
            await self.clock.set(target)
        await self.scheduler.wait_idle()

    async def reminders(self) -> list[Reminder]:
        club = await self.app.club(self.session.key)
        return await self.store.read(lambda tx: tx.reminders.list(club.id))


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    clock = FakeClock(START)
    b = Bot(await SqliteStore.open(tmp_path / "club.db"), clock, FakePlatform(clock), tmp_path)
    try:
        await b.say("config set timezone Europe/Berlin")
        await b.say('suggest "Beyond Utopia" (2023) --cw torture, trafficking')
        yield b
    finally:
        b.scheduler.stop()
        if b.task is not None:
            await b.task
        await b.store.close()


def titles(deliveries: list[Delivery]) -> list[tuple[datetime, str, str]]:
    return [(d.at, d.to, d.title) for d in deliveries]


async def test_reminders_arrive_in_order_at_the_default_offsets_and_the_nudge_after_the_end(bot: Bot) -> None:
    await bot.start()
    await bot.say('party schedule "Beyond Utopia" sat 20:00 --where "#watch-party" --duration 2h')
    await bot.say("alice> rsvp #1 yes --remind 2h")
    await bot.say("bob> rsvp #1 maybe")
    await bot.run_until(SAT_20_BERLIN + timedelta(hours=3))
    assert titles(bot.platform.shown) == [
        (SAT_20_BERLIN - timedelta(days=1), "channel None", "Reminder: Beyond Utopia (2023) starts in 1 day"),
        (SAT_20_BERLIN - timedelta(hours=2), "dm alice", "Reminder: Beyond Utopia (2023) starts in 2 h"),
        (SAT_20_BERLIN - timedelta(hours=1), "channel None", "Reminder: Beyond Utopia (2023) starts in 1 h"),
        (SAT_20_BERLIN, "channel None", "Beyond Utopia (2023) starts now!"),
        (SAT_20_BERLIN + timedelta(hours=2), "channel None", "Thanks for watching Beyond Utopia (2023)!"),
    ]
    first = bot.platform.shown[0]
    assert "When: Sat 28 Nov 2026 20:00 CET (in 1 day)" in first.text
    assert "Where: #watch-party" in first.text
    assert "Content warnings: [spoiler: torture, trafficking]" in first.text
    assert "Going (1): alice" in first.text and "Maybe (1): bob" in first.text
    assert first.notify == ("alice", "bob")  # channel reminders mention who is coming
    assert bot.platform.shown[1].notify == ()  # a DM needs no mention
    assert [r.state for r in await bot.reminders()] == [ReminderState.SENT] * 5


async def test_post_party_nudge_asks_for_ratings_and_marks_the_film_watched(bot: Bot) -> None:
    await bot.start()
    await bot.say('party schedule "Beyond Utopia" sat 20:00 --duration 1h30')
    await bot.say("alice> rsvp #1 yes")
    await bot.run_until(SAT_20_BERLIN + timedelta(minutes=89))
    assert bot.platform.shown[-1].title == "Beyond Utopia (2023) starts now!"
    await bot.run_until(SAT_20_BERLIN + timedelta(minutes=90))
    nudge = bot.platform.shown[-1]
    assert nudge.at == SAT_20_BERLIN + timedelta(minutes=90)
    assert nudge.title == "Thanks for watching Beyond Utopia (2023)!"
    assert "Rate it: rate #1 <score> [review]" in nudge.text
    assert "1. " in nudge.text and "5. " in nudge.text  # five discussion prompts
    card = await bot.say("alice> film #1")
    assert "Status: watched" in card
    assert "Seen by: 1 member" in card
    assert "(done)" in card


async def test_club_reminder_offsets_decide_when_channel_reminders_go_out(bot: Bot) -> None:
    await bot.start()
    await bot.say("config set reminders 2d,30m")
    await bot.say('party schedule "Beyond Utopia" sat 20:00')
    await bot.run_until(SAT_20_BERLIN)
    assert titles(bot.platform.shown) == [
        (SAT_20_BERLIN - timedelta(days=2), "channel None", "Reminder: Beyond Utopia (2023) starts in 2 days"),
        (SAT_20_BERLIN - timedelta(minutes=30), "channel None", "Reminder: Beyond Utopia (2023) starts in 30 min"),
    ]


async def test_reminders_go_to_the_clubs_announcement_channel(bot: Bot) -> None:
    await bot.start()
    await bot.say("config set announce_channel #watch-party")
    await bot.say('party schedule "Beyond Utopia" sat 20:00')
    await bot.run_until(SAT_20_BERLIN - timedelta(days=1))
    assert [d.to for d in bot.platform.shown] == ["channel #watch-party"]


async def test_moving_a_party_recomputes_its_reminders_and_tells_those_who_rsvpd(bot: Bot) -> None:
    await bot.start()
    await bot.say('party schedule "Beyond Utopia" sat 20:00')
    await bot.say("alice> rsvp #1 yes --remind 3h")
    await bot.say("bob> rsvp #1 maybe")
    await bot.say("carol> rsvp #1 no")
    moved = await bot.say("party move #1 sun 18:00")
    assert "Was Sat 28 Nov 2026 20:00 CET; now Sun 29 Nov 2026 18:00 CET." in moved
    sun_18 = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
    pending = [(r.kind, r.due_at, r.user_id) for r in await bot.reminders() if r.state is ReminderState.PENDING]
    assert pending == [
        (ReminderKind.PARTY_BEFORE, sun_18 - timedelta(days=1), None),
        (ReminderKind.PARTY_DM, sun_18 - timedelta(hours=3), "alice"),
        (ReminderKind.PARTY_BEFORE, sun_18 - timedelta(hours=1), None),
        (ReminderKind.PARTY_BEFORE, sun_18, None),
        (ReminderKind.PARTY_AFTER, sun_18 + timedelta(hours=2), None),
    ]
    await bot.run_until(SAT_20_BERLIN + timedelta(minutes=1))  # the old start passes quietly
    assert [d.at for d in bot.platform.shown] == [sun_18 - timedelta(days=1)]
    await bot.run_until(sun_18)
    assert [d.at for d in bot.platform.shown] == [
        sun_18 - timedelta(days=1),
        sun_18 - timedelta(hours=3),
        sun_18 - timedelta(hours=1),
        sun_18,
    ]


async def test_move_notice_mentions_members_who_said_yes_or_maybe_only(bot: Bot) -> None:
    await bot.say('party schedule "Beyond Utopia" sat 20:00')
    for line in ("alice> rsvp #1 yes", "bob> rsvp #1 maybe", "carol> rsvp #1 no"):
        await bot.say(line)
    from docclub.console import OWNER

    moved = await bot.app.parties.move(bot.session.key, OWNER, "#1", "sun 18:00")
    cancelled = await bot.app.parties.cancel(bot.session.key, OWNER, "#1")
    for reply in (moved, cancelled):
        assert [u.user_id for u in reply.notify] == ["alice", "bob"]


async def test_cancelling_a_party_removes_its_reminders_and_none_go_out(bot: Bot) -> None:
    await bot.start()
    await bot.say('party schedule "Beyond Utopia" sat 20:00')
    await bot.say("alice> rsvp #1 yes --remind 2h")
    await bot.run_until(SAT_20_BERLIN - timedelta(days=1))
    assert len(bot.platform.shown) == 1
    out = await bot.say("party cancel #1")
    assert "No reminders will go out for it." in out
    assert [r.state for r in await bot.reminders()] == [ReminderState.SENT]
    await bot.run_until(SAT_20_BERLIN + timedelta(days=1))
    assert len(bot.platform.shown) == 1
    assert "Status: shortlisted" in await bot.say("film #1")  # back in the running, first in line


async def test_after_a_restart_only_the_latest_overdue_reminder_goes_out_with_the_true_time_left(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    await bot.say('party schedule "Beyond Utopia" sat 20:00')
    # The bot is down from now until 50 minutes before the party: the 1-day reminder is
    # 23 h 10 min late and the 1-hour one 10 minutes late. One message goes out, saying so.
    await bot.clock.set(SAT_20_BERLIN - timedelta(minutes=50))
    with caplog.at_level(logging.WARNING, logger="docclub.scheduler"):
        await bot.start()
    assert titles(bot.platform.shown) == [
        (SAT_20_BERLIN - timedelta(minutes=50), "channel None", "Reminder: Beyond Utopia (2023) starts in 50 min"),
    ]
    assert "When: Sat 28 Nov 2026 20:00 CET (in 50 min)" in bot.platform.shown[0].text
    assert [(r.offset_minutes, r.state) for r in (await bot.reminders())[:2]] == [
        (1440, ReminderState.DROPPED),
        (60, ReminderState.SENT),
    ]
    assert "dropped reminder 1 (party_before for #1): a later reminder of the same party covers it" in caplog.text
    assert bot.scheduler.stats.dropped == 1


async def test_a_restart_inside_a_reminders_window_still_sends_it_once_with_the_time_left(bot: Bot) -> None:
    await bot.say('party schedule "Beyond Utopia" sat 20:00')
    await bot.say("alice> rsvp #1 yes --remind 2h")
    # Down from now until 12 minutes before the start: every reminder before the start is
    # overdue, the channel's 1-hour one by 48 minutes (beyond the 15-minute grace window).
    await bot.clock.set(SAT_20_BERLIN - timedelta(minutes=12))
    await bot.start()
    assert sorted(titles(bot.platform.shown)) == [
        (SAT_20_BERLIN - timedelta(minutes=12), "channel None", "Reminder: Beyond Utopia (2023) starts in 12 min"),
        (SAT_20_BERLIN - timedelta(minutes=12), "dm alice", "Reminder: Beyond Utopia (2023) starts in 12 min"),
    ]
    await bot.run_until(SAT_20_BERLIN)
    assert [d.title for d in bot.platform.shown[2:]] == ["Beyond Utopia (2023) starts now!"]


async def test_a_party_moved_close_to_now_gets_one_reminder_at_once_saying_the_time_left(bot: Bot) -> None:
    await bot.start()
    await bot.say('party schedule "Beyond Utopia" sat 20:00')
    await bot.say("alice> rsvp #1 yes --remind 3h")
    await bot.say("bob> rsvp #1 maybe --remind 1m")
    now = bot.clock.now()
    await bot.say("party move #1 in 12 minutes")
    assert sorted((d.to, d.title) for d in bot.platform.shown) == [
        ("channel None", "Reminder: Beyond Utopia (2023) starts in 12 min"),
        ("dm alice", "Reminder: Beyond Utopia (2023) starts in 12 min"),
    ]
    assert "When: Wed 25 Nov 2026 13:12 CET (in 12 min)" in bot.platform.shown[0].text
    await bot.run_until(now + timedelta(minutes=12))
    assert [(d.to, d.title) for d in bot.platform.shown[2:]] == [
        ("dm bob", "Reminder: Beyond Utopia (2023) starts in 1 min"),
        ("channel None", "Beyond Utopia (2023) starts now!"),
    ]
    assert "(in 1 min)" in bot.platform.shown[2].text
    # Nothing goes out twice: moving it again later sends only what the new time needs.
    assert len({d.key for d in bot.platform.calls}) == len(bot.platform.calls)


async def test_a_party_moved_a_few_hours_ahead_keeps_its_coming_reminders_and_adds_none(bot: Bot) -> None:
    await bot.start()
    await bot.say('party schedule "Beyond Utopia" sat 20:00')
    await bot.say("party move #1 in 3 hours")
    assert bot.platform.shown == []  # the 1-hour reminder is still to come
    await bot.run_until(bot.clock.now() + timedelta(hours=2))
    assert [d.title for d in bot.platform.shown] == ["Reminder: Beyond Utopia (2023) starts in 1 h"]


async def test_a_reminder_exactly_at_the_edge_of_the_grace_window_is_still_sent(bot: Bot) -> None:
    await bot.say('party schedule "Beyond Utopia" sat 20:00')
    await bot.clock.set(SAT_20_BERLIN - timedelta(minutes=45))
    await bot.start()
    assert [d.title for d in bot.platform.shown] == ["Reminder: Beyond Utopia (2023) starts in 45 min"]


async def test_the_start_reminder_sent_late_says_how_long_ago_it_started(bot: Bot) -> None:
    await bot.say('party schedule "Beyond Utopia" sat 20:00')
    await bot.clock.set(SAT_20_BERLIN + timedelta(minutes=10))
    await bot.start()
    assert [d.title for d in bot.platform.shown] == ["Beyond Utopia (2023) started 10 min ago: join in!"]
    assert "(10 min ago)" in bot.platform.shown[0].text


@pytest.mark.parametrize("dies", ["before the platform got it", "after the platform got it"])
async def test_restart_between_claim_and_marking_delivers_once_with_the_same_key(
    bot: Bot, tmp_path: Path, dies: str
) -> None:
    await bot.say('party schedule "Beyond Utopia" sat 20:00')
    await bot.clock.set(SAT_20_BERLIN - timedelta(days=1))
    platform = bot.platform
    platform.hang = dies == "before the platform got it"
    platform.hang_after_delivery = not platform.hang
    bot.task = asyncio.create_task(bot.scheduler.run())
    await platform.hanging.wait()
    claimed = await bot.reminders()
    assert claimed[0].state is ReminderState.CLAIMED
    await bot.crash()

    # The process restarts a minute later on the same database: the lease (2 minutes) still
    # holds, so nothing is sent until it expires; then the reminder goes out again, same key.
    platform.hang = platform.hang_after_delivery = False
    await bot.clock.advance(minutes=1)
    restarted = Bot(await SqliteStore.open(tmp_path / "club.db"), bot.clock, platform, tmp_path)
    try:
        await restarted.start()
        assert restarted.scheduler.sleeping_until == claimed[0].lease_until
        await restarted.run_until(SAT_20_BERLIN - timedelta(hours=23))
        keys = [c.key for c in platform.calls]
        assert keys == ["reminder-1"] * (2 if dies == "after the platform got it" else 1)
        assert [s.key for s in platform.shown] == ["reminder-1"]  # members see it once
        assert platform.shown[0].at == (
            SAT_20_BERLIN - timedelta(days=1) if dies.startswith("after") else claimed[0].lease_until
        )
        assert (await restarted.reminders())[0].state is ReminderState.SENT
    finally:
        restarted.scheduler.stop()
        if restarted.task is not None:
            await restarted.task
        await restarted.store.close()
        bot.store = restarted.store  # the fixture closes it again, harmlessly


async def test_many_reminders_due_at_once_are_each_delivered_once(tmp_path: Path) -> None:
    clock = FakeClock(START)
    bot = Bot(
        await SqliteStore.open(tmp_path / "club.db"),
        clock,
        FakePlatform(clock),
        tmp_path,
        SchedulerConfig(batch=40, concurrency=8),
    )
    try:
        await bot.say('suggest "Beyond Utopia" (2023)')
        await bot.say("config set timezone Europe/Berlin")
        await bot.say('party schedule "Beyond Utopia" sat 20:00')
        members = [f"m{i:03d}" for i in range(150)]
        for m in members:
            await bot.say(f"{m}> rsvp #1 yes --remind 1h")
        await bot.start()
        await bot.run_until(SAT_20_BERLIN - timedelta(hours=1))
        shown = bot.platform.shown
        assert len(shown) == 1 + 1 + 150  # the 1-day and 1-hour channel reminders, 150 DMs
        assert sorted(d.to for d in shown if d.to.startswith("dm ")) == [f"dm {m}" for m in members]
        assert len({d.key for d in shown}) == len(shown) == len(bot.platform.calls)
        assert all(d.at == SAT_20_BERLIN - timedelta(hours=1) for d in shown[1:])
        assert bot.scheduler.stats.sent == 152
    finally:
        bot.scheduler.stop()
        if bot.task is not None:
            await bot.task
        await bot.store.close()


async def test_failing_delivery_is_retried_with_backoff_then_failed_without_blocking_others(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    bot.platform.fail_channel = True  # the announcement channel was deleted; DMs still work
    await bot.start()
    await bot.say('party schedule "Beyond Utopia" sat 20:00')
    await bot.say("alice> rsvp #1 yes --remind 1d")
    due = SAT_20_BERLIN - timedelta(days=1)
    with caplog.at_level(logging.WARNING, logger="docclub.scheduler"):
        await bot.run_until(due + timedelta(hours=1))
    channel_attempts = [c.at - due for c in bot.platform.calls if c.to == "channel None"]
    assert channel_attempts == [timedelta(seconds=s) for s in (0, 30, 90, 210, 450)]  # 30 s, doubling
    assert titles(bot.platform.shown) == [(due, "dm alice", "Reminder: Beyond Utopia (2023) starts in 1 day")]
    states = {(r.kind, r.offset_minutes): (r.state, r.attempts) for r in await bot.reminders()}
    assert states[(ReminderKind.PARTY_BEFORE, 1440)] == (ReminderState.FAILED, 4)
    assert states[(ReminderKind.PARTY_DM, 1440)] == (ReminderState.SENT, 0)
    assert "reminder 1 failed 5 times, giving up: Unknown Channel" in caplog.text
    assert bot.scheduler.stats.failed == 1 and bot.scheduler.stats.retried == 4

    bot.platform.fail_channel = False  # the channel is back: the next reminder goes out
    await bot.run_until(SAT_20_BERLIN - timedelta(hours=1))
    assert bot.platform.shown[-1].title == "Reminder: Beyond Utopia (2023) starts in 1 h"


async def test_a_brief_outage_delays_a_reminder_by_the_backoff_only(bot: Bot) -> None:
    await bot.start()
    await bot.say('party schedule "Beyond Utopia" sat 20:00')
    bot.platform.fail_times = 2
    await bot.run_until(SAT_20_BERLIN - timedelta(hours=23))
    due = SAT_20_BERLIN - timedelta(days=1)
    assert titles(bot.platform.shown) == [  # failed at due and due + 30 s; shown at due + 90 s (the time left)
        (due + timedelta(seconds=90), "channel None", "Reminder: Beyond Utopia (2023) starts in 23 h 58 min")
    ]


async def test_the_loop_does_not_wake_while_nothing_is_due(bot: Bot) -> None:
    await bot.start()
    assert bot.scheduler.sleeping_until is None  # nothing at all: sleeps until told
    await bot.run_until(START + timedelta(days=30))
    assert bot.scheduler.stats.wakeups == 0

    await bot.say('party schedule "Beyond Utopia" 2026-12-30 20:00')
    assert bot.scheduler.stats.wakeups == 1  # told once, by the commit that added reminders
    first_due = datetime(2026, 12, 30, 19, 0, tzinfo=UTC) - timedelta(days=1)
    assert bot.scheduler.sleeping_until == first_due
    await bot.clock.set(first_due - timedelta(seconds=1))
    await bot.scheduler.wait_idle()
    assert bot.scheduler.stats.wakeups == 1
    assert bot.platform.calls == []

    await bot.say("alice> rsvp #1 yes")  # no reminder changed: no wake-up
    assert bot.scheduler.stats.wakeups == 1
    await bot.run_until(first_due)
    assert bot.scheduler.stats.wakeups == 2 and len(bot.platform.shown) == 1


async def test_a_poll_deadline_closes_the_poll_and_announces_the_result(bot: Bot) -> None:
    await bot.start()
    await bot.say("alice> suggest Navalny (2022)")
    await bot.say("poll open #1, #2 --closes fri 18:00")
    await bot.say("alice> vote #2")
    await bot.say("bob> vote #2")
    await bot.say("carol> vote #1")
    fri_18 = datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    await bot.run_until(fri_18 - timedelta(seconds=1))
    assert bot.platform.shown == []
    await bot.run_until(fri_18)
    [announcement] = bot.platform.shown
    assert announcement.at == fri_18
    assert announcement.title == "Poll #1 closed at its deadline"
    assert "Winner: #2 Navalny (2022) (3 ballots)." in announcement.text
    assert "— closed" in await bot.say("poll show #1")
    assert "is closed" in await bot.say("dave> vote #1 #1")


async def test_a_poll_result_is_announced_even_when_the_first_announcement_failed(bot: Bot) -> None:
    await bot.start()
    await bot.say("alice> suggest Navalny (2022)")
    await bot.say("poll open #1, #2 --closes fri 18:00")
    await bot.say("alice> vote #2")
    bot.platform.fail_times = 1
    await bot.run_until(datetime(2026, 11, 27, 17, 1, tzinfo=UTC))
    [announcement] = bot.platform.shown
    assert announcement.title == "Poll #1 closed at its deadline"
    assert "Winner: #2 Navalny (2022) (1 ballot)." in announcement.text


@pytest.mark.parametrize(
    ("day", "local_start", "start_utc", "day_before"),
    [
        (
            "2026-03-29 20:00",
            "Sun 29 Mar 2026 20:00 CEST",
            datetime(2026, 3, 29, 18, 0, tzinfo=UTC),
            "Sat 28 Mar 2026 19:00 CET",
        ),
        (
            "2026-10-25 20:00",
            "Sun 25 Oct 2026 20:00 CET",
            datetime(2026, 10, 25, 19, 0, tzinfo=UTC),
            "Sat 24 Oct 2026 21:00 CEST",
        ),
    ],
)
async def test_reminders_across_a_daylight_saving_change_fire_at_the_right_instants(
    tmp_path: Path, day: str, local_start: str, start_utc: datetime, day_before: str
) -> None:
    clock = FakeClock(start_utc - timedelta(days=4))
    bot = Bot(await SqliteStore.open(tmp_path / "club.db"), clock, FakePlatform(clock), tmp_path)
    try:
        await bot.say("config set timezone Europe/Berlin")
        await bot.say('suggest "Beyond Utopia" (2023)')
        scheduled = await bot.say(f'party schedule "Beyond Utopia" {day}')
        assert local_start in scheduled
        await bot.start()
        await bot.run_until(start_utc + timedelta(hours=3))
        # "1 day before" is 24 hours before: across the change that is 19:00 or 21:00 the day
        # before on the wall clock, and the reminder shows that wall-clock time's zone name.
        assert [d.at for d in bot.platform.shown] == [
            start_utc - timedelta(hours=24),
            start_utc - timedelta(hours=1),
            start_utc,
            start_utc + timedelta(hours=2),
        ]
        assert describe(bot.platform.shown[0].at, "Europe/Berlin") == day_before
        assert f"When: {local_start} (in 1 day)" in bot.platform.shown[0].text
        assert f"When: {local_start} (now)" in bot.platform.shown[2].text
    finally:
        bot.scheduler.stop()
        if bot.task is not None:
            await bot.task
        await bot.store.close()


async def test_a_party_missed_entirely_while_the_bot_was_down_still_ends_without_messages(bot: Bot) -> None:
    await bot.say('party schedule "Beyond Utopia" sat 20:00')
    await bot.say("alice> rsvp #1 yes --remind 2h")
    await bot.clock.set(SAT_20_BERLIN + timedelta(days=1))  # down until the next evening
    await bot.start()
    assert bot.platform.calls == []
    assert {r.state for r in await bot.reminders()} == {ReminderState.DROPPED}
    card = await bot.say("film #1")
    assert "Status: watched" in card and "(done)" in card and "Seen by: 1 member" in card
    assert (await bot.say("party list")).startswith("== Watch parties ==\nNo watch parties coming up.")


async def test_a_poll_deadline_missed_while_the_bot_was_down_still_closes_the_poll(bot: Bot) -> None:
    await bot.say("alice> suggest Navalny (2022)")
    await bot.say("poll open #1, #2 --closes fri 18:00")
    await bot.say("alice> vote #2")
    await bot.clock.set(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    await bot.start()
    assert bot.platform.calls == []
    assert "Winner: #2 Navalny (2022) (1 ballot)." in await bot.say("poll show #1")


# ---- several processes on one PostgreSQL database ----




async def test_two_processes_share_the_reminders_and_wake_each_other(pg_url: str, tmp_path: Path) -> None:
    from docclub.storage.postgresql import PostgresStore

    clock = FakeClock(START)
    platform = FakePlatform(clock)
    one = Bot(await PostgresStore.open(pg_url), clock, platform, tmp_path)
    two = Bot(await PostgresStore.open(pg_url), clock, platform, tmp_path)
    bots = (one, two)
    try:
        await one.say("config set timezone Europe/Berlin")
        await one.say('suggest "Beyond Utopia" (2023)')
        for bot in bots:
            await bot.start()
        assert two.scheduler.sleeping_until is None  # nothing due anywhere

        # Process one schedules; process two hears of it through NOTIFY and sleeps towards it.
        heard: asyncio.Queue[datetime | None] = asyncio.Queue()
        await two.store.add_reminder_listener(heard.put_nowait)  # type: ignore[attr-defined]
        await one.say('party schedule "Beyond Utopia" sat 20:00')
        async with asyncio.timeout(10):  # the NOTIFY crosses a real connection: bounded wait
            await heard.get()
        await two.scheduler.wait_idle()  # its own listener was called first
        assert two.scheduler.sleeping_until == SAT_20_BERLIN - timedelta(days=1)
        for m in range(40):
            await one.say(f"m{m}> rsvp #1 yes --remind 1h")

        # Both deliver, each reminder once: 3 channel reminders, 40 DMs, the nudge.
        while True:
            for bot in bots:
                await bot.scheduler.wait_idle()
            due = [t for t in (b.scheduler.sleeping_until for b in bots) if t is not None]
            if not due or min(due) > SAT_20_BERLIN + timedelta(hours=2):
                break
            await clock.set(min(due))
        assert len(platform.calls) == len(platform.shown) == 3 + 40 + 1
        assert one.scheduler.stats.sent + two.scheduler.stats.sent == 44
    finally:
        for bot in bots:
            bot.scheduler.stop()
            if bot.task is not None:
                await bot.task
            await bot.store.close()


# ---- import re-plans every kind of reminder ----


def planned(reminders: list[Reminder]) -> list[tuple[str, int, datetime, int | None, str | None]]:
    """Pending reminders as what they are for, without their row ids."""
    return sorted(
        (r.kind.value, r.target_id, r.due_at, r.offset_minutes, r.user_id)
        for r in reminders
        if r.state is ReminderState.PENDING
    )


async def test_an_import_plans_every_kind_of_reminder_again(bot: Bot, tmp_path: Path) -> None:
    await bot.say("suggest Navalny (2022)")
    await bot.say("poll open #1, #2 --closes fri 18:00")
    await bot.say('party schedule "Beyond Utopia" sat 20:00 --duration 2h')
    await bot.say("alice> rsvp #1 yes --remind 3h")
    before = planned(await bot.reminders())
    assert {kind for kind, *_ in before} == {"poll_close", "party_before", "party_dm", "party_after"}
    out = await bot.say("export json")
    backup = tmp_path / out.rsplit("Saved ", 1)[1].split(" ", 1)[0]
    await bot.say("poll close")
    await bot.say("party cancel #1")
    assert planned(await bot.reminders()) == []

    assert "Imported the backup" in await bot.say(f"import {backup}")

    assert planned(await bot.reminders()) == before


async def test_an_imported_open_poll_closes_at_its_deadline(bot: Bot, tmp_path: Path) -> None:
    await bot.say("suggest Navalny (2022)")
    await bot.say("poll open #1, #2 --closes fri 18:00")
    await bot.say("alice> vote #1 Navalny")
    out = await bot.say("export json")
    backup = tmp_path / out.rsplit("Saved ", 1)[1].split(" ", 1)[0]
    await bot.say("poll cancel")
    await bot.say(f"import {backup}")
    await bot.start()

    await bot.run_until(datetime(2026, 11, 27, 17, 0, tzinfo=UTC))  # Friday 18:00 in Berlin

    assert "closed" in await bot.say("poll show #1")
    assert any("Navalny" in d.text and "Poll #1" in d.title for d in bot.platform.shown), bot.platform.shown
