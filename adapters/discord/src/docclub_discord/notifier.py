"""Reminders and announcements on Discord.

Channel posts go to the club's announcement channel (`<#id>`, an id, or a channel name), or
the server's system channel when none is set (`announcements`). Only the members in `reply.notify` are
mentioned, and the allowed mentions name exactly them. Each post carries the reminder's key
as its nonce with `enforce_nonce`, so a reminder delivered twice (a crash between sending and
marking it sent) shows once.

A party reminder's message becomes the party's card (kept in its `platform_ref`); the
post-party nudge, with the discussion prompts, goes into a thread started on that card when it
is in the announcement channel, and into the channel itself when no thread can be made there.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any, Literal

import discord

from docclub import metrics
from docclub.core.models import ClubKey
from docclub.core.ports import DeliveryFailed
from docclub.core.replies import Reply
from docclub_discord.announcements import announcement_channel, is_party_card, is_party_nudge
from docclub_discord.bot import Bot
from docclub_discord.night_events import sync_night_events
from docclub_discord.refs import PartyRef
from docclub_discord.render import render

log = logging.getLogger("docclub.discord")

THREAD_EXISTS = 160004  # Discord: "A thread has already been created for this message"
DMS_CLOSED = 50007  # Discord: "Cannot send messages to this user"
THREAD_ARCHIVE_MINUTES: Literal[1440] = 1440  # a day without messages


def nonce_for(key: str, page: int = 0) -> str:
    """Discord nonces are at most 25 characters."""
    text = key if page == 0 else f"{key}/{page}"
    return text if len(text) <= 25 else hashlib.blake2b(text.encode(), digest_size=12).hexdigest()


class DiscordNotifier:
    """The core's `Notifier` for clubs whose key is a Discord guild."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def channel_for(self, club: ClubKey, configured: str | None) -> int:
        return await announcement_channel(self.bot.client, club, configured)

    async def _send(self, channel: discord.abc.Messageable, reply: Reply, key: str) -> discord.Message:
        r = render(reply)
        first: discord.Message | None = None
        for i, page in enumerate(r.pages):
            kwargs: dict[str, Any] = {"allowed_mentions": r.mentions, "nonce": nonce_for(key, i)}
            if page.content:
                kwargs["content"] = page.content
            if page.embeds:
                kwargs["embeds"] = page.embeds
            if i == 0:
                view = self.bot.buttons.view(r.actions)
                if view is not None:
                    kwargs["view"] = view
                file = r.file()
                if file is not None:
                    kwargs["file"] = file
            sent = await channel.send(**kwargs)
            first = first or sent
        assert first is not None
        return first

    async def announce(self, club: ClubKey, channel: str | None, reply: Reply, *, key: str) -> None:
        channel_id = await self.channel_for(club, channel)
        target = channel_id
        if is_party_nudge(reply):
            target = await self.discussion_thread(club, channel_id, reply) or channel_id
        try:
            sent = await self._send(self.bot.client.get_partial_messageable(target), reply, key)
        except discord.HTTPException as exc:
            metrics.platform_error("discord", getattr(exc, "status", "none"))
            raise DeliveryFailed(f"posting to channel {target} failed: {exc}") from exc
        if is_party_card(reply) and reply.subject is not None and target == channel_id:
            try:
                await self.bot.remember_party_message(club, reply.subject[1], channel_id, sent.id)
            except Exception:  # delivered all the same; the nudge will go to the channel
                log.exception("could not remember the card of party #%s", reply.subject[1])
            try:
                await self.bot.sweep_voice(club, reply.subject[1])  # at the start: who is already there
            except Exception:
                log.exception("could not look who is in the voice channel of party #%s", reply.subject[1])
        if reply.subject is not None and reply.subject[0] in ("poll", "party"):
            try:  # a club night's poll opened or its film was chosen: its scheduled event follows
                await sync_night_events(self.bot.app, self.bot.client, club)
            except Exception:
                log.exception("could not update the scheduled events of the club's nights")

    async def discussion_thread(self, club: ClubKey, channel_id: int, reply: Reply) -> int | None:
        """The thread on the party's card for its discussion, started now if need be; None when
        the card is not in `channel_id` or Discord won't make one (card deleted, no permission)."""
        assert reply.subject is not None
        found = await self.bot.app.parties.find(club, reply.subject[1])
        if found is None:
            return None
        party, film = found
        ref = PartyRef.parse(party.platform_ref)
        if ref.message_id is None or ref.channel_id != channel_id:
            return None
        try:
            thread = await self.bot.client.http.start_thread_with_message(
                channel_id,
                ref.message_id,
                name=f"Talking about {film.label}"[:100],
                auto_archive_duration=THREAD_ARCHIVE_MINUTES,
            )
        except discord.HTTPException as exc:
            metrics.platform_error("discord", getattr(exc, "status", "none"))
            if exc.code == THREAD_EXISTS:
                # Made by an earlier attempt of this reminder; a message's thread has its id.
                return ref.message_id
            log.info("no discussion thread for party #%s (%s); posting in the channel", party.id, exc)
            return None
        return int(thread["id"])

    async def direct(self, club: ClubKey, user_id: str, reply: Reply, *, key: str) -> None:
        try:
            dm = await self.bot.client.create_dm(discord.Object(id=int(user_id)))
            await self._send(dm, reply, key)
        except discord.Forbidden as exc:
            # 50007: the member closed their DMs to the server or blocked the bot; a retry
            # can't change that, so the reminder is not tried again.
            permanent = exc.code == DMS_CLOSED
            raise DeliveryFailed(f"direct message to {user_id} refused: {exc}", permanent=permanent) from exc
        except (discord.HTTPException, ValueError) as exc:
            metrics.platform_error("discord", getattr(exc, "status", "none"))
            raise DeliveryFailed(f"direct message to {user_id} failed: {exc}") from exc
