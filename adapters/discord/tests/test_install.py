"""`docclub discord invite`: one link with exactly the permissions docclub uses, the README
showing the same list, and DISCORD_API_URL as the way REST calls reach Discord."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import discord
import pytest
from docclub_discord.adapter import DiscordAdapter, options_from
from docclub_discord.install import PERMISSIONS, invite_url, permissions
from docclub_discord.testing import APP_ID, FakeDiscord, harness
from pydantic import SecretStr

from docclub.cli import _discord_invite, main
from docclub.config import Settings

README = Path(__file__).resolve().parents[3] / "README.md"
# View Channels, Send Messages, Embed Links, Attach Files, Read Message History, Manage Events,
# Create Public Threads, Send Messages in Threads: Discord's bit numbers, written out by hand.
EXPECTED = sum(1 << bit for bit in (10, 11, 14, 15, 16, 33, 35, 38))


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def test_invite_asks_for_the_bot_and_its_commands_with_exactly_the_listed_permissions() -> None:
    url = invite_url(123456789012345678)
    assert url == (
        "https://discord.com/oauth2/authorize?client_id=123456789012345678"
        f"&scope=bot+applications.commands&permissions={EXPECTED}"
    )
    asked = discord.Permissions(int(parse_qs(urlparse(url).query)["permissions"][0]))
    assert all(getattr(asked, name) for name in PERMISSIONS)
    assert bin(asked.value).count("1") == len(PERMISSIONS)  # and nothing else
    assert permissions().value == EXPECTED


def test_readme_shows_the_same_permissions_the_invite_asks_for() -> None:
    section = README.read_text(encoding="utf-8").split("## On Discord", 1)[1].split("\n## ", 1)[0]
    assert "docclub discord invite" in section
    listed = re.findall(r"^\s+- \*([^*]+)\*", section, flags=re.MULTILINE)
    assert listed == [label for label, _ in PERMISSIONS.values()]


def test_cli_prints_the_invite_from_the_client_id_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DISCORD_CLIENT_ID", "123456789012345678")
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    main(["discord", "invite"])
    assert capsys.readouterr().out.strip() == invite_url(123456789012345678)


async def test_without_a_client_id_the_token_s_application_gives_it(capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakeDiscord()
    await fake.start()
    saved = discord.http.Route.BASE
    try:
        await _discord_invite(_settings(discord_token=SecretStr("fake-token"), discord_api_url=fake.base))
        assert capsys.readouterr().out.strip() == invite_url(APP_ID)
        assert fake.requests("GET", "/oauth2/applications/@me")

        fake.revoked = True
        with pytest.raises(SystemExit) as refused:
            await _discord_invite(_settings(discord_token=SecretStr("fake-token"), discord_api_url=fake.base))
        assert "refused DISCORD_TOKEN" in str(refused.value) and "fake-token" not in str(refused.value)
    finally:
        discord.http.Route.BASE = saved
        await fake.stop()


def test_discord_api_url_reaches_the_bot_options() -> None:
    assert options_from(_settings()).api_url == "https://discord.com/api/v10"
    assert options_from(_settings(discord_api_url="http://proxy.test/api/v10")).api_url == "http://proxy.test/api/v10"


async def test_a_bot_in_no_server_logs_its_invite_once_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeDiscord()
    await fake.start()
    try:
        async with harness(tmp_path, fake=fake) as h:
            adapter = DiscordAdapter()
            with caplog.at_level(logging.INFO, logger="docclub.discord"):
                await adapter._invite_if_alone(h.bot)
            assert "in no server" not in caplog.text  # the fake's server holds it

            fake.guilds.clear()
            with caplog.at_level(logging.INFO, logger="docclub.discord"):
                await adapter._invite_if_alone(h.bot)
            assert caplog.text.count(invite_url(APP_ID)) == 1
    finally:
        await fake.stop()
