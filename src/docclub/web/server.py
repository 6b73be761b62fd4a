"""The one HTTP server of a process (DESIGN §9): one aiohttp application on
DOCCLUB_HTTP_HOST:DOCCLUB_HTTP_PORT for Slack's requests, the club page, its feed, /healthz
and /metrics. Parts add their routes before the server starts; it starts once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiohttp import web

__all__ = ["LISTEN_BACKLOG", "HttpServer"]

log = logging.getLogger("docclub")
LISTEN_BACKLOG = 1024  # a burst of Slack requests must not overflow the accept queue (SYN retries cost 1 s+)
MAX_BODY = 1024 * 1024


class HttpServer:
    """Routes first (`add_routes`), then `start`; `stop` when the process ends."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.app = web.Application(client_max_size=MAX_BODY)
        self._runner: web.AppRunner | None = None

    @property
    def started(self) -> bool:
        return self._runner is not None

    def add_routes(self, routes: Iterable[web.AbstractRouteDef]) -> None:
        if self.started:
            raise RuntimeError("routes must be added before the HTTP server starts")
        self.app.add_routes(routes)

    async def start(self, port: int | None = None) -> None:
        """Listen (once; a second call does nothing). `port` 0 takes any free port, then
        `self.port` is the one taken. Raises OSError when the address is taken."""
        if self._runner is not None:
            return
        runner = web.AppRunner(self.app, handle_signals=False, access_log=None)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port if port is None else port, backlog=LISTEN_BACKLOG)
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        if runner.addresses:  # the real port when 0 was asked
            self.port = int(runner.addresses[0][1])

    @property
    def local_url(self) -> str:
        """Where this process answers, as a browser on this machine reaches it."""
        host = "localhost" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}"

    async def stop(self) -> None:
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()
