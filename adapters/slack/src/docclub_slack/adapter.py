"""The Slack adapter: one bolt app, served over Socket Mode and/or HTTP, registered with the runtime."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import aiohttp
from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from docclub.config import Settings
from docclub.core.ports import Notifier
from docclub_slack.bot import SlackBot
from docclub_slack.doctor import check
from docclub_slack.endpoint import events_app
from docclub_slack.manifest import EVENTS_PATH
from docclub_slack.notifier import SlackNotifier

if TYPE_CHECKING:
    from docclub.bootstrap import Runtime
    from docclub.doctor import ClubConfigs, Finding

__all__ = ["EVENTS_PATH", "SlackAdapter"]

log = logging.getLogger("docclub.slack")
LISTEN_BACKLOG = 1024


class SlackAdapter:
    """`enabled` when SLACK_BOT_TOKEN and one of SLACK_APP_TOKEN (Socket Mode) or
    SLACK_SIGNING_SECRET (HTTP mode, `POST /slack/events` on DOCCLUB_HTTP_HOST:DOCCLUB_HTTP_PORT) are set.

    `http_port` overrides the setting (0: any free port, see `http_port` after start).
    """

    name = "slack"

    def __init__(self, *, http_port: int | None = None, ack_budget: float = 2.0) -> None:
        self.http_port = http_port
        self.ack_budget = ack_budget
        self.bot: SlackBot | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None

    def enabled(self, settings: Settings) -> bool:
        return bool(settings.slack_bot_token and (settings.slack_app_token or settings.slack_signing_secret))

    async def start(self, runtime: Runtime) -> Notifier:
        settings = runtime.settings
        assert settings.slack_bot_token is not None
        base_url = settings.slack_api_url or AsyncWebClient.BASE_URL
        # One HTTP session for every Web API call (the client's default opens one per call).
        self._session = aiohttp.ClientSession()
        client = AsyncWebClient(
            token=settings.slack_bot_token.get_secret_value(),
            session=self._session,
            base_url=base_url if base_url.endswith("/") else base_url + "/",
            retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=2)],
        )
        secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
        bot = SlackBot(
            runtime.app,
            runtime.store,
            runtime.clock,
            client,
            signing_secret=secret,
            ack_budget=self.ack_budget,
        )
        await bot.start()
        self.bot = bot
        if settings.slack_app_token is not None:
            self._socket = AsyncSocketModeHandler(
                bot.bolt, settings.slack_app_token.get_secret_value(), web_client=client
            )
            await self._socket.connect_async()  # type: ignore[no-untyped-call]
            log.info("Slack Socket Mode connected")
        if secret:
            web_app = events_app(bot.bolt, secret, EVENTS_PATH)
            self._runner = web.AppRunner(web_app, handle_signals=False, access_log=None)
            await self._runner.setup()
            port = settings.docclub_http_port if self.http_port is None else self.http_port
            # A burst of 500 requests must not overflow the accept queue (SYN retries cost 1 s+).
            site = web.TCPSite(self._runner, settings.docclub_http_host, port, backlog=LISTEN_BACKLOG)
            await site.start()
            if self._runner.addresses:  # the real port when 0 was asked
                self.http_port = int(self._runner.addresses[0][1])
            log.info("Slack HTTP mode on %s:%s%s", settings.docclub_http_host, self.http_port, EVENTS_PATH)
        return SlackNotifier(bot.announcements)

    async def doctor(self, settings: Settings, club_config: ClubConfigs) -> list[Finding]:
        return await check(settings, club_config)

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.bot is not None:
            await self.bot.close()
            self.bot = None
        if self._session is not None:
            await self._session.close()
            self._session = None
