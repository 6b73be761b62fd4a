"""The store contract, tx.polls: polls and ballots. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from docclub.core.models import (
    Ballot,
    PollMethod,
    PollStatus,
)
from tests.storage.contract.support import BETA, T0, at, new_club, new_film


async def test_poll_round_trips_and_closes_with_a_winner(store: Any) -> None:
    club = await new_club(store)
    a = await new_film(store, club, "Honeyland", 2019)
    b = await new_film(store, club, "Man on Wire", 2008)

    poll = await store.write(lambda tx: tx.polls.add(club.id, PollMethod.RANKED, True, [b, a],
                                                    "u-ana", T0, at(60)))
    assert await store.read(lambda tx: tx.polls.get(club.id, poll.id)) == poll
    assert (poll.id, poll.film_ids, poll.anonymous, poll.closes_at) == (1, (b, a), True, at(60))

    await store.write(
        lambda tx: tx.polls.close(club.id, poll.id, PollStatus.CLOSED.value, at(61), b))

    closed = await store.read(lambda tx: tx.polls.get(club.id, poll.id))
    assert (closed.status, closed.closed_at, closed.winner_film_id) == (
        PollStatus.CLOSED, at(61), b)


async def test_open_polls_are_listed_apart_from_closed_ones(store: Any) -> None:
    club = await new_club(store)
    film = await new_film(store, club, "Honeyland", 2019)

    async def open_two_close_first(tx: Any) -> None:
        first = await tx.polls.add(club.id, PollMethod.SINGLE, False, [film], "u-ana", T0, None)
        await tx.polls.add(club.id, PollMethod.APPROVAL, False, [film], "u-ana", at(1), None)
        await tx.polls.close(club.id, first.id, PollStatus.CANCELLED.value, at(2), None)

    await store.write(open_two_close_first)

    every = await store.read(lambda tx: tx.polls.list(club.id))
    still_open = await store.read(lambda tx: tx.polls.list(club.id, open_only=True))
    assert [(p.id, p.status) for p in every] == [(1, PollStatus.CANCELLED), (2, PollStatus.OPEN)]
    assert [p.id for p in still_open] == [2]


async def test_films_added_to_an_open_poll_are_stored_in_order(store: Any) -> None:
    club = await new_club(store)
    a = await new_film(store, club, "Honeyland", 2019)
    b = await new_film(store, club, "Man on Wire", 2008)
    poll = await store.write(lambda tx: tx.polls.add(club.id, PollMethod.SINGLE, False, [a],
                                                    "u-ana", T0, None))

    await store.write(lambda tx: tx.polls.set_films(club.id, poll.id, [a, b]))

    assert (await store.read(lambda tx: tx.polls.get(club.id, poll.id))).film_ids == (a, b)


async def test_a_poll_keeps_where_it_is_shown_for_every_process(store: Any) -> None:
    club = await new_club(store)
    other = await new_club(store, BETA)
    film = await new_film(store, club, "Honeyland", 2019)
    poll = await store.write(lambda tx: tx.polls.add(club.id, PollMethod.SINGLE, False, [film],
                                                    "u-ana", T0, None))
    assert poll.platform_ref is None

    await store.write(lambda tx: tx.polls.set_ref(club.id, poll.id, "msg:1/2 msg:3/4"))
    await store.write(lambda tx: tx.polls.set_ref(other.id, poll.id, "msg:9/9"))  # no such poll there
    await store.write(lambda tx: tx.polls.close(club.id, poll.id, PollStatus.CLOSED.value, at(1), film))

    kept = await store.read(lambda tx: tx.polls.get(club.id, poll.id))
    assert kept.platform_ref == "msg:1/2 msg:3/4"
    assert await store.read(lambda tx: tx.polls.list(other.id)) == []
    await store.write(lambda tx: tx.polls.set_ref(club.id, poll.id, None))
    assert (await store.read(lambda tx: tx.polls.get(club.id, poll.id))).platform_ref is None


async def test_a_member_has_one_ballot_per_poll_and_the_latest_counts(store: Any) -> None:
    club = await new_club(store)
    a = await new_film(store, club, "Honeyland", 2019)
    b = await new_film(store, club, "Man on Wire", 2008)
    poll = await store.write(lambda tx: tx.polls.add(club.id, PollMethod.RANKED, False, [a, b],
                                                    "u-ana", T0, None))

    def ballot(user: str, choices: tuple[int, ...], minutes: float) -> Ballot:
        return Ballot(club_id=club.id, poll_id=poll.id, user_id=user, display_name=user.title(),
                      choices=choices, cast_at=at(minutes))

    await store.write(lambda tx: tx.polls.put_ballot(ballot("u-ana", (a, b), 1)))
    await store.write(lambda tx: tx.polls.put_ballot(ballot("u-bo", (a,), 2)))
    await store.write(lambda tx: tx.polls.put_ballot(ballot("u-ana", (b, a), 3)))

    ballots = await store.read(lambda tx: tx.polls.ballots(club.id, poll.id))
    assert ballots == [ballot("u-bo", (a,), 2), ballot("u-ana", (b, a), 3)]


async def test_a_withdrawn_ballot_is_gone(store: Any) -> None:
    club = await new_club(store)
    a = await new_film(store, club, "Honeyland", 2019)
    b = await new_film(store, club, "Man on Wire", 2008)
    poll = await store.write(lambda tx: tx.polls.add(club.id, PollMethod.SINGLE, False, [a, b], "u-ana", T0, None))
    await store.write(lambda tx: tx.polls.put_ballot(Ballot(club.id, poll.id, "u-ana", "Ana", (a,), T0)))
    assert await store.write(lambda tx: tx.polls.delete_ballot(club.id, poll.id, "u-ana")) is True
    assert await store.write(lambda tx: tx.polls.delete_ballot(club.id, poll.id, "u-ana")) is False
    assert await store.read(lambda tx: tx.polls.ballots(club.id, poll.id)) == []


async def test_vote_counts_add_up_across_polls_once_per_ballot(store: Any) -> None:
    club = await new_club(store)
    a = await new_film(store, club, "Honeyland", 2019)
    b = await new_film(store, club, "Man on Wire", 2008)

    async def two_polls(tx: Any) -> None:
        for n in (1, 2):
            poll = await tx.polls.add(club.id, PollMethod.APPROVAL, False, [a, b], "u-ana",
                                     at(n), None)
            await tx.polls.put_ballot(Ballot(club.id, poll.id, "u-ana", "Ana", (a, b), at(n)))
            await tx.polls.put_ballot(Ballot(club.id, poll.id, "u-bo", "Bo", (a,), at(n)))

    await store.write(two_polls)

    assert await store.read(lambda tx: tx.polls.vote_counts(club.id)) == {a: 4, b: 2}
