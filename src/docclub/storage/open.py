"""Choose a store from DOCCLUB_DATABASE_URL."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlparse

from docclub.storage.errors import StoreUnavailable
from docclub.storage.sqlite import SqliteStore


def sqlite_path(url: str) -> str:
    """`sqlite:///docclub.db` -> `docclub.db`; `sqlite:////abs/x.db` -> `/abs/x.db`."""
    rest = url[len("sqlite://") :]
    if rest in ("", "/", "/:memory:", ":memory:"):
        return ":memory:"
    return unquote(rest[1:] if rest.startswith("/") else rest)


async def open_store(url: str, *, busy_timeout: float = 10.0) -> Any:
    """Open the store named by `url` (sqlite:///path or postgresql://…), migrated and ready.

    Raises StoreUnavailable, saying why in one line, when it can't be opened. A write waits up
    to `busy_timeout` seconds for another process's lock (SQLite and PostgreSQL)."""
    parsed = urlparse(url)
    scheme = parsed.scheme
    if scheme == "sqlite":
        return await SqliteStore.open(sqlite_path(url), busy_timeout=busy_timeout)
    if scheme in ("postgresql", "postgres"):
        # asyncpg comes with the postgresql extra; a SQLite club needs none of it.
        from docclub.storage.postgresql import PostgresStore  # deferred: optional extra  # type: ignore[import-not-found,unused-ignore]

        try:
            return await PostgresStore.open(url, busy_timeout=busy_timeout)
        except (OSError, TimeoutError, ImportError) as exc:
            raise StoreUnavailable(f"can't reach the database at {_shown(parsed)}: {exc}") from None
        except Exception as exc:
            if type(exc).__module__.startswith("asyncpg"):
                raise StoreUnavailable(f"the database at {_shown(parsed)} refused: {exc}") from None
            raise
    raise StoreUnavailable(f"DOCCLUB_DATABASE_URL must start with sqlite:/// or postgresql:// (got scheme {scheme!r})")


def _shown(parsed: Any) -> str:
    """host:port/database of a URL, without its user and password."""
    return f"{parsed.hostname or 'localhost'}{':' + str(parsed.port) if parsed.port else ''}{parsed.path}"
