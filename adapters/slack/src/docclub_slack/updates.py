"""Coalesced edits of poll and party messages: at most one `chat.update` per message every 2 s.

A vote asks for its poll's messages to be refreshed. The first request in a quiet period edits
at once; requests within the next 2 s (by the runtime clock) are folded into one edit at the
end of the period, which shows the latest standings. Slack allows about one message a second
per channel, so a busy poll never floods it.
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
        self, clock: Clock, refresh: Callable[[Subject], Awaitable[None]], interval: timedelta = timedelta(seconds=2)
    ) -> None:
        self.clock = clock
        self.refresh = refresh
        self.interval = interval
        self._last: dict[Subject, datetime] = {}
        self._pending: dict[Subject, asyncio.Task[None]] = {}

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
        self._pending[subject] = asyncio.ensure_future(self._later(subject, wait))

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
        for task in list(self._pending.values()):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._pending.clear()
