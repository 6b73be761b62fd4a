"""The one composition root: store, clock, core, scheduler and adapters."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from importlib.metadata import entry_points
from typing import Any, Protocol

from docclub import metrics
from docclub.clock import SystemClock
from docclub.config import Settings
from docclub.core.catalog import FilmCatalog, NoCatalog
from docclub.core.clubs import Docclub
from docclub.core.ports import Clock, ClubStore, Notifier
from docclub.core.when import LIKELY_LANGUAGES, warm_up
from docclub.forgetting import Forgetting
from docclub.scheduler import Scheduler, SchedulerConfig
from docclub.storage import open_store
from docclub.tmdb import StoreCache, TmdbCatalog, TmdbClient
from docclub.web.health import operator_routes
from docclub.web.page import page_routes
from docclub.web.server import HttpServer

log = logging.getLogger("docclub")


class Adapter(Protocol):
    """What a platform adapter distribution exposes under the `docclub.adapters` entry point."""

    name: str

    def enabled(self, settings: Settings) -> bool:
        """Whether this adapter's credentials are set."""
        ...

    async def start(self, runtime: Runtime) -> Notifier:
        """Connect, register with the runtime, and return the platform's Notifier."""
        ...

    async def stop(self) -> None: ...


@dataclass
class Runtime:
    settings: Settings
    store: ClubStore
    clock: Clock
    app: Docclub
    scheduler: Scheduler
    forgetting: Forgetting  # clubs of uninstalled spaces, forgotten after DOCCLUB_FORGET_UNINSTALLED_DAYS
    http: HttpServer
    notifiers: dict[str, Notifier] = field(default_factory=dict)
    tasks: list[asyncio.Task[Any]] = field(default_factory=list)


def discover_adapters() -> dict[str, Adapter]:
    """Adapters installed as distributions (entry-point group `docclub.adapters`)."""
    found: dict[str, Adapter] = {}
    for ep in entry_points(group="docclub.adapters"):
        try:
            found[ep.name] = ep.load()
        except Exception:
            log.exception("adapter %s could not be loaded", ep.name)
    return found


def open_catalog(settings: Settings, store: ClubStore, clock: Clock) -> FilmCatalog:
    """TMDB when `TMDB_API_KEY` is set (answers kept in the store), else no catalog: films are
    kept as typed."""
    if settings.tmdb_api_key is None or not settings.tmdb_api_key.get_secret_value():
        return NoCatalog()
    client = TmdbClient(settings.tmdb_api_key.get_secret_value(), clock, base_url=settings.tmdb_api_url)
    return TmdbCatalog(client, StoreCache(store, clock), clock)


@contextlib.asynccontextmanager
async def runtime(settings: Settings, *, clock: Clock | None = None) -> AsyncIterator[Runtime]:
    """Open the store and build the core and scheduler; close everything on exit."""
    store: ClubStore = await open_store(
        settings.docclub_database_url, busy_timeout=settings.docclub_busy_timeout_seconds
    )
    clock = clock or SystemClock()
    catalog = open_catalog(settings, store, clock)
    app = Docclub(store, clock, default_timezone=settings.docclub_timezone, catalog=catalog)
    app.on_command = metrics.command_done
    # dateparser and the tz database load on first use (a second or more): pay that now, not
    # in the first member's reply.
    await asyncio.to_thread(warm_up, tuple(LIKELY_LANGUAGES))
    scheduler = Scheduler(
        app, store, clock, {}, SchedulerConfig(grace=timedelta(minutes=settings.docclub_reminder_grace_minutes))
    )
    forgetting = Forgetting(
        store, clock, timedelta(days=settings.docclub_forget_uninstalled_days), forgotten=app.forget_club
    )
    # One HTTP server: the club page, its feed, /healthz, /metrics, and what adapters add
    # (Slack's requests). The caller starts it once every adapter has added its routes.
    http = HttpServer(settings.docclub_http_host, settings.docclub_http_port)
    http.add_routes(page_routes(app.club_page, http.app))
    http.add_routes(operator_routes(store))
    app.club_page.base_url = settings.docclub_public_url or http.local_url
    rt = Runtime(settings, store, clock, app, scheduler, forgetting, http)
    try:
        yield rt
    finally:
        await http.stop()
        scheduler.stop()
        for task in rt.tasks:
            task.cancel()
        for task in rt.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if isinstance(catalog, TmdbCatalog):
            await catalog.close()
        await store.close()


def freeze_startup_heap() -> None:
    """Once every adapter is started: what was loaded so far (modules, dateparser's tables, the
    tz database, the platform clients) lives as long as the process, so move it out of the
    garbage collector's sight. A full collection then walks only what commands create since;
    under load, each one walked the ~100,000 objects of start-up (about 60 ms, once every
    thousand or so interactions, some 0.05 ms of CPU per interaction)."""
    gc.collect()
    gc.freeze()


async def serve_http(rt: Runtime, *, required: bool) -> bool:
    """Start the runtime's HTTP server and say where the club page is. When the address is
    taken: raise if `required` (Slack's HTTP mode needs it), else log why and go on without."""
    try:
        await rt.http.start()
    except OSError as exc:
        if required:
            raise
        log.warning(
            "the club page is not served: %s:%s is not free (%s); set DOCCLUB_HTTP_PORT to another port",
            rt.settings.docclub_http_host,
            rt.http.port,
            exc.strerror or exc,
        )
        return False
    if not rt.settings.docclub_public_url:
        rt.app.club_page.base_url = rt.http.local_url  # the port taken, when 0 was asked
    log.info(
        "serving HTTP on %s (the club page: club link; /healthz, /metrics)",
        rt.settings.docclub_public_url or rt.http.local_url,
    )
    return True
