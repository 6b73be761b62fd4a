"""Who came to a watch party: members joining its voice or stage channel, told to the core."""

from __future__ import annotations

import logging
import re

import discord

from docclub.core.clubs import Docclub
from docclub.core.models import Actor, ClubKey
from docclub.core.ports import Clock
from docclub_discord.interaction import PLATFORM

__all__ = ["Attendance"]

log = logging.getLogger("docclub.discord")

_VOICE_CHANNEL = re.compile(r"<#(\d{15,22})>")  # a channel as members write it in a party's `where`


class Attendance:
    """Voice states to attendance: the client forwards every voice state update here."""

    def __init__(self, app: Docclub, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    async def voice_state_changed(
        self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        """A member joined a voice or stage channel: the core records them at any watch party
        held there now. Muting, deafening and leaving are not joins."""
        channel = after.channel
        if channel is None or member.bot or (before.channel is not None and before.channel.id == channel.id):
            return
        await self._attend(member, ClubKey(PLATFORM, str(member.guild.id)), f"<#{channel.id}>")

    async def sweep(self, client: discord.Client, key: ClubKey, party_id: int) -> None:
        """Members already sitting in the party's voice channel send no new voice state when it
        starts; a party reminder offers them to the core as joining now."""
        found = await self.app.parties.find(key, party_id)
        if found is None or not found[0].where:
            return
        for channel_id in _VOICE_CHANNEL.findall(found[0].where):
            channel = client.get_channel(int(channel_id))
            if isinstance(channel, discord.VoiceChannel | discord.StageChannel):
                for member in channel.members:
                    if not member.bot:
                        await self._attend(member, key, party_id)

    async def _attend(self, member: discord.Member, key: ClubKey, target: int | str) -> tuple[int, ...]:
        actor = Actor(PLATFORM, str(member.id), member.display_name)
        try:
            return await self.app.parties.record_attendance(key, target, actor, self.clock.now())
        except Exception:  # a voice update must never take the client down
            log.exception("attendance of %s at %s not recorded", member.id, target)
            return ()
