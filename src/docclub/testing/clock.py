"""FakeClock: time that moves only when a test says so."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from datetime import UTC, datetime, timedelta


class FakeClock:
    """A `Clock` for tests. `sleep` waits until `advance`/`set` moves time past its deadline."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
        self._sleepers: list[tuple[datetime, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def now(self) -> datetime:
        return self._now

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self._now + timedelta(seconds=seconds), next(self._seq), fut))
        await fut

    async def advance(self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0) -> None:
        """Move time forward, waking each sleeper in deadline order and letting it run."""
        target = self._now + timedelta(seconds=seconds, minutes=minutes, hours=hours, days=days)
        await self.set(target)

    async def set(self, target: datetime) -> None:
        if target < self._now:
            raise ValueError("a FakeClock does not go backwards")
        while self._sleepers and self._sleepers[0][0] <= target:
            deadline, _, fut = heapq.heappop(self._sleepers)
            self._now = max(self._now, deadline)
            if not fut.done():
                fut.set_result(None)
            await settle()
        self._now = target
        await settle()

    @property
    def sleepers(self) -> int:
        return sum(1 for _, _, f in self._sleepers if not f.done())


async def settle(rounds: int = 50) -> None:
    """Let every ready task run until the loop is quiet (store writes hop through threads)."""
    for _ in range(rounds):
        await asyncio.sleep(0)
    # The SQLite store answers from its threads: give those answers a moment to arrive.
    for _ in range(5):
        await asyncio.sleep(0.001)
        for _ in range(rounds):
            await asyncio.sleep(0)
