"""The store contract, tx.ratings: members' ratings and the leaderboard. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from tests.storage.contract.support import BETA, at, new_club, new_film, rating


async def test_a_members_rating_is_replaced_not_added(store: Any) -> None:
    club = await new_club(store)
    film = await new_film(store, club, "Honeyland", 2019)

    await store.write(lambda tx: tx.ratings.put(rating(club, film, "u-ana", 6, 1, "slow")))
    await store.write(lambda tx: tx.ratings.put(rating(club, film, "u-ana", 9, 2, "it stays")))

    assert await store.read(lambda tx: tx.ratings.count(club.id, film)) == 1
    assert await store.read(lambda tx: tx.ratings.get(club.id, film, "u-ana")) == rating(
        club, film, "u-ana", 9, 2, "it stays")
    assert await store.read(lambda tx: tx.ratings.list(club.id, film)) == [
        rating(club, film, "u-ana", 9, 2, "it stays")]


async def test_leaderboard_ranks_by_mean_among_films_with_enough_ratings(store: Any) -> None:
    club = await new_club(store)
    honeyland = await new_film(store, club, "Honeyland", 2019)
    wire = await new_film(store, club, "Man on Wire", 2008)
    grizzly = await new_film(store, club, "Grizzly Man", 2005)

    async def rate_all(tx: Any) -> None:
        for film, scores in ((honeyland, (8, 9)), (wire, (10, 10, 7)), (grizzly, (10,))):
            for n, score in enumerate(scores):
                await tx.ratings.put(rating(club, film, f"u-{n}", score))

    await store.write(rate_all)

    board = await store.read(lambda tx: tx.ratings.leaderboard(club.id, 2, 10))
    assert [(s.film_id, s.title, s.year, s.count) for s in board] == [
        (wire, "Man on Wire", 2008, 3), (honeyland, "Honeyland", 2019, 2)]
    assert board[0].mean == pytest.approx(9.0)
    assert board[1].mean == pytest.approx(8.5)
    assert len(await store.read(lambda tx: tx.ratings.leaderboard(club.id, 1, 1))) == 1


async def test_a_members_leaderboard_holds_only_films_they_rated_and_the_rest_carry_no_scores(store: Any) -> None:
    club = await new_club(store)
    honeyland = await new_film(store, club, "Honeyland", 2019)
    wire = await new_film(store, club, "Man on Wire", 2008)
    grizzly = await new_film(store, club, "Grizzly Man", 2005)
    await new_film(store, club, "Unrated", 2020)

    async def rate_all(tx: Any) -> None:
        for film, scores in ((honeyland, (8, 9)), (wire, (10, 10, 7)), (grizzly, (10,))):
            for n, score in enumerate(scores):
                await tx.ratings.put(rating(club, film, f"u-{n}", score))

    await store.write(rate_all)

    board = await store.read(lambda tx: tx.ratings.leaderboard(club.id, 1, 10, rated_by="u-1"))
    assert [(s.film_id, s.count) for s in board] == [(wire, 3), (honeyland, 2)]
    assert board[0].mean == pytest.approx(9.0)  # the club's mean, not the member's own score
    hidden = await store.read(lambda tx: tx.ratings.films_not_rated_by(club.id, "u-1"))
    assert [(h.film_id, h.title, h.year, h.count) for h in hidden] == [(grizzly, "Grizzly Man", 2005, 1)]
    assert not hasattr(hidden[0], "mean")
    nobody = await store.read(lambda tx: tx.ratings.films_not_rated_by(club.id, "u-9"))
    assert [h.film_id for h in nobody] == [wire, honeyland, grizzly]  # most ratings first
    assert await store.read(lambda tx: tx.ratings.leaderboard(club.id, 1, 10, rated_by="u-9")) == []


async def test_member_ratings_list_the_members_history_newest_first(store: Any) -> None:
    club = await new_club(store)
    honeyland = await new_film(store, club, "Honeyland", 2019)
    wire = await new_film(store, club, "Man on Wire", 2008)
    await store.write(lambda tx: tx.ratings.put(rating(club, honeyland, "u-ana", 8, 1, "bees")))
    await store.write(lambda tx: tx.ratings.put(rating(club, wire, "u-ana", 10, 5)))
    await store.write(lambda tx: tx.ratings.put(rating(club, wire, "u-bo", 3, 6)))

    history = await store.read(lambda tx: tx.ratings.of_member(club.id, "u-ana"))

    assert [(h.film_id, h.title, h.year, h.score, h.review, h.rated_at) for h in history] == [
        (wire, "Man on Wire", 2008, 10, None, at(5)),
        (honeyland, "Honeyland", 2019, 8, "bees", at(1))]


async def test_rating_counts_follow_every_rating_change_and_stay_in_their_club(store: Any) -> None:
    club = await new_club(store)
    other = await new_club(store, BETA)
    honeyland = await new_film(store, club, "Honeyland", 2019)
    elsewhere = await new_film(store, other, "Honeyland", 2019)
    for user, score in (("u-ana", 7), ("u-ben", 7), ("u-cy", 9)):
        await store.write(lambda tx, u=user, s=score: tx.ratings.put(rating(club, honeyland, u, s)))
    await store.write(lambda tx: tx.ratings.put(rating(other, elsewhere, "u-ana", 1)))
    await store.write(lambda tx: tx.ratings.put(rating(club, honeyland, "u-ben", 3)))  # changed
    await store.write(lambda tx: tx.ratings.put(rating(club, honeyland, "u-cy", 9, review="again")))  # same score

    counts = await store.read(lambda tx: tx.ratings.counts(club.id))
    assert counts == {honeyland: (0, 0, 1, 0, 0, 0, 1, 0, 1, 0)}
    assert await store.read(lambda tx: tx.ratings.counts(other.id)) == {elsewhere: (1, 0, 0, 0, 0, 0, 0, 0, 0, 0)}
    await store.write(lambda tx: tx.films.delete(club.id, honeyland))
    assert await store.read(lambda tx: tx.ratings.counts(club.id)) == {}

async def test_rating_counts_come_back_with_a_restored_club(store: Any) -> None:
    club = await new_club(store)
    film = await new_film(store, club, "Honeyland", 2019)
    await store.write(lambda tx: tx.ratings.put(rating(club, film, "u-ana", 8)))
    snap = await store.read(lambda tx: tx.snapshots.export(club.id))
    await store.write(lambda tx: tx.snapshots.restore(snap))
    assert await store.read(lambda tx: tx.ratings.counts(club.id)) == {film: (0,) * 7 + (1, 0, 0)}
