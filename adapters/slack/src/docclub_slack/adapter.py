"""The Slack adapter: one bolt app, served over Socket Mode and/or HTTP, registered with the runtime,
for one workspace (SLACK_BOT_TOKEN) or for every workspace that installs it (SLACK_CLIENT_ID…)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import aiohttp
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from docclub.config import Settings, SettingsProblem
from docclub.core.ports import Notifier
from docclub.sealing import sealer_from
from docclub.web.server import HttpServer
from docclub_slack.bot import SlackBot
from docclub_slack.clients import WorkspaceClients
from docclub_slack.doctor import check
from docclub_slack.endpoint import events_route
from docclub_slack.installations import SealedInstallations, StoredInstallationRecords
from docclub_slack.manifest import EVENTS_PATH, INSTALL_PATH
from docclub_slack.notifier import SlackNotifier
from docclub_slack.oauth import install_routes, oauth_flow, oauth_problems
from docclub_slack.oauth_state import SignedStates

if TYPE_CHECKING:
    from docclub.bootstrap import Runtime
    from docclub.doctor import ClubConfigs, Finding

__all__ = ["EVENTS_PATH", "SlackAdapter"]

log = logging.getLogger("docclub.slack")
CALL_TIMEOUT = 30  # seconds, slack_sdk's own limit for one Web API call or response_url post


class SlackAdapter:
    """`enabled` when SLACK_BOT_TOKEN and one of SLACK_APP_TOKEN (Socket Mode) or
    SLACK_SIGNING_SECRET (HTTP mode, `POST /slack/events` on the process's one HTTP server,
    DOCCLUB_HTTP_HOST:DOCCLUB_HTTP_PORT) are set, or any of the many-workspace settings
    (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, SLACK_STATE_SECRET): then `start` refuses, saying
    what to fix, unless everything the install flow needs is set.

    `http_port` (0: any free port, see `http_port` after start) makes the adapter start that
    server itself on that port, for tests; otherwise `docclub run` starts it after the adapters.
    """

    name = "slack"

    def __init__(self, *, http_port: int | None = None, ack_budget: float = 2.0) -> None:
        self.http_port = http_port
        self.ack_budget = ack_budget
        self.bot: SlackBot | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._http: HttpServer | None = None  # the server, when this adapter started it
        self._session: aiohttp.ClientSession | None = None

    def enabled(self, settings: Settings) -> bool:
        one = bool(settings.slack_bot_token and (settings.slack_app_token or settings.slack_signing_secret))
        return one or settings.slack_oauth

    async def start(self, runtime: Runtime) -> Notifier:
        settings = runtime.settings
        if settings.slack_oauth and oauth_problems(settings):
            raise SettingsProblem("Slack can't start: " + "; ".join(oauth_problems(settings)))
        base_url = settings.slack_api_url or AsyncWebClient.BASE_URL
        # One HTTP session for every Web API call and response_url post (the clients' default
        # opens one per call), with the 30 s a call of theirs may take: they give a session
        # of their own that limit, not one they are given.
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=CALL_TIMEOUT))
        token = settings.slack_bot_token
        client = AsyncWebClient(
            token=token.get_secret_value() if token is not None and not settings.slack_oauth else None,
            session=self._session,
            base_url=base_url if base_url.endswith("/") else base_url + "/",
            retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
        )
        secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
        flow = None
        if settings.slack_oauth:
            sealer = sealer_from(settings, needed_for="installing into many Slack workspaces")
            installations = SealedInstallations(StoredInstallationRecords(runtime.store), sealer, runtime.clock)
            clients = WorkspaceClients(client, installations)
            assert settings.slack_state_secret is not None
            store = runtime.store
            states = SignedStates(
                settings.slack_state_secret.get_secret_value(),
                runtime.clock,
                lambda key, at: store.write(lambda tx: tx.platform.remember_event(key, at)),
            )
            flow = oauth_flow(settings, clients.with_token(None), installations, states)
        else:
            clients = WorkspaceClients(client)
        bot = SlackBot(
            runtime.app,
            runtime.store,
            runtime.clock,
            clients,
            signing_secret=secret,
            oauth_flow=flow,
            ack_budget=self.ack_budget,
        )
        await bot.start()
        self.bot = bot
        if settings.slack_app_token is not None:
            self._socket = AsyncSocketModeHandler(
                bot.bolt, settings.slack_app_token.get_secret_value(), web_client=clients.base
            )
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
            log.info("Slack Socket Mode connected")
        if secret or flow is not None:
            # Slack's requests (and the install flow) come to the process's one HTTP server,
            # beside the club page.
            routes = [events_route(bot.bolt, secret, EVENTS_PATH, direct=bot.command)] if secret else []
            routes += install_routes(flow) if flow is not None else []
            runtime.http.add_routes(routes)
            if self.http_port is not None:  # a port of its own asked (tests, benchmarks): serve now
                await runtime.http.start(self.http_port)
                self.http_port = runtime.http.port
                self._http = runtime.http
            paths = [EVENTS_PATH] if secret else []
            if flow is not None:
                paths.append(INSTALL_PATH)
            log.info("Slack HTTP: %s", ", ".join(paths))
        return SlackNotifier(bot.announcements)

    async def doctor(self, settings: Settings, club_config: ClubConfigs) -> list[Finding]:
        return await check(settings, club_config)

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if self._http is not None:
            await self._http.stop()
            self._http = None
        if self.bot is not None:
            await self.bot.close()
            self.bot = None
        if self._session is not None:
            await self._session.close()
            self._session = None
