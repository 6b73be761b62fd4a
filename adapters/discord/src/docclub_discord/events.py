"""Discord scheduled events that follow watch parties (only when the bot has Manage Events).

The event's id and the start it was made for are kept in the party's `platform_ref` (see
`docclub_discord.refs`), so a moved party moves its event and a cancelled one cancels it.

A party held in a voice or stage channel (`--where #cinema`, which Discord sends as `<#id>`)
becomes a voice or stage event on that channel, so Discord links it and offers "join" when it
starts. Any other place makes an external event whose location is the text as written, with
channel mentions shown as `#name`.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import Any

import discord

from docclub.core.clubs import Docclub
from docclub.core.models import ClubKey, Film, Party, PartyStatus
from docclub_discord.interaction import Interaction
from docclub_discord.refs import PartyRef, update_ref

log = logging.getLogger("docclub.discord")

STAGE_INSTANCE = 1
VOICE = 2
EXTERNAL = 3
GUILD_ONLY = 2
CANCELED = 4
_CHANNEL_MENTION = re.compile(r"<#(\d{15,22})>")


async def _channel(client: discord.Client, channel_id: int) -> discord.abc.GuildChannel | None:
    """The channel from the gateway's cache, else from Discord; None when it can't be seen."""
    channel = client.get_channel(channel_id)
    if channel is None:
        try:
            channel = await client.fetch_channel(channel_id)
        except (discord.HTTPException, discord.InvalidData):
            return None
    return channel if isinstance(channel, discord.abc.GuildChannel) else None


async def event_place(client: discord.Client, where: str | None) -> dict[str, Any]:
    """Where the event happens, as Discord's event payload wants it: a voice or stage channel
    the place names (the first one), or an external location in readable text."""
    text = (where or "").strip()
    names: dict[str, str] = {}
    for channel_id in dict.fromkeys(_CHANNEL_MENTION.findall(text)):
        channel = await _channel(client, int(channel_id))
        if isinstance(channel, discord.StageChannel):
            return {"entity_type": STAGE_INSTANCE, "channel_id": channel.id, "entity_metadata": None}
        if isinstance(channel, discord.VoiceChannel):
            return {"entity_type": VOICE, "channel_id": channel.id, "entity_metadata": None}
        names[channel_id] = f"#{channel.name}" if channel is not None else "#channel"
    location = _CHANNEL_MENTION.sub(lambda m: names[m[1]], text) or "on Discord"
    return {"entity_type": EXTERNAL, "entity_metadata": {"location": location[:100]}}


def party_event_fields(party: Party, film: Film) -> dict[str, Any]:
    """What a party's event says: its film, time and pitch (the place is `event_place`'s)."""
    end = party.starts_at + timedelta(minutes=party.duration_minutes)
    return {
        "name": f"Watch party: {film.label}"[:100],
        "scheduled_start_time": party.starts_at.isoformat(),
        "scheduled_end_time": end.isoformat(),
        "description": (film.pitch or f"docclub watch party #{party.id}")[:1000],
    }


async def sync_event(
    app: Docclub, client: discord.Client, interaction: Interaction, key: ClubKey, party_id: int
) -> None:
    """After a command answered here: the party's event follows it, if the bot may manage events."""
    if interaction.guild_id is None or not interaction.app_permissions.manage_events:
        return
    await sync_party_event(app, client, interaction.guild_id, key, party_id)


async def sync_party_event(app: Docclub, client: discord.Client, guild_id: int, key: ClubKey, party_id: int) -> None:
    """Create, move or cancel the party's scheduled event to match the party."""
    found = await app.parties.find(key, party_id)
    if found is None:
        return
    party, film = found
    ref = PartyRef.parse(party.platform_ref)
    start = int(party.starts_at.timestamp())
    http = client.http
    try:
        if party.status is PartyStatus.SCHEDULED and ref.event_id is None:
            event = await http.create_guild_scheduled_event(
                guild_id,
                privacy_level=GUILD_ONLY,
                **await event_place(client, party.where),
                **party_event_fields(party, film),
            )
            await update_ref(app, key, party.id, event_id=int(event["id"]), event_start=start)
        elif party.status is PartyStatus.SCHEDULED and ref.event_id is not None and ref.event_start != start:
            end = party.starts_at + timedelta(minutes=party.duration_minutes)
            await http.edit_scheduled_event(
                guild_id,
                ref.event_id,
                scheduled_start_time=party.starts_at.isoformat(),
                scheduled_end_time=end.isoformat(),
            )
            await update_ref(app, key, party.id, event_start=start)
        elif party.status is PartyStatus.CANCELLED and ref.event_id is not None:
            await http.edit_scheduled_event(guild_id, ref.event_id, status=CANCELED)
            await update_ref(app, key, party.id, event_id=None, event_start=None)
    except discord.HTTPException as exc:
        log.warning("scheduled event for party #%s not updated: %s", party.id, exc)
