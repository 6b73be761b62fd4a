"""Getting the bot into a server: the permissions it uses, the invite URL, and the REST calls
(through `DISCORD_API_URL`) that find the application and the servers it is in.

`PERMISSIONS` is the one list: the invite's integer is computed from it, the README shows it
(a test compares them), and `docclub doctor` checks each server against it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import discord

__all__ = [
    "DEFAULT_API_URL",
    "PERMISSIONS",
    "SCOPES",
    "Guild",
    "application_id",
    "invite_url",
    "permissions",
    "rest",
    "use_api_url",
]

DEFAULT_API_URL = "https://discord.com/api/v10"
SCOPES = ("bot", "applications.commands")

# discord.py's name of each permission -> as Discord's invite screen shows it, and why docclub needs it.
PERMISSIONS: dict[str, tuple[str, str]] = {
    "view_channel": ("View Channels", "see the announcement channel"),
    "send_messages": ("Send Messages", "announcements and reminders"),
    "embed_links": ("Embed Links", "film, poll and party cards"),
    "attach_files": ("Attach Files", "calendar (.ics) files and exports"),
    "read_message_history": ("Read Message History", "keep poll and party cards current"),
    "create_public_threads": ("Create Public Threads", "the discussion thread after a party"),
    "send_messages_in_threads": ("Send Messages in Threads", "the discussion prompts"),
    "manage_events": ("Manage Events", "a Discord event for each watch party"),
}


def permissions() -> discord.Permissions:
    """Exactly the permissions docclub uses."""
    return discord.Permissions(**dict.fromkeys(PERMISSIONS, True))


def invite_url(client_id: int) -> str:
    """The link that adds the bot to a server with its slash commands and its permissions."""
    return discord.utils.oauth_url(client_id, permissions=permissions(), scopes=SCOPES)


def use_api_url(api_url: str | None) -> None:
    """Send every discord.py REST call to `api_url` (DISCORD_API_URL: a proxy, or a test's
    fake). discord.py keeps the base on its `Route` class, so it holds for the whole process."""
    discord.http.Route.BASE = (api_url or DEFAULT_API_URL).rstrip("/")


@dataclass(frozen=True, slots=True)
class Guild:
    id: int
    name: str
    permissions: discord.Permissions  # the bot's own, server-wide


@contextlib.asynccontextmanager
async def rest(token: str, api_url: str | None) -> AsyncIterator[discord.http.HTTPClient]:
    """discord.py's REST client, logged in with the bot token (GET /users/@me): raises
    `discord.LoginFailure` for a token Discord refuses."""
    use_api_url(api_url)
    http = discord.http.HTTPClient(asyncio.get_running_loop())
    try:
        await http.static_login(token)
        yield http
    finally:
        await http.close()


async def application_id(http: discord.http.HTTPClient) -> int:
    """The bot's application id, which is the invite's client id (GET /oauth2/applications/@me)."""
    data: Any = await http.application_info()
    return int(data["id"])


async def guilds(http: discord.http.HTTPClient) -> list[Guild]:
    """The servers the bot is in, with its permissions in each (GET /users/@me/guilds)."""
    found: list[Guild] = []
    after: int | None = None
    while True:
        page: list[Any] = await http.get_guilds(200, after=after)
        for g in page:
            found.append(
                Guild(int(g["id"]), str(g.get("name") or g["id"]), discord.Permissions(int(g.get("permissions") or 0)))
            )
        if len(page) < 200:
            return found
        after = int(page[-1]["id"])
