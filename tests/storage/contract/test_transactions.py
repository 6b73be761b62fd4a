"""The store contract for transactions: a write commits whole or not at all, and concurrent
writes all commit. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from docclub.core.models import (
    ClubConfig,
    NewFilm,
)
from tests.storage.contract.support import ALPHA, BETA, T0, new_club, new_film, rating, reminder


class Refused(Exception):
    pass


async def test_work_that_raises_rolls_back_everything_it_wrote(store: Any) -> None:
    club = await new_club(store)

    async def half_done(tx: Any) -> None:
        film = await tx.films.add(club.id, NewFilm("Honeyland", 2019), "u-ana", "Ana", T0)
        await tx.ratings.put(rating(club, film.id, "u-ana", 9))
        await tx.reminders.add([reminder(club, 1)])
        await tx.platform.remember_event("slack:Ev1", T0)
        await tx.clubs.set_config(club.id, ClubConfig(timezone="Asia/Tokyo"))
        raise Refused("no")

    with pytest.raises(Refused):
        await store.write(half_done)

    async def everything(tx: Any) -> tuple[Any, ...]:
        return (await tx.films.list(club.id), await tx.ratings.count(club.id, 1),
                await tx.reminders.list(club.id), (await tx.clubs.get(ALPHA)).config)

    assert await store.read(everything) == ([], 0, [], ClubConfig())
    assert await store.write(lambda tx: tx.platform.remember_event("slack:Ev1", T0)) is True
    # The rolled-back film did not use up id #1.
    assert await new_film(store, club, "Man on Wire", 2008) == 1


async def test_200_concurrent_writes_all_commit(store: Any) -> None:
    clubs = [await new_club(store, ALPHA), await new_club(store, BETA)]

    films = await asyncio.gather(*(
        store.write(lambda tx, n=n: tx.films.add(clubs[n % 2].id, NewFilm(f"Film {n}"), "u-ana",
                                                "Ana", T0))
        for n in range(200)))

    for club in clubs:
        stored = await store.read(lambda tx, club=club: tx.films.list(club.id))
        assert [f.id for f in stored] == list(range(1, 101))
        assert sorted(f.title for f in stored) == sorted(
            f.title for f in films if f.club_id == club.id)
