"""Offline doubles for the Slack adapter: a fake Web API, signed requests, blocks back to text.

`FakeSlack` is a small aiohttp server on 127.0.0.1 that answers only the Web API methods the
adapter uses, the `response_url`s of slash commands and interactions, file uploads, and
Socket Mode (`apps.connections.open` and its websocket). It records everything it receives,
so tests assert on what Slack would have been told. Nothing here touches the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import WSMsgType, web
from pydantic import SecretStr
from slack_sdk.signature import SignatureVerifier

from docclub.bootstrap import Runtime
from docclub.config import Settings
from docclub.core.ports import Clock
from docclub_slack.manifest import needed_scopes

__all__ = [
    "Call",
    "FakeSlack",
    "SlackDriver",
    "SlackHarness",
    "blocks_to_text",
    "interaction_body",
    "signed_headers",
    "slash_body",
]


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
        return {"channel": args.get("channel"), "ts": args.get("ts"), "text": args.get("text")}

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


# ---- signed requests, as Slack sends them ----


def signed_headers(
    secret: str, body: str, *, timestamp: int | None = None, content_type: str = "application/x-www-form-urlencoded"
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = str(SignatureVerifier(secret).generate_signature(timestamp=ts, body=body))
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, "Content-Type": content_type}


def slash_body(
    text: str,
    *,
    user_id: str,
    user_name: str,
    team_id: str = "T0CLUB",
    channel_id: str = "C0GENERAL",
    response_url: str = "",
    trigger_id: str = "1337.42.abcd",
) -> str:
    return urlencode(
        {
            "token": "legacy-unused",
            "team_id": team_id,
            "team_domain": "club",
            "channel_id": channel_id,
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_name,
            "command": "/docclub",
            "text": text,
            "api_app_id": "A0DOCCLUB",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def interaction_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


# ---- Block Kit back to the console's plain text (for transcripts) ----

_DATE = re.compile(r"<!date\^\d+\^[^|>]*\|([^>]*)>")
_MENTION = re.compile(r"<@([A-Z0-9_]+)>")


def mrkdwn_to_text(text: str, names: dict[str, str]) -> str:
    text = re.sub(r"`/docclub ([^`]*)`", r"\1", text)  # a command in code, as the console spells it
    text = _DATE.sub(lambda m: m.group(1), text)
    text = _MENTION.sub(lambda m: names.get(str(m.group(1)), str(m.group(1))), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _field_text(text: str, names: dict[str, str]) -> list[str]:
    head, _, rest = text.partition("\n")
    name = mrkdwn_to_text(head.strip("*"), names)
    values = [mrkdwn_to_text(v, names) for v in rest.split("\n")] if rest else []
    if len(values) == 1:
        return [f"{name}: {values[0]}"]
    return [f"{name}:", *(f"  {v}" for v in values)]


def blocks_to_text(blocks: list[dict[str, Any]], names: dict[str, str] | None = None) -> str:
    """What a member reads in a docclub message, in the console's layout: the title as
    `== title ==`, fields as `name: value`, buttons as `[label]`, the footer last. Blocks the
    adapter adds only on Slack (block ids starting `docclub_extra`) are left out, and what a
    "Show …" button holds is put back where its note stands, as `[spoiler: …]`."""
    names = names or {}
    out: list[str] = []
    buttons: list[str] = []
    for block in blocks:
        kind, block_id = block.get("type"), str(block.get("block_id", ""))
        if block_id.startswith("docclub_extra"):
            continue
        if kind != "actions" and buttons:
            out.append("[" + "] [".join(buttons) + "]")
            buttons = []
        if kind == "header":
            out.append(f"== {block['text']['text']} ==")
        elif kind == "section" and block_id == "title":
            out.append(f"== {mrkdwn_to_text(block['text']['text'], names).strip('*')} ==")
        elif kind == "section" and block_id.startswith("field"):
            if "fields" in block:
                for f in block["fields"]:
                    out.extend(_field_text(f["text"], names))
            else:
                out.extend(_field_text(block["text"]["text"], names))
        elif kind == "section":
            out.extend(mrkdwn_to_text(block["text"]["text"], names).split("\n"))
        elif kind == "actions":
            buttons.extend(e["text"]["text"] for e in block["elements"] if e.get("type") == "button")
        elif kind == "context":
            out.extend(mrkdwn_to_text(e["text"], names) for e in block["elements"])
    if buttons:
        out.append("[" + "] [".join(buttons) + "]")
    return _put_back_hidden("\n".join(out), blocks)


def _put_back_hidden(text: str, blocks: list[dict[str, Any]]) -> str:
    from docclub_slack.render import HIDDEN

    for block in blocks:
        if block.get("block_id") != "docclub_extra_hidden":
            continue
        for element in block["elements"]:
            note = HIDDEN[element["action_id"].rsplit(":", 1)[-1]][0]
            for _, hidden, _ in json.loads(element["value"]):
                text = text.replace(note, f"[spoiler: {mrkdwn_to_text(hidden, {})}]", 1)
    return text


# ---- the whole adapter on a fake Slack ----

SIGNING_SECRET = "test-signing-secret"  # a test value, not a real secret


@dataclass
class Answer:
    """What one request to the app produced: the HTTP answer and what Slack was told meanwhile."""

    status: int
    body: str
    calls: list[Call]
    responses: list[Call]

    @property
    def ack(self) -> dict[str, Any] | None:
        if not self.body:
            return None
        try:
            data = json.loads(self.body)
        except ValueError:
            return {"text": self.body}
        return data if isinstance(data, dict) else None

    def shown(self, names: dict[str, str] | None = None) -> list[str]:
        """Every message the member sees from this request, as text (ack, responses, posts)."""
        out: list[str] = []
        ack = self.ack
        if ack and (ack.get("blocks") or ack.get("text")):
            out.append(blocks_to_text(ack["blocks"], names) if ack.get("blocks") else str(ack["text"]))
        for r in self.responses:
            out.append(blocks_to_text(r.args["blocks"], names) if r.args.get("blocks") else str(r.args.get("text")))
        for c in self.calls:
            if c.method in ("chat.postMessage", "chat.postEphemeral"):
                blocks = c.args.get("blocks")
                blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
                out.append(blocks_to_text(blocks, names) if blocks else str(c.args.get("text")))
        return out


class SlackHarness:
    """The Slack adapter started by the real composition root on a SQLite file, talking to a
    FakeSlack, served over HTTP on an ephemeral port (and Socket Mode when asked)."""

    def __init__(
        self,
        db_path: Path,
        *,
        clock: Clock | None = None,
        socket_mode: bool = False,
        http: bool = True,
        fake: FakeSlack | None = None,
    ) -> None:
        """`fake`: a FakeSlack already started, shared with another harness (a second process,
        or the same workspace after a restart); started and closed here when not given."""
        self.db_path = db_path
        self.clock = clock
        self.socket_mode = socket_mode
        self.http = http
        self._own_fake = fake is None
        self.fake = fake or FakeSlack()
        self.runtime: Runtime
        self._runtime_cm: Any = None
        self.session: aiohttp.ClientSession
        self._n = itertools.count(1)

    async def __aenter__(self) -> SlackHarness:
        from docclub.bootstrap import runtime
        from docclub_slack.adapter import SlackAdapter

        if self._own_fake:
            await self.fake.start()
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            docclub_database_url=f"sqlite:///{self.db_path}",
            docclub_http_host="127.0.0.1",
            slack_bot_token=SecretStr("xoxb-test-token"),
            slack_api_url=self.fake.api_url,
            slack_signing_secret=SecretStr(SIGNING_SECRET) if self.http else None,
            slack_app_token=SecretStr("xapp-test-token") if self.socket_mode else None,
        )
        self._runtime_cm = runtime(settings, clock=self.clock)
        self.runtime = await self._runtime_cm.__aenter__()
        self.adapter = SlackAdapter(http_port=0)
        self.runtime.scheduler.notifiers["slack"] = await self.adapter.start(self.runtime)
        self.session = aiohttp.ClientSession()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.session.close()
        await self.adapter.stop()
        await self._runtime_cm.__aexit__(exc_type, exc, tb)
        if self._own_fake:
            await self.fake.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.adapter.http_port}/slack/events"

    def user(self, user_id: str, name: str, *, admin: bool = False) -> str:
        self.fake.add_user(user_id, name, admin=admin)
        return user_id

    async def post(
        self,
        body: str,
        *,
        content_type: str = "application/x-www-form-urlencoded",
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        before_calls, before_responses = len(self.fake.calls), len(self.fake.responses)
        sent = {**signed_headers(secret, body, timestamp=timestamp, content_type=content_type), **(headers or {})}
        async with self.session.post(self.url, data=body.encode(), headers=sent) as resp:
            text = await resp.text()
            status = resp.status
        if self.adapter.bot is not None:  # what the bot does after acknowledging belongs to this answer
            await self.adapter.bot.settled()
        return Answer(status, text, self.fake.calls[before_calls:], self.fake.responses[before_responses:])

    async def command(self, text: str, user_id: str, *, channel: str = "C0GENERAL", **kw: Any) -> Answer:
        n = next(self._n)
        user = self.fake.users.get(user_id)
        body = slash_body(
            text,
            user_id=user_id,
            user_name=user.name if user else "someone",
            team_id=self.fake.team_id,
            channel_id=channel,
            response_url=self.fake.response_url(n),
            trigger_id=f"{n}.{n}.trigger",
        )
        return await self.post(body, **kw)

    async def interact(self, payload: dict[str, Any], **kw: Any) -> Answer:
        return await self.post(interaction_body(payload), **kw)

    async def event(self, event: dict[str, Any], event_id: str, *, retry: int | None = None) -> Answer:
        body = json.dumps(
            {
                "token": "legacy-unused",
                "team_id": self.fake.team_id,
                "api_app_id": "A0DOCCLUB",
                "type": "event_callback",
                "event_id": event_id,
                "event_time": int(time.time()),
                "event": event,
            }
        )
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return await self.post(body, content_type="application/json", headers=headers)

    def button(
        self,
        user_id: str,
        action_id: str,
        *,
        channel: str = "C0GENERAL",
        message_ts: str = "",
        trigger: str | None = None,
    ) -> dict[str, Any]:
        """A block_actions payload as Slack sends it for a button on a message."""
        n = next(self._n)
        user = self.fake.users.get(user_id)
        return {
            "type": "block_actions",
            "team": {"id": self.fake.team_id, "domain": "club"},
            "user": {"id": user_id, "username": user.name if user else "someone", "team_id": self.fake.team_id},
            "api_app_id": "A0DOCCLUB",
            "token": "legacy-unused",
            "trigger_id": trigger or f"{n}.{n}.trigger",
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": False},
            "channel": {"id": channel, "name": "general"},
            "response_url": self.fake.response_url(n),
            "message": {"ts": message_ts, "text": "", "blocks": []},
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "actions0",
                    "value": action_id.split(":", 2)[-1],
                    "action_ts": f"{1_700_000_000 + n}.000200",
                }
            ],
        }


class SlackDriver:
    """A `TranscriptDriver` that sends each line as a signed `/docclub` slash command.

    Console names become Slack users (`alice` -> `UALICE`); the console's own user is a workspace
    admin called Organizer. What Slack was told is turned back into text with `blocks_to_text`."""

    def __init__(self, harness: SlackHarness, clock: Any) -> None:
        from docclub.testing.clock import FakeClock

        assert isinstance(clock, FakeClock)
        self.h = harness
        self.clock = clock
        self.names: dict[str, str] = {}
        self.user("Organizer", admin=True)

    def user(self, name: str, *, admin: bool = False) -> str:
        user_id = "U" + re.sub(r"[^A-Z0-9]", "", name.upper())
        if user_id not in self.h.fake.users:
            self.h.user(user_id, name, admin=admin)
            self.names[user_id] = name
        return user_id

    async def send(self, line: str) -> str:
        from docclub.console import OWNER, split_prefix

        actor, text = split_prefix(line)
        user_id = self.user("Organizer" if actor == OWNER else actor.display_name)
        answer = await self.h.command(text, user_id)
        return "\n".join(answer.shown(self.names))

    async def advance(self, seconds: float) -> str:
        scheduler = self.h.runtime.scheduler
        target = self.clock.now() + timedelta(seconds=seconds)
        before = len(self.h.fake.calls)
        while True:
            nxt = await scheduler.store.read(lambda tx: tx.reminders.next_due_at(scheduler.platforms))
            if nxt is None or nxt > target:
                break
            if nxt > self.clock.now():
                await self.clock.set(nxt)
            await scheduler.run_due()
        await self.clock.set(target)
        out: list[str] = []
        for c in self.h.fake.calls[before:]:
            if c.method != "chat.postMessage":
                continue
            channel = str(c.args.get("channel"))
            blocks = c.args.get("blocks")
            blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
            label = (
                f"[direct message to {self.names.get(channel[1:], channel[1:]).lower()}]"
                if channel.startswith("D")
                else "[announcement]"
            )
            out.append(label + "\n" + blocks_to_text(blocks or [], self.names))
        return "\n\n".join(out)
