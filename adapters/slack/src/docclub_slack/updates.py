"""Coalesced edits of poll and party messages: at most one `chat.update` per message every 2 s.

A vote asks for its poll's messages to be refreshed. The first request in a quiet period edits
at once; requests within the next 2 s (by the runtime clock) are folded into one edit at the
end of the period, which shows the latest standings. Slack allows about one message a second
per channel, so a busy poll never floods it. On stop, refreshes still waiting run at once
(bounded by `flush_seconds`), so a poll closed just before shows as closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from docclub.core.ports import Clock

__all__ = ["Coalescer"]

log = logging.getLogger("docclub.slack")
Subject = tuple[str, str, int]  # (workspace, "poll" | "party", id)


class Coalescer:
    """Runs `refresh(subject)` at most once per `interval` per subject, never dropping the last request."""

    def __init__(
        self,
        clock: Clock,
        refresh: Callable[[Subject], Awaitable[None]],
        interval: timedelta = timedelta(seconds=2),
        *,
        flush_seconds: float = 5.0,
    ) -> None:
        self.clock = clock
        self.refresh = refresh
        self.interval = interval
        self.flush_seconds = flush_seconds
        self._last: dict[Subject, datetime] = {}
        self._pending: dict[Subject, asyncio.Task[None]] = {}  # refreshes waiting for their interval
        self._tasks: set[asyncio.Task[None]] = set()  # every later refresh not finished yet

    def waiting(self, subject: Subject) -> bool:
        """Whether a refresh of `subject` is already due at the end of its interval (a request
        now would change nothing)."""
        return subject in self._pending

    async def request(self, subject: Subject) -> None:
        """Refresh now if the subject was not refreshed in the last interval, else once later."""
        if subject in self._pending:
            return  # a refresh is already due; it will show this change too
        now = self.clock.now()
        last = self._last.get(subject)
        if last is None or now - last >= self.interval:
            self._last[subject] = now
            await self._run(subject)
            return
        wait = (last + self.interval - now).total_seconds()
        task = asyncio.ensure_future(self._later(subject, wait))
        self._pending[subject] = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _later(self, subject: Subject, wait: float) -> None:
        try:
            await self.clock.sleep(wait)
        finally:
            self._pending.pop(subject, None)
        self._last[subject] = self.clock.now()
        await self._run(subject)

    async def _run(self, subject: Subject) -> None:
        try:
            await self.refresh(subject)
        except Exception:
            log.exception("refreshing the %s #%s message failed", subject[1], subject[2])

    async def close(self) -> None:
        """Run the refreshes still waiting for their interval now, for at most `flush_seconds`."""
        waiting = list(self._pending)
        for task in list(self._pending.values()):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._pending.clear()
        running = list(self._tasks)
        try:
            async with asyncio.timeout(self.flush_seconds):
                if running:
                    await asyncio.gather(*running, return_exceptions=True)
                for subject in waiting:
                    await self._run(subject)
        except TimeoutError:
            log.warning("stopped before every message was updated (%d waiting)", len(waiting))
