"""Attendance: who actually joined a watch party's place (a Discord voice channel) while it was
on, recorded beside the RSVPs. Parties go through the console grammar on a real SQLite file;
the FakeClock stands at Wed 25 Nov 2026 12:00 UTC, and the party runs 20:00-22:00 UTC in `<#42>`.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from docclub.console import OWNER, actor_for
from docclub.core.models import ClubKey

from .conftest import Club

ALICE = actor_for("alice")
BOB = actor_for("bob")
START = datetime(2026, 11, 25, 20, 0, tzinfo=UTC)
VOICE = "<#42>"


def at(hh: int, mm: int = 0) -> datetime:
    return START.replace(hour=hh, minute=mm)


@pytest.fixture
async def party(club: Club) -> Club:
    await club.say("suggest Navalny (2022)")
    await club.say(f"party schedule Navalny 2026-11-25 20:00 --where {VOICE} --duration 2h")
    await club.say("bob> rsvp #1 yes")
    return club


async def test_members_in_the_partys_channel_while_it_is_on_are_shown_as_joined(party: Club) -> None:
    key = party.session.key
    assert await party.app.parties.record_attendance(key, VOICE, ALICE, at(20, 5)) == (1,)
    assert await party.app.parties.record_attendance(key, VOICE, BOB, at(19, 50)) == (1,)  # a little early counts
    shown = (await party.say("party show #1")).splitlines()
    assert shown[shown.index("Going (1): bob") + 1] == "Joined (2): bob, alice"


async def test_a_member_who_rejoins_is_counted_once(party: Club) -> None:
    key = party.session.key
    assert await party.app.parties.record_attendance(key, VOICE, ALICE, at(20, 5)) == (1,)
    assert await party.app.parties.record_attendance(key, VOICE, ALICE, at(21, 0)) == ()
    assert "Joined (1): alice" in await party.say("party show #1")


@pytest.mark.parametrize(
    ("place", "when"),
    [(VOICE, at(19, 40)), (VOICE, at(22, 1)), ("<#43>", at(20, 30)), ("", at(20, 30))],
    ids=["too-early", "after-the-end", "another-channel", "no-channel"],
)
async def test_joining_elsewhere_or_outside_the_party_records_nothing(party: Club, place: str, when: datetime) -> None:
    assert await party.app.parties.record_attendance(party.session.key, place, ALICE, when) == ()
    assert "Joined" not in await party.say("party show #1")


async def test_a_cancelled_party_records_no_one(party: Club) -> None:
    await party.say("party cancel #1")
    assert await party.app.parties.record_attendance(party.session.key, VOICE, ALICE, at(20, 30)) == ()
    assert await party.app.parties.record_attendance(party.session.key, 1, ALICE, at(20, 30)) == ()


async def test_a_party_can_be_named_by_id_and_its_place_may_carry_a_note(club: Club) -> None:
    await club.say("suggest Navalny (2022)")
    await club.say(f'party schedule Navalny 2026-11-25 20:00 --where "{VOICE} (doors 19:45)"')
    key = club.session.key
    assert await club.app.parties.record_attendance(key, VOICE, ALICE, at(20, 0)) == (1,)
    assert await club.app.parties.record_attendance(key, 1, BOB, at(20, 1)) == (1,)
    assert await club.app.parties.record_attendance(key, 7, BOB, at(20, 1)) == ()


async def test_a_voice_channel_of_a_space_with_no_club_creates_none(party: Club) -> None:
    stranger = ClubKey("discord", "999")
    assert await party.app.parties.record_attendance(stranger, VOICE, ALICE, at(20, 5)) == ()
    assert await party.store.read(lambda tx: tx.clubs.get(stranger)) is None


async def test_those_who_joined_have_seen_the_film_and_are_asked_to_rate_it(party: Club) -> None:
    from docclub.console import ConsoleNotifier
    from docclub.core.replies import Reply
    from docclub.scheduler import Scheduler

    await party.app.parties.record_attendance(party.session.key, VOICE, ALICE, at(20, 5))
    nudges: list[Reply] = []

    class Collect(ConsoleNotifier):
        async def announce(self, club: ClubKey, channel: str | None, reply: Reply, *, key: str) -> None:
            nudges.append(reply)

    collect = Collect(print, lambda k: "UTC", party.clock.now)
    scheduler = Scheduler(party.app, party.store, party.clock, {"console": collect})
    await party.clock.set(at(22, 0))  # the reminders before the start are long past and dropped
    await scheduler.run_due()
    [nudge] = nudges
    assert nudge.title == "Thanks for watching Navalny (2022)!"
    assert [u.display_name for u in nudge.notify] == ["bob", "alice"]
    seen = (await party.snapshot()).seen
    assert sorted(user for _, user, _ in seen) == ["alice", "bob"]


async def test_attendance_is_part_of_the_json_backup_and_comes_back(party: Club) -> None:
    await party.app.parties.record_attendance(party.session.key, VOICE, ALICE, at(20, 5))
    backup = await party.app.backup.export_json(party.session.key, OWNER)
    assert backup.attachment is not None
    data = json.loads(backup.attachment.data)
    assert data["attendance"] == [
        {"party_id": 1, "user_id": "alice", "display_name": "alice", "joined_at": "2026-11-25T20:05:00.000+00:00"}
    ]
    await party.app.parties.record_attendance(party.session.key, VOICE, BOB, at(20, 6))
    await party.app.backup.import_json(party.session.key, OWNER, backup.attachment.data)
    assert [a.user_id for a in (await party.snapshot()).attendance] == ["alice"]
    del data["attendance"]  # a backup made before attendance was recorded
    await party.app.backup.import_json(party.session.key, OWNER, json.dumps(data).encode())
    assert (await party.snapshot()).attendance == []
