"""The console adapter: who a line speaks as."""

from __future__ import annotations

import pytest

from docclub.console import OWNER, actor_for, split_prefix
from tests.conftest import Club


@pytest.mark.parametrize("name", ["organizer", "Organizer", "ORGANIZER"])
def test_a_name_equal_to_the_owners_is_a_member_of_its_own(name: str) -> None:
    actor, text = split_prefix(f"{name}> rate #1 2")
    assert text == "rate #1 2"
    assert actor.user_id != OWNER.user_id and not actor.is_organizer
    assert actor.display_name == f"{name} (member)"


def test_console_names_map_to_their_own_members() -> None:
    assert actor_for("Alice").user_id == actor_for("alice").user_id == "alice"
    assert actor_for("alice").user_id != actor_for("bob").user_id


async def test_organizer_prefix_can_neither_use_the_owners_rights_nor_overwrite_their_rating(club: Club) -> None:
    await club.say("suggest Navalny (2022)")
    await club.say("rate Navalny 9 The owner's review")
    out = await club.say("organizer> rate Navalny 2")
    assert out.startswith("You rated Navalny (2022): 2/10.")  # a rating of its own, not an update
    ratings = {r.user_id: (r.score, r.review) for r in (await club.snapshot()).ratings}
    assert ratings[OWNER.user_id] == (9, "The owner's review")
    assert ratings["organizer (member)"] == (2, None)
    refused = await club.say("organizer> config set timezone Europe/Berlin")
    assert refused.startswith("Only the club's organizers can change the club's settings.")
    assert "Updated your rating" in await club.say("rate Navalny 9")
