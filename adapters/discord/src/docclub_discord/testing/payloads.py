"""The JSON the fake Discord answers with: messages, the application, servers, channels,
threads, direct-message channels and scheduled events, shaped as discord.py expects them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from docclub_discord.testing.ids import APP_ID, BOT_ID, BOT_USER, GUILD_ID

__all__ = ["application", "channel", "dm_channel", "guild", "message", "scheduled_event", "thread"]

OWNER_ID = "900000000000000003"  # the application's owner, not a member in tests


def application() -> dict[str, Any]:
    """The bot's application (GET /oauth2/applications/@me)."""
    return {
        "id": str(APP_ID),
        "name": "docclub",
        "icon": None,
        "description": "",
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": 0,
        "summary": "",
        "owner": {**BOT_USER, "id": OWNER_ID, "username": "owner", "bot": False},
        "bot": BOT_USER,
        "interactions_endpoint_url": None,
        "team": None,
    }


def message(
    mid: int, channel_id: int, data: dict[str, Any], attachments: list[tuple[int, str, bytes]], now: datetime
) -> dict[str, Any]:
    """A message the bot posted: `data` as sent, `attachments` as (id, file name, bytes)."""
    return {
        "id": str(mid),
        "channel_id": str(channel_id),
        "guild_id": str(GUILD_ID),
        "author": BOT_USER,
        "content": data.get("content") or "",
        "timestamp": now.isoformat(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "pinned": False,
        "type": 0,
        "flags": data.get("flags") or 0,
        "embeds": data.get("embeds") or [],
        "components": data.get("components") or [],
        "attachments": [
            {
                "id": str(aid),
                "filename": name,
                "size": len(blob),
                "url": f"https://cdn.invalid/{name}",
                "proxy_url": f"https://cdn.invalid/{name}",
            }
            for aid, name, blob in attachments
        ],
    }


def thread(channel_id: int, message_id: int, name: str, now: datetime) -> dict[str, Any]:
    """A thread started from a message: as on Discord, it has the message's id."""
    return {
        "id": str(message_id),
        "type": 11,
        "guild_id": str(GUILD_ID),
        "parent_id": str(channel_id),
        "name": name,
        "owner_id": str(BOT_ID),
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": now.isoformat(),
            "locked": False,
        },
    }


def dm_channel(channel_id: int, user_id: int) -> dict[str, Any]:
    """The bot's direct-message channel with a member."""
    return {
        "id": str(channel_id),
        "type": 1,
        "last_message_id": None,
        "recipients": [
            {
                "id": str(user_id),
                "username": f"user{user_id}",
                "discriminator": "0",
                "avatar": None,
                "global_name": None,
            }
        ],
    }


def guild(guild_id: int, extra: dict[str, Any]) -> dict[str, Any]:
    """A server, with `extra` fields over the defaults (its system channel, the bot's permissions)."""
    return {
        "id": str(guild_id),
        "name": "Documentary Club",
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": OWNER_ID,
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": [],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": None,
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "system_channel_id": None,
        **extra,
    }


def channel(channel_id: int, kind: int, name: str) -> dict[str, Any]:
    """A channel of the server: text (0), voice (2) or stage (13)."""
    return {
        "id": str(channel_id),
        "type": kind,
        "guild_id": str(GUILD_ID),
        "name": name,
        "position": 0,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "bitrate": 64000,
        "user_limit": 0,
        "rtc_region": None,
        "rate_limit_per_user": 0,
        "topic": None,
        "last_message_id": None,
        "flags": 0,
    }


def scheduled_event(guild_id: int, event_id: int, body: dict[str, Any], now: datetime) -> dict[str, Any]:
    """A scheduled event as made or edited from the request's `body`."""
    return {
        "id": str(event_id),
        "guild_id": str(guild_id),
        "channel_id": body.get("channel_id"),
        "creator_id": str(BOT_ID),
        "name": body.get("name", "event"),
        "description": body.get("description"),
        "scheduled_start_time": body.get("scheduled_start_time", now.isoformat()),
        "scheduled_end_time": body.get("scheduled_end_time"),
        "privacy_level": 2,
        "status": body.get("status", 1),
        "entity_type": body.get("entity_type", 3),
        "entity_id": None,
        "entity_metadata": body.get("entity_metadata"),
        "user_count": 0,
        "image": None,
    }
