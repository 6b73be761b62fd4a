"""Export, import, and data that survives a restart of the process."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import Club

EVENING = [
    'suggest "Beyond Utopia" (2023) --where Amazon --cw torture, trafficking',
    "alice> suggest Navalny (2022)",
    "poll open #1, #2 --method ranked",
    "alice> vote Navalny, Beyond Utopia",
    "poll close",
    'alice> rate Navalny 9 The phone call, "Alexei"',
    "bob> rate =cmd|' /C calc'!A0 3",
    "alice> prompt add Navalny Who benefits from the film's access?",
    "party schedule Navalny sat 20:00 --where #watch",
    "alice> rsvp yes",
]


async def test_json_export_then_import_restores_the_club_exactly(club: Club, tmp_path: Path) -> None:
    for line in EVENING:
        await club.say(line)
    # where a platform shows the poll and the party travels with the backup
    await club.app.polls.update_platform_ref(club.session.key, 1, lambda _: "msg:81/91 msg:82/92")
    await club.app.parties.update_platform_ref(club.session.key, 1, lambda _: "C0GENERAL:1700000000.000100")
    before = await club.snapshot()
    assert before.polls[0].platform_ref == "msg:81/91 msg:82/92"
    out = await club.say("export json")
    name = out.rsplit("Saved ", 1)[1].split(" ", 1)[0]
    data = json.loads((tmp_path / name).read_text(encoding="utf-8"))
    assert data["format"] == "docclub-backup" and len(data["films"]) == 2
    await club.say("suggest Honeyland")
    await club.say("carol> rate #1 2")
    assert "Imported the backup: 2 films" in await club.say(f"import {tmp_path / name}")
    assert await club.snapshot() == before
    assert "#3 " not in await club.say("films all")


async def test_members_cannot_export_the_full_backup(club: Club) -> None:
    assert "Only the club's organizers can export" in await club.say("alice> export json")


async def test_import_of_a_damaged_file_changes_nothing(club: Club, tmp_path: Path) -> None:
    for line in EVENING[:2]:
        await club.say(line)
    before = await club.snapshot()
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "docclub-backup", "version": 1, "club": {}}')
    assert "This backup is damaged: club.platform is missing." in await club.say(f"import {bad}")
    assert "I couldn't read" in await club.say(f"import {tmp_path / 'missing.json'}")
    bad.write_text("{not json")
    assert "not valid JSON" in await club.say(f"import {bad}")
    assert await club.snapshot() == before


async def test_csv_export_has_letterboxd_columns_and_only_my_ratings(club: Club, tmp_path: Path) -> None:
    for line in EVENING:
        await club.say(line)
    await club.say("alice> rate Beyond Utopia 7")
    await club.say("alice> export csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "docclub-ratings-letterboxd.csv").read_text())))
    assert list(rows[0]) == ["Title", "Year", "Rating10", "WatchedDate", "Review"]
    assert {(r["Title"], r["Year"], r["Rating10"]) for r in rows} == {
        ("Navalny", "2022", "9"),
        ("Beyond Utopia", "2023", "7"),
    }
    assert all(r["WatchedDate"] == "2026-11-25" for r in rows)


def _console(db: Path, lines: list[str], cwd: Path) -> str:
    env = {**os.environ, "DOCCLUB_DATABASE_URL": f"sqlite:///{db}", "DISCORD_TOKEN": "", "SLACK_BOT_TOKEN": ""}
    done = subprocess.run(
        [sys.executable, "-m", "docclub", "console"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_data_written_by_one_process_is_read_by_the_next(tmp_path: Path) -> None:
    db = tmp_path / "club.db"
    _console(db, ['suggest "Beyond Utopia" (2023) --where Amazon', "alice> rate Beyond Utopia 9 Vital"], tmp_path)
    out = _console(db, ["film #1", "alice> ratings #1"], tmp_path)
    assert "== #1 Beyond Utopia (2023) ==" in out
    assert "Where to watch: Amazon" in out
    assert "alice (9/10): [spoiler: Vital]" in out
