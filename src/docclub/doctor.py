"""`docclub doctor`: checks the settings and says, line by line, what works and what to fix.

The process-wide checks (database, timezone) live here; each adapter that has a `doctor`
method checks its own platform (tokens, scopes, permissions, channels). Nothing here changes
the database: a database that is not migrated yet is reported, not migrated.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from docclub.clock import SystemClock
from docclub.config import Settings
from docclub.core.models import ClubConfig, ClubKey
from docclub.storage import migrations, open_store
from docclub.storage.open import _shown, sqlite_path
from docclub.tmdb import TmdbClient, TmdbNotFound, TmdbUnavailable

__all__ = ["ClubConfigs", "Finding", "check", "note", "ok", "problem"]

ClubConfigs = Callable[[ClubKey], Awaitable[ClubConfig | None]]  # a club's settings, None when unknown


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of the report. `ok` None: information only (a platform not set up)."""

    ok: bool | None
    text: str

    def line(self) -> str:
        mark = {True: "ok  ", False: "FIX ", None: "--  "}[self.ok]
        return mark + self.text


def ok(text: str) -> Finding:
    return Finding(True, text)


def problem(text: str) -> Finding:
    return Finding(False, text)


def note(text: str) -> Finding:
    return Finding(None, text)


def check_timezone(settings: Settings) -> Finding:
    try:
        ZoneInfo(settings.docclub_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return problem(f"DOCCLUB_TIMEZONE {settings.docclub_timezone!r} is unknown: use a name like Europe/Berlin")
    return ok(f"timezone {settings.docclub_timezone} is known")


def _sqlite_version(path: str) -> int | None:
    """The schema version, None when there is no database file yet (it is not created here)."""
    if not Path(path).exists():
        return None
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    try:
        row = db.execute("PRAGMA user_version").fetchone()
        return int(row[0]) if row else 0
    finally:
        db.close()


async def _postgres_version(url: str) -> int:
    import asyncpg  # type: ignore[import-not-found,unused-ignore]  # deferred: optional, the postgresql extra

    conn = await asyncpg.connect(url, timeout=10)
    try:
        exists = await conn.fetchval("SELECT to_regclass('schema_migrations') IS NOT NULL")
        if not exists:
            return 0
        return int(await conn.fetchval("SELECT coalesce(max(version), 0) FROM schema_migrations"))
    finally:
        await conn.close()


async def check_database(settings: Settings) -> Finding:
    """Reachable, and at the newest migration this docclub knows (read only)."""
    url = settings.docclub_database_url
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = sqlite_path(url)
        newest = len(migrations.load("sqlite"))
        if path == ":memory:":
            return ok("database: in memory (nothing is kept after a stop)")
        try:
            version = await asyncio.to_thread(_sqlite_version, path)
        except sqlite3.Error as exc:
            return problem(f"database {path} can't be read ({exc}): check the path and its permissions")
        if version is None:
            return problem(f"database {path} does not exist yet: run `docclub migrate` (or `docclub run`) to create it")
        where = path
    elif parsed.scheme in ("postgresql", "postgres"):
        newest = len(migrations.load("postgresql"))
        where = _shown(parsed)
        try:
            version = await _postgres_version(url)
        except ImportError:
            return problem(
                "DOCCLUB_DATABASE_URL is PostgreSQL but asyncpg is not installed: install docclub[postgresql]"
            )
        except Exception as exc:  # connection refused, bad password, unknown database …
            return problem(f"can't reach the database at {where} ({type(exc).__name__}): check DOCCLUB_DATABASE_URL")
    else:
        return problem("DOCCLUB_DATABASE_URL must start with sqlite:/// or postgresql://")
    if version < newest:
        return problem(f"database {where} is at migration {version} of {newest}: run `docclub migrate`")
    if version > newest:
        return problem(
            f"database {where} is at migration {version}, newer than this docclub ({newest}): upgrade docclub"
        )
    return ok(f"database {where} is reachable and migrated ({version} of {newest})")


async def check_tmdb(settings: Settings) -> Finding:
    """TMDB answers its configuration with the key (never shown), or film lookups are off."""
    if settings.tmdb_api_key is None or not settings.tmdb_api_key.get_secret_value():
        return note("TMDB_API_KEY is not set: films are kept as members type them (no posters, runtimes or streaming)")
    client = TmdbClient(settings.tmdb_api_key.get_secret_value(), SystemClock(), base_url=settings.tmdb_api_url)
    try:
        await client.get("/configuration")
    except (TmdbUnavailable, TmdbNotFound) as exc:
        return problem(f"TMDB at {settings.tmdb_api_url} gave no answer: {exc}; films are kept as typed until it does")
    finally:
        await client.close()
    return ok(f"TMDB answers at {settings.tmdb_api_url}: films are looked up")


async def check(settings: Settings, adapters: dict[str, Any]) -> list[Finding]:
    """Every finding, in order: the process's own settings, then each platform's."""
    found = [check_timezone(settings), await check_database(settings)]
    tmdb = await check_tmdb(settings)
    store: Any = None
    if found[-1].ok:
        store = await open_store(settings.docclub_database_url, busy_timeout=settings.docclub_busy_timeout_seconds)

    async def club_config(key: ClubKey) -> ClubConfig | None:
        if store is None:
            return None
        club = await store.read(lambda tx: tx.clubs.get(key))
        return club.config if club is not None else None

    try:
        for name, adapter in adapters.items():
            doctor = getattr(adapter, "doctor", None)
            if doctor is None:
                continue
            try:
                found.extend(await doctor(settings, club_config))
            except Exception as exc:  # a platform answering oddly: say which, never a traceback
                found.append(problem(f"{name}: the check stopped unexpectedly ({type(exc).__name__}); try again"))
    finally:
        if store is not None:
            await store.close()
    return [*found[:2], tmdb, *found[2:]]
