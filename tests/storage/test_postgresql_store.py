"""What the PostgreSQL store promises beyond the contract: migrations that several processes
may run at once, writes retried after serialization failures and deadlocks, read-only reads,
reminders claimed once across stores, and NOTIFY to wake schedulers in other processes."""

from __future__ import annotations

import asyncio
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from docclub.core.models import (
    Club,
    ClubConfig,
    ClubKey,
    FilmStatus,
    NewFilm,
    NewReminder,
    ReminderKind,
)
from docclub.storage import migrations, open_store
from docclub.storage.postgresql import WRITE_ATTEMPTS, to_dollar

asyncpg = pytest.importorskip("asyncpg")
pytestmark = pytest.mark.postgresql

T0 = datetime(2026, 3, 6, 19, 0, tzinfo=UTC)
KEY = ClubKey("discord", "123456789")


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def new_club(store: Any) -> Club:
    club: Club = await store.write(lambda tx: tx.clubs.create(KEY, "Docs", ClubConfig(), T0))
    return club


def reminders(club: Club, *minutes: float) -> list[NewReminder]:
    return [NewReminder(club_id=club.id, kind=ReminderKind.PARTY_BEFORE, target_id=n,
                        due_at=at(m)) for n, m in enumerate(minutes, start=1)]


async def open_pg(url: str) -> Any:
    from docclub.storage.postgresql import PostgresStore

    return await PostgresStore.open(url)


# ---- placeholders ----

@pytest.mark.parametrize(("sql", "expected"), [
    ("SELECT ? , ?", "SELECT $1 , $2"),
    ("UPDATE t SET a = ? WHERE state = 'pending?' AND b = ?",
     "UPDATE t SET a = $1 WHERE state = 'pending?' AND b = $2"),
    ('SELECT "odd?name" FROM t WHERE x = ?', 'SELECT "odd?name" FROM t WHERE x = $1'),
    ("SELECT 'it''s ?' , ?", "SELECT 'it''s ?' , $1"),
])
def test_question_marks_become_numbered_placeholders_outside_quotes(sql: str,
                                                                    expected: str) -> None:
    assert to_dollar(sql) == expected


# ---- migrations ----

async def test_migrations_run_at_once_from_many_processes_apply_once(fresh_pg_url: str) -> None:
    from docclub.storage.postgresql import migrate

    versions = await asyncio.gather(*(migrate(fresh_pg_url) for _ in range(6)))

    newest = migrations.load("postgresql")[-1][0]
    assert versions == [newest] * 6
    conn = await asyncpg.connect(fresh_pg_url)
    try:
        applied = await conn.fetch("SELECT version, name FROM schema_migrations ORDER BY version")
    finally:
        await conn.close()
    assert [(r["version"], r["name"]) for r in applied] == [
        (number, name) for number, name, _ in migrations.load("postgresql")]


async def test_stores_opened_together_on_an_empty_database_all_work(fresh_pg_url: str) -> None:
    stores = await asyncio.gather(*(open_pg(fresh_pg_url) for _ in range(4)))
    try:
        club = await new_club(stores[0])
        seen = [await s.read(lambda tx: tx.clubs.get(KEY)) for s in stores]
    finally:
        for s in stores:
            await s.close()

    assert seen == [club] * 4


async def test_a_role_without_create_rights_opens_a_migrated_database(fresh_pg_url: str) -> None:
    from docclub.storage.postgresql import migrate

    await migrate(fresh_pg_url)
    role = f"docclub_app_{secrets.token_hex(3)}"
    admin = await asyncpg.connect(fresh_pg_url)
    await admin.execute(f"CREATE ROLE {role} LOGIN")
    await admin.execute(f"REVOKE CREATE ON SCHEMA public FROM PUBLIC, {role}")
    await admin.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                        f"TO {role}")
    await admin.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}")
    try:
        parts = urlsplit(fresh_pg_url)
        app_url = urlunsplit(parts._replace(netloc=f"{role}@{parts.hostname}:{parts.port or 5432}"))
        store = await open_pg(app_url)
        try:
            club = await new_club(store)
        finally:
            await store.close()
        assert club.id == 1
    finally:
        await admin.execute(f"DROP OWNED BY {role}")
        await admin.execute(f"DROP ROLE {role}")
        await admin.close()


async def test_open_store_chooses_postgresql_for_postgresql_urls(pg_url: str) -> None:
    from docclub.storage.postgresql import PostgresStore

    for url in (pg_url, pg_url.replace("postgresql://", "postgres://", 1)):
        store = await open_store(url)
        try:
            assert isinstance(store, PostgresStore)
            assert await store.read(lambda tx: tx.reminders.next_due_at()) is None
        finally:
            await store.close()


# ---- transactions ----

async def test_reads_cannot_write(postgresql_store: Any) -> None:
    with pytest.raises(asyncpg.exceptions.ReadOnlySQLTransactionError):
        await postgresql_store.read(lambda tx: tx.clubs.create(KEY, "Docs", ClubConfig(), T0))

    assert await postgresql_store.read(lambda tx: tx.clubs.get(KEY)) is None


async def test_writes_that_deadlock_are_retried_until_both_commit(postgresql_store: Any) -> None:
    store = postgresql_store
    club = await new_club(store)
    a = (await store.write(lambda tx: tx.films.add(club.id, NewFilm("A"), "u", "U", T0))).id
    b = (await store.write(lambda tx: tx.films.add(club.id, NewFilm("B"), "u", "U", T0))).id
    a_locked, b_locked = asyncio.Event(), asyncio.Event()
    attempts: list[int] = []

    async def cross(tx: Any, first: int, second: int, mine: asyncio.Event,
                    theirs: asyncio.Event, status: FilmStatus) -> None:
        attempts.append(first)
        await tx.films.set_status(club.id, first, status)
        mine.set()
        await theirs.wait()
        await tx.films.set_status(club.id, second, status)  # each waits for the other: deadlock

    await asyncio.gather(
        store.write(lambda tx: cross(tx, a, b, a_locked, b_locked, FilmStatus.SHORTLISTED)),
        store.write(lambda tx: cross(tx, b, a, b_locked, a_locked, FilmStatus.WATCHED)),
    )

    films = await store.read(lambda tx: tx.films.list(club.id))
    assert len(attempts) == 3 and store.retries == 1
    # The retried write ran after the other committed, so it set both films last.
    assert films[0].status == films[1].status != FilmStatus.SUGGESTED


async def test_retries_are_bounded_and_the_last_failure_propagates(postgresql_store: Any) -> None:
    calls = 0

    async def always_conflicts(tx: Any) -> None:
        nonlocal calls
        calls += 1
        await tx.platform.remember_event(f"ev-{calls}", T0)
        raise asyncpg.exceptions.SerializationError("could not serialize access")

    with pytest.raises(asyncpg.exceptions.SerializationError):
        await postgresql_store.write(always_conflicts)

    assert calls == WRITE_ATTEMPTS
    assert await postgresql_store.write(lambda tx: tx.platform.remember_event("ev-1", T0)) is True


async def test_other_failures_are_not_retried(postgresql_store: Any) -> None:
    calls = 0

    async def refused(tx: Any) -> None:
        nonlocal calls
        calls += 1
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        await postgresql_store.write(refused)

    assert calls == 1


# ---- reminders across stores ----

async def test_three_stores_claim_3000_reminders_each_exactly_once(
        postgresql_store: Any, pg_url: str) -> None:
    club = await new_club(postgresql_store)
    await postgresql_store.write(
        lambda tx: tx.reminders.add(reminders(club, *(n % 50 for n in range(3000)))))
    stores = [postgresql_store, await open_pg(pg_url), await open_pg(pg_url)]

    async def drain(store: Any) -> list[int]:
        claimed: list[int] = []
        while batch := await store.write(lambda tx: tx.reminders.claim_due(at(60), at(120), 25)):
            claimed.extend(r.id for r in batch)
        return claimed

    try:
        per_store = await asyncio.gather(*(drain(s) for s in stores))
    finally:
        for s in stores[1:]:
            await s.close()

    every = [rid for claimed in per_store for rid in claimed]
    assert len(every) == len(set(every)) == 3000
    assert all(claimed for claimed in per_store), [len(c) for c in per_store]
    left = await postgresql_store.read(lambda tx: tx.reminders.list(club.id))
    assert {r.state.value for r in left} == {"claimed"}


async def test_added_reminders_wake_a_listener_in_another_store(
        postgresql_store: Any, pg_url: str) -> None:
    club = await new_club(postgresql_store)
    other = await open_pg(pg_url)
    heard: asyncio.Queue[datetime | None] = asyncio.Queue()
    await other.add_reminder_listener(heard.put_nowait)
    try:
        await postgresql_store.write(lambda tx: tx.reminders.add(reminders(club, 30, 10, 20)))

        assert await asyncio.wait_for(heard.get(), 5) == at(10)
    finally:
        await other.close()


async def test_reminders_rolled_back_wake_nobody(postgresql_store: Any, pg_url: str) -> None:
    club = await new_club(postgresql_store)
    other = await open_pg(pg_url)
    heard: asyncio.Queue[datetime | None] = asyncio.Queue()
    await other.add_reminder_listener(heard.put_nowait)

    async def add_then_refuse(tx: Any) -> None:
        await tx.reminders.add(reminders(club, 5))
        raise ValueError("refused")

    try:
        with pytest.raises(ValueError):
            await postgresql_store.write(add_then_refuse)
        await postgresql_store.write(lambda tx: tx.reminders.add(reminders(club, 40)))

        assert await asyncio.wait_for(heard.get(), 5) == at(40)
    finally:
        await other.close()


async def test_a_listener_hears_again_after_its_connection_is_cut(
        postgresql_store: Any, pg_url: str) -> None:
    club = await new_club(postgresql_store)
    other = await open_pg(pg_url)
    heard: asyncio.Queue[datetime | None] = asyncio.Queue()
    await other.add_reminder_listener(heard.put_nowait)
    try:
        admin = await asyncpg.connect(pg_url)
        try:
            cut = await admin.fetchval(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND query LIKE 'LISTEN%'")
        finally:
            await admin.close()
        assert cut == 1

        # Reconnected: told to look again (something may have been missed), then hears.
        assert await asyncio.wait_for(heard.get(), 10) is None
        await postgresql_store.write(lambda tx: tx.reminders.add(reminders(club, 15)))
        assert await asyncio.wait_for(heard.get(), 5) == at(15)
    finally:
        await other.close()


# ---- a lock held by another process ----

async def test_a_write_that_outwaits_another_transactions_lock_says_the_club_is_busy(fresh_pg_url: str) -> None:
    """Another process holds the club's row (a large import, say): a command waits up to the
    busy timeout, then the member hears the club is busy, and nothing of the command is kept."""
    from docclub.core.errors import ClubBusy
    from docclub.storage.postgresql import PostgresStore

    store = await PostgresStore.open(fresh_pg_url, busy_timeout=0.2)
    other = await asyncpg.connect(fresh_pg_url)
    try:
        club = await new_club(store)
        holder = other.transaction()
        await holder.start()
        await other.execute("LOCK TABLE reminders IN ACCESS EXCLUSIVE MODE")

        with pytest.raises(ClubBusy, match="busy"):
            await store.write(lambda tx: tx.reminders.add(reminders(club, 30)))

        await holder.rollback()
        assert await store.read(lambda tx: tx.reminders.next_due_at()) is None
        await store.write(lambda tx: tx.reminders.add(reminders(club, 30)))
        assert await store.read(lambda tx: tx.reminders.next_due_at()) == at(30)
    finally:
        await other.close()
        await store.close()
