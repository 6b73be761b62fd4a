"""The command line of many Slack workspaces, as an operator runs it: `docclub secret-key`,
`docclub forget`, and `docclub run` refusing to start without a valid DOCCLUB_SECRET_KEY. Each
test runs the real command line in a child process."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet

from docclub.core.models import ClubConfig, ClubKey, NewFilm
from docclub.storage.sqlite import SqliteStore

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
CLUB = ClubKey("slack", "T0ONE")


def docclub(*args: str, db: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "DOCCLUB_"))}
    return subprocess.run(
        [sys.executable, "-m", "docclub", *args],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=db.parent,
        env={**clean, "DOCCLUB_DATABASE_URL": f"sqlite:///{db}", "DOCCLUB_LOG_LEVEL": "WARNING", **env},
    )


async def _club_with_a_film(db: Path) -> None:
    store = await SqliteStore.open(str(db))
    try:
        club = await store.write(lambda tx: tx.clubs.create(CLUB, "Doc club", ClubConfig(), T0))
        await store.write(lambda tx: tx.films.add(club.id, NewFilm(title="Navalny"), "U1", "Ana", T0))
        await store.write(lambda tx: tx.installations.save(CLUB, "sealed", T0))
    finally:
        await store.close()


async def _club_is_there(db: Path) -> bool:
    store = await SqliteStore.open(str(db))
    try:
        return await store.read(lambda tx: tx.clubs.get(CLUB)) is not None
    finally:
        await store.close()


def test_secret_key_prints_a_new_valid_key_each_time(tmp_path: Path) -> None:
    first, second = (docclub("secret-key", db=tmp_path / "club.db") for _ in range(2))
    assert first.returncode == 0 and second.returncode == 0
    key = first.stdout.strip()
    Fernet(key.encode())  # a valid key
    assert key != second.stdout.strip()


def test_forget_asks_for_yes_then_deletes_the_club_for_good(tmp_path: Path) -> None:
    db = tmp_path / "club.db"
    asyncio.run(_club_with_a_film(db))

    unsure = docclub("forget", "slack:T0ONE", db=db)
    assert unsure.returncode != 0 and "docclub export slack:T0ONE" in unsure.stderr and "--yes" in unsure.stderr
    assert asyncio.run(_club_is_there(db))

    sure = docclub("forget", "slack:T0ONE", "--yes", db=db)
    assert sure.returncode == 0, sure.stderr
    assert "forgot slack:T0ONE" in sure.stdout
    assert not asyncio.run(_club_is_there(db))

    again = docclub("forget", "slack:T0ONE", "--yes", db=db)
    assert again.returncode != 0 and "there is no club slack:T0ONE" in again.stderr


def test_run_refuses_many_workspaces_without_a_secret_key_in_one_line(tmp_path: Path) -> None:
    env = {
        "SLACK_CLIENT_ID": "1111.2222",
        "SLACK_CLIENT_SECRET": "client-secret-value",
        "SLACK_STATE_SECRET": "state-secret-value",
        "SLACK_SIGNING_SECRET": "signing-secret-value",
        "DOCCLUB_PUBLIC_URL": "https://club.example.org",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",  # never reached: the start is refused first
    }
    done = docclub("run", db=tmp_path / "club.db", **env)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "DOCCLUB_SECRET_KEY is not set" in done.stderr and "docclub secret-key" in done.stderr
    assert "client-secret-value" not in done.stderr and "state-secret-value" not in done.stderr
