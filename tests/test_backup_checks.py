"""A backup is checked as strictly as the commands that make the same data.

Each crafted backup below starts from a real `export json` of a club evening and breaks one
thing. The organizer importing it is told where the backup is damaged and what is wrong, and
the club is exactly as it was."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from docclub.core.backup_format import MAX_BACKUP_BYTES, ConfigIn, read_backup
from docclub.core.models import ClubConfig
from tests.conftest import Club

EVENING = [
    'suggest "Beyond Utopia" (2023) --where Amazon --cw torture, trafficking --link https://example.org/bu',
    "alice> suggest Navalny (2022) --tags politics",
    "poll open #1, #2 --method ranked",
    "alice> vote Navalny, Beyond Utopia",
    "bob> vote Beyond Utopia",
    "poll close",
    "poll open #1, #2 --closes friday 18:00",
    "alice> rate Navalny 9 The phone call",
    "alice> prompt add Navalny Who benefits from the film's access?",
    "party schedule Navalny sat 20:00 --where #watch",
    "alice> rsvp yes --remind 2h",
]

Backup = dict[str, Any]


async def evening_backup(club: Club, tmp_path: Path) -> Backup:
    for line in EVENING:
        await club.say(line)
    out = await club.say("export json")
    name = out.rsplit("Saved ", 1)[1].split(" ", 1)[0]
    data: Backup = json.loads((tmp_path / name).read_text(encoding="utf-8"))
    return data


def setting(key: str, value: Any) -> Callable[[Backup], None]:
    return lambda b: b["club"]["config"].__setitem__(key, value)


def field(part: str, index: int, key: str, value: Any) -> Callable[[Backup], None]:
    return lambda b: b[part][index].__setitem__(key, value)


def duplicate(part: str) -> Callable[[Backup], None]:
    return lambda b: b[part].append(dict(b[part][0]))


# (what is wrong, how to break the backup, what the organizer is told)
CRAFTED: list[tuple[str, Callable[[Backup], None], str]] = [
    ("a year that is text", field("films", 1, "year", "abc"), "films[1].year: 'abc' is not a year."),
    ("a year out of range", field("films", 0, "year", 1200), "films[0].year: 1200 doesn't look like a film's year"),
    ("a timezone that does not exist", setting("timezone", "Mars/Olympus"),
     "club.config.timezone: 'Mars/Olympus' is not a timezone I know."),
    ("a poll winner that is not one of its films", field("polls", 0, "winner_film_id", 77),
     "polls[0].winner_film_id: film #77 is not one of the poll's films."),
    ("warnings as one string", field("films", 0, "warnings", "violence"),
     "films[0].warnings: 'violence' is not a list of warnings (text)."),
    ("a javascript: link", field("films", 0, "link", "javascript:alert(1)"),
     "films[0].link: The link 'javascript:alert(1)' isn't a web address."),
    ("a data: link", field("films", 0, "link", "data:text/html,<script>"), "films[0].link: The link"),
    ("two films with one id", duplicate("films"), "films[2]: a second film with this id."),
    ("two ballots of one member in one poll", duplicate("ballots"),
     "ballots[2]: a second ballot of this member in this poll."),
    ("a score of 11", field("ratings", 0, "score", 11), "ratings[0].score: 11 is not a score (from 1 to 10)."),
    ("a score as text", field("ratings", 0, "score", "9"), "ratings[0].score: '9' is not a score."),
    ("a control character in a title", field("films", 0, "title", "Beyond \x1b[31mUtopia"),
     "films[0].title: The title contains a terminal escape character (U+001B)."),
    ("a 10,000-character title", field("films", 0, "title", "x" * 10_000),
     "films[0].title: The title is 10,000 characters long; the limit is 200."),
    ("a title that reads as a #reference", field("films", 0, "title", "#2"), "films[0].title: A title can't start"),
    ("a missing title", lambda b: b["films"][0].pop("title"), "films[0].title is missing."),
    ("a key no backup has", field("films", 0, "owner", "mallory"), "films[0].owner is not part of a docclub backup."),
    ("films as an object", lambda b: b.__setitem__("films", {"1": {}}), "films: {'1': {}} is not a list ([…])."),
    ("a film that is not an object", field("films", 0, "id", None), "films[0].id: None is not an id."),
    ("a ballot for a film outside its poll", field("ballots", 0, "choices", [2, 3]),
     "ballots[0].choices[1]: film #3 is not in poll #1."),
    ("a single-choice ballot naming two films", lambda b: b["ballots"].append(
        {**b["ballots"][0], "poll_id": 2, "choices": [1, 2]}), "a single-choice ballot names exactly one film."),
    ("a ballot for a poll that is not there", field("ballots", 0, "poll_id", 9),
     "ballots[0].poll_id: poll #9 is not in the backup's polls."),
    ("a party for a film that is not there", field("parties", 0, "film_id", 40),
     "parties[0].film_id: film #40 is not in the backup's films."),
    ("an RSVP to a party that is not there", field("rsvps", 0, "party_id", 5),
     "rsvps[0].party_id: party #5 is not in the backup's parties."),
    ("a rating of a film that is not there", field("ratings", 0, "film_id", 12),
     "ratings[0].film_id: film #12 is not in the backup's films."),
    ("an open poll offering a film that is not there", lambda b: b["polls"][1].__setitem__("film_ids", [1, 8]),
     "polls[1].film_ids[1]: film #8 is not in the backup's films."),
    ("anonymous as text", field("polls", 0, "anonymous", "yes"), "polls[0].anonymous: 'yes' is not true or false."),
    ("an unknown poll method", field("polls", 0, "method", "borda"),
     "polls[0].method: 'borda' is not a poll method (single, approval, ranked)."),
    ("a time that is not one", field("films", 0, "created_at", "yesterday"),
     "films[0].created_at: 'yesterday' is not a time"),
    ("a time without its UTC offset", field("parties", 0, "starts_at", "2026-12-05T20:00:00"),
     "parties[0].starts_at: '2026-12-05T20:00:00' has no UTC offset"),
    ("a party of no length", field("parties", 0, "duration_minutes", 0),
     "parties[0].duration_minutes: A party has to last longer than 0 minutes."),
    ("a personal reminder a year ahead", field("rsvps", 0, "dm_offset_minutes", 525_600),
     "rsvps[0].dm_offset_minutes: A reminder can be at most 7 days before the start."),
    ("a negative reminder time", setting("reminder_offsets", [-60]),
     "club.config.reminder_offsets: A reminder time can't be negative (-60 minutes)."),
    ("seven reminder times", setting("reminder_offsets", [0, 1, 2, 3, 4, 5, 6]),
     "club.config.reminder_offsets: At most 6 reminder times, please."),
    ("an unknown rating scale", setting("rating_scale", "100"),
     "club.config.rating_scale: '100' is not a rating scale (10, stars)."),
    ("a yes/no setting as text", setting("members_add_to_polls", "true"),
     "club.config.members_add_to_polls: 'true' is not true or false."),
    ("organizers as one string", setting("organizers", "alice"),
     "club.config.organizers: 'alice' is not a list of user ids."),
    ("a setting no club has", setting("superuser", "mallory"),
     "club.config.superuser is not part of a docclub backup."),
    ("a prompt key that is not a member's", field("prompts", 0, "key", "bank:access-1"),
     "prompts[0].key: 'bank:access-1' is not a member's prompt key (like film:3)."),
    ("a prompt over two lines", field("prompts", 0, "text", "Who?\nWhy?"),
     "prompts[0].text: That prompt has a line break in it."),
    ("a review of 5,000 characters", field("ratings", 0, "review", "y" * 5000),
     "ratings[0].review: The review is 5,000 characters long; the limit is 1000."),
    ("a user id of 10,000 characters", field("seen", 0, "user_id", "u" * 10_000),
     "seen[0].user_id: The user id is 10,000 characters long; the limit is 100."),
    ("braces in a crafted value", field("films", 0, "link", "{problem}"), "films[0].link: The link '{problem}'"),
]


@pytest.mark.parametrize(("what", "damage", "told"), CRAFTED, ids=[c[0] for c in CRAFTED])
async def test_a_damaged_backup_is_refused_with_where_and_what_and_changes_nothing(
    club: Club, tmp_path: Path, what: str, damage: Callable[[Backup], None], told: str
) -> None:
    backup = await evening_backup(club, tmp_path)
    read_backup(json.loads(json.dumps(backup)))  # the export itself passes
    damage(backup)
    path = tmp_path / "crafted.json"
    path.write_text(json.dumps(backup), encoding="utf-8")
    before = await club.snapshot()

    reply = await club.say(f"import {path}")

    assert reply.startswith("This backup is damaged: "), reply
    assert told in reply
    assert reply.endswith("Nothing was imported.")
    assert "Something went wrong" not in reply
    assert await club.snapshot() == before


@pytest.mark.parametrize(
    ("raw", "told"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "it nests deeper than a docclub backup ever does"),
        (b'{"format": "docclub-backup", "version": 1, "club": ' * 300 + b"{}" + b"}" * 300, "nests deeper"),
        (b"{not json", "That file is not valid JSON"),
        (b'{"format": "docclub-backup", "title": "\\ud800"}', "That file is not valid JSON"),
        (b"\xff\xfe{}", "That file is not valid JSON"),
        (b"[]", "That file is not a docclub backup (made with: export json)."),
        (b'{"format": "docclub-backup", "version": "1"}', "format version '1'; this docclub reads 1."),
        (b'{"format": "docclub-backup", "version": 1, "club": "x"}', "This backup is damaged: club: 'x' is not"),
    ],
    ids=["100,000-deep list", "300-deep objects", "malformed", "lone surrogate", "not UTF-8", "a list",
         "version as text", "club as text"],
)
async def test_files_that_are_not_backups_are_refused_without_a_traceback(
    club: Club, tmp_path: Path, raw: bytes, told: str
) -> None:
    await club.say("suggest Navalny (2022)")
    before = await club.snapshot()
    path = tmp_path / "crafted.json"
    path.write_bytes(raw)

    reply = await club.say(f"import {path}")

    assert told in reply, reply
    assert "Something went wrong" not in reply and "Traceback" not in reply
    assert await club.snapshot() == before


async def test_a_file_larger_than_any_backup_is_refused_before_it_is_read(club: Club, tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as f:
        f.truncate(MAX_BACKUP_BYTES + 1)  # sparse: no 50 MB written to disk
    before = await club.snapshot()

    reply = await club.say(f"import {path}")

    assert "That file is 52.4 MB; a docclub backup is at most 52 MB. Nothing was imported." in reply
    assert await club.snapshot() == before


async def test_the_timezone_and_every_setting_of_a_backup_are_checked() -> None:
    """The backup's settings are exactly the club's: a new setting needs its rule here too."""
    assert set(ConfigIn.model_fields) == set(ClubConfig.__dataclass_fields__)


async def test_an_imported_club_with_a_checked_timezone_still_works(club: Club, tmp_path: Path) -> None:
    backup = await evening_backup(club, tmp_path)
    backup["club"]["config"]["timezone"] = "America/New_York"
    path = tmp_path / "ny.json"
    path.write_text(json.dumps(backup), encoding="utf-8")

    assert "Imported the backup: 2 films" in await club.say(f"import {path}")
    assert "America/New_York" in await club.say("config show")
    assert "Poll #1" in await club.say("poll show #1")


async def test_an_import_writes_into_the_club_of_whoever_imports_only(club: Club, tmp_path: Path) -> None:
    """A backup of club A imported in club B replaces B; A, named inside the backup, is untouched."""
    from docclub.console import ConsoleSession

    backup = await evening_backup(club, tmp_path)
    assert backup["club"]["space_id"] == "club"
    path = tmp_path / "a.json"
    path.write_text(json.dumps(backup), encoding="utf-8")
    other = ConsoleSession(club.app, "other", tmp_path)
    await other.handle("suggest Honeyland (2019)")
    a_before = await club.snapshot()

    assert "Imported the backup: 2 films" in await other.handle(f"import {path}")

    assert await club.snapshot() == a_before
    listed = await other.handle("films all")
    assert "Navalny" in listed and "Beyond Utopia" in listed and "Honeyland" not in listed
    other_club = await club.app.club(other.key)
    assert other_club.id != (await club.app.club(club.session.key)).id
