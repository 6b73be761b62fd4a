"""A fake of the Discord REST API, as far as docclub uses it: a small aiohttp server on
127.0.0.1 that records every request (method, path, JSON body, files, and the test clock's
time), so tests assert on what Discord would have received. discord.py is pointed at it
through `discord.http.Route.BASE`. Nothing here reaches the network.

What a test can make Discord do: refuse the bot's token, channel posts, direct messages or a
hidden channel, and hang message edits (see the attributes of `FakeDiscord`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web

import docclub_discord.testing.payloads as payloads
from docclub_discord.install import permissions
from docclub_discord.testing.ids import (
    APP_ID,
    BOT_USER,
    CHANNEL_ID,
    GUILD_ID,
    HANG_GUARD,
    STAGE_CHANNEL_ID,
    SYSTEM_CHANNEL_ID,
    TOKEN_LIFETIME,
    VOICE_CHANNEL_ID,
)

__all__ = ["FakeDiscord", "Received"]


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
        self.uploads: dict[str, bytes] = {}  # files members attached to slash commands, by attachment id

    # ---- running ----

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/api/v10/attachments/{id}", self._upload)
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

    async def _upload(self, request: web.Request) -> web.StreamResponse:
        """A file a member attached (the CDN's job): what `Attachment.read()` fetches."""
        data = self.uploads.get(request.match_info["id"])
        return web.Response(body=data) if data is not None else web.Response(status=404)

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
        return payloads.application()

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
        attachments = [(self.next_id(), name, blob) for name, blob in files]
        message = payloads.message(mid, channel_id, data, attachments, self.now())
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
        return payloads.thread(int(cid), int(mid), (rec.body or {}).get("name", "thread"), self.now())

    def _dm(self, rec: Received) -> Any:
        user_id = (rec.body or {}).get("recipient_id")
        channel_id = self.next_id()
        self.dm_channels[channel_id] = int(user_id or 0)
        return payloads.dm_channel(channel_id, int(user_id or 0))

    def _guild(self, rec: Received | None, gid: str) -> Any:
        extra = self.guilds.get(int(gid))
        if extra is None:
            return _json({"message": "Unknown Guild", "code": 10004}, status=404)
        return payloads.guild(int(gid), extra)

    def channel_payload(self, cid: int) -> dict[str, Any]:
        kind, name = self.channels[cid]
        return payloads.channel(cid, kind, name)

    def _channel(self, rec: Received, cid: str) -> Any:
        if int(cid) not in self.channels:
            return _json({"message": "Unknown Channel", "code": 10003}, status=404)
        return self.channel_payload(int(cid))

    def _event(self, rec: Received, gid: str, eid: str | None = None) -> Any:
        return payloads.scheduled_event(int(gid), int(eid) if eid else self.next_id(), rec.body or {}, self.now())


def _json(data: Any, status: int = 200) -> web.Response:
    # Exactly application/json, or discord.py reads the body as text.
    return web.Response(status=status, body=json.dumps(data).encode(), content_type="application/json")
