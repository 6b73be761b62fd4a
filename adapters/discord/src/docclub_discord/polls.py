"""Poll messages that keep their standings current, with edits coalesced.

A busy poll gets many votes a second; Discord rate-limits message edits. Each poll message is
edited at most once per `poll_edit_interval` (2 s) on the runtime's clock: the first vote after
a quiet spell edits at once, votes during the interval are folded into one edit at its end,
which reads the standings fresh from the core.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime
from typing import TYPE_CHECKING

import discord

from docclub.core.clubs import safely
from docclub.core.models import Actor, ClubKey
from docclub.core.replies import Tone
from docclub_discord.render import render

if TYPE_CHECKING:
    from docclub_discord.bot import Bot

log = logging.getLogger("docclub.discord")

BOARD_READER = Actor("discord", "0", "docclub")  # reads standings; never acts

PollId = tuple[ClubKey, int]


class PollBoards:
    """Where each poll is shown, and the coalesced edits that keep those messages current."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.messages: dict[PollId, list[tuple[int, int]]] = {}  # (channel id, message id)
        self._last: dict[PollId, datetime] = {}
        self._pending: dict[PollId, asyncio.Task[None]] = {}
        self.edits = 0

    def remember(self, key: ClubKey, poll_id: int, channel_id: int, message_id: int) -> None:
        shown = self.messages.setdefault((key, poll_id), [])
        if (channel_id, message_id) not in shown:
            shown.append((channel_id, message_id))
            del shown[:-3]  # the latest few places a poll was posted

    def touch(self, key: ClubKey, poll_id: int) -> None:
        """The poll changed: edit its messages now, or once at the end of the interval."""
        pid = (key, poll_id)
        if pid not in self.messages or pid in self._pending:
            return
        interval = self.bot.options.poll_edit_interval
        last = self._last.get(pid)
        wait = 0.0 if last is None else max(0.0, interval - (self.bot.now() - last).total_seconds())
        self._pending[pid] = asyncio.create_task(self._edit(pid, wait), name=f"docclub-poll-edit-{poll_id}")

    async def _edit(self, pid: PollId, wait: float) -> None:
        try:
            if wait > 0:
                await self.bot.clock.sleep(wait)
        finally:
            self._pending.pop(pid, None)
        self._last[pid] = self.bot.now()
        key, poll_id = pid
        reply = await safely(self.bot.app.polls.show(key, BOARD_READER, f"#{poll_id}"))
        if reply.tone is Tone.ERROR:
            return
        from docclub_discord.views import build_view

        r = render(reply)
        page = r.pages[0]
        for channel_id, message_id in list(self.messages.get(pid, ())):
            message = self.bot.client.get_partial_messageable(channel_id).get_partial_message(message_id)
            try:
                await message.edit(
                    content=page.content, embeds=page.embeds, view=build_view(r.actions), allowed_mentions=r.mentions
                )
                self.edits += 1
            except discord.NotFound:
                self.messages[pid].remove((channel_id, message_id))
            except discord.HTTPException as exc:
                log.warning("could not update poll #%s message %s: %s", poll_id, message_id, exc)

    async def close(self) -> None:
        for task in list(self._pending.values()):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
