"""Adapters render a command's answer with the club as that command saw it, without reading it again."""

from __future__ import annotations

from docclub.core.models import Actor
from tests.conftest import Club

OWNER = Actor("console", "owner", "Owner", is_organizer=True)


async def test_the_club_seen_follows_the_latest_command_and_a_settings_change(club: Club) -> None:
    key = club.session.key
    await club.app.films.list(key, OWNER)
    assert (await club.app.club_seen(key)).config.timezone == "UTC"
    await club.app.settings.set(key, OWNER, "timezone", "Europe/Berlin")
    assert (await club.app.club_seen(key)).config.timezone == "Europe/Berlin"
    await club.app.films.list(key, OWNER)
    assert (await club.app.club_seen(key)).config.timezone == "Europe/Berlin"
