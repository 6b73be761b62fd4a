"""Shared fixtures: a club on a real SQLite file, driven through the console grammar, and a fresh
PostgreSQL database for the several-process tests."""

from __future__ import annotations

import getpass
import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from docclub.console import ConsoleSession
from docclub.core.clubs import Docclub
from docclub.core.models import ClubSnapshot
from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock


class Club:
    """A console club for tests: `await club.say("alice> vote #1")` returns what alice sees."""

    def __init__(self, app: Docclub, store: SqliteStore, clock: FakeClock, session: ConsoleSession) -> None:
        self.app = app
        self.store = store
        self.clock = clock
        self.session = session

    async def say(self, line: str) -> str:
        return await self.session.handle(line)

    async def snapshot(self) -> ClubSnapshot:
        club = await self.app.club(self.session.key)
        return await self.store.read(lambda tx: tx.snapshots.export(club.id))


class Stores:
    """Opens stores for a test and closes every one of them when it ends, failed or not."""

    def __init__(self) -> None:
        self.opened: list[SqliteStore] = []

    async def sqlite(self, path: Path | str) -> SqliteStore:
        store = await SqliteStore.open(path)
        self.opened.append(store)
        return store


@pytest.fixture
async def stores() -> AsyncIterator[Stores]:
    """`store = await stores.sqlite(path)`: closed at the end of the test even when it fails
    (a store left open keeps aiosqlite's threads alive; closing twice is harmless)."""
    opened = Stores()
    try:
        yield opened
    finally:
        for store in reversed(opened.opened):
            await store.close()


@pytest.fixture
async def club(tmp_path: Path) -> AsyncIterator[Club]:
    store = await SqliteStore.open(tmp_path / "club.db")
    clock = FakeClock()
    app = Docclub(store, clock)
    try:
        yield Club(app, store, clock, ConsoleSession(app, "club", tmp_path))
    finally:
        await store.close()


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A fresh database on the PostgreSQL server the storage tests use, dropped afterwards; skipped
    without one (the scheduler's and the club nights' several-process tests)."""
    asyncpg = pytest.importorskip("asyncpg")
    candidates = (
        [os.environ["DOCCLUB_TEST_POSTGRES_URL"]]
        if os.environ.get("DOCCLUB_TEST_POSTGRES_URL")
        else [f"postgresql://{user}@127.0.0.1:5432/postgres" for user in ("postgres", getpass.getuser())]
    )
    admin = None
    for url in candidates:
        try:
            admin = await asyncpg.connect(url, timeout=3)
            break
        except (TimeoutError, OSError, asyncpg.PostgresError):
            continue
    if admin is None:
        pytest.skip("no PostgreSQL server reachable")
    name = f"docclub_test_{secrets.token_hex(4)}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
