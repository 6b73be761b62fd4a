"""Files reach members as Discord attachments: the calendar file of a party and the exports."""

from __future__ import annotations

from pathlib import Path

from docclub_discord.testing import Harness, Member, harness

ALICE = Member(500000000000000011, "alice")


async def _party(h: Harness) -> None:
    await h.slash(h.owner, "film suggest", title="Navalny (2022)")
    await h.slash(h.owner, "party schedule", film="#1", when="2026-11-28 20:00", where="voice lounge")


async def test_a_party_calendar_file_arrives_as_an_attachment(discord_club: Harness) -> None:
    h = discord_club
    await _party(h)
    answer = await h.slash(ALICE, "party ics", party="#1")
    assert answer.callback_type == 4
    assert [name for name, _ in answer.callback.files] == ["docclub-party-1.ics"]
    data = answer.callback.files[0][1].decode()
    assert data.startswith("BEGIN:VCALENDAR") and "SUMMARY:Watch party: Navalny (2022)" in data
    attachments = answer.callback.body["data"]["attachments"]
    assert [a["filename"] for a in attachments] == ["docclub-party-1.ics"]
    assert "Calendar file for watch party #1" in answer.text()


async def test_a_deferred_answer_carries_its_file_too(tmp_path: Path) -> None:
    async with harness(tmp_path, defer_after=0.0) as h:
        await _party(h)
        answer = await h.slash(ALICE, "party ics", party="#1")
        assert answer.callback_type == 5
        edit = answer.requests[-1]
        assert edit.method == "PATCH" and [name for name, _ in edit.files] == ["docclub-party-1.ics"]


async def test_exports_arrive_as_files(discord_club: Harness) -> None:
    h = discord_club
    await h.slash(h.owner, "film suggest", title="Navalny (2022)")
    await h.slash(ALICE, "rate", film="#1", score="8", review="Brave")
    backup = await h.slash(h.owner, "club export", what="json")
    [(name, data)] = backup.callback.files
    assert name.startswith("docclub-backup-") and name.endswith(".json") and b'"Navalny"' in data
    ratings = await h.slash(ALICE, "club export", what="csv")
    assert ratings.callback.files[0][0] == "docclub-ratings-letterboxd.csv"
    assert b"Navalny,2022,8" in ratings.callback.files[0][1]
