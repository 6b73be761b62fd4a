"""`docclub import` and `docclub console` as an operator runs them: every failure is one clear
line and a non-zero exit, never a traceback; a database locked by another process ends the
start instead of hanging. Each test runs the real command line in a child process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from docclub.core.clubs import Docclub, safely
from docclub.core.models import Actor, ClubKey, NewFilm
from docclub.core.replies import render_plain
from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock


def docclub(
    *args: str, db: str, stdin: str = "", cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "docclub", *args],
        input=stdin,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DOCCLUB_DATABASE_URL": db, "DOCCLUB_LOG_LEVEL": "WARNING", **env},
    )


def one_clear_line(done: subprocess.CompletedProcess[str], says: str) -> None:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    assert "Event loop is closed" not in done.stderr
    lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
    assert lines == [lines[0]] and lines[0].startswith("docclub: "), done.stderr
    assert says in lines[0], lines[0]


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'club.db'}"


def test_importing_a_missing_file_says_so(db: str, tmp_path: Path) -> None:
    one_clear_line(docclub("import", str(tmp_path / "missing.json"), db=db),
                   "can't read " + str(tmp_path / "missing.json") + ": No such file or directory")


def test_importing_malformed_json_says_so(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "docclub-backup", ', encoding="utf-8")
    one_clear_line(docclub("import", str(bad), db=db), "That file is not valid JSON")


def test_importing_a_damaged_backup_names_the_field(db: str, tmp_path: Path) -> None:
    done = docclub("console", db=db, stdin="suggest Navalny (2022)\nexport json\n", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(next(tmp_path.glob("docclub-backup-*.json")).read_text(encoding="utf-8"))
    data["films"][0]["year"] = "abc"
    crafted = tmp_path / "crafted.json"
    crafted.write_text(json.dumps(data), encoding="utf-8")

    one_clear_line(docclub("import", str(crafted), db=db),
                   "This backup is damaged: films[0].year: 'abc' is not a year.")


@pytest.mark.parametrize("command", ["console", "import"])
def test_a_database_path_that_cannot_be_written_says_so(tmp_path: Path, command: str) -> None:
    backup = tmp_path / "b.json"
    backup.write_text("{}", encoding="utf-8")
    args = ["console"] if command == "console" else ["import", str(backup), "--club", "console:club"]
    done = docclub(*args, db="sqlite:////nonexistent/docclub/x.db")
    if command == "import":  # "{}" is refused before the database is opened
        one_clear_line(done, "That file is not a docclub backup")
    else:
        one_clear_line(done, "can't open the database /nonexistent/docclub/x.db: unable to open database file")


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    """The club's database with another process's write transaction open on it."""
    path = tmp_path / "club.db"
    assert docclub("migrate", db=f"sqlite:///{path}").returncode == 0
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield path
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_console_start_on_a_locked_database_ends_with_one_line(locked: Path) -> None:
    done = docclub("console", db=f"sqlite:///{locked}", stdin="films\n", DOCCLUB_BUSY_TIMEOUT_SECONDS="0.3")
    one_clear_line(done, f"the database {locked} is locked by another process")


def test_an_import_into_a_locked_database_ends_with_one_line(locked: Path, tmp_path: Path) -> None:
    from docclub.core.backup import snapshot_to_json
    from docclub.core.models import Club, ClubConfig, ClubSnapshot
    from docclub.testing.clock import FakeClock as Clock

    snap = ClubSnapshot(Club(1, ClubKey("console", "club"), "club", ClubConfig(), Clock().now()))
    backup = tmp_path / "backup.json"
    backup.write_text(json.dumps(snapshot_to_json(snap)), encoding="utf-8")
    done = docclub("import", str(backup), db=f"sqlite:///{locked}", DOCCLUB_BUSY_TIMEOUT_SECONDS="0.3")
    one_clear_line(done, "is locked by another process")


# ---- a command that waits on another's lock ----

ORGANIZER = Actor("console", "organizer", "Organizer", is_organizer=True)
KEY = ClubKey("console", "club")


async def test_a_command_that_waits_past_the_busy_timeout_is_told_the_club_is_busy(tmp_path: Path) -> None:
    path = tmp_path / "club.db"
    store = await SqliteStore.open(path, busy_timeout=0.2)
    try:
        app = Docclub(store, FakeClock())
        await app.films.suggest(KEY, ORGANIZER, NewFilm("Navalny", 2022))
        importing = sqlite3.connect(path, isolation_level=None)  # another process, mid-import
        importing.execute("BEGIN IMMEDIATE")
        try:
            reply = render_plain(await safely(app.films.suggest(KEY, ORGANIZER, NewFilm("Honeyland", 2019))))
        finally:
            importing.execute("ROLLBACK")
            importing.close()

        assert "The club is busy right now" in reply and "try again" in reply, reply
        assert "Something went wrong" not in reply
        assert "Suggested #2" in render_plain(await app.films.suggest(KEY, ORGANIZER, NewFilm("Honeyland", 2019)))
    finally:
        await store.close()


def test_letterboxd_suggests_a_lists_films_to_a_club_on_any_platform(db: str, tmp_path: Path) -> None:
    listed = Path(__file__).parent / "data" / "letterboxd_club_picks.csv"
    done = docclub("letterboxd", str(listed), "--club", "slack:T0123", db=db, TMDB_API_KEY="")
    assert done.returncode == 0, done.stderr
    assert "Suggested 6 films from the list: #1 Beyond Utopia (2023), #2 Navalny (2022)" in done.stdout
    assert "Skipped, already here: Navalny (2022) (here as #2)." in done.stdout
    again = docclub("letterboxd", str(listed), "--club", "slack:T0123", db=db, TMDB_API_KEY="")
    assert "No new films: every film of the list is already here." in again.stdout


def test_letterboxd_without_a_club_says_how_to_name_it(db: str, tmp_path: Path) -> None:
    done = docclub("letterboxd", str(tmp_path / "none.csv"), "--club", "slack", db=db)
    one_clear_line(done, "name the club as PLATFORM:SPACE")


def test_pasted_lines_see_what_the_one_before_set_in_motion(db: str, tmp_path: Path) -> None:
    """A club night whose first poll opens "now" has opened it before the next pasted line runs:
    `poll show` right after shows the poll, and its announcement prints between the two."""
    # Nights on the weekday after tomorrow (the club's clock is UTC): the next one's poll opens
    # now, whatever the day and hour the test runs, and only its poll.
    day = (datetime.now(UTC) + timedelta(days=2)).strftime("%A").lower()
    lines = ["suggest Navalny (2022)", "suggest Honeyland (2019)",
             f"night schedule every {day} 20:00 --poll 7d", "poll show", "vote Navalny"]
    done = docclub("console", db=db, stdin="\n".join(lines) + "\n", cwd=tmp_path, DOCCLUB_HTTP_PORT="0")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "no polls yet" not in out and "There is no open poll" not in out, out
    announced = out.index("poll #1 is open ==")
    assert announced < out.index("== Poll #1 (open) ==") < out.index("Your vote in poll #1: Navalny (2022).")
