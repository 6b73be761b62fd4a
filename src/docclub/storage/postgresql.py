"""The multi-process store: PostgreSQL through an asyncpg connection pool.

Every `write` is one transaction on a pooled connection; PostgreSQL orders concurrent writers
itself, so there is no writer queue here. A write that loses a serialization race, a deadlock
or a racing insert is rolled back by the server and run again from the start (a few times),
so callers see either one committed result or the error. Reads run in read-only snapshot
transactions. The club SQL is the shared `SqlTx` (`storage/sql/`); this module only translates
`?` to `$n` and adds NOTIFY to the reminders part.

Several processes share one database: migrations run under an advisory lock, reminders are
claimed with `FOR UPDATE SKIP LOCKED` leases (in `SqlReminders.claim_due`), and adding reminders
sends `NOTIFY docclub_reminders` at commit so schedulers in other processes wake up early.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

import asyncpg

from docclub.core.errors import ClubBusy
from docclub.core.models import NewReminder
from docclub.storage import migrations
from docclub.storage.sql import Row, SqlReminders, SqlTx, dt, ts

log = logging.getLogger(__name__)
T = TypeVar("T")

REMINDER_CHANNEL = "docclub_reminders"
# Key of the transaction-scoped advisory lock that serializes migrations across processes.
MIGRATION_LOCK = 0x646F63636C7562  # "docclub"
WRITE_ATTEMPTS = 5
# SQLSTATEs after which the server has rolled the whole transaction back, so running the
# work again is safe: serialization_failure, deadlock_detected, unique_violation (two
# processes creating the same club at once: the retry finds the other's row).
_RETRYABLE = (
    asyncpg.exceptions.SerializationError,
    asyncpg.exceptions.DeadlockDetectedError,
    asyncpg.exceptions.UniqueViolationError,
)

ReminderListener = Callable[[datetime | None], None]


@functools.lru_cache(maxsize=2048)
def to_dollar(sql: str) -> str:
    """`?` placeholders -> `$1..$n`, leaving quoted literals and identifiers alone."""
    out: list[str] = []
    quote: str | None = None
    n = 0
    for ch in sql:
        if quote is not None:
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "?":
            n += 1
            out.append(f"${n}")
            continue
        out.append(ch)
    return "".join(out)


class _PgConn:
    """The `Conn` that `SqlTx` runs on, over one asyncpg connection."""

    dialect = "postgresql"

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    async def execute(self, sql: str, args: Sequence[Any] = ()) -> None:
        await self.conn.execute(to_dollar(sql), *args)

    async def fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return list(await self.conn.fetch(to_dollar(sql), *args))

    async def fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        row: Row | None = await self.conn.fetchrow(to_dollar(sql), *args)
        return row


class _PgReminders(SqlReminders):
    """Reminders that also wake schedulers in other processes (NOTIFY, sent at commit)."""

    async def add(self, reminders: Sequence[NewReminder]) -> None:
        await super().add(reminders)
        if reminders:
            # Delivered at commit, and not at all if the transaction rolls back.
            earliest = min(ts(r.due_at) for r in reminders)
            await self.conn.execute("SELECT pg_notify(?, ?)", (REMINDER_CHANNEL, str(earliest)))

    async def retry(self, reminder_id: int, due_at: datetime, attempts: int) -> None:
        # A retry may fall due before anything another process is sleeping towards.
        await super().retry(reminder_id, due_at, attempts)
        await self.conn.execute("SELECT pg_notify(?, ?)", (REMINDER_CHANNEL, str(ts(due_at))))


def _pg_tx(conn: Any) -> SqlTx:
    """The club SQL on one asyncpg connection."""
    on = _PgConn(conn)
    return SqlTx(on, reminders=_PgReminders(on))


class PostgresStore:
    """`ClubStore` on PostgreSQL. Create with `await PostgresStore.open(url)`."""

    def __init__(self, url: str, pool: Any) -> None:
        self.url = url
        self._pool = pool
        self._closed = False
        self._listeners: list[ReminderListener] = []
        self._listen_conn: Any = None
        self._relisten_task: asyncio.Task[None] | None = None
        self.retries = 0  # writes run again after a retryable failure

    @classmethod
    async def open(
        cls, url: str, *, min_size: int = 1, max_size: int = 10, busy_timeout: float = 10.0
    ) -> PostgresStore:
        """Connect a pool to `url` (postgresql://…) and apply pending migrations. A write waits
        up to `busy_timeout` seconds for a lock another transaction holds (say, a large import
        in another process), then fails with `ClubBusy`: nothing written, try again."""
        # lock_timeout on every pooled session: a command never waits on a lock for ever.
        lock_ms = str(max(1, round(busy_timeout * 1000)))
        pool = await asyncpg.create_pool(
            url, min_size=min_size, max_size=max_size, server_settings={"lock_timeout": lock_ms}
        )
        try:
            async with pool.acquire() as conn:
                await _migrate(conn)
        except BaseException:
            await pool.close()
            raise
        store = cls(url, pool)
        try:
            await store.write(lambda tx: tx.films.fill_title_keys())
        except BaseException:
            await store.close()
            raise
        return store

    async def write(self, work: Callable[[SqlTx], Awaitable[T]]) -> T:
        if self._closed:
            raise RuntimeError("store is closed")
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                async with self._pool.acquire() as conn, conn.transaction():
                    return await work(_pg_tx(conn))
            except asyncpg.exceptions.LockNotAvailableError as exc:
                # Waited past lock_timeout: the transaction is rolled back, members are told the
                # club is busy and to try again, not that something went wrong.
                log.warning("write waited too long for a database lock: %s", exc)
                raise ClubBusy() from None
            except _RETRYABLE as exc:
                if attempt == WRITE_ATTEMPTS:
                    raise
                self.retries += 1
                log.debug("write attempt %d rolled back (%s); retrying", attempt, exc.sqlstate)
                # Jittered backoff so the transactions that collided do not collide again.
                await asyncio.sleep(random.uniform(0, 0.005 * 2**attempt))
        raise AssertionError("unreachable")

    async def read(self, work: Callable[[SqlTx], Awaitable[T]]) -> T:
        if self._closed:
            raise RuntimeError("store is closed")
        async with self._pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            return await work(_pg_tx(conn))

    # ---- LISTEN / NOTIFY ----
    async def add_reminder_listener(self, callback: ReminderListener) -> None:
        """Call `callback(due_at)` whenever any process commits new reminders (or a retry);
        `due_at` is the earliest of them. After the listening connection was lost and
        re-established the callback gets `None`: notifications may have been missed, so the
        listener should look at the store again."""
        self._listeners.append(callback)
        if self._listen_conn is None:
            await self._listen()

    def remove_reminder_listener(self, callback: ReminderListener) -> None:
        if callback in self._listeners:
            self._listeners.remove(callback)

    async def _listen(self) -> None:
        conn = await asyncpg.connect(self.url)
        await conn.add_listener(REMINDER_CHANNEL, self._on_notify)
        conn.add_termination_listener(self._on_listen_lost)
        self._listen_conn = conn

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        try:
            due: datetime | None = dt(int(payload))
        except ValueError:
            due = None
        self._tell_listeners(due)

    def _tell_listeners(self, due: datetime | None) -> None:
        for callback in list(self._listeners):
            try:
                callback(due)
            except Exception:
                log.exception("reminder listener failed")

    def _on_listen_lost(self, _conn: Any) -> None:
        self._listen_conn = None
        if not self._closed and self._relisten_task is None:
            log.warning("lost the LISTEN connection to PostgreSQL; reconnecting")
            self._relisten_task = asyncio.get_running_loop().create_task(self._relisten())

    async def _relisten(self) -> None:
        delay = 0.5
        try:
            while not self._closed:
                try:
                    await self._listen()
                except (OSError, asyncpg.PostgresError) as exc:
                    log.warning("LISTEN reconnect failed (%s); next try in %.1fs", exc, delay)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 10.0)
                else:
                    self._tell_listeners(None)
                    return
        finally:
            self._relisten_task = None

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._relisten_task is not None:
            self._relisten_task.cancel()
        if self._listen_conn is not None:
            conn, self._listen_conn = self._listen_conn, None
            conn.remove_termination_listener(self._on_listen_lost)
            await conn.close()
        await self._pool.close()


async def _applied(conn: Any) -> set[int]:
    if await conn.fetchval("SELECT to_regclass('schema_migrations')") is None:
        return set()
    return {int(r[0]) for r in await conn.fetch("SELECT version FROM schema_migrations")}


async def _migrate(conn: Any) -> int:
    """Apply pending migrations in one transaction under an advisory lock, so processes that
    start together wait for each other and each migration runs once. Returns the version."""
    known = migrations.load("postgresql")
    applied = await _applied(conn)
    # Up to date: no lock and no DDL, so a role without CREATE rights can open the store
    # once `docclub migrate` has run with one that has them.
    if any(number not in applied for number, _, _ in known):
        async with conn.transaction():
            # Processes starting together wait for the one migrating, however long it takes.
            await conn.execute("SET LOCAL lock_timeout = 0")
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            applied = await _applied(conn)  # another process may have migrated meanwhile
            for number, name, sql in known:
                if number in applied:
                    continue
                for statement in migrations.statements(sql):
                    await conn.execute(statement)
                await conn.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", number, name)
                applied.add(number)
                log.info("applied migration %s", name)
    newest_known = max((number for number, _, _ in known), default=0)
    version = max(applied, default=0)
    if version > newest_known:
        log.warning("database schema is at version %d, newer than this docclub (%d)", version, newest_known)
    return version


async def migrate(url: str) -> int:
    """Apply pending migrations to the database at `url`; safe to run from several processes
    at once. Returns the schema version."""
    conn = await asyncpg.connect(url)
    try:
        return await _migrate(conn)
    finally:
        await conn.close()
