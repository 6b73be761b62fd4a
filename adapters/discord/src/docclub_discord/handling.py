"""Around every interaction handler: nothing unexpected reaches the member as a traceback, and
whoever waits for an interaction (tests, shutdown) learns when it is fully answered.

Every interaction passes through here, so it is kept cheap: a plain class as the context
manager (not a generator-based one), and an `asyncio.Event` only for an interaction someone
actually waits on; the others leave one dict entry, forgotten after `MAX_REMEMBERED` more.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import secrets
from collections.abc import Awaitable, Callable

from docclub_discord.interaction import Interaction

__all__ = ["MAX_REMEMBERED", "Handled"]

log = logging.getLogger("docclub.discord")

MAX_REMEMBERED = 1000  # answered interactions kept for a `wait` that comes late


class Handled:
    """The interactions being handled: which have their answer out, and who waits for which."""

    def __init__(self, apologise: Callable[[Interaction, str], Awaitable[object]]) -> None:
        self.apologise = apologise  # tell the member something went wrong, with this reference
        self.answered: set[int] = set()  # interactions whose answer is posted (never taken back)
        self._waiters: dict[int, asyncio.Event] = {}
        self._finished: dict[int, None] = {}  # handled lately and nobody waited yet, oldest first

    def around(self, interaction: Interaction) -> contextlib.AbstractAsyncContextManager[None]:
        return _Handling(self, interaction)

    async def wait(self, interaction_id: int) -> None:
        """Until the interaction is fully answered (callers bound it with `asyncio.timeout`)."""
        if self._finished.pop(interaction_id, False) is None:
            return
        await self._waiters.setdefault(interaction_id, asyncio.Event()).wait()

    def done(self, interaction_id: int) -> None:
        self.answered.discard(interaction_id)
        waiter = self._waiters.pop(interaction_id, None)
        if waiter is not None:
            waiter.set()
            return
        self._finished[interaction_id] = None
        if len(self._finished) > MAX_REMEMBERED:
            for old in list(itertools.islice(self._finished, MAX_REMEMBERED // 2)):
                del self._finished[old]


class _Handling(contextlib.AbstractAsyncContextManager[None]):
    __slots__ = ("handled", "interaction")

    def __init__(self, handled: Handled, interaction: Interaction) -> None:
        self.handled = handled
        self.interaction = interaction

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> bool:
        handled, interaction = self.handled, self.interaction
        try:
            if not isinstance(exc, Exception):
                return False
            ref = secrets.token_hex(4)
            if interaction.id in handled.answered:
                # The answer is out and what it did is committed: deleting it or asking the
                # member to try again would invite a duplicate. The error is ours to read.
                log.error("discord interaction failed after it was answered (ref %s)", ref, exc_info=exc)
                return True
            log.error("discord interaction failed (ref %s)", ref, exc_info=exc)
            with contextlib.suppress(Exception):
                await handled.apologise(interaction, ref)
            return True
        finally:
            handled.done(interaction.id)
