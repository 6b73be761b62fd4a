"""Offline Discord for tests: a small aiohttp fake of the REST routes docclub uses, and real
INTERACTION_CREATE payloads fed to the client as the gateway would.

The fake answers on 127.0.0.1 only and records every request (method, path, JSON body, files,
and the test clock's time), so tests assert on what Discord would have received: callback
type, content, embeds, components, allowed_mentions, nonces. discord.py is pointed at it
through `discord.http.Route.BASE`. Nothing here reaches the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import discord
from aiohttp import web

__all__ = [
    "APP_ID",
    "BOT_ID",
    "STAGE_CHANNEL_ID",
    "VOICE_CHANNEL_ID",
    "DiscordDriver",
    "FakeDiscord",
    "Harness",
    "Member",
    "Received",
    "harness",
    "unrender",
]

APP_ID = 900000000000000001
BOT_ID = 900000000000000002
GUILD_ID = 800000000000000001
CHANNEL_ID = 800000000000000002
SYSTEM_CHANNEL_ID = 800000000000000003
VOICE_CHANNEL_ID = 800000000000000004
STAGE_CHANNEL_ID = 800000000000000005
HANG_GUARD = 10.0  # seconds; a test waiting this long has failed, it never waits for timing
TOKEN_LIFETIME = 15 * 60  # seconds an interaction token works for its webhook, as on Discord
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3
# What an ordinary member of a server holds (Discord's default @everyone permissions, resolved
# for the channel): View Channel, Send Messages, Embed Links, Attach Files, Read Message History,
# Add Reactions, Use Application Commands, Connect, Speak, Create Public Threads, Send Messages in
# Threads. Test members carry these, not 0, so "has some permission" can never pass for organizer.
ORDINARY = (
    (1 << 10)
    | (1 << 11)
    | (1 << 14)
    | (1 << 15)
    | (1 << 16)
    | (1 << 6)
    | (1 << 31)
    | (1 << 20)
    | (1 << 21)
    | (1 << 35)
    | (1 << 38)
)
EVERY_PERMISSION = (1 << 51) - 1
MANAGE_EVENTS = 1 << 33

BOT_USER = {
    "id": str(BOT_ID),
    "username": "docclub",
    "discriminator": "0",
    "global_name": "docclub",
    "avatar": None,
    "bot": True,
    "flags": 0,
    "public_flags": 0,
}


@dataclass
class Received:
    method: str
    path: str  # without /api/v10
    query: dict[str, str]
    body: Any
    files: list[tuple[str, bytes]]
    at: datetime
    mono: float = field(default_factory=time.perf_counter)  # when it arrived, for latency figures

    def message_data(self) -> dict[str, Any]:
        """The message part of the request (an interaction callback carries it under `data`)."""
        if isinstance(self.body, dict) and "type" in self.body and "data" in self.body:
            data = self.body.get("data")
            return data if isinstance(data, dict) else {}
        return self.body if isinstance(self.body, dict) else {}


class FakeDiscord:
    """The Discord REST API, as far as docclub uses it."""

    def __init__(self, now: Callable[[], datetime] | None = None) -> None:
        self.now = now or (lambda: datetime.now(UTC))
        self.received: list[Received] = []
        self.messages: dict[int, dict[str, Any]] = {}
        # guild id -> its fields; "permissions": the bot's own there (default: what docclub asks for)
        self.guilds: dict[int, dict[str, Any]] = {GUILD_ID: {"system_channel_id": str(SYSTEM_CHANNEL_ID)}}
        self.revoked = False  # the bot token was reset: every call is answered 401
        self.fail_channel_posts = 0  # refuse the next N channel posts (403 Missing Access)
        self.closed_dms: set[int] = set()  # users who accept no direct messages from the bot (50007)
        self.hidden_channels: set[int] = set()  # channels the bot cannot view (50001 on its own calls)
        self.stall_edits: asyncio.Event | None = None  # message edits wait for this (a Discord that hangs)
        self.interaction_channels: dict[str, int] = {}  # interaction token -> the channel it came from
        self._token_times: dict[str, datetime] = {}  # interaction token -> when it was first answered
        self.channels: dict[int, tuple[int, str]] = {  # id -> (channel type, name)
            CHANNEL_ID: (0, "watch-club"),
            SYSTEM_CHANNEL_ID: (0, "general"),
            VOICE_CHANNEL_ID: (2, "Cinema"),
            STAGE_CHANNEL_ID: (13, "Big screen"),
        }
        self._ids = itertools.count(100000000000000000)
        self._nonces: dict[tuple[str, str], dict[str, Any]] = {}
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.base = ""
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., Any]]] = [
            ("GET", re.compile(r"/users/@me"), self._me),
            ("GET", re.compile(r"/users/@me/guilds"), self._my_guilds),
            ("GET", re.compile(r"/oauth2/applications/@me"), self._application),
            ("PUT", re.compile(r"/applications/\d+(/guilds/\d+)?/commands"), self._commands),
            ("POST", re.compile(r"/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback"), self._callback),
            ("POST", re.compile(r"/webhooks/\d+/(?P<token>[^/]+)"), self._followup),
            ("PATCH", re.compile(r"/webhooks/\d+/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)"), self._edit_hook),
            ("DELETE", re.compile(r"/webhooks/\d+/(?P<token>[^/]+)/messages/(?P<mid>@original|\d+)"), self._no_content),
            ("POST", re.compile(r"/channels/(?P<cid>\d+)/messages"), self._post),
            ("PATCH", re.compile(r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)"), self._edit),
            ("POST", re.compile(r"/channels/(?P<cid>\d+)/messages/(?P<mid>\d+)/threads"), self._thread),
            ("POST", re.compile(r"/users/@me/channels"), self._dm),
            ("GET", re.compile(r"/channels/(?P<cid>\d+)"), self._channel),
            ("GET", re.compile(r"/guilds/(?P<gid>\d+)"), self._guild),
            ("POST", re.compile(r"/guilds/(?P<gid>\d+)/scheduled-events"), self._event),
            ("PATCH", re.compile(r"/guilds/(?P<gid>\d+)/scheduled-events/(?P<eid>\d+)"), self._event),
        ]
        self._hook_messages: dict[str, int] = {}  # interaction token -> original response message id
        self.dm_channels: dict[int, int] = {}  # direct-message channel id -> user id
        self.threads: dict[int, int] = {}  # thread id (= the message it started from) -> parent channel id

    # ---- running ----

    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/v10/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base = f"http://127.0.0.1:{port}/api/v10"
        return self.base

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def next_id(self) -> int:
        return next(self._ids)

    # ---- what tests look at ----

    def requests(self, method: str | None = None, path: str | None = None) -> list[Received]:
        """Recorded requests, filtered by method and a regex the path must fully match."""
        return [
            r
            for r in self.received
            if (method is None or r.method == method) and (path is None or re.fullmatch(path, r.path))
        ]

    def for_interaction(self, interaction_id: int, token: str) -> list[Received]:
        """The callback and follow-ups of one interaction, in order."""
        return [
            r
            for r in self.received
            if r.path.startswith((f"/interactions/{interaction_id}/", f"/webhooks/{APP_ID}/{token}"))
        ]

    async def wait_for(self, check: Callable[[], bool]) -> None:
        """Until `check()` holds after some request; the time limit only guards against a hang."""
        async with asyncio.timeout(HANG_GUARD):
            while not check():
                self._changed.clear()
                await self._changed.wait()

    # ---- HTTP ----

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        files: list[tuple[str, bytes]] = []
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, aiohttp.BodyPartReader):  # a nested multipart: not sent by discord.py
                    continue
                if part.name == "payload_json":
                    body = json.loads(await part.text())
                else:
                    files.append((part.filename or "", bytes(await part.read())))
        elif request.can_read_body:
            raw = await request.read()
            body = json.loads(raw) if raw else None
        rec = Received(request.method, path, dict(request.query), body, files, self.now())
        self.received.append(rec)
        self._changed.set()
        if self.stall_edits is not None and request.method == "PATCH" and "/messages/" in path:
            await self.stall_edits.wait()
        if self.revoked:
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        for method, pattern, handler in self._routes:
            m = pattern.fullmatch(path)
            if m and method == request.method:
                result = handler(rec, **m.groupdict())
                if isinstance(result, web.StreamResponse):
                    return result
                return _json(result)
        return _json({"message": f"404: Not Found ({request.method} {path})", "code": 0}, status=404)

    def _me(self, rec: Received) -> Any:
        return BOT_USER

    def _my_guilds(self, rec: Received) -> Any:
        from docclub_discord.install import permissions

        return [
            {
                "id": str(gid),
                "name": extra.get("name", "Documentary Club"),
                "icon": None,
                "owner": False,
                "permissions": str(extra.get("permissions", permissions().value)),
                "features": [],
            }
            for gid, extra in sorted(self.guilds.items())
        ]

    def _application(self, rec: Received) -> Any:
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
            "owner": {**BOT_USER, "id": "900000000000000003", "username": "owner", "bot": False},
            "bot": BOT_USER,
            "interactions_endpoint_url": None,
            "team": None,
        }

    def _commands(self, rec: Received) -> Any:
        out = []
        for cmd in rec.body or []:
            out.append(
                {
                    **cmd,
                    "id": str(self.next_id()),
                    "application_id": str(APP_ID),
                    "version": "1",
                    "default_member_permissions": cmd.get("default_member_permissions"),
                }
            )
        return out

    def _message(self, channel_id: int, data: dict[str, Any], files: list[tuple[str, bytes]]) -> dict[str, Any]:
        mid = self.next_id()
        message = {
            "id": str(mid),
            "channel_id": str(channel_id),
            "guild_id": str(GUILD_ID),
            "author": BOT_USER,
            "content": data.get("content") or "",
            "timestamp": self.now().isoformat(),
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
                    "id": str(self.next_id()),
                    "filename": name,
                    "size": len(blob),
                    "url": f"https://cdn.invalid/{name}",
                    "proxy_url": f"https://cdn.invalid/{name}",
                }
                for name, blob in files
            ],
        }
        self.messages[mid] = message
        return message

    def _expired(self, token: str) -> web.Response | None:
        """Discord refuses an interaction token's webhook 15 minutes after the interaction."""
        first = self._token_times.get(token)
        if first is not None and (self.now() - first).total_seconds() > TOKEN_LIFETIME:
            return _json({"message": "Invalid Webhook Token", "code": 50027}, status=401)
        return None

    def _callback(self, rec: Received, id: str, token: str) -> Any:
        body = rec.body or {}
        kind = body.get("type")
        info: dict[str, Any] = {"id": id, "type": 2}
        self._token_times.setdefault(token, self.now())
        if kind in (4, 5, 7):
            data = body.get("data") or {}
            message = self._message(self.interaction_channels.get(token, CHANNEL_ID), data, rec.files)
            self._hook_messages[token] = int(message["id"])
            info.update(
                response_message_id=message["id"],
                response_message_loading=kind == 5,
                response_message_ephemeral=bool((data.get("flags") or 0) & 64),
            )
            return {"interaction": info, "resource": {"type": kind, "message": message}}
        return {"interaction": info}

    def _followup(self, rec: Received, token: str) -> Any:
        return self._expired(token) or self._message(
            self.interaction_channels.get(token, CHANNEL_ID), rec.body or {}, rec.files
        )

    def _edit_hook(self, rec: Received, token: str, mid: str) -> Any:
        if expired := self._expired(token):
            return expired
        message_id = self._hook_messages.get(token) if mid == "@original" else int(mid)
        if message_id is None or message_id not in self.messages:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        return self._apply_edit(message_id, rec)

    def _apply_edit(self, message_id: int, rec: Received) -> Any:
        message = self.messages[message_id]
        for name in ("content", "embeds", "components"):
            if isinstance(rec.body, dict) and name in rec.body:
                message[name] = rec.body[name] if rec.body[name] is not None else ([] if name != "content" else "")
        message["edited_timestamp"] = self.now().isoformat()
        return message

    def _no_content(self, rec: Received, **_: str) -> Any:
        return web.Response(status=204)

    def _missing_access(self, cid: str) -> web.Response | None:
        if int(cid) in self.hidden_channels:
            return _json({"message": "Missing Access", "code": 50001}, status=403)
        return None

    def _post(self, rec: Received, cid: str) -> Any:
        if denied := self._missing_access(cid):
            return denied
        if self.dm_channels.get(int(cid)) in self.closed_dms:
            return _json({"message": "Cannot send messages to this user", "code": 50007}, status=403)
        if self.fail_channel_posts:
            self.fail_channel_posts -= 1
            return _json({"message": "Missing Access", "code": 50001}, status=403)
        body = rec.body or {}
        nonce = body.get("nonce")
        if nonce and body.get("enforce_nonce") and (cid, nonce) in self._nonces:
            return self._nonces[(cid, nonce)]  # Discord returns the first message for a repeated nonce
        message = self._message(int(cid), body, rec.files)
        if nonce:
            message["nonce"] = nonce
            self._nonces[(cid, nonce)] = message
        return message

    def _edit(self, rec: Received, cid: str, mid: str) -> Any:
        if denied := self._missing_access(cid):
            return denied
        if int(mid) not in self.messages:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        return self._apply_edit(int(mid), rec)

    def _thread(self, rec: Received, cid: str, mid: str) -> Any:
        message = self.messages.get(int(mid))
        if message is None or message["channel_id"] != cid:
            return _json({"message": "Unknown Message", "code": 10008}, status=404)
        if int(mid) in self.threads:
            return _json({"message": "A thread has already been created for this message", "code": 160004}, 400)
        self.threads[int(mid)] = int(cid)
        return {
            "id": mid,  # as on Discord: a thread started from a message has the message's id
            "type": 11,
            "guild_id": str(GUILD_ID),
            "parent_id": cid,
            "name": (rec.body or {}).get("name", "thread"),
            "owner_id": str(BOT_ID),
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 1440,
                "archive_timestamp": self.now().isoformat(),
                "locked": False,
            },
        }

    def _dm(self, rec: Received) -> Any:
        user_id = (rec.body or {}).get("recipient_id")
        channel_id = self.next_id()
        self.dm_channels[channel_id] = int(user_id or 0)
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

    def _guild(self, rec: Received | None, gid: str) -> Any:
        extra = self.guilds.get(int(gid))
        if extra is None:
            return _json({"message": "Unknown Guild", "code": 10004}, status=404)
        return {
            "id": gid,
            "name": "Documentary Club",
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": "900000000000000003",
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

    def channel_payload(self, cid: int) -> dict[str, Any]:
        kind, name = self.channels[cid]
        return {
            "id": str(cid),
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

    def _channel(self, rec: Received, cid: str) -> Any:
        if int(cid) not in self.channels:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        return self.channel_payload(int(cid))

    def _event(self, rec: Received, gid: str, eid: str | None = None) -> Any:
        body = rec.body or {}
        return {
            "id": eid or str(self.next_id()),
            "guild_id": gid,
            "channel_id": body.get("channel_id"),
            "creator_id": str(BOT_ID),
            "name": body.get("name", "event"),
            "description": body.get("description"),
            "scheduled_start_time": body.get("scheduled_start_time", self.now().isoformat()),
            "scheduled_end_time": body.get("scheduled_end_time"),
            "privacy_level": 2,
            "status": body.get("status", 1),
            "entity_type": body.get("entity_type", 3),
            "entity_id": None,
            "entity_metadata": body.get("entity_metadata"),
            "user_count": 0,
            "image": None,
        }


def _json(data: Any, status: int = 200) -> web.Response:
    # Exactly application/json, or discord.py reads the body as text.
    return web.Response(status=status, body=json.dumps(data).encode(), content_type="application/json")


# ---- interactions ----


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
        from datetime import timedelta

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
        opts = [_option(k, v, k == focused) for k, v in options.items() if v is not None]
        for sub in reversed(names[1:]):
            opts = [{"name": sub, "type": 1, "options": opts}]
        data = {"id": str(self.snowflake()), "name": names[0], "type": 1, "options": opts, "guild_id": str(GUILD_ID)}
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

    def submit(self, member: Member, custom_id: str, values: dict[str, str]) -> dict[str, Any]:
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in values.items()]
        return self._base(5, member, {"custom_id": custom_id, "components": rows})


@dataclass
class Answer:
    """What Discord received in answer to one interaction."""

    interaction_id: int
    requests: list[Received]

    @property
    def callback(self) -> Received:
        return self.requests[0]

    @property
    def callback_type(self) -> int:
        return int(self.callback.body["type"])

    def messages(self) -> list[dict[str, Any]]:
        """Message bodies: the callback's, then follow-ups and edits of the original."""
        out: list[dict[str, Any]] = []
        for r in self.requests:
            if r.method == "DELETE":
                continue
            data = r.message_data()
            if data or r.method != "POST" or not r.path.endswith("/callback"):
                out.append(data)
        return [m for m in out if m]

    @property
    def ephemeral(self) -> bool:
        return any((m.get("flags") or 0) & 64 for m in self.messages())

    def text(self) -> str:
        """Everything shown, flattened: content, embed titles, descriptions, fields, footers, buttons."""
        parts: list[str] = []
        for m in self.messages():
            parts.extend(flatten(m))
        return "\n".join(parts)


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for row in message.get("components") or [] for c in row.get("components", [])]


def flatten(message: dict[str, Any]) -> Iterator[str]:
    if message.get("content"):
        yield message["content"]
    for e in message.get("embeds") or []:
        for name in ("title", "description"):
            if e.get(name):
                yield e[name]
        for f in e.get("fields") or []:
            yield f"{f['name']}: {f['value']}"
        if e.get("footer"):
            yield e["footer"]["text"]
    for b in buttons(message):
        yield f"[{b.get('label', '')}]"


@dataclass
class Harness:
    """A logged-in docclub Bot on a real SQLite file, a FakeClock, and the fake Discord."""

    fake: FakeDiscord
    bot: Any  # docclub_discord.Bot
    app: Any  # Docclub
    store: Any
    clock: Any  # FakeClock
    interactions: Interactions
    db_path: Path
    owner: Member = field(default_factory=lambda: Member(500000000000000001, "Organizer", ORDINARY | MANAGE_GUILD))
    voice_members: list[Member] = field(default_factory=list)  # members the gateway has told of

    async def feed(self, payload: dict[str, Any]) -> Answer:
        """Deliver one interaction as the gateway would and wait until it is answered."""
        iid = int(payload["id"])
        self.bot.client._connection.parse_interaction_create(payload)
        async with asyncio.timeout(HANG_GUARD):
            if payload["type"] == 4:
                await self.fake.wait_for(lambda: bool(self.fake.for_interaction(iid, payload["token"])))
            else:
                await self.bot.wait_handled(iid)
        return Answer(iid, self.fake.for_interaction(iid, payload["token"]))

    async def slash(self, member: Member, path: str, **options: Any) -> Answer:
        return await self.feed(self.interactions.command(member, path, options))

    async def autocomplete(self, member: Member, path: str, focused: str, **options: Any) -> list[dict[str, Any]]:
        answer = await self.feed(self.interactions.command(member, path, options, focused=focused))
        choices: list[dict[str, Any]] = answer.callback.body["data"]["choices"]
        return choices

    async def click(self, member: Member, message: dict[str, Any], custom_id: str) -> Answer:
        return await self.feed(self.interactions.click(member, message, custom_id))

    async def submit(self, member: Member, custom_id: str, values: dict[str, str]) -> Answer:
        return await self.feed(self.interactions.submit(member, custom_id, values))

    def guild_available(self, *, in_voice: dict[int, int] | None = None) -> None:
        """GUILD_CREATE as the gateway sends it: the text, system, voice (`VOICE_CHANNEL_ID`)
        and stage (`STAGE_CHANNEL_ID`) channels, and who is in voice now ({user id: channel})."""
        in_voice = in_voice or {}
        base = self.fake._guild(None, str(GUILD_ID))

        members = {m.user_id: m for m in self.voice_members}
        self.bot.client._connection.parse_guild_create(
            {
                **base,
                "unavailable": False,
                "joined_at": "2026-01-01T00:00:00+00:00",
                "large": False,
                "member_count": len(in_voice) + 1,
                "roles": [
                    {
                        "id": str(GUILD_ID),
                        "name": "@everyone",
                        "permissions": "0",
                        "position": 0,
                        "color": 0,
                        "hoist": False,
                        "managed": False,
                        "mentionable": False,
                        "flags": 0,
                    }
                ],
                "channels": [self.fake.channel_payload(cid) for cid in self.fake.channels],
                "members": [members[u].payload() for u in in_voice],
                "voice_states": [self._voice_state(members[u], c) for u, c in in_voice.items()],
                "threads": [],
                "stage_instances": [],
                "guild_scheduled_events": [],
                "presences": [],
                "soundboard_sounds": [],
            }
        )

    def _voice_state(self, member: Member, channel_id: int | None) -> dict[str, Any]:
        return {
            "guild_id": str(GUILD_ID),
            "channel_id": None if channel_id is None else str(channel_id),
            "user_id": str(member.user_id),
            "member": member.payload(),
            "session_id": f"session-{member.user_id}",
            "deaf": False,
            "mute": False,
            "self_deaf": False,
            "self_mute": False,
            "self_video": False,
            "self_stream": False,
            "suppress": channel_id == STAGE_CHANNEL_ID,
            "request_to_speak_timestamp": None,
        }

    async def voice(self, member: Member, channel_id: int | None, *, self_mute: bool = False) -> None:
        """VOICE_STATE_UPDATE: `member` is now in `channel_id` (None: left voice); returns when
        the bot has handled it. Call `guild_available` first, as the gateway does."""
        if member not in self.voice_members:
            self.voice_members.append(member)
        payload = {**self._voice_state(member, channel_id), "self_mute": self_mute}
        self.bot.client._connection.parse_voice_state_update(payload)
        handlers = [t for t in asyncio.all_tasks() if t.get_name() == "discord.py: on_voice_state_update"]
        async with asyncio.timeout(HANG_GUARD):
            await asyncio.gather(*handlers)

    def message(self, answer: Answer) -> dict[str, Any]:
        """The message an interaction's response created, as the fake now holds it (after edits)."""
        token = answer.callback.path.split("/")[3]
        return self.fake.messages[self.fake._hook_messages[token]]


@contextlib.asynccontextmanager
async def harness(
    tmp_path: Path,
    *,
    start: datetime | None = None,
    app_permissions: int = 0,
    fake: FakeDiscord | None = None,
    db_name: str = "club.db",
    wrap_store: Callable[[Any], Any] | None = None,
    **options: Any,
) -> AsyncIterator[Harness]:
    """A Bot logged in to a fake Discord (started here unless given), on `tmp_path/db_name`;
    `wrap_store` puts a test double of the store port around the real store."""
    from docclub.core.clubs import Docclub
    from docclub.storage.sqlite import SqliteStore
    from docclub.testing.clock import FakeClock
    from docclub_discord.adapter import compose
    from docclub_discord.options import BotOptions

    clock = FakeClock(start)
    own_fake = fake is None
    fake = fake or FakeDiscord()
    fake.now = clock.now
    if own_fake:
        await fake.start()
    saved_base = discord.http.Route.BASE
    store = await SqliteStore.open(tmp_path / db_name)
    app = Docclub(wrap_store(store) if wrap_store else store, clock)
    bot = compose(app, clock, BotOptions(**{"api_url": fake.base, **options}))  # DISCORD_API_URL's job
    try:
        await bot.login("fake-token")
        yield Harness(fake, bot, app, store, clock, Interactions(fake, app_permissions), tmp_path / db_name)
    finally:
        await bot.close()
        await store.close()
        discord.http.Route.BASE = saved_base
        if own_fake:
            await fake.stop()


# ---- back to plain text: Discord output as the console would have shown it ----

_TIME = re.compile(r"<t:(-?\d+):([FRDt])>")
_STYLE_NAMES = {"F": "full", "R": "relative", "D": "date", "t": "time"}
MENTION_LINE = re.compile(r"^(<@\d+>\s*)+$")


def console_command(spelled: str) -> str:
    """A slash command as the reply spelled it, in the console's words (`/film list which:all`
    -> `films all`). Fails loudly for anything that is not one of the adapter's commands."""
    from docclub.core.replies import text_command
    from docclub_discord.spelling import parse

    return text_command(parse(spelled))


def plain(text: str, tz: str, now: datetime) -> str:
    """Undo the rendering: `<t:…>` -> club-timezone text, `||x||` -> [spoiler: x], commands in
    code -> the console's form, escapes dropped."""
    from docclub.core.replies import format_time

    text = re.sub(r"`(/[^`]+)`", lambda m: console_command(m[1]), text)
    text = _TIME.sub(lambda m: format_time(datetime.fromtimestamp(int(m[1]), UTC), tz, _STYLE_NAMES[m[2]], now), text)
    out: list[str] = []
    spoiler = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if text.startswith("||", i):
            out.append("]" if spoiler else "[spoiler: ")
            spoiler = not spoiler
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out).replace("\u200b", "")


def unrender(message: dict[str, Any], tz: str, now: datetime) -> tuple[list[str], list[int]]:
    """A Discord message as `render_plain` lines, and the users its content mentions."""
    lines: list[str] = []
    mentioned: list[int] = []
    footers: list[str] = []
    for raw in (message.get("content") or "").split("\n"):
        if MENTION_LINE.match(raw.strip()):
            mentioned.extend(int(x) for x in re.findall(r"<@(\d+)>", raw))
        elif raw:
            lines.append(plain(raw, tz, now))
    for e in message.get("embeds") or []:
        if e.get("title"):
            lines.append(f"== {plain(e['title'], tz, now)} ==")
        if e.get("description"):
            lines.extend(plain(e["description"], tz, now).split("\n"))
        for f in e.get("fields") or []:
            values = plain(f["value"], tz, now).split("\n")
            name = plain(f["name"], tz, now)
            if len(values) == 1:
                lines.append(f"{name}: {values[0]}")
            else:
                lines.append(f"{name}:")
                lines.extend(f"  {v}" for v in values)
        if e.get("footer"):
            footer = plain(e["footer"]["text"], tz, now)
            # A footer shows no code: a command in it runs from its slash to the end.
            command = re.search(r"(?:^| )(/[a-z]+(?: [a-z]+)?(?: |$).*)$", footer)
            if command:
                footer = footer[: command.start(1)] + console_command(command[1])
            footers.append(footer)
    labels = [b.get("label", "") for b in buttons(message)]
    if labels:
        lines.append("[" + "] [".join(labels) + "]")
    lines.extend(footers)
    return lines, mentioned


class DiscordDriver:
    """Runs a scenario transcript through the Discord adapter.

    Each text line becomes the slash command a member would use, with its options filled the
    way the text grammar reads them (`rate "Beyond Utopia" 9 Great` -> /rate film:"Beyond
    Utopia" score:9 review:Great); unprefixed lines come from a member with Manage Server,
    named members have an ordinary member's permissions. What the fake Discord received is turned back into the
    console's plain text (times in the club's timezone, spoilers as [spoiler: …]), so the
    transcript's expected text is compared exactly. Lines with no slash command fail loudly.
    """

    def __init__(self, h: Harness, scheduler: Any) -> None:
        self.h = h
        self.scheduler = scheduler
        self.members: dict[str, Member] = {}
        self.mentions: list[tuple[str, list[str]]] = []  # (first line of a post, names it pinged)

    def member(self, name: str | None) -> Member:
        if name is None:
            return self.h.owner
        if name.casefold() not in self.members:
            self.members[name.casefold()] = Member(500000000000000100 + len(self.members), name)
        return self.members[name.casefold()]

    def name_of(self, user_id: int) -> str:
        for name, m in self.members.items():
            if m.user_id == user_id:
                return name
        return "Organizer" if user_id == self.h.owner.user_id else str(user_id)

    async def _club(self) -> tuple[str, str | None]:
        from docclub.core.models import ClubKey

        club = await self.h.app.club(ClubKey("discord", str(GUILD_ID)))
        return club.config.timezone, club.config.announce_channel

    async def send(self, line: str) -> str:
        m = re.match(r"^\s*([^\s>#\-\"]{1,40})>\s?(.*)$", line, re.S)
        who, text = (m.group(1), m.group(2)) if m else (None, line)
        path, options = await slash_for(self.h, text)
        answer = await self.h.slash(self.member(who), path, **options)
        tz, _ = await self._club()
        out: list[str] = []
        for rec in answer.requests:
            data = rec.message_data() if rec.method != "DELETE" else {}
            if data:
                out.extend(unrender(data, tz, rec.at)[0])
        return "\n".join(out)

    async def advance(self, seconds: float) -> str:
        from datetime import timedelta

        target = self.h.clock.now() + timedelta(seconds=seconds)
        mark = len(self.h.fake.received)
        platforms = self.scheduler.platforms
        while True:
            nxt = await self.scheduler.store.read(lambda tx: tx.reminders.next_due_at(platforms))
            if nxt is None or nxt > target:
                break
            if nxt > self.h.clock.now():
                await self.h.clock.set(nxt)
            await self.scheduler.run_due()
        await self.h.clock.set(target)
        tz, channel = await self._club()
        posts: list[str] = []
        for rec in self.h.fake.received[mark:]:
            pm = re.fullmatch(r"/channels/(\d+)/messages", rec.path)
            if rec.method != "POST" or pm is None:
                continue
            lines, mentioned = unrender(rec.body or {}, tz, rec.at)
            dm_user = self.h.fake.dm_channels.get(int(pm.group(1)))
            if dm_user is not None:
                head = f"[direct message to {self.name_of(dm_user)}]"
            else:
                head = f"[announcement in {channel}]" if channel else "[announcement]"
                self.mentions.append((lines[0] if lines else "", [self.name_of(u) for u in mentioned]))
            posts.append("\n".join([head, *lines]))
        return "\n\n".join(posts)


async def slash_for(h: Harness, text: str) -> tuple[str, dict[str, Any]]:
    """The slash command and options a member would use for one line of the text grammar."""
    from docclub.core.commands import Quoted, parse, time_split, tokenize
    from docclub.core.models import ClubKey

    tokens = tokenize(text.strip())
    name, rest = tokens[0].lower(), tokens[1:]
    tz = (await h.app.club(ClubKey("discord", str(GUILD_ID)))).config.timezone

    def time_first(p: Any, option: str) -> tuple[str | None, list[str]]:
        """The grammar's reading of `--closes friday 18:00 Navalny, …`: the time, then the words."""
        spoken = p.option_words.get(option, [])
        k = time_split(spoken, tz, h.clock.now(), at_end=False) if len(spoken) > 1 else len(spoken)
        k = k or len(spoken)
        return (" ".join(spoken[:k]) or None), [*p.words, *spoken[k:]]

    def joined(words: list[str]) -> str | None:
        return " ".join(words) or None

    def commas(words: list[str]) -> str:
        return ", ".join(p.strip() for p in " ".join(words).split(",") if p.strip())

    def poll_ref(words: list[str]) -> tuple[str | None, list[str]]:
        if words and re.fullmatch(r"#\d+", words[0]):
            return words[0], words[1:]
        return None, words

    def film_then(words: list[str], is_rest: Callable[[str], bool]) -> tuple[str, list[str]]:
        if re.fullmatch(r"#\d+", words[0]) or isinstance(words[0], Quoted):
            return words[0], words[1:]
        for i in range(1, len(words)):
            if is_rest(words[i]):
                return " ".join(words[:i]), words[i:]
        return " ".join(words), []

    if name == "config":
        if not rest or rest[0] == "show":
            return "club config", {}
        return "club set", {"setting": rest[1], "value": " ".join(rest[2:])}
    if name == "suggest":
        p = parse(rest, options=("where", "cw", "tags", "pitch"), single=("link", "year"), flags=("new",))
        return "film suggest", {
            "new": "new" in p.flags or None,
            "title": " ".join(p.words),
            "where": p.options.get("where"),
            "warnings": p.options.get("cw"),
            "tags": p.options.get("tags"),
            "pitch": p.options.get("pitch"),
            "link": p.options.get("link"),
            "year": int(p.options["year"]) if "year" in p.options else None,
        }
    if name == "films":
        return "film list", {"which": joined(rest)}
    if name in ("film", "seen", "withdraw", "shortlist", "delete"):
        return f"film {'info' if name == 'film' else name}", {"film": joined(rest)}
    if name == "poll":
        sub, words = rest[0].lower(), rest[1:]
        if sub == "open":
            p = parse(words, single=("method", "top"), phrase=("closes",), flags=("anonymous",))
            closes, film_words = time_first(p, "closes")
            return "poll open", {
                "films": commas(film_words) or None,
                "method": p.options.get("method"),
                "closes": closes,
                "anonymous": "anonymous" in p.flags or None,
                "top": int(p.options["top"]) if "top" in p.options else None,
            }
        if sub in ("show", "cancel"):
            return f"poll {sub}", {"poll": joined(words)}
        if sub == "close":
            p = parse(words, phrase=("schedule",))
            schedule, ref_words = time_first(p, "schedule")
            return "poll close", {"poll": joined(ref_words), "schedule": schedule}
        if sub == "add":
            ref, words = poll_ref(words)
            return "poll add", {"poll": ref, "film": joined(words)}
    if name == "unvote" or (name == "vote" and "clear" in [w.lower() for w in rest] and len(rest) <= 2):
        return "vote", {"clear": True, "poll": next((w for w in rest if re.fullmatch(r"#\d+", w)), None)}
    if name == "vote":
        ref, words = poll_ref(rest) if len(rest) >= 2 else (None, rest)
        return "vote", {"films": commas(words), "poll": ref}
    if name == "party":
        sub, words = rest[0].lower(), rest[1:]
        if sub == "schedule":
            p = parse(words, options=("where", "duration"), flags=("again",))
            film, when = film_then(p.words, lambda w: bool(re.match(r"\d|mon|tue|wed|thu|fri|sat|sun|tomorrow", w)))
            if not when and p.tail:  # `--where Zoom sat 20:00`: the time at the end of the last option
                spoken = p.option_words[p.tail]
                k = time_split(spoken, tz, h.clock.now(), at_end=True)
                if k:
                    p.options[p.tail] = " ".join(spoken[:-k])
                    when = spoken[-k:]
            return "party schedule", {
                "film": film,
                "when": " ".join(when),
                "where": p.options.get("where"),
                "duration": p.options.get("duration"),
                "again": "again" in p.flags or None,
            }
        if sub == "list":
            return "party list", {"which": joined(words)}
        ref, words = poll_ref(words)
        if sub == "move":
            return "party move", {"party": ref, "when": " ".join(words)}
        return f"party {sub}", {"party": ref}
    if name == "rsvp":
        p = parse(rest, single=("remind",))
        ref, words = poll_ref(p.words)
        return "rsvp", {"party": ref, "answer": joined(words), "remind": p.options.get("remind")}
    if name == "rate":
        p = parse(rest, flags=("no-review",))
        film, after = film_then(p.words, lambda w: bool(re.match(r"[-+]?(\d|[.,]\d|½|★)", w)))
        return "rate", {
            "film": film,
            "score": after[0] if after else "",
            "review": joined(after[1:]),
            "remove_review": "no-review" in p.flags or None,
        }
    if name == "ratings":
        return "ratings", {"film": joined(rest)}
    if name == "my":
        return "ratings", {}
    if name == "leaderboard":
        return "leaderboard", {}
    if name == "prompts":
        return "prompts show", {"film": joined(rest)}
    if name == "prompt" and rest and rest[0] == "add":
        film, question = film_then(rest[1:], lambda w: False)
        return "prompts add", {"film": film, "question": " ".join(question)}
    if name == "export":
        return "club export", {"what": joined(rest)}
    if name == "help":
        return "help", {"command": joined(rest)}
    raise AssertionError(f"no Discord slash command for {text!r}")
