"""The store contract, tx.prompts: discussion prompts and which were shown. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from tests.storage.contract.support import T0, at, new_club, new_film


async def test_member_prompts_are_listed_in_the_order_added(store: Any) -> None:
    club = await new_club(store)
    film = await new_film(store, club, "Honeyland", 2019)
    other = await new_film(store, club, "Man on Wire", 2008)

    first = await store.write(lambda tx: tx.prompts.add(club.id, film, "Who owns the bees?",
                                                       "Ana", T0))
    await store.write(lambda tx: tx.prompts.add(club.id, other, "Was it legal?", "Bo", T0))
    second = await store.write(lambda tx: tx.prompts.add(club.id, film, "Did Hatidze consent?",
                                                        "Bo", at(1)))

    prompts = await store.read(lambda tx: tx.prompts.of_film(club.id, film))
    assert prompts == [first, second]
    assert [(p.text, p.added_by_name) for p in prompts] == [
        ("Who owns the bees?", "Ana"), ("Did Hatidze consent?", "Bo")]


async def test_recently_shown_prompts_come_newest_first_and_reshowing_moves_up(store: Any) -> None:
    club = await new_club(store)
    film = await new_film(store, club, "Honeyland", 2019)

    await store.write(lambda tx: tx.prompts.record_shown(club.id, film, ["bank:a", "bank:b"], T0))
    await store.write(lambda tx: tx.prompts.record_shown(club.id, film, ["bank:c"], at(1)))
    await store.write(lambda tx: tx.prompts.record_shown(club.id, film, ["bank:a"], at(2)))

    assert await store.read(lambda tx: tx.prompts.recent_keys(club.id, 10)) == [
        "bank:a", "bank:c", "bank:b"]
    assert await store.read(lambda tx: tx.prompts.recent_keys(club.id, 2)) == ["bank:a", "bank:c"]
