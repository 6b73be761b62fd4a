"""Discord scheduled events that follow watch parties (only when the bot has Manage Events).

The event's id and the start it was made for are kept in the party's `platform_ref` (see
`docclub_discord.refs`), so a moved party moves its event and a cancelled one cancels it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import discord

from docclub.core.models import ClubKey, PartyStatus
from docclub_discord.refs import PartyRef, update_ref

if TYPE_CHECKING:
    from docclub_discord.bot import Bot, Interaction

log = logging.getLogger("docclub.discord")

EXTERNAL = 3
GUILD_ONLY = 2
CANCELED = 4


async def sync_event(bot: Bot, interaction: Interaction, key: ClubKey, party_id: int) -> None:
    """Create, move or cancel the party's scheduled event to match the party."""
    if interaction.guild_id is None or not interaction.app_permissions.manage_events:
        return
    found = await bot.app.parties.find(key, party_id)
    if found is None:
        return
    party, film = found
    ref = PartyRef.parse(party.platform_ref)
    start = int(party.starts_at.timestamp())
    http = bot.client.http
    guild_id = interaction.guild_id
    try:
        if party.status is PartyStatus.SCHEDULED and ref.event_id is None:
            end = party.starts_at + timedelta(minutes=party.duration_minutes)
            event = await http.create_guild_scheduled_event(
                guild_id,
                name=f"Watch party: {film.label}"[:100],
                privacy_level=GUILD_ONLY,
                entity_type=EXTERNAL,
                entity_metadata={"location": (party.where or "on Discord")[:100]},
                scheduled_start_time=party.starts_at.isoformat(),
                scheduled_end_time=end.isoformat(),
                description=(film.pitch or f"docclub watch party #{party.id}")[:1000],
            )
            await update_ref(bot.app, key, party.id, event_id=int(event["id"]), event_start=start)
        elif party.status is PartyStatus.SCHEDULED and ref.event_id is not None and ref.event_start != start:
            end = party.starts_at + timedelta(minutes=party.duration_minutes)
            await http.edit_scheduled_event(
                guild_id,
                ref.event_id,
                scheduled_start_time=party.starts_at.isoformat(),
                scheduled_end_time=end.isoformat(),
            )
            await update_ref(bot.app, key, party.id, event_start=start)
        elif party.status is PartyStatus.CANCELLED and ref.event_id is not None:
            await http.edit_scheduled_event(guild_id, ref.event_id, status=CANCELED)
            await update_ref(bot.app, key, party.id, event_id=None, event_start=None)
    except discord.HTTPException as exc:
        log.warning("scheduled event for party #%s not updated: %s", party.id, exc)
