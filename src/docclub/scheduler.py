"""Durable reminders: one loop sleeps until the earliest due row, claims, delivers, marks.

Delivery is at-least-once with an idempotency key per reminder (`reminder-<id>`): a reminder
is claimed under a lease, delivered through the club platform's `Notifier`, then marked sent.
If the process dies between delivery and marking, the lease expires and the reminder is
delivered again with the same key; Discord drops the repeat (message nonce), the console
notifier drops it by key. A reminder that came due while the bot was down is sent if it is
at most the grace window late, otherwise dropped and logged. Failures are retried with
backoff a bounded number of times, then recorded as failed; they never block other reminders.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from docclub.core.clubs import Ctx, Docclub
from docclub.core.models import Actor, Club, Reminder, ReminderKind, ReminderState
from docclub.core.ports import Clock, ClubStore, ClubTx, DeliveryFailed, Notifier
from docclub.core.replies import Reply

log = logging.getLogger("docclub.scheduler")

SYSTEM = Actor("system", "docclub", "docclub", is_organizer=True)


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
    wakeups: int = 0


class Scheduler:
    """Delivers due reminders. `run()` is the loop; `wake()` says a nearer reminder may exist."""

    def __init__(self, app: Docclub, store: ClubStore, clock: Clock, notifiers: Mapping[str, Notifier],
                 config: SchedulerConfig | None = None) -> None:
        self.app = app
        self.store = store
        self.clock = clock
        self.notifiers = dict(notifiers)
        self.config = config or SchedulerConfig()
        self.stats = SchedulerStats()
        self._wake = asyncio.Event()
        self._stopping = False
        self._sem = asyncio.Semaphore(self.config.concurrency)
        app.on_reminders_changed = self.wake

    @property
    def platforms(self) -> list[str]:
        return sorted(self.notifiers)

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        """Until stopped: deliver what is due, then sleep until the next due time or a wake."""
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
            nxt = await self.store.read(lambda tx: tx.next_due_at(self.platforms))
            wait = None if nxt is None else max(0.0, (nxt - self.clock.now()).total_seconds())
            if wait == 0.0:
                continue
            await self._sleep_or_wake(wait)

    async def _sleep_or_wake(self, seconds: float | None) -> None:
        self.stats.wakeups += 1
        tasks: list[asyncio.Future[Any]] = [asyncio.ensure_future(self._wake.wait())]
        if seconds is not None:
            tasks.append(asyncio.ensure_future(self.clock.sleep(seconds)))
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for t in tasks:
                if not t.done():
                    t.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await t

    async def run_due(self) -> int:
        """Claim and deliver everything due now. Returns how many were claimed."""
        now = self.clock.now()
        lease_until = now + self.config.lease
        claimed = await self.store.write(
            lambda tx: tx.claim_due(now, lease_until, self.config.batch, self.platforms))
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
        if r.attempts == 0 and now - r.due_at > self.config.grace:
            log.warning("dropped reminder %s (%s for #%s): %s late, beyond the %s grace window",
                        r.id, r.kind.value, r.target_id, now - r.due_at, self.config.grace)
            await self._finish(r, ReminderState.DROPPED)
            self.stats.dropped += 1
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
            if attempts >= self.config.max_attempts:
                log.error("reminder %s failed %d times, giving up: %s", r.id, attempts, exc)
                await self._finish(r, ReminderState.FAILED)
                self.stats.failed += 1
                return
            backoff = min(self.config.first_backoff * (2 ** (attempts - 1)), self.config.max_backoff)
            log.warning("reminder %s delivery failed (attempt %d), retrying in %s: %s", r.id, attempts, backoff, exc)
            due = self.clock.now() + backoff
            await self.store.write(lambda tx: tx.retry_reminder(r.id, due, attempts))
            self.stats.retried += 1
            self.wake()
            return
        await self._finish(r, ReminderState.SENT)
        self.stats.sent += 1

    async def _message(self, tx: ClubTx, r: Reminder, now: datetime) -> tuple[Club, Reply] | None:
        club = await tx.get_club_by_id(r.club_id)
        if club is None:
            return None
        reply = await self.app.parties.reminder_message(Ctx(tx, club, SYSTEM, now), r)
        return None if reply is None else (club, reply)

    async def _finish(self, r: Reminder, state: ReminderState) -> None:
        at = self.clock.now()
        await self.store.write(lambda tx: tx.finish_reminder(r.id, state, at))
