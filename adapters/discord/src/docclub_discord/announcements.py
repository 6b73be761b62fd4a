"""Where a club's announcements go on Discord, and the two replies that belong to a party there:
its card (with the RSVP buttons) and the nudge after it (rate the film, discussion prompts).

The channel is the club's announcement channel (`<#id>`, an id, or a channel name), or the
server's system channel when none is set."""

from __future__ import annotations

import re

import discord

from docclub import metrics
from docclub.core.models import ClubKey
from docclub.core.ports import DeliveryFailed
from docclub.core.replies import ActionKind, Reply

__all__ = ["announcement_channel", "is_party_card", "is_party_nudge"]

_CHANNEL = re.compile(r"<#(\d{15,22})>|(\d{15,22})")


async def announcement_channel(client: discord.Client, club: ClubKey, configured: str | None) -> int:
    """The id of the channel the club's announcements go to; raises DeliveryFailed when there is none."""
    guild_id = int(club.space_id)
    if configured:
        m = _CHANNEL.fullmatch(configured.strip())
        if m:
            return int(m.group(1) or m.group(2))
        guild = client.get_guild(guild_id)
        name = configured.strip().lstrip("#").casefold()
        for channel in guild.text_channels if guild else ():
            if channel.name.casefold() == name:
                return channel.id
        raise DeliveryFailed(f"announce channel {configured!r} not found in guild {guild_id}")
    guild = client.get_guild(guild_id)
    try:
        system = guild.system_channel if guild else None
        if system is not None:
            return system.id
        fetched = await client.fetch_guild(guild_id)
    except discord.HTTPException as exc:
        metrics.platform_error("discord", getattr(exc, "status", "none"))
        raise DeliveryFailed(f"guild {guild_id} not reachable: {exc}") from exc
    if fetched._system_channel_id is None:
        raise DeliveryFailed(f"guild {guild_id} has no announce channel set and no system channel")
    return fetched._system_channel_id


def is_party_card(reply: Reply) -> bool:
    """A watch party with its RSVP buttons (schedule, show, move, the reminders)."""
    return (
        reply.subject is not None
        and reply.subject[0] == "party"
        and any(a.kind is ActionKind.RSVP for a in reply.actions)
    )


def is_party_nudge(reply: Reply) -> bool:
    """The post-party nudge: rate the film, and the discussion prompts."""
    return (
        reply.subject is not None
        and reply.subject[0] == "party"
        and any(a.kind is ActionKind.RATE for a in reply.actions)
    )
