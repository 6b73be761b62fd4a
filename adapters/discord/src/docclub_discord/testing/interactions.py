"""INTERACTION_CREATE payloads shaped like the gateway's: slash commands (and their
autocomplete), the same in direct messages, button clicks and form submissions, by `Member`s."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import discord

from docclub_discord.testing.ids import APP_ID, CHANNEL_ID, GUILD_ID, ORDINARY
from docclub_discord.testing.server import FakeDiscord

__all__ = ["Interactions", "Member"]


@dataclass(frozen=True)
class Member:
    """A guild member who clicks and types in tests."""

    user_id: int
    name: str
    permissions: int = ORDINARY
    roles: tuple[int, ...] = ()

    def payload(self) -> dict[str, Any]:
        return {
            "user": {
                "id": str(self.user_id),
                "username": self.name.lower(),
                "discriminator": "0",
                "global_name": self.name,
                "avatar": None,
                "public_flags": 0,
            },
            "roles": [str(r) for r in self.roles],
            "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "nick": None,
            "avatar": None,
            "permissions": str(self.permissions),
            "communication_disabled_until": None,
        }


@dataclass(frozen=True)
class Upload:
    """A file a member attaches to a slash command's attachment option."""

    filename: str
    data: bytes
    content_type: str = "text/csv"


def _option(name: str, value: Any, focused: bool = False) -> dict[str, Any]:
    kind = 5 if isinstance(value, bool) else 4 if isinstance(value, int) else 3
    out: dict[str, Any] = {"name": name, "type": kind, "value": value}
    if focused:
        out["focused"] = True
    return out


_INTERACTION_IDS = itertools.count(1)


class Interactions:
    """Builds INTERACTION_CREATE payloads shaped like the gateway's. Their ids are snowflakes
    of the test clock's time (less `lag` seconds: how long the gateway took to deliver them),
    made in `channel_id` (a text channel the fake knows)."""

    def __init__(self, fake: FakeDiscord, app_permissions: int = 0) -> None:
        self.fake = fake
        self.app_permissions = app_permissions
        self.channel_id = CHANNEL_ID
        self.lag = 0.0
        self._ids = _INTERACTION_IDS  # unique across restarts in one test

    def snowflake(self) -> int:
        return discord.utils.time_snowflake(self.fake.now() - timedelta(seconds=self.lag)) + next(self._ids)

    def _base(self, kind: int, member: Member, data: dict[str, Any]) -> dict[str, Any]:
        iid = self.snowflake()
        self.fake.interaction_channels[f"tok{iid}"] = self.channel_id
        return {
            "id": str(iid),
            "application_id": str(APP_ID),
            "type": kind,
            "data": data,
            "guild_id": str(GUILD_ID),
            "guild": {"id": str(GUILD_ID), "locale": "en-US", "features": []},
            "channel": {
                "id": str(self.channel_id),
                "type": 0,
                "guild_id": str(GUILD_ID),
                "name": self.fake.channels.get(self.channel_id, (0, "channel"))[1],
                "position": 0,
                "permission_overwrites": [],
                "nsfw": False,
                "parent_id": None,
                "last_message_id": None,
                "rate_limit_per_user": 0,
                "topic": None,
                "flags": 0,
            },
            "channel_id": str(self.channel_id),
            "member": member.payload(),
            "token": f"tok{iid}",
            "version": 1,
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "entitlement_sku_ids": [],
            "authorizing_integration_owners": {"0": str(GUILD_ID)},
            "context": 0,
            "attachment_size_limit": 26214400,
            "app_permissions": str(self.app_permissions),
        }

    def command(self, member: Member, path: str, options: dict[str, Any], focused: str | None = None) -> dict[str, Any]:
        """A slash command ('film suggest', 'vote') with its options; `focused` makes it autocomplete."""
        names = path.split()
        uploads = {k: v for k, v in options.items() if isinstance(v, Upload)}
        opts = [_option(k, v, k == focused) for k, v in options.items() if v is not None and k not in uploads]
        resolved: dict[str, Any] = {}
        for k, upload in uploads.items():
            aid = str(self.fake.next_id())
            self.fake.uploads[aid] = upload.data
            opts.append({"name": k, "type": 11, "value": aid})
            resolved[aid] = {
                "id": aid,
                "filename": upload.filename,
                "size": len(upload.data),
                "url": f"{self.fake.base}/attachments/{aid}",
                "proxy_url": f"{self.fake.base}/attachments/{aid}",
                "content_type": upload.content_type,
            }
        for sub in reversed(names[1:]):
            opts = [{"name": sub, "type": 1, "options": opts}]
        data = {"id": str(self.snowflake()), "name": names[0], "type": 1, "options": opts, "guild_id": str(GUILD_ID)}
        if resolved:
            data["resolved"] = {"attachments": resolved}
        return self._base(4 if focused else 2, member, data)

    def direct(self, member: Member, path: str, options: dict[str, Any]) -> dict[str, Any]:
        """The same slash command sent in the member's direct messages with the bot."""
        payload = self.command(member, path, options)
        for name in ("guild_id", "guild", "member"):
            payload.pop(name)
        payload["data"].pop("guild_id")
        payload["user"] = member.payload()["user"]
        dm = self.fake.next_id()
        payload["channel"] = {"id": str(dm), "type": 1, "last_message_id": None, "flags": 0, "recipients": []}
        payload["channel_id"] = str(dm)
        payload["context"] = 1  # the bot's DM
        payload["authorizing_integration_owners"] = {"1": str(member.user_id)}
        return payload

    def click(self, member: Member, message: dict[str, Any], custom_id: str) -> dict[str, Any]:
        data = {"custom_id": custom_id, "component_type": 2}
        payload = self._base(3, member, data)
        payload["message"] = message
        return payload

    def choose(self, member: Member, message: dict[str, Any], custom_id: str, values: list[str]) -> dict[str, Any]:
        """A choice in a select menu (component type 3) of `message`."""
        payload = self._base(3, member, {"custom_id": custom_id, "component_type": 3, "values": values})
        payload["message"] = message
        return payload

    def submit(self, member: Member, custom_id: str, values: dict[str, str]) -> dict[str, Any]:
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in values.items()]
        return self._base(5, member, {"custom_id": custom_id, "components": rows})
