"""The embedded default store: one SQLite file, through the standard library's `sqlite3`.

One writer connection owns every write. Commands queue for it; the writer takes whatever
has queued up and runs the whole batch in its own thread: one transaction, each command
inside a savepoint of its own (a refused command is rolled back alone), one commit, and
only then are the commands acknowledged. This is group commit: under a burst one fsync
serves many votes, and nothing is acknowledged before it is durable. The event loop hands a
batch to the thread and the thread posts the outcomes back: one trip each way per batch, no
task or queue in between. Reads use separate connections, which WAL lets run beside the
writer, each read in one trip to a reader thread.

Why a whole command runs in the thread (not statement by statement): a statement of the
club's SQL takes a microsecond or two, a trip between the event loop and a thread some
tens of microseconds, and a vote is about a dozen statements. So the event loop hands the
thread the whole batch (or the whole read) at once. The work functions are the same
coroutines the PostgreSQL store awaits; here their `Conn` answers at once, so the thread
runs each to completion without an event loop (`_run_to_end`). The one rule this adds to
the store contract: a work function awaits nothing but its transaction (it never did
anything else; a work that does is refused with a RuntimeError, and nothing is written).
Busy waits (another process holding the write lock) also happen in the thread, never on
the event loop.

Why a lone write still goes to the thread: the trip there and back costs about as much CPU
as the vote's own statements (some 0.04 ms), and committing on the loop would save it, but
a commit waits for its fsync, which took 0.2 ms at the median here, 3 to 8 ms at the 99th
percentile and up to 0.1 s while the disk was busy: the loop, and every other member's
answer, would wait with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from docclub import metrics
from docclub.core.errors import ClubBusy
from docclub.storage import migrations
from docclub.storage.errors import StoreUnavailable
from docclub.storage.sql import Row, SqlTx

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_BATCH = 256
READERS = 2
BUSY_TIMEOUT = 10.0  # seconds a write waits for another process's lock before giving up
WAL_CHECKPOINT_PAGES = 200  # the log's size, in pages, that starts a checkpoint (SQLite's default: 1,000)


def _is_locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


class _SqliteConn:
    """The `Conn` for `SqlTx` over one sqlite3 connection: each call runs at once, in the
    thread that runs the work (the coroutine never suspends)."""

    dialect = "sqlite"

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    async def execute(self, sql: str, args: Sequence[Any] = ()) -> None:
        self.db.execute(sql, tuple(args)).close()

    async def fetchall(self, sql: str, args: Sequence[Any] = ()) -> list[Row]:
        return self.db.execute(sql, tuple(args)).fetchall()

    async def fetchone(self, sql: str, args: Sequence[Any] = ()) -> Row | None:
        # Fetching every row also lets statements with RETURNING finish before the next one.
        rows = self.db.execute(sql, tuple(args)).fetchall()
        return rows[0] if rows else None


def _run_to_end(work: Awaitable[T]) -> T:
    """Run a work coroutine whose every await is answered at once, without an event loop."""
    steps = work.__await__()
    try:
        next(steps)
    except StopIteration as done:
        result: T = done.value
        return result
    close = getattr(steps, "close", None)
    if close is not None:
        close()
    raise RuntimeError("a store work function awaited something other than its transaction")


_Job = tuple[Callable[[SqlTx], Awaitable[Any]], "asyncio.Future[Any]"]


def _connect(path: str, busy_timeout: float, *, uri: bool = False) -> sqlite3.Connection:
    # Autocommit mode: transactions are opened and closed by our own BEGIN / COMMIT.
    db = sqlite3.connect(path, isolation_level=None, uri=uri, check_same_thread=False, cached_statements=256)
    try:
        db.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        db.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        db.close()
        raise
    return db


class SqliteStore:
    """`ClubStore` on one SQLite file. Create with `await SqliteStore.open(path)`."""

    def __init__(
        self,
        path: str,
        writer: sqlite3.Connection,
        readers: list[sqlite3.Connection],
        writer_thread: ThreadPoolExecutor | None = None,
    ) -> None:
        self.path = path
        self._writer = writer
        self._writer_thread = writer_thread or ThreadPoolExecutor(1, thread_name_prefix="docclub-sqlite-writer")
        self._reader_threads = ThreadPoolExecutor(len(readers), thread_name_prefix="docclub-sqlite-reader")
        self._readers: asyncio.Queue[sqlite3.Connection] = asyncio.Queue()
        self._all_readers = readers
        # A transaction's parts hold nothing but their connection: built once per connection.
        self._txs = {db: SqlTx(_SqliteConn(db)) for db in (writer, *readers)}
        for r in readers:
            self._readers.put_nowait(r)
        self._loop = asyncio.get_running_loop()
        self._pending: list[_Job] = []  # writes waiting for the writer thread
        self._writing = False  # a batch is queued to run or running in the writer thread
        self._idle: asyncio.Future[None] | None = None  # what `close` waits on
        self._closed = False
        self.batches = 0  # commits made (for benchmarks)
        self.commands = 0  # commands committed
        self.reruns = 0  # kept for benchmarks: commands are never run twice any more

    @classmethod
    async def open(cls, path: str | Path, *, busy_timeout: float = BUSY_TIMEOUT) -> SqliteStore:
        """Open (creating and migrating) the database at `path`, or ":memory:".

        Raises StoreUnavailable, with every connection closed and its threads ended, when the
        file can't be opened or stays locked by another process for longer than `busy_timeout`
        seconds."""
        path = str(path)
        memory = path == ":memory:"
        if memory:
            # One shared in-memory database needs a URI; readers then share the writer's data.
            path = f"file:docclub-{id(object())}?mode=memory&cache=shared"

        def setup() -> tuple[sqlite3.Connection, list[sqlite3.Connection]]:
            opened: list[sqlite3.Connection] = []
            try:
                writer = _connect(path, busy_timeout, uri=memory)
                opened.append(writer)
                if not memory:
                    writer.execute("PRAGMA journal_mode = WAL")
                    # Under WAL, NORMAL loses no committed transaction when the process dies; FULL
                    # also keeps the last ones when the machine loses power (tests assert >= NORMAL).
                    writer.execute("PRAGMA synchronous = FULL")
                    # A small log, checkpointed often, stops growing early: a commit then rewrites
                    # log pages already on disk, and the fsync that makes it durable has less to do
                    # than one that also grows the file.
                    writer.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
                migrate(writer)
                for _ in range(1 if memory else READERS):
                    r = _connect(path, busy_timeout, uri=memory)
                    opened.append(r)
                    if memory:
                        r.execute("PRAGMA read_uncommitted = OFF")
            except BaseException:
                for db in opened:
                    db.close()
                raise
            return opened[0], opened[1:]

        writer_thread = ThreadPoolExecutor(1, thread_name_prefix="docclub-sqlite-writer")
        try:
            writer, readers = await asyncio.get_running_loop().run_in_executor(writer_thread, setup)
        except BaseException as exc:
            writer_thread.shutdown(wait=True)  # a thread left behind would keep the process alive
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
        store = cls(path, writer, readers, writer_thread)
        try:
            await store.write(lambda tx: tx.films.fill_title_keys())
        except BaseException:
            await store.close()
            raise
        return store

    @property
    def queued(self) -> int:
        """Writes waiting for the writer (adapters answer "working on it" when this is deep)."""
        return len(self._pending)

    async def write(self, work: Callable[[SqlTx], Awaitable[T]]) -> T:
        if self._closed:
            raise RuntimeError("store is closed")
        fut: asyncio.Future[T] = self._loop.create_future()
        self._pending.append((work, fut))
        if not self._writing:
            # Started on the loop's next turn: writes made in this one join the same batch.
            self._writing = True
            self._loop.call_soon(self._next_batch)
        return await fut

    async def read(self, work: Callable[[SqlTx], Awaitable[T]]) -> T:
        if self._closed:
            raise RuntimeError("store is closed")
        db = await self._readers.get()
        try:
            return await self._in_thread(self._reader_threads, _read, db, self._txs[db], work)
        finally:
            self._readers.put_nowait(db)

    def _in_thread(self, threads: ThreadPoolExecutor, fn: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        """`fn(*args)` in one of `threads`, its outcome posted back to the loop: one trip each way."""
        fut: asyncio.Future[T] = self._loop.create_future()
        loop = self._loop

        def posted(done: Future[T]) -> None:  # in that thread
            with contextlib.suppress(RuntimeError):  # a closed event loop: nobody waits for it any more
                loop.call_soon_threadsafe(_settle, fut, done)

        threads.submit(fn, *args).add_done_callback(posted)
        return fut

    def _next_batch(self) -> None:
        """Hand whatever has queued up to the writer thread as one batch (on the loop).

        One trip each way per batch, without a task in between: the thread runs the batch
        and posts its outcomes back (`_batch_done`), which starts the next batch."""
        batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
        if not batch:
            self._writing = False
            if self._idle is not None and not self._idle.done():
                self._idle.set_result(None)
            return
        loop = self._loop

        def posted(done: Future[list[tuple[bool, Any]]]) -> None:  # in the writer thread
            with contextlib.suppress(RuntimeError):  # a closed event loop: nobody waits for these any more
                loop.call_soon_threadsafe(self._batch_done, batch, done)

        works = [work for work, _ in batch]
        self._writer_thread.submit(_write_batch, self._writer, self._txs[self._writer], works).add_done_callback(posted)

    def _batch_done(self, batch: list[_Job], done: Future[list[tuple[bool, Any]]]) -> None:
        """Answer a batch's writers (on the loop), then start the next batch."""
        try:
            self._answer(batch, done)
        finally:  # whatever happened answering these, the writes queued behind them go on
            self._next_batch()

    def _answer(self, batch: list[_Job], done: Future[list[tuple[bool, Any]]]) -> None:
        try:
            outcomes = done.result()
        except BaseException as exc:
            failure: BaseException = exc
            if _is_locked(exc):
                # Another process held the write lock past the busy timeout: members are told
                # the club is busy and to try again, not that something went wrong.
                log.warning("write batch of %d waited too long for the database lock: %s", len(batch), exc)
                failure = ClubBusy()
            else:
                log.error("write batch of %d failed; nothing of it was committed", len(batch), exc_info=exc)
            for _, fut in batch:
                if not fut.done():
                    fut.set_exception(failure)
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
        metrics.commit_batch(len(batch))

    async def __aenter__(self) -> SqliteStore:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def threads(self) -> tuple[ThreadPoolExecutor, ThreadPoolExecutor]:
        """The writer's and the readers' threads (the test suite's guard stops a leaked store's)."""
        return self._writer_thread, self._reader_threads

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._writing:  # writes already made are committed and answered first
            self._idle = self._loop.create_future()
            await self._idle
        self._writer_thread.shutdown(wait=True)
        self._reader_threads.shutdown(wait=True)
        for r in self._all_readers:
            r.close()
        self._writer.close()


def _settle(fut: asyncio.Future[T], done: Future[T]) -> None:
    """Give `fut` the outcome of `done` (on the loop), unless its waiter has gone."""
    if fut.cancelled():
        return
    exc = done.exception()
    if exc is not None:
        fut.set_exception(exc)
    else:
        fut.set_result(done.result())


def _read(db: sqlite3.Connection, tx: SqlTx, work: Callable[[SqlTx], Awaitable[T]]) -> T:
    """One read, in a reader thread: a consistent snapshot for the whole work."""
    db.execute("BEGIN")
    try:
        return _run_to_end(work(tx))
    finally:
        db.execute("COMMIT")


def _write_batch(
    db: sqlite3.Connection, tx: SqlTx, works: list[Callable[[SqlTx], Awaitable[Any]]]
) -> list[tuple[bool, Any]]:
    """A batch of commands, in the writer thread: each outcome is (ok, result or error).

    One transaction; each command runs inside its own savepoint, and a command that fails is
    rolled back to it, alone (a batch of one needs no savepoint: its failure rolls back the
    transaction). The batch commits once; an error there (a full disk) undoes the whole batch
    and is every command's outcome."""
    db.execute("BEGIN IMMEDIATE")
    try:
        if len(works) == 1:
            try:
                result = _run_to_end(works[0](tx))
            except Exception as exc:
                db.execute("ROLLBACK")
                return [(False, exc)]
            db.execute("COMMIT")
            return [(True, result)]
        outcomes: list[tuple[bool, Any]] = []
        for work in works:
            db.execute("SAVEPOINT command")
            try:
                result = _run_to_end(work(tx))
            except Exception as exc:
                db.execute("ROLLBACK TO command")
                db.execute("RELEASE command")
                outcomes.append((False, exc))
            else:
                db.execute("RELEASE command")
                outcomes.append((True, result))
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return outcomes


def migrate(db: sqlite3.Connection) -> int:
    """Apply pending migrations; safe when several processes start at once. Returns the version."""
    all_migrations = migrations.load("sqlite")
    db.execute("BEGIN IMMEDIATE")
    try:
        row = db.execute("PRAGMA user_version").fetchone()
        version = int(row[0]) if row else 0
        for number, name, sql in all_migrations:
            if number <= version:
                continue
            for statement in migrations.statements(sql):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
            log.info("applied migration %s", name)
            version = number
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return version
