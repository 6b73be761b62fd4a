"""Work after the acknowledgement: Slack wants its answer within 3 s, so whatever is left to do
(posting a card, a button's answer, a modal's result) runs as a task of its own."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import Any

__all__ = ["Background"]

log = logging.getLogger("docclub.slack")


class Background:
    """The tasks spawned after acknowledgements; their failures are logged, never lost silently."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Slack work after the acknowledgement failed", exc_info=task.exception())

    async def settled(self) -> None:
        """Until every spawned task is done, including those spawned meanwhile."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def cancel(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*list(self._tasks), return_exceptions=True)
