"""The store contract, tx.films: films and seen marks. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from docclub.core.models import (
    FilmBrief,
    FilmStatus,
    NewFilm,
)
from docclub.core.text import title_key
from tests.storage.contract.support import ALPHA, BETA, T0, at, looked_up, new_club, new_film, rating


async def test_film_ids_are_counted_per_club(store: Any) -> None:
    alpha = await new_club(store, ALPHA)
    beta = await new_club(store, BETA)

    alpha_first = await new_film(store, alpha, "Beyond Utopia", 2023)
    beta_first = await new_film(store, beta, "Honeyland", 2019)
    alpha_second = await new_film(store, alpha, "Man on Wire", 2008)

    assert (alpha_first, beta_first, alpha_second) == (1, 1, 2)


async def test_film_round_trips_every_field(store: Any) -> None:
    club = await new_club(store)
    new = NewFilm(title="Beyond Utopia", year=2023, link="https://example.org/bu",
                  where="Kanopy", warnings=("violence", "self-harm"),
                  tags=("north korea", "escape"),
                  pitch="A family's escape, filmed as it happens.")

    added = await store.write(lambda tx: tx.films.add(club.id, new, "u-ana", "Ana", at(1)))
    stored = await store.read(lambda tx: tx.films.get(club.id, added.id))

    assert stored == added
    assert (stored.title, stored.year, stored.link, stored.where) == (
        "Beyond Utopia", 2023, "https://example.org/bu", "Kanopy")
    assert stored.warnings == ("violence", "self-harm")
    assert stored.tags == ("north korea", "escape")
    assert stored.status is FilmStatus.SUGGESTED
    assert (stored.suggested_by, stored.suggested_by_name, stored.created_at) == (
        "u-ana", "Ana", at(1))


async def test_title_candidates_share_the_key_or_its_first_or_last_characters(store: Any) -> None:

    club = await new_club(store)
    other = await new_club(store, BETA)
    for title in ("Free Solo", "Free Solo", "Freedom Fighters", "Hans Solo", "Frame by Frame",
                  "Man on Wire", "Withdrawn Free Solo", "Fire of Love"):
        await new_film(store, club, title)
    await new_film(store, other, "Free Solo")
    await store.write(lambda tx: tx.films.set_status(club.id, 7, FilmStatus.WITHDRAWN))

    async def like(title: str, limit: int = 50) -> list[int]:
        films = await store.read(lambda tx: tx.films.like_title(club.id, title_key(title), limit))
        return [f.id for f in films]

    # Exact keys first (in id order), then shared head "free" / tail "solo", nearest length first.
    assert await like("free solo") == [1, 2, 4, 3]
    assert await like("Fre Solo") == [1, 2, 4]  # a typo at the start: found by the tail
    assert await like("Free Sol") == [1, 2, 3]  # a typo at the end: found by the head
    assert await like("Free Solo", limit=2) == [1, 2]
    assert await like("Honeyland") == []


async def test_films_stored_without_a_title_key_get_one(store: Any) -> None:

    club = await new_club(store)
    await new_film(store, club, "The Act of Killing", 2012)
    await store.write(lambda tx: tx.conn.execute("UPDATE films SET title_key = NULL, key_head = NULL, key_tail = NULL"))
    assert await store.read(lambda tx: tx.films.like_title(club.id, title_key("act of killing"), 5)) == []

    assert await store.write(lambda tx: tx.films.fill_title_keys()) == 1
    found = await store.read(lambda tx: tx.films.like_title(club.id, title_key("act of killing"), 5))
    assert [f.title for f in found] == ["The Act of Killing"]
    assert await store.write(lambda tx: tx.films.fill_title_keys()) == 0


async def test_films_by_id_gives_only_the_asked_films_of_the_club(store: Any) -> None:
    alpha, beta = await new_club(store), await new_club(store, BETA)
    ids = [await new_film(store, alpha, title) for title in ("Honeyland", "Collective", "Navalny")]
    other = await new_film(store, beta, "Man on Wire")

    found = await store.read(lambda tx: tx.films.by_id(alpha.id, [ids[2], ids[0], ids[2], 999]))
    assert {i: f.title for i, f in found.items()} == {ids[0]: "Honeyland", ids[2]: "Navalny"}
    assert await store.read(lambda tx: tx.films.by_id(alpha.id, [])) == {}
    # Film numbers are per club: beta's #1 is not alpha's.
    assert [f.title for f in (await store.read(lambda tx: tx.films.by_id(beta.id, [other]))).values()] == [
        "Man on Wire"
    ]


async def test_film_status_changes_and_filters_the_list(store: Any) -> None:
    club = await new_club(store)
    first = await new_film(store, club, "Honeyland", 2019)
    second = await new_film(store, club, "Man on Wire", 2008)
    third = await new_film(store, club, "Grizzly Man", 2005)

    await store.write(lambda tx: tx.films.set_status(club.id, second, FilmStatus.SHORTLISTED))
    await store.write(lambda tx: tx.films.set_status(club.id, third, FilmStatus.WATCHED))

    shortlisted = await store.read(
        lambda tx: tx.films.list(club.id, [FilmStatus.SHORTLISTED, FilmStatus.WATCHED]))
    everything = await store.read(lambda tx: tx.films.list(club.id))
    assert [f.id for f in shortlisted] == [second, third]
    assert [(f.id, f.status) for f in everything] == [
        (first, FilmStatus.SUGGESTED), (second, FilmStatus.SHORTLISTED),
        (third, FilmStatus.WATCHED)]


async def test_deleting_a_film_removes_its_ratings_and_seen_marks(store: Any) -> None:
    club = await new_club(store)
    film = await new_film(store, club, "Honeyland", 2019)
    await store.write(lambda tx: tx.ratings.put(rating(club, film, "u-ana", 8)))
    await store.write(lambda tx: tx.films.mark_seen(club.id, film, "u-bo", T0))

    await store.write(lambda tx: tx.films.delete(club.id, film))

    async def what_is_left(tx: Any) -> tuple[Any, ...]:
        return (await tx.films.get(club.id, film), await tx.ratings.count(club.id, film),
                await tx.films.seen_by(club.id, film))

    assert await store.read(what_is_left) == (None, 0, [])


async def test_seen_is_marked_once_per_member(store: Any) -> None:
    club = await new_club(store)
    film = await new_film(store, club, "Honeyland", 2019)

    first = await store.write(lambda tx: tx.films.mark_seen(club.id, film, "u-ana", T0))
    again = await store.write(lambda tx: tx.films.mark_seen(club.id, film, "u-ana", at(9)))
    other = await store.write(lambda tx: tx.films.mark_seen(club.id, film, "u-bo", at(1)))

    assert (first, again, other) == (True, False, True)
    assert await store.read(lambda tx: tx.films.seen_by(club.id, film)) == ["u-ana", "u-bo"]


async def test_a_films_looked_up_details_round_trip_and_are_replaced(store: Any) -> None:
    club = await new_club(store)
    added = await store.write(
        lambda tx: tx.films.add(club.id, NewFilm("Honeyland", 2019, details=looked_up()), "u-ana", "Ana", T0))
    assert (await store.read(lambda tx: tx.films.get(club.id, added.id))).details == looked_up()
    newer = replace(looked_up(), runtime=90, streaming=None)
    await store.write(lambda tx: tx.films.set_details(club.id, added.id, newer))
    assert (await store.read(lambda tx: tx.films.list(club.id)))[0].details == newer
    await store.write(lambda tx: tx.films.set_details(club.id, added.id, None))
    assert (await store.read(lambda tx: tx.films.get(club.id, added.id))).details is None


async def test_film_briefs_list_every_film_of_the_club_by_id_with_what_a_list_shows(store: Any) -> None:
    alpha, beta = await new_club(store), await new_club(store, BETA)
    first = await new_film(store, alpha, "Honeyland", 2019, by="u-ana")
    await new_film(store, beta, "Man on Wire", 2008)
    second = await store.write(lambda tx: tx.films.add(
        alpha.id, NewFilm("Collective", warnings=("grief",), details=looked_up("Collective")), "u-bo", "Bo", T0))
    await store.write(lambda tx: tx.films.set_status(alpha.id, first, FilmStatus.WATCHED))

    briefs = await store.read(lambda tx: tx.films.briefs(alpha.id))
    assert briefs == [FilmBrief(first, "Honeyland", 2019, FilmStatus.WATCHED, "U-ANA"),
                      FilmBrief(second.id, "Collective", None, FilmStatus.SUGGESTED, "Bo")]
    assert [b.label for b in briefs] == ["Honeyland (2019)", "Collective"]
    assert await store.read(lambda tx: tx.films.briefs(999)) == []
