"""Scheduled events follow the party's place: a voice or stage channel makes a voice or stage
event on that channel (Discord links it and shows "join"); anything else an external event
whose location reads as the organizer wrote it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docclub_discord.testing import (
    CHANNEL_ID,
    GUILD_ID,
    MANAGE_EVENTS,
    STAGE_CHANNEL_ID,
    VOICE_CHANNEL_ID,
    Harness,
    harness,
)


async def _event_for(h: Harness, where: str) -> dict[str, Any]:
    await h.slash(h.owner, "film suggest", title="Navalny (2022)")
    await h.slash(h.owner, "party schedule", film="#1", when="2026-12-05 20:00", where=where)
    [created] = h.fake.requests("POST", rf"/guilds/{GUILD_ID}/scheduled-events")
    body: dict[str, Any] = created.body
    return body


async def test_a_party_in_a_voice_channel_is_a_voice_event_on_it(tmp_path: Path) -> None:
    async with harness(tmp_path, app_permissions=MANAGE_EVENTS) as h:
        h.guild_available()  # the gateway told the bot about the server's channels
        event = await _event_for(h, f"<#{VOICE_CHANNEL_ID}>")
        assert event["entity_type"] == 2
        assert event["channel_id"] == VOICE_CHANNEL_ID
        assert event["entity_metadata"] is None


async def test_a_party_on_a_stage_is_a_stage_event_even_before_the_gateway_is_ready(tmp_path: Path) -> None:
    async with harness(tmp_path, app_permissions=MANAGE_EVENTS) as h:  # no channel cache: asks Discord
        event = await _event_for(h, f"<#{STAGE_CHANNEL_ID}>")
        assert h.fake.requests("GET", rf"/channels/{STAGE_CHANNEL_ID}")
        assert event["entity_type"] == 1 and event["channel_id"] == STAGE_CHANNEL_ID


async def test_a_text_channel_or_a_link_makes_an_external_event_that_reads_well(tmp_path: Path) -> None:
    async with harness(tmp_path, app_permissions=MANAGE_EVENTS) as h:
        h.guild_available()
        event = await _event_for(h, f"<#{CHANNEL_ID}> then the pub")
        assert event["entity_type"] == 3
        assert event["entity_metadata"] == {"location": "#watch-club then the pub"}
        assert "channel_id" not in event
    async with harness(tmp_path, app_permissions=MANAGE_EVENTS, db_name="other.db") as h:
        event = await _event_for(h, "https://watch.example/room")
        assert event["entity_type"] == 3
        assert event["entity_metadata"] == {"location": "https://watch.example/room"}
