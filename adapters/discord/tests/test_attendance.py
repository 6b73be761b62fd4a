"""Voice attendance: members who join the party's voice or stage channel while it is on are shown
as "Joined" beside the RSVPs. Voice states arrive as the gateway sends them (GUILD_CREATE, then
VOICE_STATE_UPDATE fed to the client's state parser); the party runs 20:00-22:00 UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

from docclub_discord.notifier import DiscordNotifier
from docclub_discord.testing import GUILD_ID, STAGE_CHANNEL_ID, VOICE_CHANNEL_ID, Harness, Member

from docclub.core.models import ClubKey
from docclub.scheduler import Scheduler

ALICE = Member(500000000000000011, "alice")
BOB = Member(500000000000000012, "bob")
START = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)


async def _party(h: Harness, channel: int = VOICE_CHANNEL_ID) -> None:
    await h.slash(h.owner, "film suggest", title="Navalny (2022)")
    await h.slash(h.owner, "party schedule", film="#1", when="2026-11-25 20:00", where=f"<#{channel}>", duration="2h")
    await h.slash(BOB, "rsvp", party="#1", answer="yes")


async def _shown(h: Harness) -> str:
    return (await h.slash(BOB, "party show", party="#1")).text()


async def test_joining_the_partys_voice_channel_during_it_shows_as_joined(discord_club: Harness) -> None:
    h = discord_club
    await _party(h)
    h.guild_available()
    await h.clock.set(START.replace(minute=5))
    await h.voice(ALICE, VOICE_CHANNEL_ID)
    shown = await _shown(h)
    assert "Going (1): bob" in shown and "Joined (1): alice" in shown


async def test_a_stage_channel_counts_too(discord_club: Harness) -> None:
    h = discord_club
    await _party(h, STAGE_CHANNEL_ID)
    h.guild_available()
    await h.clock.set(START.replace(minute=30))
    await h.voice(ALICE, STAGE_CHANNEL_ID)
    assert "Joined (1): alice" in await _shown(h)


async def test_other_channels_other_times_and_mutes_are_not_joins(discord_club: Harness) -> None:
    h = discord_club
    await _party(h)
    h.guild_available()
    await h.clock.set(START.replace(hour=19))
    await h.voice(ALICE, VOICE_CHANNEL_ID)  # an hour early
    await h.clock.set(START.replace(minute=10))
    await h.voice(ALICE, VOICE_CHANNEL_ID, self_mute=True)  # muting in place is no join
    await h.voice(BOB, STAGE_CHANNEL_ID)  # the wrong channel
    await h.voice(BOB, None)  # and leaving voice
    assert "Joined" not in await _shown(h)
    await h.voice(BOB, VOICE_CHANNEL_ID)  # moving over into the party's channel is
    assert "Joined (1): bob" in await _shown(h)


async def test_members_already_in_the_channel_at_the_start_are_counted(discord_club: Harness) -> None:
    h = discord_club
    await h.slash(h.owner, "club set", setting="reminders", value="0")
    await _party(h)
    await h.clock.set(START.replace(hour=19, minute=30))
    h.voice_members.append(ALICE)
    h.guild_available(in_voice={ALICE.user_id: VOICE_CHANNEL_ID})  # settled in early, then no update
    assert "Joined" not in await _shown(h)
    await h.clock.set(START)
    scheduler = Scheduler(h.app, h.store, h.clock, {"discord": DiscordNotifier(h.bot)})
    assert await scheduler.run_due() == 1  # "Navalny starts now!"
    assert h.fake.requests("POST", r"/channels/\d+/messages")
    assert "Joined (1): alice" in await _shown(h)


async def test_a_voice_join_in_a_server_without_a_club_makes_none(discord_club: Harness) -> None:
    h = discord_club
    h.guild_available()
    await h.voice(ALICE, VOICE_CHANNEL_ID)
    assert await h.store.read(lambda tx: tx.clubs.get(ClubKey("discord", str(GUILD_ID)))) is None
