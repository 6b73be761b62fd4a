"""A fake of the Slack Web API, as far as docclub uses it: a small aiohttp server on 127.0.0.1.

It answers the Web API methods the adapter calls (POST /api/<method>), the `response_url`s of
slash commands and interactions, file uploads, and Socket Mode (`apps.connections.open` and its
websocket). It records everything it receives, so tests assert on what Slack would have been
told. Nothing here touches the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from docclub_slack.manifest import needed_scopes

__all__ = ["Call", "FakeSlack", "FakeUser"]


@dataclass
class Call:
    method: str
    args: dict[str, Any]


@dataclass
class FakeUser:
    id: str
    name: str
    is_admin: bool = False
    is_owner: bool = False


@dataclass
class FakeSlack:
    """A fake of the Slack Web API methods docclub uses, recording what it received."""

    team_id: str = "T0CLUB"
    bot_user_id: str = "UBOT"
    calls: list[Call] = field(default_factory=list)
    responses: list[Call] = field(default_factory=list)  # posts to response_urls ("response/<n>")
    uploads: dict[str, bytes] = field(default_factory=dict)
    users: dict[str, FakeUser] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=lambda: {"C0GENERAL": "general", "C0WATCH": "watch-party"})
    errors: dict[str, str] = field(default_factory=dict)  # method -> Slack error code to answer
    scopes: list[str] = field(default_factory=needed_scopes)  # granted to the bot token (auth.test's header)
    # method -> (HTTP status, content type, body, headers): how a proxy or a rate limit answers
    failures: dict[str, tuple[int, str, str, dict[str, str]]] = field(default_factory=dict)
    posted: list[tuple[str, str]] = field(default_factory=list)  # (channel, ts) of each chat.postMessage
    deleted: set[tuple[str, str]] = field(default_factory=set)  # (channel, ts) members deleted
    envelopes: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    acks: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    port: int = 0
    _runner: web.AppRunner | None = None
    _ts: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)

    # ---- lifecycle ----

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/response/{n}", self._response)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def close(self) -> None:
        for ws in list(self._sockets):
            with contextlib.suppress(Exception):
                await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, n: int | str) -> str:
        return f"http://127.0.0.1:{self.port}/response/{n}"

    def add_user(self, user_id: str, name: str, *, admin: bool = False, owner: bool = False) -> FakeUser:
        user = FakeUser(user_id, name, admin, owner)
        self.users[user_id] = user
        return user

    # ---- what was received ----

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        return [c.args for c in self.calls if c.method == method]

    def clear(self) -> None:
        self.calls.clear()
        self.responses.clear()

    # ---- Web API ----

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                args.update(await request.json())
            else:
                args.update(dict(await request.post()))
        self.calls.append(Call(method, args))
        if method in self.failures:
            status, content_type, text, headers = self.failures[method]
            return web.Response(status=status, text=text, content_type=content_type, headers=headers)
        if method in self.errors:
            return _json({"ok": False, "error": self.errors[method]})
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return _json({"ok": False, "error": "unknown_method"}, status=404)
        result: dict[str, Any] = handler(args)
        answer = _json({"ok": True, **result} if "error" not in result else {"ok": False, **result})
        if method == "auth.test":
            answer.headers["x-oauth-scopes"] = ",".join(self.scopes)
        return answer

    def _next_ts(self) -> str:
        return f"{1_700_000_000 + next(self._ts)}.000100"

    def _m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://club.slack.test/",
            "team": "Doc club",
            "user": "docclub",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": "B0DOCCLUB",
            "is_enterprise_install": False,
        }

    def _m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(args.get("user")))
        if user is None:
            return {"error": "user_not_found"}
        return {
            "user": {
                "id": user.id,
                "team_id": self.team_id,
                "name": user.name.lower(),
                "real_name": user.name,
                "is_admin": user.is_admin,
                "is_owner": user.is_owner,
                "is_primary_owner": False,
                "is_bot": False,
                "profile": {"display_name": user.name, "real_name": user.name},
            }
        }

    def _m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = str(args.get("channel"))
        if channel.startswith("#"):
            found = [cid for cid, name in self.channels.items() if name == channel[1:]]
            if not found:
                return {"error": "channel_not_found"}
            channel = found[0]
        ts = self._next_ts()
        self.posted.append((channel, ts))
        return {"channel": channel, "ts": ts, "message": {"text": args.get("text"), "ts": ts}}

    def _m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        if (str(args.get("channel")), str(args.get("ts"))) in self.deleted:
            return {"error": "message_not_found"}
        return {"channel": args.get("channel"), "ts": args.get("ts"), "text": args.get("text")}

    def delete_message(self, channel: str, ts: str) -> None:
        """A member deletes a message the bot posted: editing it fails as in Slack."""
        self.deleted.add((channel, ts))

    def _m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"message_ts": self._next_ts()}

    def _m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view")
        view = json.loads(view) if isinstance(view, str) else view
        return {"view": {**(view or {}), "id": f"V{next(self._ts):06d}"}}

    _m_views_publish = _m_views_open
    _m_views_update = _m_views_open

    def _m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = str(args.get("users", ""))
        return {"channel": {"id": "D" + users.split(",")[0]}}

    def _m_conversations_list(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "channels": [{"id": cid, "name": name, "is_member": True} for cid, name in self.channels.items()],
            "response_metadata": {"next_cursor": ""},
        }

    def _m_conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        cid = str(args.get("channel"))
        if cid not in self.channels:
            return {"error": "channel_not_found"}
        return {"channel": {"id": cid, "name": self.channels[cid], "is_member": True}}

    def _m_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{next(self._ts):06d}"
        return {"upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files")
        files = json.loads(files) if isinstance(files, str) else files
        return {"files": [{"id": f["id"], "title": f.get("title")} for f in files or []]}

    def _m_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": f"ws://127.0.0.1:{self.port}/socket"}

    async def _upload(self, request: web.Request) -> web.Response:
        self.uploads[request.match_info["file_id"]] = await request.read()
        return web.Response(text="OK - uploaded")

    async def _response(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.responses.append(Call(request.match_info["n"], body))
        return web.Response(text="ok")

    # ---- Socket Mode ----

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_str(
            json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0DOCCLUB"}})
        )

        async def pump() -> None:
            while not ws.closed:
                envelope = await self.envelopes.get()
                await ws.send_str(json.dumps(envelope))

        sender = asyncio.ensure_future(pump())
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self.acks.put(json.loads(msg.data))
        finally:
            sender.cancel()
            self._sockets.remove(ws)
        return ws


def _json(data: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(text=json.dumps(data), status=status, content_type="application/json")
