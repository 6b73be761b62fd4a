"""The embedded default store: one SQLite file through aiosqlite.

One writer connection owns every write. Commands queue for it; the writer takes whatever
has queued up, runs the commands one after another in one transaction (a refused command
is rolled back alone, see `_run_commands`), then commits the batch once and only then
acknowledges each command. This is group commit: under a burst one fsync serves many
votes, and nothing is acknowledged before it is durable. Reads use separate connections,
which WAL lets run beside the writer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite

from docclub.core.errors import ClubBusy
from docclub.storage import migrations
from docclub.storage.errors import StoreUnavailable
from docclub.storage.sql import Row, SqlTx

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_BATCH = 256
READERS = 2
BUSY_TIMEOUT = 10.0  # seconds a write waits for another process's lock before giving up


def _is_locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


class _SqliteConn:
    dialect = "sqlite"

    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db

    async def execute(self, sql: str, args: Sequence[Any] = ()) -> None:
        await self.db.execute(sql, tuple(args))

    # One hop to aiosqlite's thread per statement (a cursor costs three or four): under a
    # burst the writer runs every queued command in turn, so hops bound votes per second.
    async def fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return list(await self.db.execute_fetchall(sql, tuple(args)))

    async def fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        # Fetching every row also lets statements with RETURNING finish before the next one.
        rows = list(await self.db.execute_fetchall(sql, tuple(args)))
        return rows[0] if rows else None


_Job = tuple[Callable[[SqlTx], Awaitable[Any]], "asyncio.Future[Any]"]


async def _connect(path: str, memory: bool) -> aiosqlite.Connection:
    conn = aiosqlite.connect(path, isolation_level=None, uri=memory)
    try:
        return await conn
    except BaseException:
        # aiosqlite asks its worker thread to stop but does not wait for it; were the event loop
        # closed first, the thread would fail on it ("Event loop is closed") on the way out.
        thread = getattr(conn, "_thread", None)
        if thread is not None and thread.is_alive():
            await asyncio.to_thread(thread.join, 5)
        raise


class SqliteStore:
    """`ClubStore` on one SQLite file. Create with `await SqliteStore.open(path)`."""

    def __init__(self, path: str, writer: aiosqlite.Connection, readers: list[aiosqlite.Connection]) -> None:
        self.path = path
        self._writer = writer
        self._readers: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        self._all_readers = readers
        for r in readers:
            self._readers.put_nowait(r)
        self._jobs: asyncio.Queue[_Job | None] = asyncio.Queue()
        self._task = asyncio.create_task(self._write_loop(), name="docclub-sqlite-writer")
        self._closed = False
        self.batches = 0  # commits made (for benchmarks)
        self.commands = 0  # commands committed
        self.reruns = 0  # commands run again after a refused neighbour was rolled back

    @classmethod
    async def open(cls, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT) -> SqliteStore:
        """Open (creating and migrating) the database at `path`, or ":memory:".

        Raises StoreUnavailable, with every connection closed, when the file can't be opened
        or stays locked by another process for longer than `busy_timeout` seconds."""
        path = str(path)
        memory = path == ":memory:"
        if memory:
            # One shared in-memory database needs a URI; readers then share the writer's data.
            path = f"file:docclub-{id(object())}?mode=memory&cache=shared"
        opened: list[aiosqlite.Connection] = []
        wait = f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}"
        try:
            writer = await _connect(path, memory)
            opened.append(writer)
            await writer.execute(wait)
            await writer.execute("PRAGMA foreign_keys = ON")
            if not memory:
                await writer.execute("PRAGMA journal_mode = WAL")
                # Under WAL, NORMAL loses no committed transaction when the process dies; FULL
                # also keeps the last ones when the machine loses power (tests assert >= NORMAL).
                await writer.execute("PRAGMA synchronous = FULL")
            await migrate(writer)
            readers: list[aiosqlite.Connection] = []
            for _ in range(1 if memory else READERS):
                r = await _connect(path, memory)
                opened.append(r)
                await r.execute(wait)
                await r.execute("PRAGMA foreign_keys = ON")
                if memory:
                    await r.execute("PRAGMA read_uncommitted = OFF")
                readers.append(r)
        except BaseException as exc:
            # A connection left open keeps its worker thread alive: the process would never exit.
            for conn in opened:
                with contextlib.suppress(Exception):
                    await conn.close()
            if _is_locked(exc):
                raise StoreUnavailable(
                    f"the database {path} is locked by another process (another docclub importing or "
                    f"migrating?) and stayed locked for {busy_timeout:g} s; try again when it has finished"
                ) from None
            if isinstance(exc, sqlite3.Error):
                raise StoreUnavailable(
                    f"can't open the database {path}: {exc} (does its folder exist, and may docclub write there?)"
                ) from None
            raise
        store = cls(path, writer, readers)
        try:
            await store.write(lambda tx: tx.fill_title_keys())
        except BaseException:
            await store.close()
            raise
        return store

    async def write(self, work: Callable[[SqlTx], Awaitable[T]]) -> T:
        if self._closed:
            raise RuntimeError("store is closed")
        fut: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._jobs.put_nowait((work, fut))
        return await fut

    async def read(self, work: Callable[[SqlTx], Awaitable[T]]) -> T:
        if self._closed:
            raise RuntimeError("store is closed")
        db = await self._readers.get()
        try:
            await db.execute("BEGIN")
            try:
                return await work(SqlTx(_SqliteConn(db)))
            finally:
                await db.execute("COMMIT")
        finally:
            self._readers.put_nowait(db)

    async def _write_loop(self) -> None:
        tx = SqlTx(_SqliteConn(self._writer))
        stop = False
        while not stop:
            first = await self._jobs.get()
            if first is None:
                break
            batch: list[_Job] = [first]
            while len(batch) < MAX_BATCH and not self._jobs.empty():
                nxt = self._jobs.get_nowait()
                if nxt is None:
                    stop = True
                    break
                batch.append(nxt)
            await self._run_batch(tx, batch)

    async def _run_batch(self, tx: SqlTx, batch: list[_Job]) -> None:
        try:
            await self._writer.execute("BEGIN IMMEDIATE")
            outcomes = await self._run_commands(tx, [work for work, _ in batch])
            await self._writer.execute("COMMIT")
        except Exception as exc:
            if _is_locked(exc):
                # Another process held the write lock past the busy timeout: members are told
                # the club is busy and to try again, not that something went wrong.
                log.warning("write batch of %d waited too long for the database lock: %s", len(batch), exc)
                exc = ClubBusy()
            else:
                log.exception("write batch of %d failed; nothing of it was committed", len(batch))
            with contextlib.suppress(Exception):  # the transaction may already be gone
                await self._writer.execute("ROLLBACK")
            for _, fut in batch:
                if not fut.done():
                    fut.set_exception(exc)
            return
        self.batches += 1
        self.commands += len(batch)
        for (_, fut), (ok, value) in zip(batch, outcomes, strict=True):
            if fut.done():
                continue
            if ok:
                fut.set_result(value)
            else:
                fut.set_exception(value)

    async def _run_commands(self, tx: SqlTx, works: list[Callable[[SqlTx], Awaitable[Any]]]) -> list[tuple[bool, Any]]:
        """Run `works` in order inside the open transaction; each outcome is (ok, result or error).

        Each statement is a hop to aiosqlite's thread, and a SAVEPOINT and RELEASE around every
        command would be two more, so commands run back to back after one savepoint, the
        mark. A command that fails right after the mark is undone by rolling back to it. One
        that fails later rolls back to the mark too, undoing its neighbours since the mark,
        which then run again (work functions only touch the transaction, so running one
        again is safe; the PostgreSQL store retries them as well); the failed command then
        runs once more after a new mark of its own, where a failure is final. Every outcome
        comes from the last run, and the database holds exactly the last runs' effects.
        """
        await self._writer.execute("SAVEPOINT mark")
        outcomes: list[tuple[bool, Any]] = []
        mark = 0  # the innermost savepoint holds the state before works[mark]
        own_mark: set[int] = set()  # commands that failed after others: they run after a mark
        i = 0
        while i < len(works):
            if i in own_mark and mark != i:
                await self._writer.execute("SAVEPOINT mark")  # nested; ROLLBACK TO finds it first
                mark = i
            try:
                result = await works[i](tx)
            except BaseException as exc:
                await self._writer.execute("ROLLBACK TO mark")  # keeps the savepoint
                if mark == i:  # only this command is undone: its failure is its outcome
                    outcomes.append((False, exc))
                    mark = i + 1  # the savepoint now equally holds the state before the next
                else:
                    self.reruns += i - mark
                    own_mark.add(i)
                    del outcomes[mark:]
                    i = mark
                    continue
            else:
                outcomes.append((True, result))
            i += 1
        return outcomes

    async def __aenter__(self) -> SqliteStore:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._jobs.put_nowait(None)
        await self._task
        for r in self._all_readers:
            await r.close()
        await self._writer.close()


async def migrate(db: aiosqlite.Connection) -> int:
    """Apply pending migrations; safe when several processes start at once. Returns the version."""
    all_migrations = migrations.load("sqlite")
    await db.execute("BEGIN IMMEDIATE")
    try:
        async with db.execute("PRAGMA user_version") as cur:
            row = await cur.fetchone()
        version = int(row[0]) if row else 0
        for number, name, sql in all_migrations:
            if number <= version:
                continue
            for statement in migrations.statements(sql):
                await db.execute(statement)
            await db.execute(f"PRAGMA user_version = {number}")
            log.info("applied migration %s", name)
            version = number
        await db.execute("COMMIT")
    except BaseException:
        await db.execute("ROLLBACK")
        raise
    return version
