"""Reminder benchmarks on a real clock (SystemClock) and a real SQLite file:

1. lateness: 10,000 reminders (1,000 with --quick) fall due evenly across the next minute
   (10 s with --quick); the scheduler's own loop claims, builds and delivers each one through a
   counting notifier. Lateness is delivery time minus due time. Baseline: the same due times
   as bare asyncio timers (`loop.call_at`) in the same process, i.e. the event loop's own floor
   (the first 10 s of them: same spacing, less waiting).
2. idle: with nothing due for days, the scheduler's wake-ups and the process's CPU time over a
   few seconds. Baseline: a loop that polls the store once a second for due reminders, the
   design the scheduler avoids.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from benchmarks import Figure, figure, percentile
from docclub.clock import SystemClock
from docclub.core.clubs import Docclub
from docclub.core.models import Actor, ClubKey, NewFilm, NewReminder, ReminderKind
from docclub.core.replies import Reply
from docclub.scheduler import Scheduler
from docclub.storage.sqlite import SqliteStore

LATENESS = "Reminders: delivery lateness on a real clock (SQLite file)"
IDLE = "Reminders: scheduler while nothing is due"

KEY = ClubKey("bench", "club")
ORGANIZER = Actor("bench", "organizer", "Organizer", is_organizer=True)
PARTIES = 20
GAP_HOURS = 3  # longer than a party's default 2 hours, so no two of them overlap
LEAD_S = 3.0  # the first reminder falls due this long after the scheduler starts
FLOOR_S = 10.0  # the timer baseline runs the first this many seconds of the same due times


class CountingNotifier:
    """Records when each reminder key arrived (wall clock) and how often."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.repeats = 0
        self.all_in = asyncio.Event()
        self.expected = 0

    async def announce(self, club: ClubKey, channel: str | None, reply: Reply, *, key: str) -> None:
        self._arrive(key)

    async def direct(self, club: ClubKey, user_id: str, reply: Reply, *, key: str) -> None:
        self._arrive(key)

    def _arrive(self, key: str) -> None:
        if key in self.arrived:
            self.repeats += 1
            return
        self.arrived[key] = time.time()
        if len(self.arrived) >= self.expected:
            self.all_in.set()


async def _club(app: Docclub, store: SqliteStore) -> list[int]:
    """A club with PARTIES watch parties a week ahead, GAP_HOURS apart (a film's parties may not
    overlap unless `--again` says so); returns their ids."""
    await app.settings.set(KEY, ORGANIZER, "timezone", "Europe/Berlin")
    await app.films.suggest(KEY, ORGANIZER, NewFilm(title="Beyond Utopia", year=2023, warnings=("torture",)))
    for i in range(PARTIES):
        await app.parties.schedule(KEY, ORGANIZER, "#1", f"in {7 * 24 + GAP_HOURS * i} hours", where="#watch-party")
    club = await app.club(KEY)
    return [p.id for p in await store.read(lambda tx: tx.parties.list(club.id))]


async def _timer_floor(due: list[float]) -> list[float]:
    """Lateness (s) of bare asyncio timers at the same wall-clock offsets: the loop's floor."""
    loop = asyncio.get_running_loop()
    late: list[float] = []
    done = asyncio.Event()
    shift = time.time() + LEAD_S - due[0]  # the same spacing, starting LEAD_S from now

    def fire(at: float) -> None:
        late.append(time.time() - at)
        if len(late) == len(due):
            done.set()

    for d in due:
        at = d + shift
        loop.call_at(loop.time() + (at - time.time()), fire, at)
    await done.wait()
    return late


async def _lateness(path: Path, count: int, spread_s: float) -> tuple[list[Figure], Scheduler, SqliteStore]:
    store = await SqliteStore.open(path)
    clock = SystemClock()
    app = Docclub(store, clock)
    party_ids = await _club(app, store)
    notifier = CountingNotifier()
    notifier.expected = count
    scheduler = Scheduler(app, store, clock, {"bench": notifier})
    club = await app.club(KEY)

    start = clock.now() + timedelta(seconds=LEAD_S)
    step = spread_s / count
    rows = [
        NewReminder(
            club.id,
            ReminderKind.PARTY_DM,
            party_ids[i % len(party_ids)],
            start + timedelta(seconds=i * step),
            offset_minutes=60,
            user_id=f"m{i}",
        )
        for i in range(count)
    ]
    await store.write(lambda tx: tx.reminders.add(rows))
    due_by_key = {
        f"reminder-{r.id}": r.due_at.timestamp()
        for r in await store.read(lambda tx: tx.reminders.list(club.id))
        if r.kind is ReminderKind.PARTY_DM
    }

    cpu0 = time.process_time()
    task = asyncio.create_task(scheduler.run(), name="bench-scheduler")
    with contextlib.suppress(TimeoutError):  # reported as missing below
        await asyncio.wait_for(notifier.all_in.wait(), timeout=LEAD_S + spread_s + 120)
    cpu_burst = time.process_time() - cpu0
    late = [notifier.arrived[k] - due for k, due in due_by_key.items() if k in notifier.arrived]
    # The floor needs the same spacing, not the same length: its first FLOOR_S seconds suffice.
    floor = await _timer_floor(sorted(due_by_key.values())[: max(1, round(count * min(1.0, FLOOR_S / spread_s)))])

    missing = count - len(late)
    group = f"{LATENESS}: {count:,} due across {spread_s:g} s"
    floor_name = "bare asyncio timers at the same due times"
    note = f"{len(late):,} delivered, {missing} missing, {notifier.repeats} repeated"
    figures = [
        figure(
            group,
            "lateness p50",
            round(percentile(late, 50) * 1000, 1),
            "ms",
            baseline=round(percentile(floor, 50) * 1000, 2),
            baseline_name=floor_name,
            note=note,
        ),
        figure(
            group,
            "lateness p99",
            round(percentile(late, 99) * 1000, 1),
            "ms",
            baseline=round(percentile(floor, 99) * 1000, 2),
            baseline_name=floor_name,
            target="< 1000 ms",
            met=percentile(late, 99) < 1.0 and missing == 0 and notifier.repeats == 0,
        ),
        figure(
            group,
            "lateness max",
            round(max(late, default=0.0) * 1000, 1),
            "ms",
            baseline=round(max(floor, default=0.0) * 1000, 2),
            baseline_name=floor_name,
        ),
        figure(
            group,
            "CPU per reminder",
            round(cpu_burst / max(1, len(late)) * 1000, 3),
            "ms",
            note="process CPU (loop + SQLite threads) from start to the last delivery, per reminder; "
            f"wake-ups meanwhile: {scheduler.stats.wakeups:,}",
        ),
    ]
    scheduler.stop()
    await task
    return figures, scheduler, store


async def _idle(store: SqliteStore, seconds: float) -> list[Figure]:
    """The scheduler with nothing due for days, next to a once-a-second poller of the store."""
    clock = SystemClock()
    app = Docclub(store, clock)
    scheduler = Scheduler(app, store, clock, {"bench": CountingNotifier()})
    task = asyncio.create_task(scheduler.run(), name="bench-idle-scheduler")
    await scheduler.wait_idle()
    sleeping_until = scheduler.sleeping_until
    wakeups0, cpu0 = scheduler.stats.wakeups, time.process_time()
    await asyncio.sleep(seconds)
    wakeups, cpu = scheduler.stats.wakeups - wakeups0, time.process_time() - cpu0
    scheduler.stop()
    await task

    polls = 0

    async def poller() -> None:
        nonlocal polls
        while True:
            await store.read(lambda tx: tx.reminders.next_due_at(["bench"]))
            polls += 1
            await asyncio.sleep(1.0)

    cpu1 = time.process_time()
    poll_task = asyncio.create_task(poller())
    await asyncio.sleep(seconds)
    poll_cpu = time.process_time() - cpu1
    poll_task.cancel()
    polls_seen = polls

    ahead = "" if sleeping_until is None else f"; asleep until the next reminder, {sleeping_until:%Y-%m-%d %H:%M} UTC"
    group = f"{IDLE} ({seconds:g} s)"
    base_name = "polling the store once a second"
    return [
        figure(
            group,
            "wake-ups",
            wakeups,
            "",
            baseline=polls_seen,
            baseline_name=base_name,
            target="0",
            met=wakeups == 0,
            note=f"counted by the loop (stats.wakeups){ahead}",
        ),
        figure(
            group,
            "CPU time",
            round(cpu * 1000, 2),
            "ms",
            baseline=round(poll_cpu * 1000, 2),
            baseline_name=base_name,
            note="process CPU over the idle period (time.process_time)",
        ),
    ]


async def run(quick: bool) -> list[Figure]:
    """The figures: lateness of `count` reminders due across `spread` seconds, then idle cost."""
    logging.getLogger("docclub").setLevel(logging.ERROR)
    count, spread, idle_s = (1_000, 10.0, 3.0) if quick else (10_000, 60.0, 5.0)
    with tempfile.TemporaryDirectory(prefix="docclub-bench-reminders-") as tmp:
        figures, _, store = await _lateness(Path(tmp) / "club.db", count, spread)
        try:
            figures += await _idle(store, idle_s)
        finally:
            await store.close()
    return figures


def _main() -> None:  # python -m benchmarks.reminders [--quick]
    import sys

    for f in asyncio.run(run("--quick" in sys.argv)):
        print(f"{f['name']:20} {f['value']!s:>10} {f['unit']:4} baseline {f['baseline']} {f['target']} {f['note']}")


if __name__ == "__main__":
    _main()


__all__ = ["run"]
