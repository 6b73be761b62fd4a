"""The fake platform of the three-process load benchmark (`benchmarks.platform_load`).

`python -m benchmarks.platform_fake slack` serves the Slack Web API methods the apps call
(`auth.test`, `users.info`, `chat.postMessage` …) and counts the late answers posted to
`response_url`s. `python -m benchmarks.platform_fake discord` serves the Discord REST API
(the test fake of `docclub_discord.testing`), a gateway websocket the apps connect to, and a
control websocket through which the load generator fires interactions: each is sent over
the gateway to the named client, and the time until its interaction callback arrives is
measured here, on one clock. Both print `ready <port>` and run until stdin closes.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any

from aiohttp import WSMsgType, web

BACKLOG = 1024


class SlackFake:
    def __init__(self) -> None:
        self.late: dict[str, str] = {}  # response_url id -> text of the late answer
        self.calls: dict[str, int] = {}

    def app(self) -> web.Application:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_post("/api/{method}", self.api)
        app.router.add_post("/response/{n}", self.response)
        app.router.add_get("/stats", self.stats)
        return app

    async def api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        self.calls[method] = self.calls.get(method, 0) + 1
        await request.read()
        answer: dict[str, Any] = {"ok": True}
        if method == "auth.test":
            answer |= {"url": "https://club.slack.test/", "team": "Doc club", "user": "docclub",
                       "team_id": "T0CLUB", "user_id": "UBOT", "bot_id": "B0DOCCLUB"}
        elif method == "users.info":
            answer |= {"user": {"id": "U", "name": "member", "is_admin": False, "profile": {}}}
        elif method == "chat.postMessage":
            answer |= {"channel": "C0GENERAL", "ts": f"{time.time():.6f}"}
        return web.json_response(answer)

    async def response(self, request: web.Request) -> web.Response:
        data = await request.json()
        self.late[request.match_info["n"]] = str(data.get("text") or "")
        return web.json_response({"ok": True})

    async def stats(self, request: web.Request) -> web.Response:
        return web.json_response({"late": len(self.late), "calls": self.calls})


class DiscordFake:
    def __init__(self) -> None:
        from docclub_discord.testing import FakeDiscord, Interactions

        outer = self

        class Rest(FakeDiscord):
            def _callback(self, rec: Any, id: str, token: str) -> Any:
                outer.callbacks[id] = (time.perf_counter(), int(rec.body["type"]))
                return super()._callback(rec, id, token)

            def _edit_hook(self, rec: Any, token: str, mid: str) -> Any:
                outer.late += 1
                return super()._edit_hook(rec, token, mid)

        self.rest = Rest()
        self.rest._routes.append(("GET", __import__("re").compile(r"/gateway/bot"), self._gateway_bot))
        self.build = Interactions(self.rest)
        self.clients: dict[str, web.WebSocketResponse] = {}  # token -> gateway socket
        self.sent: dict[str, float] = {}
        self.phases: dict[str, list[str]] = {}  # phase name -> interaction ids fired in it
        self.callbacks: dict[str, tuple[float, int]] = {}
        self.late = 0
        self.port = 0

    def _gateway_bot(self, rec: Any) -> Any:
        return {"url": f"ws://127.0.0.1:{self.port}/gateway", "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0,
                                        "max_concurrency": 1}}

    def app(self) -> web.Application:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway)
        app.router.add_get("/control", self.control)
        app.router.add_route("*", "/api/v10/{tail:.*}", self.rest._handle)
        return app

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        from docclub_discord.testing import APP_ID, BOT_ID

        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None}))
        seq = 0
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            if data["op"] == 1:
                await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            elif data["op"] == 2:
                token = str(data["d"]["token"])
                self.clients[token] = ws
                seq += 1
                ready = {
                    "v": 10, "session_id": f"session-{token}", "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway",
                    "user": {"id": str(BOT_ID), "username": "docclub", "discriminator": "0", "avatar": None,
                             "bot": True, "global_name": None},
                    "guilds": [], "application": {"id": str(APP_ID), "flags": 0},
                }
                await ws.send_str(json.dumps({"op": 0, "t": "READY", "s": seq, "d": ready}))
        return ws

    async def control(self, request: web.Request) -> web.WebSocketResponse:
        """One message per interaction: {"to": token, "n": member number, "phase": name};
        {"stats": phase} is answered with that phase's figures."""
        from docclub_discord.testing import Member

        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            if "stats" in data:
                ids = self.phases.get(data["stats"], [])
                got = [(i, self.callbacks.get(i)) for i in ids]
                await ws.send_str(json.dumps({
                    "latencies": [(cb[0] - self.sent[i]) * 1000 for i, cb in got if cb is not None],
                    "in_ack": sum(1 for _, cb in got if cb is not None and cb[1] == 4),
                    "deferred": sum(1 for _, cb in got if cb is not None and cb[1] == 5),
                    "late": self.late,
                }))
                continue
            n = int(data["n"])
            payload = self.build.command(Member(600000000000000000 + n, f"member{n}"), "vote",
                                         {"films": f"#{1 + n % 5}"})
            client = self.clients[data["to"]]
            self.sent[str(payload["id"])] = time.perf_counter()
            self.phases.setdefault(data["phase"], []).append(str(payload["id"]))
            await client.send_str(json.dumps({"op": 0, "t": "INTERACTION_CREATE", "s": None, "d": payload}))
        return ws


async def main(kind: str) -> None:
    fake: SlackFake | DiscordFake = SlackFake() if kind == "slack" else DiscordFake()
    runner = web.AppRunner(fake.app(), access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=BACKLOG)
    await site.start()
    port = int(runner.addresses[0][1])
    if isinstance(fake, DiscordFake):
        fake.port = port
        fake.rest.base = f"http://127.0.0.1:{port}/api/v10"
    print(f"ready {port}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)  # until the parent goes
    await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
