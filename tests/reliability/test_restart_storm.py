"""Restart storm: the bot goes down 50 times while a club's reminders come due, sometimes in
the middle of a delivery, sometimes for minutes, sometimes for hours. Each reminder is
delivered as the scheduler promises: at least once and always under the same key (so a
platform that dedupes by key shows it once). A reminder of a party that has not started yet
goes out however late, unless a later reminder of the same party (and member) is already due;
every other reminder goes out at most the grace window late, or is dropped."""

from __future__ import annotations

import asyncio
import os
import random
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from docclub.core.clubs import Docclub
from docclub.core.models import Actor, ClubKey, NewFilm
from docclub.core.ports import ClubTx
from docclub.core.replies import Reply
from docclub.scheduler import Scheduler, SchedulerConfig
from docclub.storage.sql import dt, ts
from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock
from docclub.testing.clock import settle
from tests.conftest import Stores

KEY = ClubKey("storm", "club")
ORGANIZER = Actor("storm", "organizer", "Organizer", is_organizer=True)
RESTARTS = 50
PARTIES = 90
GRACE = timedelta(minutes=15)
CONFIG = SchedulerConfig(grace=GRACE, lease=timedelta(minutes=2))


class LoggingNotifier:
    """Records every delivery with its key and the club's time. Told to, it 'dies' inside a
    delivery: the message went out, the process never got to mark it sent."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.log: list[tuple[str, datetime]] = []
        self.die_after: int | None = None
        self.died = asyncio.Event()

    async def announce(self, club: ClubKey, channel: str | None, reply: Reply, *, key: str) -> None:
        await self._deliver(key)

    async def direct(self, club: ClubKey, user_id: str, reply: Reply, *, key: str) -> None:
        await self._deliver(key)

    async def _deliver(self, key: str) -> None:
        self.log.append((key, self.clock.now()))
        if self.die_after is not None:
            self.die_after -= 1
            if self.die_after == 0:
                self.die_after = None
                self.died.set()
                await asyncio.get_running_loop().create_future()  # hangs until the 'crash' cancels it


async def count(store: SqliteStore, sql: str, *args: object) -> int:
    row = await store.read(lambda tx: tx.conn.fetchone(sql, args))
    return int(row[0]) if row else 0


async def quiesce(store: SqliteStore, clock: FakeClock, notifier: LoggingNotifier, began: datetime) -> None:
    """Wait (real time, bounded) until this process's scheduler has handled everything due now.

    A claim of this process has a lease ending at least `lease` after it started; a claim
    left by a killed process ends before that, and is nobody's work until its lease runs out."""
    ours_from = ts(began + CONFIG.lease)
    for _ in range(3000):  # a bound on waiting for a loaded machine, not a timing assertion
        await settle()
        now = ts(clock.now())
        due = await count(store, "SELECT COUNT(*) FROM reminders WHERE (state = 'pending' AND due_at <= ?) "
                                 "OR (state = 'claimed' AND lease_until <= ?)", now, now)
        in_flight = await count(store, "SELECT COUNT(*) FROM reminders WHERE state = 'claimed' "
                                       "AND lease_until >= ?", ours_from)
        if due == 0 and in_flight == (1 if notifier.died.is_set() else 0):
            return
    raise AssertionError("the scheduler did not catch up with what was due")


async def plan_club(path: Path, clock: FakeClock, rng: random.Random) -> None:
    """90 watch parties 40 minutes apart, default reminders (24 h, 1 h, at the start, after),
    and members asking for their own direct-message reminder 2 hours before some of them."""
    async with await SqliteStore.open(path) as store:
        app = Docclub(store, clock)
        start = clock.now() + timedelta(hours=3)
        for p in range(PARTIES):
            title = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(12)).capitalize()
            await app.films.suggest(KEY, ORGANIZER, NewFilm(title))
            when = start + timedelta(minutes=40 * p)
            await app.parties.schedule(KEY, ORGANIZER, f"#{p + 1}", when.strftime("%Y-%m-%d %H:%M"))
            if p % 3 == 0:
                await app.parties.rsvp(KEY, Actor("storm", f"m{p}", f"Member {p}"), f"#{p + 1}", "yes", remind="2h")


@pytest.mark.slow
async def test_fifty_restarts_deliver_each_reminder_once_per_key_within_grace(
        tmp_path: Path, figures: Callable[..., None], stores: Stores) -> None:
    """50 restarts (some mid-delivery, some down for hours) while ~400 reminders come due."""
    seed = int(os.environ.get("DOCCLUB_STORM_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    clock = FakeClock()
    path = tmp_path / "storm.db"
    await plan_club(path, clock, rng)
    notifier = LoggingNotifier(clock)
    horizon = clock.now() + timedelta(hours=3, minutes=40 * PARTIES + 180)
    phases: list[tuple[datetime, datetime]] = []
    skipped = mid_delivery_deaths = long_outages = 0

    for restart in range(RESTARTS + 1):
        store = await stores.sqlite(path)
        scheduler = Scheduler(Docclub(store, clock), store, clock, {"storm": notifier}, CONFIG)
        began = clock.now()
        task = asyncio.create_task(scheduler.run())
        await quiesce(store, clock, notifier, began)
        last = restart == RESTARTS
        until = horizon if last else began + timedelta(minutes=rng.uniform(10, 90))
        if not last and rng.random() < 0.4:
            notifier.die_after = rng.randint(1, 4)
        while clock.now() < until and not notifier.died.is_set():
            nxt = await store.read(lambda tx: tx.reminders.next_due_at())
            step = min(nxt, until) if nxt is not None and nxt > clock.now() else until
            # Move time only once the loop sleeps: a loop still reading its next due time when
            # the clock jumps would sleep from the new time and oversleep what fell due.
            idle, died = asyncio.ensure_future(scheduler.wait_idle()), asyncio.ensure_future(notifier.died.wait())
            await asyncio.wait({idle, died}, timeout=30, return_when=asyncio.FIRST_COMPLETED)
            idle.cancel()
            died.cancel()
            if notifier.died.is_set():
                break
            await clock.set(step)
            await quiesce(store, clock, notifier, began)
        phases.append((began, clock.now()))
        mid_delivery_deaths += notifier.died.is_set()
        # The crash: the loop dies wherever it is; nothing gets to finish what it started.
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        skipped += scheduler.stats.skipped
        await store.close()
        notifier.died.clear()
        notifier.die_after = None
        if not last:
            if rng.random() < 0.5:
                down = timedelta(minutes=rng.uniform(0, 10))
            else:
                down = timedelta(minutes=rng.uniform(20, 180))
                long_outages += 1
            await clock.advance(down.total_seconds())

    async def all_reminders(tx: ClubTx) -> list[tuple[int, str, int, str, int | None, str | None, int]]:
        rows = await tx.conn.fetchall(  # type: ignore[attr-defined]
            "SELECT id, kind, due_at, state, offset_minutes, user_id, target_id FROM reminders WHERE target_id > 0")
        return [tuple(r) for r in rows]

    async with await SqliteStore.open(path) as store:
        rows = await store.read(all_reminders)
    before_start = ("party_before", "party_dm")

    def covered(rid: int, kind: str, due: int, offset: int | None, user: str | None, target: int,
                restart_at: datetime) -> bool:
        """A later reminder of the same party and member was due by the restart."""
        return kind in before_start and any(
            o_kind == kind and o_target == target and o_user == user and (o_offset or 0) < (offset or 0)
            and due < o_due <= ts(restart_at)
            for o_id, o_kind, o_due, _, o_offset, o_user, o_target in rows if o_id != rid)

    def expected_delivered(rid: int, kind: str, due_ms: int, offset: int | None, user: str | None,
                           target: int) -> bool:
        due = dt(due_ms)
        if any(began <= due <= ended for began, ended in phases):
            return True  # due while the bot was up: sent on time
        restart_at = min(began for began, _ in phases if began > due)
        if covered(rid, kind, due_ms, offset, user, target, restart_at):
            return False
        if kind in before_start and due + timedelta(minutes=offset or 0) > restart_at:
            return True  # the party has not started: sent at restart, saying the time left
        return restart_at - due <= GRACE  # otherwise sent at restart only if not too late

    delivered_keys = {key for key, _ in notifier.log}
    due_of = {f"reminder-{rid}": dt(due) for rid, _, due, _, _, _, _ in rows}
    starts_of = {f"reminder-{rid}": dt(due) + timedelta(minutes=offset or 0)
                 for rid, kind, due, _, offset, _, _ in rows if kind in before_start}
    expected = {f"reminder-{rid}" for rid, kind, due, _, offset, user, target in rows
                if expected_delivered(rid, kind, due, offset, user, target)}
    # How late each delivery was, except reminders that went out late but before their party.
    lateness = [at - due_of[key] for key, at in notifier.log if not at < starts_of.get(key, at)]
    caught_up = sum(1 for key, at in notifier.log if at - due_of[key] > GRACE and at < starts_of.get(key, at))

    assert skipped == 0
    assert {state for _, _, _, state, _, _, _ in rows} <= {"sent", "dropped"}, "a reminder was left behind"
    assert delivered_keys <= set(due_of), "a delivery under a key no reminder has"
    assert sorted(expected - delivered_keys) == [], f"reminders lost (seed {seed})"
    assert sorted(delivered_keys - expected) == [], f"reminders sent that should not be (seed {seed})"
    assert max(lateness) <= GRACE, f"a delivery {max(lateness)} late (seed {seed})"
    identities = [(kind, due, offset, user) for rid, kind, due, _, offset, user, _ in rows
                  if f"reminder-{rid}" in delivered_keys]
    assert len(identities) == len(set(identities)), "one reminder was delivered under two keys"
    figures(restarts=RESTARTS, seed=seed, deaths_mid_delivery=mid_delivery_deaths,
            outages_longer_than_grace=long_outages, reminders=len(rows), delivered=len(delivered_keys),
            dropped_as_late_or_covered=len(rows) - len(delivered_keys), sent_late_before_the_party=caught_up,
            repeat_deliveries_same_key=len(notifier.log) - len(delivered_keys),
            max_lateness_s=round(max(lateness).total_seconds()), grace_s=int(GRACE.total_seconds()),
            simulated_hours=round((clock.now() - phases[0][0]).total_seconds() / 3600))
