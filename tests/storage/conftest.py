"""Stores for the contract suite: every test runs once per backend.

SQLite gets a fresh file per test. PostgreSQL gets one fresh database per test session
(`docclub_test_<random>`, dropped at the end) and clean tables per test. The server is found
through `DOCCLUB_TEST_POSTGRES_URL` (an admin URL; the test database is created beside it), or
else at 127.0.0.1:5432 as user postgres, then as the current OS user (trust auth). When no
server answers, the PostgreSQL tests are skipped, except under CI (env `CI` set), where they fail.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from docclub.storage.sqlite import SqliteStore

try:
    import asyncpg
except ImportError:  # the postgresql extra is not installed
    asyncpg = None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgresql: needs a PostgreSQL server (skipped without)")


def _admin_candidates() -> list[str]:
    explicit = os.environ.get("DOCCLUB_TEST_POSTGRES_URL")
    if explicit:
        return [explicit]
    users = ["postgres", getpass.getuser()]
    return [f"postgresql://{user}@127.0.0.1:5432/{db}"
            for user in users for db in ("postgres", "test")]


def with_database(url: str, name: str) -> str:
    """`url` pointing at database `name` instead."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


async def _find_admin() -> tuple[str | None, list[str]]:
    failures: list[str] = []
    for url in _admin_candidates():
        try:
            conn = await asyncpg.connect(url, timeout=3)
        except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
            failures.append(f"{url}: {exc.__class__.__name__}: {exc}")
            continue
        await conn.close()
        return url, failures
    return None, failures


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL tests must run under CI, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """A URL of a reachable PostgreSQL server where we may create databases."""
    if asyncpg is None:
        _unavailable("asyncpg is not installed (uv sync --all-extras)")
    url, failures = asyncio.run(_find_admin())
    if url is None:
        _unavailable("no PostgreSQL server reachable: " + "; ".join(failures))
    assert url is not None
    return url


async def create_database(admin_url: str, name: str) -> str:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return with_database(admin_url, name)


async def drop_database(admin_url: str, name: str) -> None:
    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def pg_url(pg_admin_url: str) -> Iterator[str]:
    """A fresh, migrated database for this test session; dropped at the end."""
    from docclub.storage.postgresql import migrate

    name = f"docclub_test_{secrets.token_hex(4)}"
    url = asyncio.run(create_database(pg_admin_url, name))
    try:
        asyncio.run(migrate(url))
        yield url
    finally:
        asyncio.run(drop_database(pg_admin_url, name))


@pytest.fixture
def fresh_pg_url(pg_admin_url: str) -> Iterator[str]:
    """An empty, unmigrated database of its own for one test."""
    name = f"docclub_test_{secrets.token_hex(4)}_fresh"
    url = asyncio.run(create_database(pg_admin_url, name))
    try:
        yield url
    finally:
        asyncio.run(drop_database(pg_admin_url, name))


async def clean_tables(url: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        tables = [r[0] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename <> 'schema_migrations'"
        )]
        await conn.execute(
            "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
        )
    finally:
        await conn.close()


@pytest.fixture
async def sqlite_store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    store = await SqliteStore.open(tmp_path / "docclub.db")
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
async def postgresql_store(pg_url: str) -> AsyncIterator[Any]:
    from docclub.storage.postgresql import PostgresStore

    await clean_tables(pg_url)
    store = await PostgresStore.open(pg_url)
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def store(request: pytest.FixtureRequest) -> Any:
    """The store under contract: once SQLite, once PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_store")
