"""Guards for the whole suite (tests/ and each adapter's tests/): a failing test fails, it never
hangs the run, and no test reaches past this machine.

Tests never touch the network: every platform is a local fake. Looking up any name but
localhost, or connecting to any address but a loopback one (or a Unix socket), raises
OSError in a test, so a test that would reach out fails here as it would on a machine with no
network, instead of passing on one that has it.

A store left open keeps its threads (the SQLite store's, or aiosqlite's) alive, and Python waits for such threads at
exit: one test that failed before closing its store used to leave `make test` hanging for
ever. Here each test that leaves an aiosqlite connection open fails (naming the leak) and its
threads are stopped; and should any other thread still be alive when the run ends, the run
ends anyway, with a failure, after listing it.
"""

from __future__ import annotations

import gc
import ipaddress
import os
import socket
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

def _on_this_machine(host: object) -> bool:
    if host is None or host == "" or host == b"":
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name.startswith("/") or name.lower() == "localhost":  # a Unix socket's path; localhost
        return True
    try:
        address = ipaddress.ip_address(name.split("%")[0])
    except ValueError:
        return False  # a name to look up: somewhere else
    return address.is_loopback or address.is_unspecified


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse name lookups and connections that would leave this machine (see the module's doc)."""
    lookup, connect = socket.getaddrinfo, socket.socket.connect

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _on_this_machine(host):
            raise OSError(f"tests never touch the network: a test looked up {host!r}")
        return lookup(host, *args, **kwargs)

    def guarded_connect(sock: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if not _on_this_machine(host):
            raise OSError(f"tests never touch the network: a test connected to {address!r}")
        return connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


_WORKER = "_connection_worker_thread"  # aiosqlite's worker thread function
_exit_status = 0


_STORE = "docclub-sqlite-"  # SqliteStore's writer and reader threads


def _aiosqlite_threads() -> set[threading.Thread]:
    return {t for t in threading.enumerate() if (_WORKER in t.name or _STORE in t.name) and t.is_alive()}


@pytest.fixture(autouse=True)
def _stores_are_closed() -> Iterator[None]:
    """Fail a test that leaves a SQLite connection open, and stop that connection's thread."""
    before = _aiosqlite_threads()
    yield
    leaked = _aiosqlite_threads() - before
    for thread in leaked:
        thread.join(timeout=1)  # a store closed at the very end is finishing its last call
    leaked = {t for t in leaked if t.is_alive()}
    if not leaked:
        return
    import aiosqlite

    from docclub.storage.sqlite import SqliteStore

    for conn in [o for o in gc.get_objects() if isinstance(o, aiosqlite.Connection)]:
        if getattr(conn, "_thread", None) in leaked:
            conn.stop()  # runs on the worker thread: closes the connection and ends the thread
    for store in [o for o in gc.get_objects() if isinstance(o, SqliteStore)]:
        for pool in store.threads():
            if set(getattr(pool, "_threads", ())) & leaked:
                pool.shutdown(wait=False)  # its idle threads end
    for thread in leaked:
        thread.join(timeout=5)
    pytest.fail(
        f"the test left SQLite connections open ({len(leaked)} thread(s)): open stores through a fixture or "
        "with try/finally (or `async with`) so they close when the test fails",
        pytrace=False,
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    global _exit_status
    _exit_status = int(exitstatus)


def _lingering() -> list[threading.Thread]:
    """Threads Python would wait for at exit (not daemons, not idle executor workers)."""
    out = []
    for thread in threading.enumerate():
        if thread is threading.main_thread() or thread.daemon or not thread.is_alive():
            continue
        if thread.name.startswith(("ThreadPoolExecutor", "asyncio_")):
            continue  # joined by their executors' own exit handlers
        thread.join(timeout=2)
        if thread.is_alive():
            out.append(thread)
    return out


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """End the run, failed, instead of waiting for ever on threads a test left running."""
    lingering = _lingering()
    if not lingering:
        return
    frames = sys._current_frames()
    lines = [f"\n{len(lingering)} thread(s) still running at the end of the test run; ending it as failed:"]
    for thread in lingering:
        frame = frames.get(thread.ident or -1)
        where = f" at {frame.f_code.co_filename}:{frame.f_lineno}" if frame else ""
        lines.append(f"  {thread.name}{where}")
    sys.stdout.flush()
    print("\n".join(lines), file=sys.stderr, flush=True)
    os._exit(_exit_status or 1)
