"""Offline Discord for tests, one job a file:

- `ids`: the fake world's ids (application, bot, server, channels) and permission bits;
- `server`: `FakeDiscord`, the REST routes docclub uses, recording every request;
- `payloads`: the JSON the fake answers with (messages, servers, channels, events);
- `interactions`: `Member`s and the INTERACTION_CREATE payloads they send;
- `harness`: `Harness`, a logged-in Bot on a SQLite file fed interactions as the gateway would;
- `text`: Discord output back to plain text; `driver`: `DiscordDriver` for scenario transcripts.

discord.py is pointed at the fake through `discord.http.Route.BASE`. Nothing here reaches the
network.
"""

from docclub_discord.testing.driver import DiscordDriver, slash_for
from docclub_discord.testing.harness import Answer, Harness, harness
from docclub_discord.testing.ids import (
    ADMINISTRATOR,
    APP_ID,
    BOT_ID,
    BOT_USER,
    CHANNEL_ID,
    EVERY_PERMISSION,
    GUILD_ID,
    HANG_GUARD,
    MANAGE_EVENTS,
    MANAGE_GUILD,
    ORDINARY,
    STAGE_CHANNEL_ID,
    SYSTEM_CHANNEL_ID,
    TOKEN_LIFETIME,
    VOICE_CHANNEL_ID,
)
from docclub_discord.testing.interactions import Interactions, Member, Upload
from docclub_discord.testing.server import FakeDiscord, Received
from docclub_discord.testing.text import buttons, console_command, flatten, plain, unrender

__all__ = [
    "ADMINISTRATOR",
    "APP_ID",
    "BOT_ID",
    "BOT_USER",
    "CHANNEL_ID",
    "EVERY_PERMISSION",
    "GUILD_ID",
    "HANG_GUARD",
    "MANAGE_EVENTS",
    "MANAGE_GUILD",
    "ORDINARY",
    "STAGE_CHANNEL_ID",
    "SYSTEM_CHANNEL_ID",
    "TOKEN_LIFETIME",
    "VOICE_CHANNEL_ID",
    "Answer",
    "DiscordDriver",
    "FakeDiscord",
    "Harness",
    "Interactions",
    "Member",
    "Received",
    "Upload",
    "buttons",
    "console_command",
    "flatten",
    "harness",
    "plain",
    "slash_for",
    "unrender",
]
