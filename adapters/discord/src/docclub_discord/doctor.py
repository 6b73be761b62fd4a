"""`docclub doctor`'s Discord lines: the token (GET /users/@me), the intents, and for each
server the permissions docclub uses and the announcement channel. Every call goes through
DISCORD_API_URL."""

from __future__ import annotations

import re

import discord

from docclub.config import Settings
from docclub.core.models import ClubKey
from docclub.doctor import ClubConfigs, Finding, note, ok, problem
from docclub_discord.install import PERMISSIONS, Guild, application_id, guilds, invite_url, rest

__all__ = ["check"]

_CHANNEL_ID = re.compile(r"<#(\d{15,22})>|(\d{15,22})")

# What goes wrong in a server without each permission, as an organizer would notice it.
_WITHOUT = {
    "manage_events": "no Discord events for watch parties there",
    "create_public_threads": "no discussion threads after parties there",
    "send_messages_in_threads": "no discussion prompts in threads there",
    "send_messages": "no announcements or reminders there",
    "view_channel": "announcements can't reach their channel",
    "embed_links": "cards show without their details",
    "attach_files": "no calendar files there",
    "read_message_history": "poll and party cards may not stay current",
}


async def check(settings: Settings, club_config: ClubConfigs) -> list[Finding]:
    if settings.discord_token is None:
        return [note("Discord: not set up (DISCORD_TOKEN is unset)")]
    found: list[Finding] = []
    try:
        async with rest(settings.discord_token.get_secret_value(), settings.discord_api_url) as http:
            found.append(ok("Discord: the bot token works"))
            found.append(ok("Discord: intents are guilds and voice states only, none privileged: nothing to enable"))
            app_id = settings.discord_client_id or await application_id(http)
            servers = await guilds(http)
            if not servers:
                found.append(problem(f"Discord: the bot is in no server yet: invite it with {invite_url(app_id)}"))
            for guild in servers:
                found.extend(await _check_guild(http, guild, club_config, app_id))
    except discord.LoginFailure:
        return [
            problem(
                "Discord: DISCORD_TOKEN was refused (reset or revoked?): in the developer portal, "
                "Bot → Reset Token, and put the new token in DISCORD_TOKEN"
            )
        ]
    except (discord.HTTPException, OSError, TimeoutError) as exc:
        found.append(
            problem(f"Discord: can't reach the API ({type(exc).__name__}): check DISCORD_API_URL and the network")
        )
    return found


async def _check_guild(
    http: discord.http.HTTPClient, guild: Guild, club_config: ClubConfigs, app_id: int
) -> list[Finding]:
    found: list[Finding] = []
    perms = guild.permissions
    missing = [] if perms.administrator else [n for n in PERMISSIONS if not getattr(perms, n)]
    if missing:
        for name in missing:
            label = PERMISSIONS[name][0]
            found.append(
                problem(
                    f"Discord server {guild.name}: missing {label} → {_WITHOUT.get(name, 'some features off there')}; "
                    "grant it to docclub's role, or invite again with `docclub discord invite`"
                )
            )
    else:
        found.append(ok(f"Discord server {guild.name}: every permission docclub uses is granted"))
    config = await club_config(ClubKey("discord", str(guild.id)))
    configured = config.announce_channel if config is not None else None
    if configured:
        m = _CHANNEL_ID.fullmatch(configured.strip())
        if m is None:
            found.append(note(f"Discord server {guild.name}: announcement channel {configured} (by name; not checked)"))
            return found
        try:
            channel = await http.get_channel(int(m.group(1) or m.group(2)))
        except discord.NotFound:
            found.append(
                problem(
                    f"Discord server {guild.name}: the announcement channel no longer exists: "
                    "set another with /club set"
                )
            )
        except discord.Forbidden:
            found.append(
                problem(
                    f"Discord server {guild.name}: docclub can't see the announcement channel: "
                    "let its role view and send messages there"
                )
            )
        else:
            found.append(
                ok(f"Discord server {guild.name}: announcement channel #{channel.get('name', '?')} is visible")
            )
    return found
