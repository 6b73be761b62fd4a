"""Club nights as Discord scheduled events: one event per night, made when its poll opens.

Why not one recurring event: Discord's `recurrence_rule` cannot say "last Sunday" or "the 15th"
of every month, and an app cannot mark one occurrence of a recurring event skipped or moved, so
the server's Events list would show nights the club is not holding. Instead each night gets its
own event once its poll opens ("Club night — film by poll", at the night's time and place); when
the poll's winner is scheduled, the watch party takes that event over (renamed to the film,
then moved and cancelled with the party like any party's event); a skipped night, one left
without a film, or the nights of a cancelled rule take theirs down; a moved night moves it.

Events are kept in the night's `platform_ref` as `occ:<occurrence>:<event>@<unix start>` parts.
`sync_night_events` makes Discord match the club's nights. It runs after a night command
answered here and after each announcement the scheduler posts (a poll opening, a winner
scheduled), so it needs no interaction: it goes ahead unless the gateway says the bot lacks
Manage Events (a refusal from Discord is logged, never shown to members).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

import discord

from docclub.core.clubs import Docclub
from docclub.core.models import ClubKey, PartyStatus
from docclub.core.night_events import ClubNightEvents, NightEvent
from docclub_discord.events import CANCELED, GUILD_ONLY, event_place, party_event_fields, sync_party_event
from docclub_discord.refs import PartyRef, update_ref

log = logging.getLogger("docclub.discord")

_OCC = re.compile(r"occ:(?P<occ>\d+):(?P<event>\d+)@(?P<start>\d+)")


@dataclass(frozen=True, slots=True)
class NightRef:
    """The scheduled event of each night of a rule: {occurrence id: (event id, unix start)}."""

    events: tuple[tuple[int, int, int], ...] = ()

    @classmethod
    def parse(cls, text: str | None) -> NightRef:
        return cls(tuple((int(m["occ"]), int(m["event"]), int(m["start"])) for m in _OCC.finditer(text or "")))

    def get(self, occurrence_id: int) -> tuple[int, int] | None:
        return next(((e, s) for o, e, s in self.events if o == occurrence_id), None)

    def setting(self, occurrence_id: int, event_id: int, start: int) -> NightRef:
        return NightRef((*self.without(occurrence_id).events, (occurrence_id, event_id, start)))

    def without(self, occurrence_id: int) -> NightRef:
        return NightRef(tuple(e for e in self.events if e[0] != occurrence_id))

    def text(self) -> str | None:
        return " ".join(f"occ:{o}:{e}@{s}" for o, e, s in self.events) or None


def manages_events(client: discord.Client, guild_id: int) -> bool:
    """False only when the gateway says the bot lacks Manage Events in the server; when the
    server is not in its cache yet, try (Discord refuses with 403, which is logged)."""
    guild = client.get_guild(guild_id)
    me = guild.me if guild is not None else None
    return me is None or me.guild_permissions.manage_events


async def sync_night_events(app: Docclub, client: discord.Client, key: ClubKey) -> None:
    """Make the server's scheduled events match the club's nights whose poll has opened."""
    guild_id = int(key.space_id)
    if not manages_events(client, guild_id):
        return
    for night in await app.night_events.of_club(key):
        try:
            await _sync_night(app, client, guild_id, key, night)
        except discord.HTTPException as exc:
            log.warning("scheduled events of club night #%s not updated: %s", night.night_id, exc)


async def _sync_night(
    app: Docclub, client: discord.Client, guild_id: int, key: ClubKey, night: ClubNightEvents
) -> None:
    ref = NightRef.parse(night.platform_ref)
    for event in night.events:
        held = ref.get(event.occurrence_id)
        if event.party_id is not None:
            if held is not None:
                await _hand_over(app, client, guild_id, key, night.night_id, event, held[0])
            await sync_party_event(app, client, guild_id, key, event.party_id)
        elif held is not None and not event.showing:
            await client.http.edit_scheduled_event(guild_id, held[0], status=CANCELED)
            await _forget(app, key, night.night_id, event.occurrence_id)
        elif held is not None and held[1] != int(event.starts_at.timestamp()):
            await client.http.edit_scheduled_event(
                guild_id,
                held[0],
                scheduled_start_time=event.starts_at.isoformat(),
                scheduled_end_time=event.ends_at.isoformat(),
            )
            await _keep(app, key, night.night_id, event.occurrence_id, held[0], event)
        elif held is None and event.showing:
            made = await client.http.create_guild_scheduled_event(
                guild_id,
                name=event.name[:100],
                privacy_level=GUILD_ONLY,
                **await event_place(client, event.where),
                scheduled_start_time=event.starts_at.isoformat(),
                scheduled_end_time=event.ends_at.isoformat(),
                description=event.description[:1000],
            )
            await _keep(app, key, night.night_id, event.occurrence_id, int(made["id"]), event)
    current = {e.occurrence_id for e in night.events}
    for occurrence_id, _, _ in ref.events:
        if occurrence_id not in current:  # the night is over: Discord ends its event itself
            await _forget(app, key, night.night_id, occurrence_id)


async def _hand_over(
    app: Docclub, client: discord.Client, guild_id: int, key: ClubKey, night_id: int, event: NightEvent, event_id: int
) -> None:
    """The night's film is chosen: its watch party takes the night's event over (renamed to the
    film), unless the party already has one of its own, in which case the night's goes."""
    found = await app.parties.find(key, event.party_id) if event.party_id is not None else None
    party_ref = PartyRef.parse(found[0].platform_ref) if found is not None else PartyRef()
    if found is not None and found[0].status is PartyStatus.SCHEDULED and party_ref.event_id is None:
        party, film = found
        await client.http.edit_scheduled_event(guild_id, event_id, **party_event_fields(party, film))
        await update_ref(app, key, party.id, event_id=event_id, event_start=int(party.starts_at.timestamp()))
    else:
        await client.http.edit_scheduled_event(guild_id, event_id, status=CANCELED)
    await _forget(app, key, night_id, event.occurrence_id)


async def _keep(
    app: Docclub, key: ClubKey, night_id: int, occurrence_id: int, event_id: int, event: NightEvent
) -> None:
    start = int(event.starts_at.timestamp())
    await app.night_events.update_platform_ref(
        key, night_id, lambda text: NightRef.parse(text).setting(occurrence_id, event_id, start).text()
    )


async def _forget(app: Docclub, key: ClubKey, night_id: int, occurrence_id: int) -> None:
    await app.night_events.update_platform_ref(
        key, night_id, lambda text: NightRef.parse(text).without(occurrence_id).text()
    )
