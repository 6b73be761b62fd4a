"""Club nights through the real scheduler loop on a FakeClock: each night opens its poll, closes
it and schedules the winner by itself; across restarts, and with two processes on PostgreSQL,
each step happens once."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from docclub.core.models import OccurrenceState, Party, ReminderKind, ReminderState
from docclub.core.ports import ClubStore
from docclub.core.replies import Reply, UserRef, render_plain
from docclub.scheduler import SchedulerConfig
from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock
from tests.test_scheduler import Bot as SchedulerBot

START = datetime(2026, 9, 20, 10, 0, tzinfo=UTC)  # Sun 20 Sep 2026, 12:00 in Berlin
OPENS = datetime(2026, 9, 25, 18, 0, tzinfo=UTC)  # Fri 25 Sep 20:00 CEST: a week before the first Friday
CLOSES = datetime(2026, 10, 1, 18, 0, tzinfo=UTC)  # Thu 1 Oct 20:00 CEST
NIGHT = datetime(2026, 10, 2, 18, 0, tzinfo=UTC)  # Fri 2 Oct 20:00 CEST
SCHEDULE = 'night schedule "first friday" 20:00 --where "#cinema" --poll 7d --closes 1d --method ranked --top 3'


@dataclass
class Shown:
    at: datetime
    key: str
    title: str
    text: str
    notify: tuple[str, ...]


@dataclass
class Platform:
    """What members see. Like Discord's nonce, a repeat with the same key is not shown again."""

    clock: FakeClock
    shown: list[Shown] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    hang_after_delivery: bool = False
    hanging: asyncio.Event = field(default_factory=asyncio.Event)

    async def announce(self, club: Any, channel: str | None, reply: Reply, *, key: str) -> None:
        now = self.clock.now()
        self.calls.append(key)
        if key not in {s.key for s in self.shown}:
            notify = tuple(u.user_id for u in reply.notify if isinstance(u, UserRef))
            self.shown.append(Shown(now, key, reply.title or "", render_plain(reply, "Europe/Berlin", now), notify))
        if self.hang_after_delivery:
            self.hanging.set()
            await asyncio.Event().wait()

    async def direct(self, club: Any, user_id: str, reply: Reply, *, key: str) -> None:
        await self.announce(club, None, reply, key=key)


class Bot(SchedulerBot):
    """One bot process (the scheduler tests' process, with a two-minute lease) that stops cleanly."""

    def __init__(self, store: ClubStore, clock: FakeClock, platform: Platform, path: Path) -> None:
        super().__init__(store, clock, platform, path, SchedulerConfig(lease=timedelta(minutes=2)))

    async def stop(self) -> None:
        """The process ends, whether or not its scheduler loop was started."""
        if self.task is not None:
            await self.crash()
        else:
            await self.store.close()

    async def parties(self) -> list[Party]:
        club = await self.app.club(self.session.key)
        return await self.store.read(lambda tx: tx.parties.list(club.id))


async def set_up(bot: Bot) -> None:
    await bot.say("config set timezone Europe/Berlin")
    for line in ("suggest Navalny (2022)", "alice> suggest Fire of Love (2022)", "bob> suggest Honeyland (2019)"):
        await bot.say(line)


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    clock = FakeClock(START)
    b = Bot(await SqliteStore.open(tmp_path / "club.db"), clock, Platform(clock), tmp_path)
    await set_up(b)
    try:
        yield b
    finally:
        b.scheduler.stop()
        if b.task is not None:
            await b.task
        await b.store.close()


def titles(platform: Platform) -> list[tuple[datetime, str]]:
    return [(s.at, s.title) for s in platform.shown]


async def test_a_night_opens_its_poll_closes_it_and_schedules_the_winner_by_itself(bot: Bot) -> None:
    await bot.start()
    assert "The first poll opens by itself Fri 25 Sep 2026 20:00 CEST" in await bot.say(SCHEDULE)
    await bot.say("alice> rsvp night yes")
    await bot.run_until(OPENS)
    opened = bot.platform.shown[-1]
    assert (opened.at, opened.title) == (OPENS, "Club night Fri 2 Oct: poll #1 is open")
    assert "Closes Thu 01 Oct 2026 20:00 CEST" in opened.text
    for line in ("alice> vote Honeyland, Navalny", "bob> vote Honeyland", "carol> vote Navalny"):
        await bot.say(line)
    await bot.run_until(CLOSES)
    won = bot.platform.shown[-1]
    assert (won.at, won.title) == (CLOSES, "Club night Fri 2 Oct: Honeyland (2019) won poll #1")
    (party,) = await bot.parties()
    assert (party.starts_at, party.where, party.duration_minutes, party.series_id) == (NIGHT, "#cinema", 120, 1)
    assert "Going (1): alice" in won.text  # "every night" became her RSVP to this one
    await bot.run_until(NIGHT + timedelta(hours=2))
    assert [t for _, t in titles(bot.platform)][-3:] == [
        "Reminder: Honeyland (2019) starts in 1 h",
        "Honeyland (2019) starts now!",
        "Thanks for watching Honeyland (2019)!",
    ]


async def test_the_next_nights_poll_is_planned_when_this_one_opens(bot: Bot) -> None:
    await bot.start()
    await bot.say(SCHEDULE)
    pending = [(r.kind, r.due_at) for r in await bot.reminders() if r.state is ReminderState.PENDING]
    assert pending == [(ReminderKind.NIGHT_POLL_OPEN, OPENS)]
    await bot.run_until(OPENS)
    pending = [(r.kind, r.due_at) for r in await bot.reminders() if r.state is ReminderState.PENDING]
    nov6_opens = datetime(2026, 10, 30, 19, 0, tzinfo=UTC)  # Fri 30 Oct 20:00 CET: the clocks went back
    assert pending == [(ReminderKind.NIGHT_POLL_CLOSE, CLOSES), (ReminderKind.NIGHT_POLL_OPEN, nov6_opens)]


async def test_a_step_committed_but_not_marked_before_a_crash_runs_once_after_the_restart(
    tmp_path: Path,
) -> None:
    clock = FakeClock(START)
    platform = Platform(clock)
    one = Bot(await SqliteStore.open(tmp_path / "club.db"), clock, platform, tmp_path)
    await set_up(one)
    await one.say(SCHEDULE)
    await one.start()
    platform.hang_after_delivery = True  # the process dies right after the platform got it
    await clock.set(OPENS)
    await platform.hanging.wait()
    await one.stop()
    platform.hang_after_delivery = False

    two = Bot(await SqliteStore.open(tmp_path / "club.db"), clock, platform, tmp_path)
    try:
        await two.start()
        await two.run_until(OPENS + timedelta(minutes=3))  # the first lease has expired
        assert platform.calls == ["reminder-1", "reminder-1"]  # delivered again, same key
        assert titles(platform) == [(OPENS, "Club night Fri 2 Oct: poll #1 is open")]
        assert "There is no poll #2" in await two.say("poll show #2")  # one poll, not two
        assert [r.state for r in await two.reminders() if r.kind is ReminderKind.NIGHT_POLL_OPEN] == [
            ReminderState.SENT,
            ReminderState.PENDING,  # the next night's
        ]
    finally:
        await two.stop()


async def test_an_organizer_closing_the_nights_poll_early_schedules_its_film_at_once(bot: Bot) -> None:
    await bot.start()
    await bot.say(SCHEDULE)
    await bot.run_until(OPENS)
    await bot.say("alice> vote Fire of Love")
    closed = await bot.say("poll close #1")
    assert "Fire of Love (2022) is the night's film: watch party #1, Fri 02 Oct 2026 20:00 CEST." in closed
    await bot.run_until(CLOSES + timedelta(minutes=1))
    assert len(await bot.parties()) == 1  # the closing step, due later, does not schedule it again
    assert [t for _, t in titles(bot.platform)] == [
        "Club night Fri 2 Oct: poll #1 is open",
        "Reminder: Fire of Love (2022) starts in 1 day",  # the party's own, as it was scheduled early
    ]


async def test_no_poll_opens_when_a_film_is_already_scheduled_that_night(bot: Bot) -> None:
    await bot.start()
    await bot.say(SCHEDULE)
    await bot.say("party schedule Navalny 2026-10-02 19:00")
    await bot.say("bob> rsvp night maybe")
    await bot.run_until(OPENS)
    told = bot.platform.shown[-1]
    assert told.title == "Club night Fri 2 Oct: Watch party #1: Navalny (2022)"
    assert "A film is already scheduled that night, so no poll opens." in told.text
    assert "Maybe (1): bob" in told.text
    assert "This club has no polls yet." in await bot.say("poll show")


async def test_rsvp_night_holds_for_every_night_until_a_member_answers_one_night_otherwise(bot: Bot) -> None:
    await bot.start()
    await bot.say(SCHEDULE)
    assert "You're going to every club night #1" in await bot.say("alice> rsvp night yes")
    await bot.run_until(OPENS)
    await bot.say("alice> vote Navalny")
    await bot.run_until(CLOSES)
    assert "You can't make watch party #1" in await bot.say("alice> rsvp #1 no")
    await bot.run_until(datetime(2026, 10, 30, 19, 0, tzinfo=UTC))  # the November poll opens
    await bot.say("bob> vote Honeyland")
    await bot.run_until(datetime(2026, 11, 5, 19, 0, tzinfo=UTC))  # and closes
    second = await bot.say("party show #2")
    assert "Going (1): alice" in second
    assert "Can't make it (1): alice" in await bot.say("party show #1")
    out = await bot.say("alice> rsvp night no")
    assert "That holds for watch party #2 too." in out
    assert "Can't make it (1): alice" in await bot.say("party show #2")


async def test_skipping_the_next_night_plans_the_one_after(bot: Bot) -> None:
    await bot.start()
    await bot.say(SCHEDULE)
    await bot.say("alice> rsvp night yes")
    out = await bot.say("night skip 2 oct")
    assert "Skipped: the club night of Fri 2 Oct" in out
    assert "The next one: Fri 06 Nov 2026 20:00 CET." in out
    pending = [(r.kind, r.due_at) for r in await bot.reminders() if r.state is ReminderState.PENDING]
    assert pending == [(ReminderKind.NIGHT_POLL_OPEN, datetime(2026, 10, 30, 19, 0, tzinfo=UTC))]
    await bot.run_until(CLOSES)
    assert bot.platform.shown == []


async def test_skipping_a_night_with_its_film_chosen_cancels_the_party_and_tells_who_was_coming(bot: Bot) -> None:
    await bot.start()
    await bot.say(SCHEDULE)
    await bot.say("alice> rsvp night yes")
    await bot.run_until(OPENS)
    await bot.say("bob> vote Honeyland")
    await bot.run_until(CLOSES)
    reply = await bot.app.nights.skip(bot.session.key, _owner(), None, "2 oct")
    assert [u.user_id for u in reply.notify] == ["alice"]
    assert (await bot.parties())[0].status.value == "cancelled"
    await bot.run_until(NIGHT + timedelta(hours=3))
    assert bot.platform.shown[-1].title == "Club night Fri 2 Oct: Honeyland (2019) won poll #1"


async def test_moving_a_night_moves_its_poll_and_later_its_party(bot: Bot) -> None:
    await bot.start()
    await bot.say(SCHEDULE)
    out = await bot.say("night move 2 oct sat 3 oct 20:00")
    assert "Was Fri 02 Oct 2026 20:00 CEST; now Sat 03 Oct 2026 20:00 CEST." in out
    assert "Its poll opens Sat 26 Sep 2026 20:00 CEST." in out
    await bot.run_until(OPENS + timedelta(days=1))
    assert titles(bot.platform) == [(OPENS + timedelta(days=1), "Club night Sat 3 Oct: poll #1 is open")]
    await bot.say("bob> vote Honeyland")
    await bot.run_until(CLOSES + timedelta(days=1))
    moved = await bot.say("night move 3 oct sun 4 oct 18:00")
    assert "Its watch party #1 moves with it" in moved
    assert (await bot.parties())[0].starts_at == datetime(2026, 10, 4, 16, 0, tzinfo=UTC)


async def test_a_skip_and_a_move_hold_when_the_nights_time_is_edited(bot: Bot) -> None:
    await bot.say(SCHEDULE)
    await bot.say("night skip 2 oct")
    await bot.say("night move 6 nov sat 7 nov 20:00")
    out = await bot.say("night edit 21:00 --where #cinema-2")
    assert "  Fri 02 Oct 2026 20:00 CEST — skipped" in out
    assert "  Sat 07 Nov 2026 20:00 CET — film by poll, opening Sat 31 Oct 2026 20:00 CET (moved from Fri 6 Nov)" in out
    assert "  Fri 04 Dec 2026 21:00 CET — film by poll" in out
    assert "Where: #cinema-2" in out
    pending = [(r.kind, r.due_at) for r in await bot.reminders() if r.state is ReminderState.PENDING]
    assert pending == [(ReminderKind.NIGHT_POLL_OPEN, datetime(2026, 10, 31, 19, 0, tzinfo=UTC))]


async def test_a_new_rule_forgets_the_old_rules_planned_nights(bot: Bot) -> None:
    await bot.say(SCHEDULE)
    await bot.say("night move 2 oct sat 3 oct 20:00")
    out = await bot.say("night edit last sunday")
    assert "Changed: Club night #1: the last Sunday of every month, 20:00" in out
    assert "Sun 27 Sep 2026 20:00 CEST — film by poll, opening Sun 20 Sep 2026 20:00 CEST" in out
    assert "moved from" not in out


async def test_cancelling_a_night_keeps_its_scheduled_parties_and_stops_the_cycle(bot: Bot) -> None:
    await bot.start()
    await bot.say(SCHEDULE)
    await bot.run_until(OPENS)
    await bot.say("bob> vote Honeyland")
    await bot.run_until(CLOSES)
    out = await bot.say("night cancel")
    assert "Watch parties already scheduled stay (#1); cancel one with: party cancel #1" in out
    pending = [r.kind for r in await bot.reminders() if r.state is ReminderState.PENDING]
    assert ReminderKind.NIGHT_POLL_OPEN not in pending and ReminderKind.PARTY_AFTER in pending
    await bot.run_until(datetime(2026, 11, 7, tzinfo=UTC))
    assert not any("poll #2" in t for _, t in titles(bot.platform))


async def test_a_restored_backup_carries_the_night_on(bot: Bot, tmp_path: Path) -> None:
    await bot.start()
    await bot.say(SCHEDULE)
    await bot.say("alice> rsvp night yes")
    await bot.run_until(OPENS)
    out = await bot.say("export json")
    backup = tmp_path / out.rsplit("Saved ", 1)[1].split(" ", 1)[0]
    data = json.loads(backup.read_text())
    assert [s["kind"] for s in data["night_steps"]] == ["night_poll_close", "night_poll_open"]
    assert [o["state"] for o in data["night_occurrences"]] == ["poll_open", "planned"]
    await bot.say("night cancel")
    assert "Imported the backup" in await bot.say(f"import {backup}")
    await bot.say("bob> vote Navalny")
    await bot.run_until(CLOSES)
    assert bot.platform.shown[-1].title == "Club night Fri 2 Oct: Navalny (2022) won poll #1"
    assert "Going (1): alice" in bot.platform.shown[-1].text


async def test_a_backup_from_before_club_nights_still_imports(bot: Bot, tmp_path: Path) -> None:
    out = await bot.say("export json")
    backup = tmp_path / out.rsplit("Saved ", 1)[1].split(" ", 1)[0]
    data = json.loads(backup.read_text())
    for key in ("nights", "night_occurrences", "night_rsvps", "night_steps"):
        del data[key]
    backup.write_text(json.dumps(data))
    assert "Imported the backup" in await bot.say(f"import {backup}")


async def test_night_ics_writes_the_nights_calendar_file(bot: Bot, tmp_path: Path) -> None:
    await bot.say(SCHEDULE)
    await bot.say("night skip 6 nov")
    out = await bot.say("night ics")
    assert out.endswith("Saved docclub-night-1.ics (" + out.rsplit("(", 1)[1])
    text = (tmp_path / "docclub-night-1.ics").read_text()
    assert "SUMMARY:Club night — film by poll" in text
    assert "RRULE:FREQ=MONTHLY;BYDAY=1FR" in text
    assert "EXDATE;TZID=Europe/Berlin:20261106T200000" in text
    assert "BEGIN:VTIMEZONE" in text


def _owner() -> Any:
    from docclub.console import OWNER

    return OWNER


# ---- several processes on PostgreSQL ----




@pytest.mark.postgresql
async def test_two_processes_run_one_nights_cycle_once(pg_url: str, tmp_path: Path) -> None:
    from docclub.storage.postgresql import PostgresStore

    clock = FakeClock(START)
    platform = Platform(clock)
    one = Bot(await PostgresStore.open(pg_url), clock, platform, tmp_path)
    two = Bot(await PostgresStore.open(pg_url), clock, platform, tmp_path)
    bots = (one, two)
    try:
        await set_up(one)
        await one.say(SCHEDULE)
        for b in bots:
            await b.start()

        async def run_both_until(target: datetime) -> None:
            while True:
                for b in bots:
                    await b.scheduler.wait_idle()
                due = [t for t in (b.scheduler.sleeping_until for b in bots) if t is not None]
                if not due or min(due) > target:
                    break
                await clock.set(min(due))

        await run_both_until(OPENS)
        await one.say("alice> vote Navalny")
        await run_both_until(NIGHT + timedelta(hours=3))
        assert platform.calls == [s.key for s in platform.shown]  # no step or reminder twice
        assert [s.title for s in platform.shown] == [
            "Club night Fri 2 Oct: poll #1 is open",
            "Club night Fri 2 Oct: Navalny (2022) won poll #1",
            "Reminder: Navalny (2022) starts in 1 h",
            "Navalny (2022) starts now!",
            "Thanks for watching Navalny (2022)!",
        ]
        club = await one.app.club(one.session.key)
        occurrences = await one.store.read(lambda tx: tx.nights.occurrences(club.id, 1))
        assert [o.state for o in occurrences] == [OccurrenceState.SCHEDULED, OccurrenceState.PLANNED]
        assert one.scheduler.stats.sent + two.scheduler.stats.sent == 5
        assert one.scheduler.stats.sent > 0 or two.scheduler.stats.sent > 0
    finally:
        for b in bots:
            await b.stop()
