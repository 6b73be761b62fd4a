"""The suite cannot hang: a test that leaves a store open fails, and a thread left running
ends the run as failed instead of keeping it waiting. And it cannot reach past this machine: a
test that looks up a name or connects elsewhere fails. Each case runs pytest in a child process
on a small test file beside a copy of the repository's root conftest.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT_CONFTEST = Path(__file__).resolve().parents[1] / "conftest.py"

LEAKS_A_STORE = '''
from docclub.storage.sqlite import SqliteStore

async def test_fails_before_closing_its_store(tmp_path):
    store = await SqliteStore.open(tmp_path / "club.db")
    assert 1 + 1 == 3  # a failure before store.close(): its worker threads stay alive

def test_next_one_still_runs():
    pass
'''

LEAVES_A_THREAD = '''
import threading

def test_starts_a_thread_that_never_ends():
    threading.Thread(target=threading.Event().wait, name="forgotten-worker").start()
'''


REACHES_OUT = '''
import socket

import aiohttp
import pytest

async def test_looks_up_a_name_elsewhere():
    async with aiohttp.ClientSession() as http:
        await http.get("https://club.example.org/slack/events")

def test_connects_to_an_address_elsewhere():
    with socket.socket() as s:
        s.settimeout(0.01)
        s.connect(("192.0.2.1", 443))

async def test_talks_to_this_machine():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname()) as client:
            assert client
'''


def run_pytest(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    shutil.copy(ROOT_CONFTEST, tmp_path / "conftest.py")
    (tmp_path / "test_case.py").write_text(source, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "asyncio_mode=auto",
         "--rootdir", str(tmp_path), str(tmp_path / "test_case.py")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )


def test_a_test_that_fails_before_closing_its_store_fails_and_the_run_ends(tmp_path: Path) -> None:
    done = run_pytest(tmp_path, LEAKS_A_STORE)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "left SQLite connections open" in done.stdout, done.stdout
    assert "1 failed, 1 passed, 1 error" in done.stdout, done.stdout
    assert "still running at the end" not in done.stderr  # its threads were stopped


def test_a_thread_left_running_ends_the_run_as_failed(tmp_path: Path) -> None:
    done = run_pytest(tmp_path, LEAVES_A_THREAD)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "1 passed" in done.stdout
    assert "1 thread(s) still running at the end of the test run" in done.stderr
    assert "forgotten-worker" in done.stderr


def test_a_test_that_reaches_past_this_machine_fails(tmp_path: Path) -> None:
    done = run_pytest(tmp_path, REACHES_OUT)

    assert done.returncode == 1, done.stdout + done.stderr
    assert "2 failed, 1 passed" in done.stdout, done.stdout
    assert "a test looked up 'club.example.org'" in done.stdout, done.stdout
    assert "a test connected to ('192.0.2.1', 443)" in done.stdout, done.stdout
