"""Choose a store from DOCCLUB_DATABASE_URL."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlparse


def sqlite_path(url: str) -> str:
    """`sqlite:///docclub.db` -> `docclub.db`; `sqlite:////abs/x.db` -> `/abs/x.db`."""
    rest = url[len("sqlite://") :]
    if rest in ("", "/", "/:memory:", ":memory:"):
        return ":memory:"
    return unquote(rest[1:] if rest.startswith("/") else rest)


async def open_store(url: str) -> Any:
    """Open the store named by `url` (sqlite:///path or postgresql://…), migrated and ready."""
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        from docclub.storage.sqlite import SqliteStore

        return await SqliteStore.open(sqlite_path(url))
    if scheme in ("postgresql", "postgres"):
        from docclub.storage.postgresql import PostgresStore  # type: ignore[import-not-found,unused-ignore]

        return await PostgresStore.open(url)
    raise ValueError(f"DOCCLUB_DATABASE_URL must start with sqlite:/// or postgresql:// (got scheme {scheme!r})")
