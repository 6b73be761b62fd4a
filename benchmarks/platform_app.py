"""The app process of the three-process load benchmark (`benchmarks.platform_load`).

`python -m benchmarks.platform_app KIND API_URL DB_PATH` runs one of:
  slack-bolt       a bare slack-bolt app (process_before_response) acking `/docclub` with a static text
  slack-docclub    docclub's Slack adapter in HTTP mode, as `docclub run` starts it, on a SQLite file
  slack-static     the same, with the core's vote answered by the reply it gives, without the
                   core or the store: what the Slack adapter costs by itself
  discord-py       a bare discord.py client answering `/vote` with a static message
  discord-docclub  docclub's Discord adapter, as `docclub run` starts it, on a SQLite file
  discord-static   the same, with the core's vote answered by the reply it gives, without the
                   core or the store: what the Discord adapter costs by itself
  slack-durable    the bare slack-bolt app that first writes the vote durably: one raw INSERT +
                   COMMIT on a SQLite file (WAL, synchronous=FULL) in a thread of its own
  discord-durable  the bare discord.py client, the same
The `-durable` apps are the least any bot that acknowledges only what is on disk pays on top of
its framework: one thread hop and one fsync a request, no logic at all.
against the fake platform at API_URL, with a club of five films and an open poll. It prints
`ready <port>`: a small control server on that port (and, for Slack, the app's own
`/slack/events` on it) answers `GET /cpu` (this process's CPU seconds, every thread) and
`GET /settled` (after every late answer is sent). It runs until stdin closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import time
from typing import Any

from aiohttp import web

SIGNING_SECRET = "bench-signing-secret"
FILMS = ("Beyond Utopia", "Navalny", "Fire of Love", "Honeyland", "Collective")
BACKLOG = 1024


async def _cpu(_: web.Request) -> web.Response:
    return web.json_response({"cpu": time.process_time()})


async def _serve(app: web.Application) -> tuple[web.AppRunner, int]:
    runner = web.AppRunner(app, access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=BACKLOG)
    await site.start()
    return runner, int(runner.addresses[0][1])


async def _seed(runtime: Any, platform: str, space: str) -> None:
    from docclub.core.models import Actor, ClubKey, NewFilm

    key = ClubKey(platform, space)
    owner = Actor(platform, "owner", "Ana", is_organizer=True)
    for title in FILMS:
        await runtime.app.films.suggest(key, owner, NewFilm(title=title))
    await runtime.app.polls.open(key, owner, film_refs=[f"#{i + 1}" for i in range(len(FILMS))])


def _settings(db: str, **extra: Any) -> Any:
    """Settings for the app under load: every address it calls is the fake platform on 127.0.0.1
    (given in `extra`), never a default like https://discord.com, and nothing from the environment
    (a TMDB key, a Socket Mode token) sends it elsewhere."""
    from docclub.config import Settings

    offline: dict[str, Any] = {"tmdb_api_key": None, "slack_app_token": None}
    return Settings(_env_file=None, docclub_database_url=f"sqlite:///{db}", docclub_log_level="WARNING",
                    **{**offline, **extra})


async def slack_bolt(api: str, db: str, *, durable: bool = False) -> None:
    from slack_bolt.app.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient

    bolt = AsyncApp(signing_secret=SIGNING_SECRET, client=AsyncWebClient(token="xoxb-bench", base_url=api),
                    process_before_response=True)

    async def vote(ack: Any) -> None:  # the floor asks bolt for nothing more than the ack
        await ack(text="Your vote is in.", response_type="ephemeral")

    async def durable_vote(ack: Any, body: dict[str, Any]) -> None:
        await votes.write(str(body.get("user_id")), str(body.get("text")))
        await ack(text="Your vote is in.", response_type="ephemeral")

    votes = _DurableWrites(db) if durable else None
    bolt.command("/docclub")(durable_vote if durable else vote)

    from slack_bolt.app.async_server import AsyncSlackAppServer

    app = AsyncSlackAppServer(port=0, path="/slack/events", app=bolt, host="127.0.0.1").web_app
    app.router.add_get("/cpu", _cpu)
    app.router.add_get("/settled", _settled)
    runner, port = await _serve(app)
    await _run_until_stdin_closes(port)
    await runner.cleanup()


class _DurableWrites:
    """One raw INSERT + COMMIT per request, on a SQLite file opened as docclub opens its own (WAL,
    synchronous=FULL), in one thread of its own off the event loop (as docclub's writer thread)."""

    def __init__(self, db: str) -> None:
        import sqlite3
        from concurrent.futures import ThreadPoolExecutor

        self.thread = ThreadPoolExecutor(1)
        self.db = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.execute("CREATE TABLE IF NOT EXISTS votes (user_id TEXT PRIMARY KEY, choice TEXT NOT NULL)")

    def _write(self, user: str, choice: str) -> None:
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("INSERT INTO votes VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET choice = excluded.choice",
                        (user, choice))
        self.db.execute("COMMIT")

    async def write(self, user: str, choice: str) -> None:
        await asyncio.get_running_loop().run_in_executor(self.thread, self._write, user, choice)


async def _settled(_: web.Request) -> web.Response:
    return web.json_response({"ok": True})


def _answer_votes_statically(rt: Any) -> None:
    """The core's vote answered by the reply it gives, touching neither the core nor the store."""
    from docclub.core.replies import Reply, Tone, line

    said = (line("Your vote in poll #1: Navalny."), line("You can change it until the poll closes."))
    voted = Reply(lines=said, tone=Tone.OK, ephemeral=True, subject=("poll", 1))

    async def vote(*_: Any) -> Reply:
        return voted

    rt.app.polls.vote = vote


async def slack_docclub(api: str, db: str, *, static_vote: bool = False) -> None:
    from docclub_slack.adapter import SlackAdapter
    from pydantic import SecretStr

    from docclub.bootstrap import freeze_startup_heap, runtime

    settings = _settings(db, slack_bot_token=SecretStr("xoxb-bench"), slack_api_url=api,
                         slack_signing_secret=SecretStr(SIGNING_SECRET), docclub_http_host="127.0.0.1")
    async with runtime(settings) as rt:
        await _seed(rt, "slack", "T0CLUB")
        if static_vote:
            _answer_votes_statically(rt)
        adapter = SlackAdapter(http_port=0)
        rt.scheduler.notifiers["slack"] = await adapter.start(rt)
        freeze_startup_heap()  # as `docclub run` does once its adapters started
        assert adapter.bot is not None and adapter.http_port
        bot = adapter.bot

        async def settled(_: web.Request) -> web.Response:
            await bot.settled()
            return web.json_response({"ok": True, "working": bot.slash.working_acks})

        control = web.Application()
        control.router.add_get("/cpu", _cpu)
        control.router.add_get("/settled", settled)
        runner, port = await _serve(control)
        print(f"events {adapter.http_port}", flush=True)
        await _run_until_stdin_closes(port)
        await runner.cleanup()
        await adapter.stop()


async def discord_py(api: str, db: str, *, durable: bool = False) -> None:
    import discord
    from discord import app_commands

    _point_discord_at(api)
    client = discord.Client(intents=discord.Intents.none())
    tree = app_commands.CommandTree(client)
    votes = _DurableWrites(db) if durable else None

    @tree.command(name="vote", description="vote")
    async def vote(interaction: discord.Interaction, films: str) -> None:
        if votes is not None:
            await votes.write(str(interaction.user.id), films)
        await interaction.response.send_message("Your vote is in.", ephemeral=True)

    await client.login("durable-token" if durable else "bare-token")
    gateway = asyncio.create_task(client.connect(reconnect=False))
    await client.wait_until_ready()
    app = web.Application()
    app.router.add_get("/cpu", _cpu)
    app.router.add_get("/settled", _settled)
    runner, port = await _serve(app)
    await _run_until_stdin_closes(port)
    await runner.cleanup()
    await client.close()
    gateway.cancel()
    with contextlib.suppress(BaseException):
        await gateway


async def discord_docclub(api: str, db: str, *, static_vote: bool = False) -> None:
    from docclub_discord.adapter import DiscordAdapter
    from docclub_discord.testing import GUILD_ID
    from pydantic import SecretStr

    from docclub.bootstrap import freeze_startup_heap, runtime

    _point_discord_at(api)  # the gateway; the adapter points REST at DISCORD_API_URL itself
    token = "static-token" if static_vote else "docclub-token"
    async with runtime(_settings(db, discord_token=SecretStr(token), discord_api_url=api)) as rt:
        await _seed(rt, "discord", str(GUILD_ID))
        if static_vote:
            _answer_votes_statically(rt)
        adapter = DiscordAdapter()
        rt.scheduler.notifiers["discord"] = await adapter.start(rt)
        freeze_startup_heap()  # as `docclub run` does once its adapters started
        assert adapter.bot is not None
        bot = adapter.bot
        await bot.client.wait_until_ready()

        async def settled(_: web.Request) -> web.Response:
            for _ in range(1200):  # the bot keeps no event for this: look every 50 ms, a minute at most
                if not bot.in_flight:
                    break
                await asyncio.sleep(0.05)
            await asyncio.sleep(0.3)  # the last answers' REST calls
            return web.json_response({"ok": True})

        control = web.Application()
        control.router.add_get("/cpu", _cpu)
        control.router.add_get("/settled", settled)
        runner, port = await _serve(control)
        await _run_until_stdin_closes(port)
        await runner.cleanup()
        await adapter.stop()


def _point_discord_at(api: str) -> None:
    import discord
    import yarl

    discord.http.Route.BASE = api
    gateway = api.replace("http://", "ws://").replace("/api/v10", "/gateway")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)


async def _run_until_stdin_closes(port: int) -> None:
    print(f"ready {port}", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


async def discord_static(api: str, db: str) -> None:
    await discord_docclub(api, db, static_vote=True)


async def slack_static(api: str, db: str) -> None:
    await slack_docclub(api, db, static_vote=True)


async def slack_durable(api: str, db: str) -> None:
    await slack_bolt(api, db, durable=True)


async def discord_durable(api: str, db: str) -> None:
    await discord_py(api, db, durable=True)


KINDS = {"slack-bolt": slack_bolt, "slack-docclub": slack_docclub, "slack-static": slack_static,
         "slack-durable": slack_durable, "discord-py": discord_py, "discord-docclub": discord_docclub,
         "discord-static": discord_static, "discord-durable": discord_durable}

if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.ERROR)
    # BENCH_PROFILE: a path, where a cProfile of the docclub app (or of the kinds named in
    # BENCH_PROFILE_KINDS, e.g. "slack-bolt,slack-static") is written, one file per kind.
    profile = os.environ.get("BENCH_PROFILE")
    kinds = os.environ.get("BENCH_PROFILE_KINDS", "slack-docclub,discord-docclub").split(",")
    if profile and sys.argv[1] in kinds:
        profile = f"{profile}.{sys.argv[1]}"
        import cProfile

        cProfile.run("asyncio.run(KINDS[sys.argv[1]](sys.argv[2], sys.argv[3]))", profile)
    else:
        asyncio.run(KINDS[sys.argv[1]](sys.argv[2], sys.argv[3]))
