"""Durable reminders: one loop sleeps until the earliest due row, claims, delivers, marks.

Delivery is at-least-once with an idempotency key per reminder (`reminder-<id>`): a reminder
is claimed under a lease, delivered through the club platform's `Notifier`, then marked sent.
If the process dies between delivery and marking, the lease expires and the reminder is
delivered again with the same key; Discord drops the repeat (message nonce), the console
notifier drops it by key. A reminder that came due while the bot was down is sent if it is
at most the grace window late, otherwise dropped and logged — except a reminder of a party
that has not started yet, which still goes out, saying the true time left; of several overdue
reminders of one party only the latest goes out. What a dropped reminder stands for still
happens (a poll past its deadline closes, a party that has ended is done). Failures are
retried with backoff a bounded number of times, then recorded as failed; they never block
other reminders.

The loop never polls: with nothing due it sleeps until `wake()` (a committed change that adds
reminders, or a NOTIFY from another process on PostgreSQL). `stats.wakeups` counts how often
it woke; `idle` and `wait_idle()` let tests and benchmarks wait for the loop to be asleep
without sleeping for real.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from docclub import metrics
from docclub.core.clubs import Docclub
from docclub.core.context import Ctx
from docclub.core.models import Actor, Club, PartyStatus, Reminder, ReminderKind, ReminderState
from docclub.core.party_reminders import reminder_superseded
from docclub.core.ports import Clock, ClubStore, ClubTx, DeliveryFailed, Notifier
from docclub.core.reminders import reminder_effects, reminder_message
from docclub.core.replies import Reply

log = logging.getLogger("docclub.scheduler")

SYSTEM = Actor("system", "docclub", "docclub", is_organizer=True)
# Reminder offsets are whole minutes: a reminder less late than this has no later one due yet.
COVER_AFTER = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class SchedulerConfig:
    grace: timedelta = timedelta(minutes=15)
    lease: timedelta = timedelta(minutes=2)
    max_attempts: int = 5
    first_backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(minutes=15)
    batch: int = 200
    concurrency: int = 32


@dataclass(slots=True)
class SchedulerStats:
    sent: int = 0
    dropped: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0
    wakeups: int = 0  # times the loop woke from sleep (a deadline or a wake())


class Scheduler:
    """Delivers due reminders. `run()` is the loop; `wake()` says a nearer reminder may exist."""

    def __init__(
        self,
        app: Docclub,
        store: ClubStore,
        clock: Clock,
        notifiers: Mapping[str, Notifier],
        config: SchedulerConfig | None = None,
    ) -> None:
        self.app = app
        self.store = store
        self.clock = clock
        self.notifiers = dict(notifiers)
        self.config = config or SchedulerConfig()
        self.stats = SchedulerStats()
        self._wake = asyncio.Event()
        self._stopping = False
        self._sem = asyncio.Semaphore(self.config.concurrency)
        # Set while the loop is asleep (until `sleeping_until`, or a wake when None); cleared
        # as soon as it wakes. Tests and benchmarks wait on it instead of sleeping for real.
        self.idle = asyncio.Event()
        self.sleeping_until: datetime | None = None
        app.on_reminders_changed = self.wake

    @property
    def platforms(self) -> list[str]:
        return sorted(self.notifiers)

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def wait_idle(self) -> None:
        """Return once the loop is asleep with nothing due now and no wake pending, i.e. it has
        delivered everything due at the clock's current time. For tests and benchmarks."""
        while True:
            await self.idle.wait()
            if self._stopping:
                return
            due_now = self.sleeping_until is not None and self.sleeping_until <= self.clock.now()
            if not (due_now or self._wake.is_set()):
                return
            await asyncio.sleep(0)  # the loop is about to wake: let it

    async def run(self) -> None:
        """Until stopped: deliver what is due, then sleep until the next due time or a wake."""
        listening = await self._listen()
        try:
            await self._loop()
        finally:
            self.idle.clear()
            if listening:
                self.store.remove_reminder_listener(self._on_store_notice)  # type: ignore[attr-defined]

    async def _listen(self) -> bool:
        """Stores shared by several processes (PostgreSQL) announce reminders others commit."""
        add = getattr(self.store, "add_reminder_listener", None)
        if add is None:
            return False
        try:
            await add(self._on_store_notice)
        except Exception:
            log.exception("could not listen for other processes' reminders; relying on own changes")
            return False
        return True

    def _on_store_notice(self, due: datetime | None) -> None:
        if due is None or self.sleeping_until is None or due < self.sleeping_until:
            self.wake()

    async def _loop(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                delivered = await self.run_due()
            except Exception:
                log.exception("reminder loop failed; retrying shortly")
                delivered = 0
                await self._sleep_or_wake(5.0)
                continue
            if delivered:
                continue
            nxt = await self.store.read(lambda tx: tx.reminders.next_due_at(self.platforms))
            wait = None if nxt is None else max(0.0, (nxt - self.clock.now()).total_seconds())
            if wait == 0.0:
                continue
            await self._sleep_or_wake(wait)

    async def _sleep_or_wake(self, seconds: float | None) -> None:
        tasks: list[asyncio.Future[Any]] = [asyncio.ensure_future(self._wake.wait())]
        if seconds is None:
            self.sleeping_until = None
            self.idle.set()
        else:
            tasks.append(asyncio.ensure_future(self._nap(seconds)))
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            self.stats.wakeups += 1
        finally:
            self.idle.clear()
            self.sleeping_until = None
            for t in tasks:
                if not t.done():
                    t.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await t

    async def _nap(self, seconds: float) -> None:
        # `idle` is set in the same step as the clock registers the sleep, so a test that
        # sees `idle` can move a FakeClock and be sure this sleep notices.
        self.sleeping_until = self.clock.now() + timedelta(seconds=seconds)
        self.idle.set()
        await self.clock.sleep(seconds)

    async def run_due(self) -> int:
        """Claim and deliver everything due now. Returns how many were claimed."""
        now = self.clock.now()
        lease_until = now + self.config.lease
        claimed = await self.store.write(
            lambda tx: tx.reminders.claim_due(now, lease_until, self.config.batch, self.platforms)
        )
        for r in claimed:
            metrics.reminder_claimed(r.kind.value)
        if claimed:
            await asyncio.gather(*(self._deliver(r) for r in claimed))
        return len(claimed)

    async def _deliver(self, reminder: Reminder) -> None:
        async with self._sem:
            try:
                await self._deliver_one(reminder)
            except Exception:
                log.exception("reminder %s could not be handled", reminder.id)

    async def _deliver_one(self, r: Reminder) -> None:
        now = self.clock.now()
        # On time (the common case) nothing can cover a reminder: a later one of the same party
        # is due at least a minute after it. Only a late one needs the look at its party.
        outlook = "other"
        if r.kind in (ReminderKind.NIGHT_POLL_OPEN, ReminderKind.NIGHT_POLL_CLOSE):
            outlook = "upcoming"  # a club night's step is never dropped: the cycle must go on
        elif now - r.due_at > min(COVER_AFTER, self.config.grace):
            outlook = await self.store.read(lambda tx: self._outlook(tx, r, now))
        # A retry's due time is when it was rescheduled, so only downtime makes anything late.
        # A reminder of a party that has not started is still worth sending however late (it
        # says the true time left), unless a later reminder of the same party covers it.
        late = now - r.due_at > self.config.grace
        if outlook == "superseded" or (late and outlook != "upcoming"):
            why = (
                "a later reminder of the same party covers it"
                if outlook == "superseded"
                else f"{now - r.due_at} late, beyond the {self.config.grace} grace window"
            )
            log.warning("dropped reminder %s (%s for #%s): %s", r.id, r.kind.value, r.target_id, why)
            await self.store.write(lambda tx: self._drop(tx, r))
            self.stats.dropped += 1
            metrics.reminder_dropped(r.kind.value, "superseded" if outlook == "superseded" else "late")
            return
        built = await self.store.write(lambda tx: self._message(tx, r, now))
        if built is None:
            await self._finish(r, ReminderState.SENT)  # no longer applies: nothing to say
            self.stats.skipped += 1
            return
        club, reply = built
        notifier = self.notifiers.get(club.key.platform)
        try:
            if notifier is None:
                raise DeliveryFailed(f"no adapter for platform {club.key.platform}")
            key = f"reminder-{r.id}"
            if r.kind is ReminderKind.PARTY_DM and r.user_id:
                await notifier.direct(club.key, r.user_id, reply, key=key)
            else:
                await notifier.announce(club.key, club.config.announce_channel, reply, key=key)
        except Exception as exc:
            attempts = r.attempts + 1
            metrics.reminder_failed(r.kind.value, permanent=isinstance(exc, DeliveryFailed) and exc.permanent)
            if isinstance(exc, DeliveryFailed) and exc.permanent:
                log.warning("reminder %s cannot be delivered, not retrying: %s", r.id, exc)
                await self._finish(r, ReminderState.FAILED)
                self.stats.failed += 1
                return
            if attempts >= self.config.max_attempts:
                log.error("reminder %s failed %d times, giving up: %s", r.id, attempts, exc)
                await self._finish(r, ReminderState.FAILED)
                self.stats.failed += 1
                return
            backoff = min(self.config.first_backoff * (2 ** (attempts - 1)), self.config.max_backoff)
            log.warning("reminder %s delivery failed (attempt %d), retrying in %s: %s", r.id, attempts, backoff, exc)
            due = self.clock.now() + backoff
            await self.store.write(lambda tx: tx.reminders.retry(r.id, due, attempts))
            self.stats.retried += 1
            self.wake()
            return
        await self._finish(r, ReminderState.SENT)
        metrics.reminder_sent(r.kind.value, (self.clock.now() - r.due_at).total_seconds())
        self.stats.sent += 1

    async def _outlook(self, tx: ClubTx, r: Reminder, now: datetime) -> str:
        """ "superseded", "upcoming" (a reminder of a party still to start), or "other"."""
        club = await tx.clubs.get_by_id(r.club_id)
        if club is None or r.kind not in (ReminderKind.PARTY_BEFORE, ReminderKind.PARTY_DM):
            return "other"
        c = Ctx(tx, club, SYSTEM, now)
        if await reminder_superseded(c, r):
            return "superseded"
        party = await tx.parties.get(club.id, r.target_id)
        if party is not None and party.status is PartyStatus.SCHEDULED and party.starts_at > now:
            return "upcoming"
        return "other"

    async def _message(self, tx: ClubTx, r: Reminder, now: datetime) -> tuple[Club, Reply] | None:
        club = await tx.clubs.get_by_id(r.club_id)
        if club is None:
            return None
        reply = await reminder_message(Ctx(tx, club, SYSTEM, now), r)
        return None if reply is None else (club, reply)

    async def _drop(self, tx: ClubTx, r: Reminder) -> None:
        """Not sent, but what it stands for still happens (a poll closes, a party ends)."""
        now = self.clock.now()
        club = await tx.clubs.get_by_id(r.club_id)
        if club is not None:
            await reminder_effects(Ctx(tx, club, SYSTEM, now), r)
        await tx.reminders.finish(r.id, ReminderState.DROPPED, now)

    async def _finish(self, r: Reminder, state: ReminderState) -> None:
        at = self.clock.now()
        await self.store.write(lambda tx: tx.reminders.finish(r.id, state, at))
