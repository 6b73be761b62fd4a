"""When an interaction is answered in its acknowledgement, and when Discord is first told
"thinking…" (a deferral) and the answer follows through the interaction's webhook.

Discord wants an acknowledgement within 3 seconds of the interaction's creation (its
snowflake, so time spent reaching us counts). The answer goes in the acknowledgement when the
core has it in time: the core call runs in the interaction's handler, and a timer (no task,
no wait per interaction: this is every command's path) defers it when `defer_after` runs out.

Under a burst the answer is deferred at once instead: past `busy_after` interactions whose
work has started (the store's queue deep), a new interaction is deferred before its work
starts, and so is every interaction still waiting for its answer. The work of a deferred
interaction, and the answer of one deferred while it waited, then wait (at most `ACKS_FIRST`)
until no deferral is on its way to Discord. So a burst's acknowledgements all go out at the
pace of the deferrals alone, ahead of the burst's own work (its votes, whose SQL would
otherwise compete for the interpreter with the deferrals, then the answers through the
followup webhook), instead of the early ones waiting for their commit behind the later ones'
deferrals; the cyclic garbage collector waits for them too. A deferral costs one more REST
call, so it is kept for when it helps: at a steady 1,000 interactions a second nearly every
answer still goes in its acknowledgement.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable
from typing import TypeVar

import discord

from docclub import metrics
from docclub.core.ports import Clock
from docclub_discord.interaction import Interaction
from docclub_discord.options import BotOptions

__all__ = ["Deferrals"]

T = TypeVar("T")
ACKS_FIRST = 0.5  # seconds deferred work waits at most for the other deferrals to go out


class Deferrals:
    """The interactions of one Bot whose core call has not finished, and their deadlines."""

    def __init__(self, options: BotOptions, clock: Clock) -> None:
        self.options = options
        self.clock = clock
        self.in_flight = 0  # core calls of interactions not finished yet
        self._waiting: dict[int, Callable[[], None]] = {}  # interaction -> defer it now
        self._deferring = 0  # deferrals sent and not yet acknowledged by Discord
        self._quiet = asyncio.Event()  # set while no deferral is on its way (or waiting ran out)
        self._quiet.set()
        self._give_up: asyncio.TimerHandle | None = None  # ends the wait of deferred work
        self._paused_collector = False  # the garbage collector waits for a burst's deferrals

    async def answer(self, interaction: Interaction, work: Awaitable[T], *, private: bool) -> T:
        """The outcome of `work` (the core call), with the interaction deferred first (privately
        when `private`) when it would come too late. When this returns, the interaction is
        either not acknowledged yet (answer in the acknowledgement) or deferred."""
        busy = self.in_flight >= self.options.busy_after
        budget = 0.0 if busy else self.budget(interaction)
        if budget <= 0:
            self.defer_waiting()
            self._pause_collector()
            await self.defer(interaction, private)
            await self._after_the_deferrals()
        # Counted from here: work waiting for the deferrals is not in the store's queue yet, and
        # counting it would keep a busy bot deferring everything after a burst has passed.
        self.in_flight += 1
        try:
            if budget <= 0:
                return await work
            loop = asyncio.get_running_loop()
            deferring: list[asyncio.Task[None]] = []

            def defer_now() -> None:
                if not deferring:
                    deferring.append(loop.create_task(self.defer(interaction, private)))

            timer = loop.call_later(budget, defer_now)
            self._waiting[interaction.id] = defer_now
            try:
                result = await work
            finally:
                timer.cancel()
                self._waiting.pop(interaction.id, None)
        finally:
            self.in_flight -= 1
        if deferring:  # the answer edits the "thinking…" message, once Discord has it
            await deferring[0]
            await self._after_the_deferrals()  # deferred by a burst: its answer follows its acknowledgements
        return result

    async def _after_the_deferrals(self) -> None:
        """Until no deferral is on its way to Discord, `ACKS_FIRST` at most."""
        if self._deferring:
            self._time_limit()
            await self._quiet.wait()

    def _time_limit(self) -> None:
        """One timer for all the work waiting (and the collector's pause), not one each."""
        if self._give_up is None:
            self._give_up = asyncio.get_running_loop().call_later(ACKS_FIRST, self._all_out)

    def _pause_collector(self) -> None:
        """While a burst's deferrals go out, the cyclic garbage collector waits (`ACKS_FIRST` at
        most): half a burst's collections walked the objects of the interactions in flight, in
        the way of their acknowledgements. Memory is still freed as it is dropped; cycles are
        collected once the deferrals are out."""
        self._time_limit()
        if not self._paused_collector and gc.isenabled():
            gc.disable()
            self._paused_collector = True

    def defer_waiting(self) -> None:
        """A burst: every interaction still waiting for its answer is deferred now."""
        waiting, self._waiting = self._waiting, {}
        for defer_now in waiting.values():
            defer_now()

    async def defer(self, interaction: Interaction, private: bool) -> None:
        """Tell Discord the answer is coming ("thinking…"), privately when `private`."""
        metrics.interaction_deferred("discord")
        self._deferring += 1
        self._quiet.clear()
        try:
            await interaction.response.defer(ephemeral=private, thinking=True)
        finally:
            self._deferring -= 1
            if not self._deferring:
                self._all_out()

    def _all_out(self) -> None:
        """No deferral on its way (or the work waited `ACKS_FIRST`): the waiting work goes on,
        and the garbage collector with it."""
        self._quiet.set()
        if self._paused_collector:
            gc.enable()
            self._paused_collector = False
        if self._give_up is not None:
            self._give_up.cancel()
            self._give_up = None

    def budget(self, interaction: Interaction) -> float:
        """Seconds the core may take before the answer is deferred. Discord's 3 seconds run from
        the interaction's creation (its snowflake), so time spent reaching us counts."""
        created = ((interaction.id >> 22) + discord.utils.DISCORD_EPOCH) / 1000  # its snowflake, in seconds
        waited = self.clock.now().timestamp() - created
        return max(0.0, self.options.defer_after - min(max(waited, 0.0), self.options.defer_after))
