"""`docclub doctor` against a fake Discord: healthy, a missing permission, a revoked token,
a server whose announcement channel is gone, and a bot in no server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest
from docclub_discord.doctor import check
from docclub_discord.install import invite_url, permissions
from docclub_discord.testing import APP_ID, GUILD_ID, FakeDiscord
from pydantic import SecretStr

from docclub.config import Settings
from docclub.core.models import ClubConfig, ClubKey
from docclub.doctor import Finding

TOKEN = "discord-secret-token"


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    saved = discord.http.Route.BASE
    fake = FakeDiscord()
    await fake.start()
    yield fake
    await fake.stop()
    discord.http.Route.BASE = saved


def _settings(fake: FakeDiscord) -> Settings:
    return Settings(_env_file=None, discord_token=SecretStr(TOKEN), discord_api_url=fake.base)  # type: ignore[call-arg]


def clubs(announce: str | None = None):  # type: ignore[no-untyped-def]
    async def config(key: ClubKey) -> ClubConfig | None:
        return ClubConfig(announce_channel=announce) if key == ClubKey("discord", str(GUILD_ID)) else None

    return config


def problems(findings: list[Finding]) -> list[str]:
    return [f.text for f in findings if f.ok is False]


async def test_a_healthy_bot_is_all_ok(fake: FakeDiscord) -> None:
    findings = await check(_settings(fake), clubs())
    assert problems(findings) == []
    assert "Discord server Documentary Club: every permission docclub uses is granted" in [f.text for f in findings]
    assert fake.requests("GET", "/users/@me") and fake.requests("GET", "/users/@me/guilds")


async def test_a_missing_permission_says_what_stops_working_there(fake: FakeDiscord) -> None:
    fake.guilds[GUILD_ID]["permissions"] = permissions().value & ~(1 << 33)
    assert problems(await check(_settings(fake), clubs())) == [
        "Discord server Documentary Club: missing Manage Events → no Discord events for watch parties there; "
        "grant it to docclub's role, or invite again with `docclub discord invite`"
    ]


async def test_an_administrator_needs_nothing_else(fake: FakeDiscord) -> None:
    fake.guilds[GUILD_ID]["permissions"] = 1 << 3
    assert problems(await check(_settings(fake), clubs())) == []


async def test_a_revoked_token_says_how_to_get_a_new_one_without_showing_it(fake: FakeDiscord) -> None:
    fake.revoked = True
    findings = await check(_settings(fake), clubs())
    assert len(findings) == 1 and findings[0].ok is False
    assert "DISCORD_TOKEN was refused" in findings[0].text and TOKEN not in findings[0].text


async def test_an_announcement_channel_that_is_gone_is_reported(fake: FakeDiscord) -> None:
    assert problems(await check(_settings(fake), clubs("<#800000000000000002>"))) == []
    gone = problems(await check(_settings(fake), clubs("<#800000000000000999>")))
    assert gone == [
        "Discord server Documentary Club: the announcement channel no longer exists: set another with /club set"
    ]


async def test_a_bot_in_no_server_gets_its_invite(fake: FakeDiscord) -> None:
    fake.guilds.clear()
    assert problems(await check(_settings(fake), clubs())) == [
        f"Discord: the bot is in no server yet: invite it with {invite_url(APP_ID)}"
    ]
