"""The discord.py client docclub runs: only the intents it needs, sharded when configured, and
voice state updates passed to `Attendance`."""

from __future__ import annotations

from typing import Any

import discord

from docclub_discord.attendance import Attendance
from docclub_discord.options import BotOptions

__all__ = ["DocclubClient", "ShardedDocclubClient", "client_for", "intents"]


def intents() -> discord.Intents:
    """Only what docclub uses: guilds (commands, channels, roles) and voice states (attendance).
    No privileged intents: docclub never reads message content."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.voice_states = True
    return wanted


class _DocclubEvents:
    """What both clients add to discord.py: the gateway events docclub listens to."""

    def __init__(self, attendance: Attendance, **options: Any) -> None:
        super().__init__(**options)
        self.attendance = attendance

    async def on_voice_state_update(
        self, member: discord.Member, before: discord.VoiceState, after: discord.VoiceState
    ) -> None:
        await self.attendance.voice_state_changed(member, before, after)


class DocclubClient(_DocclubEvents, discord.Client):
    """The client for one process serving every guild."""


class ShardedDocclubClient(_DocclubEvents, discord.AutoShardedClient):
    """The same for large deployments: `DISCORD_SHARD_COUNT` / `DISCORD_SHARD_IDS`."""


def client_for(options: BotOptions, attendance: Attendance) -> discord.Client:
    """The client the options ask for; it mentions nobody unless a message says whom."""
    common: dict[str, Any] = {"intents": intents(), "allowed_mentions": discord.AllowedMentions.none()}
    if options.shard_count:
        return ShardedDocclubClient(
            attendance, shard_count=options.shard_count, shard_ids=list(options.shard_ids) or None, **common
        )
    return DocclubClient(attendance, **common)
