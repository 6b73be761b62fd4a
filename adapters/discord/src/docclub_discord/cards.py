"""Poll and party cards that stay current, with edits coalesced.

A busy poll gets many votes a second; Discord rate-limits message edits. Each card is edited
at most once per `poll_edit_interval` (2 s) on the runtime's clock: the first change after a
quiet spell edits at once, changes during the interval are folded into one edit at its end,
which reads the poll's standings or the party's RSVPs fresh from the core.

Where a card is shown is kept in the store (the `platform_ref` of the poll or party, see
`refs`): a poll's latest few messages, a party's card in the announcement channel. So a vote or
an RSVP in any process, before or after a restart, edits them. A message posted as the answer
to a slash command is edited through that interaction's webhook while its token lasts (15
minutes), which works where the bot cannot view the channel; after that, and for messages posted
otherwise, through the channel. A poll message that can't be edited for lack of access is
reported once and no longer kept current (a party card, which its discussion thread also needs,
is kept but not tried again by this process). On stop, edits still waiting for their interval
are sent at once (bounded by `stop_flush_seconds`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import discord

from docclub.core.clubs import Docclub, safely
from docclub.core.models import Actor, ClubKey
from docclub.core.ports import Clock
from docclub.core.replies import Tone
from docclub_discord.options import BotOptions
from docclub_discord.refs import PartyRef, Place, PollRef, update_ref
from docclub_discord.render import render
from docclub_discord.views import Buttons

log = logging.getLogger("docclub.discord")

BOARD_READER = Actor("discord", "0", "docclub")  # reads standings; never acts
TOKEN_LIFETIME = timedelta(minutes=14)  # an interaction token lasts 15 minutes; keep a margin

Card = tuple[ClubKey, str, int]  # (club, "poll" | "party", id)


@dataclass(frozen=True, slots=True)
class _Hook:
    """The webhook of the interaction whose answer is the message, and until when it works."""

    webhook: discord.Webhook
    until: datetime


class LiveCards:
    """Where each poll and party is shown, and the coalesced edits that keep those messages current."""

    def __init__(
        self, app: Docclub, client: discord.Client, clock: Clock, options: BotOptions, buttons: Buttons
    ) -> None:
        self.app = app
        self.client = client
        self.clock = clock
        self.options = options
        self.buttons = buttons
        self._hooks: dict[int, _Hook] = {}  # message id -> its interaction's webhook (this process)
        self._refused: set[int] = set()  # party cards Discord won't let this process edit
        self._last: dict[Card, datetime] = {}
        self._pending: dict[Card, asyncio.Task[None]] = {}  # edits waiting for their interval
        self._tasks: set[asyncio.Task[None]] = set()  # every edit not finished yet
        self.edits = 0

    def answered_with(self, message_id: int, webhook: discord.Webhook, created_at: datetime) -> None:
        """The message is an interaction's answer: its webhook may edit it for a while."""
        self._hooks[message_id] = _Hook(webhook, created_at + TOKEN_LIFETIME)

    async def remember(
        self,
        key: ClubKey,
        poll_id: int,
        channel_id: int,
        message_id: int,
        *,
        webhook: discord.Webhook | None = None,
        created_at: datetime | None = None,
    ) -> bool:
        """The poll is shown with its buttons in this message (the latest few are kept).
        True when it is shown elsewhere too, and those messages may need an edit."""
        if webhook is not None and created_at is not None:
            self.answered_with(message_id, webhook, created_at)
        place = (channel_id, message_id)
        known = await self.messages((key, "poll", poll_id))
        if place in known:  # a click on a known message: nothing to write
            return len(known) > 1
        await self.app.polls.update_platform_ref(
            key, poll_id, lambda current: PollRef.parse(current).adding(place).text()
        )
        return bool(known)

    async def messages(self, card: Card) -> tuple[Place, ...]:
        key, kind, ident = card
        if kind == "poll":
            return PollRef.parse(await self.app.polls.platform_ref(key, ident)).messages
        ref = PartyRef.parse(await self.app.parties.platform_ref(key, ident))
        if ref.channel_id is None or ref.message_id is None or ref.message_id in self._refused:
            return ()
        return ((ref.channel_id, ref.message_id),)

    def touch(self, key: ClubKey, kind: str, ident: int) -> None:
        """The poll or party changed: edit its messages now, or once at the end of the interval."""
        pid = (key, kind, ident)
        if pid in self._pending:
            return
        interval = self.options.poll_edit_interval
        last = self._last.get(pid)
        wait = 0.0 if last is None else max(0.0, interval - (self.clock.now() - last).total_seconds())
        task = asyncio.create_task(self._edit(pid, wait), name=f"docclub-{kind}-edit-{ident}")
        self._pending[pid] = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _edit(self, pid: Card, wait: float) -> None:
        try:
            if wait > 0:
                await self.clock.sleep(wait)
        finally:
            self._pending.pop(pid, None)
        await self._apply(pid)

    async def _apply(self, pid: Card) -> None:
        self._last[pid] = self.clock.now()
        key, kind, ident = pid
        places = await self.messages(pid)
        if not places:
            return
        show = self.app.polls.show if kind == "poll" else self.app.parties.show
        reply = await safely(show(key, BOARD_READER, f"#{ident}"))
        if reply.tone is Tone.ERROR:
            return
        r = render(reply)
        page = r.pages[0]
        content: dict[str, Any] = {
            "content": page.content,
            "embeds": page.embeds,
            "view": self.buttons.view(r.actions),
            "allowed_mentions": r.mentions,
        }
        for place in places:
            await self._edit_one(pid, place, content)

    async def _edit_one(self, pid: Card, place: Place, content: dict[str, Any]) -> None:
        _, kind, ident = pid
        channel_id, message_id = place
        hook = self._hooks.get(message_id)
        if hook is not None and self.clock.now() < hook.until:
            try:
                await hook.webhook.edit_message(message_id, **content)
                self.edits += 1
                return
            except discord.NotFound:
                return await self._forget(pid, place)
            except discord.HTTPException as exc:  # the token was refused: try the channel
                log.info(
                    "%s #%s message %s: webhook edit refused (%s); using the channel", kind, ident, message_id, exc
                )
        self._hooks.pop(message_id, None)
        message = self.client.get_partial_messageable(channel_id).get_partial_message(message_id)
        try:
            await message.edit(**content)
            self.edits += 1
        except discord.NotFound:
            await self._forget(pid, place)
        except discord.Forbidden as exc:
            log.warning(
                "%s #%s: the bot may not edit message %s in channel %s (%s); it is no longer kept current",
                kind,
                ident,
                message_id,
                channel_id,
                exc,
            )
            if kind == "party":
                self._refused.add(message_id)  # still the thread's anchor: kept, not edited again
            else:
                await self._forget(pid, place)
        except discord.HTTPException as exc:
            log.warning("could not update %s #%s message %s: %s", kind, ident, message_id, exc)

    async def _forget(self, pid: Card, place: Place) -> None:
        """The message is gone (or out of reach): stop keeping it."""
        key, kind, ident = pid
        self._hooks.pop(place[1], None)
        if kind == "poll":
            await self.app.polls.update_platform_ref(
                key, ident, lambda current: PollRef.parse(current).without(place).text()
            )
        else:
            await update_ref(self.app, key, ident, channel_id=None, message_id=None)

    async def close(self) -> None:
        """Send the edits still waiting for their interval now (a poll closed just before the
        stop shows as closed), for at most `stop_flush_seconds`."""
        waiting = list(self._pending)
        for task in list(self._pending.values()):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._pending.clear()
        running = list(self._tasks)
        if not waiting and not running:
            return
        try:
            async with asyncio.timeout(self.options.stop_flush_seconds):
                if running:
                    await asyncio.gather(*running, return_exceptions=True)
                for pid in waiting:
                    try:
                        await self._apply(pid)
                    except Exception:
                        log.exception("%s #%s message not updated at stop", pid[1], pid[2])
        except TimeoutError:
            log.warning("stopped before every poll message was updated (%d waiting)", len(waiting))
