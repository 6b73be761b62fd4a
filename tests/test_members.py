"""The club's member list (each member's name, for `config show` and backups) follows members'
commands: a new member is listed, a new name replaces the old, and a member a restored backup
did not have is listed again by their next command."""

from __future__ import annotations

import pytest

from docclub.core.clubs import MEMBER_TRUSTED, Docclub
from docclub.core.commands import dispatch
from docclub.core.errors import DocclubError
from docclub.core.models import Actor, ClubKey
from tests.conftest import Club

OWNER = Actor("console", "owner", "Owner", is_organizer=True)
BO = Actor("console", "u-bo", "Bo")


async def names(club: Club) -> dict[str, str]:
    found = await club.app.club(club.session.key)
    return await club.store.read(lambda tx: tx.clubs.member_names(found.id))


async def suggest(app: Docclub, key: ClubKey, actor: Actor, title: str) -> None:
    await dispatch(app, key, actor, f'suggest "{title}"')


async def test_a_member_who_changes_name_is_listed_under_the_new_one(club: Club) -> None:
    key = club.session.key
    await suggest(club.app, key, BO, "Honeyland")
    await suggest(club.app, key, Actor("console", "u-bo", "Bo Renamed"), "Navalny")

    assert (await names(club))["u-bo"] == "Bo Renamed"


async def test_a_member_whose_first_command_was_refused_is_listed_after_their_next(club: Club) -> None:
    key = club.session.key
    await suggest(club.app, key, OWNER, "Honeyland")
    with pytest.raises(DocclubError):
        await dispatch(club.app, key, BO, "vote Honeyland")  # no poll is open: refused, nothing written
    assert "u-bo" not in await names(club)

    await suggest(club.app, key, BO, "Navalny")

    assert (await names(club))["u-bo"] == "Bo"


async def test_a_member_missing_from_an_imported_backup_is_listed_again_by_their_next_command(club: Club) -> None:
    key = club.session.key
    await suggest(club.app, key, OWNER, "Honeyland")
    backup = await club.app.backup.export_json(key, OWNER)
    await suggest(club.app, key, BO, "Navalny")
    assert backup.attachment is not None
    await club.app.backup.import_json(key, OWNER, backup.attachment.data)
    assert "u-bo" not in await names(club)

    await suggest(club.app, key, BO, "Navalny")

    assert (await names(club))["u-bo"] == "Bo"


async def test_a_backup_imported_by_another_process_is_caught_up_with_in_minutes(club: Club) -> None:
    key = club.session.key
    other = Docclub(club.store, club.clock)  # another process on the same database
    await suggest(club.app, key, OWNER, "Honeyland")
    backup = await club.app.backup.export_json(key, OWNER)
    await suggest(club.app, key, BO, "Navalny")
    assert backup.attachment is not None
    await other.backup.import_json(key, OWNER, backup.attachment.data)

    await club.clock.advance(MEMBER_TRUSTED.total_seconds())
    await suggest(club.app, key, BO, "Fire of Love")

    assert (await names(club))["u-bo"] == "Bo"
