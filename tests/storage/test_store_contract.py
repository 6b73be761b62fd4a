"""The ClubStore contract: what every backend must hold. Each test runs on SQLite and PostgreSQL
(see conftest.py) and asserts on what the store holds afterwards."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from docclub.core.models import (
    Attendance,
    Ballot,
    Club,
    ClubConfig,
    ClubKey,
    ClubSnapshot,
    FilmStatus,
    NewFilm,
    NewReminder,
    PartyStatus,
    PollMethod,
    PollStatus,
    Rating,
    RatingScale,
    ReminderKind,
    ReminderState,
    Rsvp,
    RsvpAnswer,
)

T0 = datetime(2026, 3, 6, 19, 0, tzinfo=UTC)
ALPHA = ClubKey("console", "alpha")
BETA = ClubKey("discord", "123456789")


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


async def new_club(store: Any, key: ClubKey = ALPHA, config: ClubConfig | None = None) -> Club:
    club: Club = await store.write(
        lambda tx: tx.clubs.create(key, f"{key.space_id} docs", config or ClubConfig(), T0)
    )
    return club


async def new_film(store: Any, club: Club, title: str, year: int | None = None,
                   by: str = "u-ana") -> int:
    film = await store.write(
        lambda tx: tx.films.add(club.id, NewFilm(title=title, year=year), by, by.upper(), T0)
    )
    return int(film.id)


def rating(club: Club, film_id: int, user: str, score: int, minutes: float = 0,
           review: str | None = None) -> Rating:
    return Rating(club_id=club.id, film_id=film_id, user_id=user, display_name=user.title(),
                  score=score, review=review, rated_at=at(minutes))


def reminder(club: Club, minutes: float, target: int = 1,
             kind: ReminderKind = ReminderKind.PARTY_BEFORE) -> NewReminder:
    return NewReminder(club_id=club.id, kind=kind, target_id=target, due_at=at(minutes),
                       offset_minutes=60)


# ---- clubs and members ----

async def test_created_club_is_found_by_key_and_by_id_with_its_config(store: Any) -> None:
    config = ClubConfig(
        timezone="Europe/Berlin", rating_scale=RatingScale.STARS, reminder_offsets=(120, 0),
        announce_channel="#films", organizer_role="Hosts", organizers=("u-ana",),
        members_add_to_polls=True,
    )
    created = await new_club(store, ALPHA, config)

    by_key = await store.read(lambda tx: tx.clubs.get(ALPHA))
    by_id = await store.read(lambda tx: tx.clubs.get_by_id(created.id))

    assert by_key == created == by_id
    assert by_key.config == config
    assert by_key.created_at == T0


async def test_unknown_club_is_none(store: Any) -> None:
    await new_club(store, ALPHA)

    assert await store.read(lambda tx: tx.clubs.get(BETA)) is None
    assert await store.read(lambda tx: tx.clubs.get_by_id(9999)) is None


async def test_club_config_change_is_stored(store: Any) -> None:
    club = await new_club(store)
    changed = ClubConfig(timezone="America/Chicago", reminder_offsets=(30,))

    await store.write(lambda tx: tx.clubs.set_config(club.id, changed))

    stored = await store.read(lambda tx: tx.clubs.get(ALPHA))
    assert stored.config == changed


async def test_member_is_kept_once_under_the_latest_name(store: Any) -> None:
    club = await new_club(store)

    await store.write(lambda tx: tx.clubs.upsert_member(club.id, "u-ana", "Ana", T0))
    await store.write(lambda tx: tx.clubs.upsert_member(club.id, "u-ana", "Ana María", at(5)))
    await store.write(lambda tx: tx.clubs.upsert_member(club.id, "u-bo", "Bo", at(6)))

    assert await store.read(lambda tx: tx.clubs.member_names(club.id)) == {
        "u-ana": "Ana María", "u-bo": "Bo",
    }


# ---- films ----

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
    from docclub.core.text import title_key

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
    from docclub.core.text import title_key

    club = await new_club(store)
    await new_film(store, club, "The Act of Killing", 2012)
    await store.write(lambda tx: tx.conn.execute("UPDATE films SET title_key = NULL, key_head = NULL, key_tail = NULL"))
    assert await store.read(lambda tx: tx.films.like_title(club.id, title_key("act of killing"), 5)) == []

    assert await store.write(lambda tx: tx.films.fill_title_keys()) == 1
    found = await store.read(lambda tx: tx.films.like_title(club.id, title_key("act of killing"), 5))
    assert [f.title for f in found] == ["The Act of Killing"]
    assert await store.write(lambda tx: tx.films.fill_title_keys()) == 0


async def test_clubs_see_nothing_of_each_other(store: Any) -> None:
    alpha = await new_club(store, ALPHA)
    beta = await new_club(store, BETA)
    film = await new_film(store, alpha, "Beyond Utopia", 2023)
    await store.write(lambda tx: tx.ratings.put(rating(alpha, film, "u-ana", 9)))
    await store.write(lambda tx: tx.polls.add(alpha.id, PollMethod.SINGLE, False, [film], "u-ana",
                                             T0, None))
    await store.write(lambda tx: tx.clubs.upsert_member(alpha.id, "u-ana", "Ana", T0))

    async def beta_view(tx: Any) -> tuple[Any, ...]:
        return (await tx.films.get(beta.id, film), await tx.films.list(beta.id),
                await tx.ratings.list(beta.id, film), await tx.polls.list(beta.id),
                await tx.clubs.member_names(beta.id), await tx.ratings.leaderboard(beta.id, 1, 10))

    assert await store.read(beta_view) == (None, [], [], [], {}, [])


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


# ---- polls and ballots ----

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


async def test_platform_values_are_kept_by_key_and_replaced(store: Any) -> None:
    assert await store.read(lambda tx: tx.platform.value("discord:commands")) is None
    await store.write(lambda tx: tx.platform.set_value("discord:commands", "abc", T0))
    await store.write(lambda tx: tx.platform.set_value("slack:other", "x", T0))
    await store.write(lambda tx: tx.platform.set_value("discord:commands", "def", at(1)))
    assert await store.read(lambda tx: tx.platform.value("discord:commands")) == "def"
    assert await store.read(lambda tx: tx.platform.value("slack:other")) == "x"


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


# ---- watch parties and RSVPs ----

async def test_party_round_trips_and_updates(store: Any) -> None:
    club = await new_club(store)
    film = await new_film(store, club, "Honeyland", 2019)

    party = await store.write(lambda tx: tx.parties.add(club.id, film, at(24 * 60), 120,
                                                      "#watch-party", "u-ana", T0))
    assert await store.read(lambda tx: tx.parties.get(club.id, party.id)) == party
    assert (party.id, party.starts_at, party.duration_minutes, party.where) == (
        1, at(24 * 60), 120, "#watch-party")

    moved = replace(party, starts_at=at(48 * 60), where=None, platform_ref="event:42",
                    status=PartyStatus.CANCELLED)
    await store.write(lambda tx: tx.parties.update(moved))

    assert await store.read(lambda tx: tx.parties.get(club.id, party.id)) == moved


async def test_parties_are_listed_by_start_and_filtered_by_film_and_status(store: Any) -> None:
    club = await new_club(store)
    a = await new_film(store, club, "Honeyland", 2019)
    b = await new_film(store, club, "Man on Wire", 2008)

    async def three_parties(tx: Any) -> None:
        late = await tx.parties.add(club.id, a, at(300), 90, None, "u-ana", T0)
        await tx.parties.add(club.id, b, at(100), 90, None, "u-ana", T0)
        await tx.parties.add(club.id, a, at(200), 90, None, "u-ana", T0, series_id=7)
        await tx.parties.update(replace(late, status=PartyStatus.DONE))

    await store.write(three_parties)

    every = await store.read(lambda tx: tx.parties.list(club.id))
    of_a = await store.read(lambda tx: tx.parties.list(club.id, film_id=a))
    scheduled_a = await store.read(
        lambda tx: tx.parties.list(club.id, film_id=a, statuses=["scheduled"]))
    assert [p.id for p in every] == [2, 3, 1]
    assert [p.id for p in of_a] == [3, 1]
    assert [(p.id, p.series_id) for p in scheduled_a] == [(3, 7)]


async def test_a_members_rsvp_is_replaced_by_their_latest_answer(store: Any) -> None:
    club = await new_club(store)
    film = await new_film(store, club, "Honeyland", 2019)
    party = await store.write(lambda tx: tx.parties.add(club.id, film, at(600), 90, None,
                                                      "u-ana", T0))

    def rsvp(user: str, answer: RsvpAnswer, minutes: float, dm: int | None = None) -> Rsvp:
        return Rsvp(club_id=club.id, party_id=party.id, user_id=user, display_name=user.title(),
                    answer=answer, answered_at=at(minutes), dm_offset_minutes=dm)

    await store.write(lambda tx: tx.parties.put_rsvp(rsvp("u-ana", RsvpAnswer.MAYBE, 1)))
    await store.write(lambda tx: tx.parties.put_rsvp(rsvp("u-bo", RsvpAnswer.YES, 2)))
    await store.write(lambda tx: tx.parties.put_rsvp(rsvp("u-ana", RsvpAnswer.YES, 3, dm=30)))

    assert await store.read(lambda tx: tx.parties.rsvps(club.id, party.id)) == [
        rsvp("u-bo", RsvpAnswer.YES, 2), rsvp("u-ana", RsvpAnswer.YES, 3, dm=30)]


async def test_attendance_is_kept_once_per_member_in_the_order_they_joined(store: Any) -> None:
    club = await new_club(store)
    film = await new_film(store, club, "Honeyland", 2019)
    party = await store.write(lambda tx: tx.parties.add(club.id, film, at(600), 90, "<#42>", "u-ana", T0))
    other = await store.write(lambda tx: tx.parties.add(club.id, film, at(900), 90, "<#42>", "u-ana", T0))

    def joined(user: str, minutes: float, party_id: int = party.id) -> Attendance:
        return Attendance(club_id=club.id, party_id=party_id, user_id=user, display_name=user.title(),
                          joined_at=at(minutes))

    firsts = []
    for a in (joined("u-bo", 610), joined("u-ana", 595), joined("u-bo", 640)):
        firsts.append(await store.write(lambda tx, a=a: tx.parties.record_attendance(a)))
    await store.write(lambda tx: tx.parties.record_attendance(joined("u-cy", 905, other.id)))

    assert firsts == [True, True, False]  # bo left and came back: one record, the first join
    assert await store.read(lambda tx: tx.parties.attendance(club.id, party.id)) == [
        joined("u-ana", 595), joined("u-bo", 610)]
    assert [a.user_id for a in await store.read(lambda tx: tx.parties.attendance(club.id, other.id))] == ["u-cy"]


async def test_attendance_goes_with_its_party(store: Any) -> None:
    club = await new_club(store)
    film = await new_film(store, club, "Honeyland", 2019)
    party = await store.write(lambda tx: tx.parties.add(club.id, film, at(600), 90, None, "u-ana", T0))
    await store.write(lambda tx: tx.parties.record_attendance(Attendance(club.id, party.id, "u-bo", "Bo", at(601))))

    await store.write(lambda tx: tx.films.delete(club.id, film))

    assert await store.read(lambda tx: tx.parties.attendance(club.id, party.id)) == []


# ---- ratings ----

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


async def test_a_withdrawn_ballot_is_gone(store: Any) -> None:
    club = await new_club(store)
    a = await new_film(store, club, "Honeyland", 2019)
    b = await new_film(store, club, "Man on Wire", 2008)
    poll = await store.write(lambda tx: tx.polls.add(club.id, PollMethod.SINGLE, False, [a, b], "u-ana", T0, None))
    await store.write(lambda tx: tx.polls.put_ballot(Ballot(club.id, poll.id, "u-ana", "Ana", (a,), T0)))
    assert await store.write(lambda tx: tx.polls.delete_ballot(club.id, poll.id, "u-ana")) is True
    assert await store.write(lambda tx: tx.polls.delete_ballot(club.id, poll.id, "u-ana")) is False
    assert await store.read(lambda tx: tx.polls.ballots(club.id, poll.id)) == []


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


# ---- discussion prompts ----

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


# ---- reminders ----

async def test_next_due_at_is_the_earliest_pending_reminder(store: Any) -> None:
    club = await new_club(store)
    assert await store.read(lambda tx: tx.reminders.next_due_at()) is None

    await store.write(lambda tx: tx.reminders.add([reminder(club, 30), reminder(club, 10),
                                                   reminder(club, 20)]))

    assert await store.read(lambda tx: tx.reminders.next_due_at()) == at(10)


async def test_a_reminder_is_covered_by_a_later_one_of_the_same_party_and_member_already_due(store: Any) -> None:
    club = await new_club(store)
    before = ReminderKind.PARTY_BEFORE
    await store.write(lambda tx: tx.reminders.add([
        NewReminder(club.id, before, 1, at(0), offset_minutes=60),
        NewReminder(club.id, before, 1, at(50), offset_minutes=10),
        NewReminder(club.id, ReminderKind.PARTY_DM, 1, at(30), offset_minutes=30, user_id="ana"),
        NewReminder(club.id, before, 2, at(55), offset_minutes=5),
    ]))
    # in due order: the 60-minute one (at 0), the DM (at 30), the 10-minute one (at 50), party 2's
    hour, dm, ten, _ = await store.read(lambda tx: tx.reminders.list(club.id))

    async def covered(r: Any, minutes: float) -> bool:
        return bool(await store.read(lambda tx: tx.reminders.later_due(r, at(minutes))))

    assert not await covered(hour, 40)  # the 10-minute one is not due yet
    assert await covered(hour, 50)
    assert not await covered(ten, 60)  # nothing later; the other party's reminder is not this party's
    assert not await covered(dm, 60)  # a member's reminder is covered only by their own
    await store.write(lambda tx: tx.reminders.finish(ten.id, ReminderState.DROPPED, at(50)))
    assert not await covered(hour, 60)  # a dropped reminder covers nothing


async def test_claim_due_takes_only_due_reminders_earliest_first(store: Any) -> None:
    club = await new_club(store)
    await store.write(lambda tx: tx.reminders.add(
        [reminder(club, 3, target=3), reminder(club, 1, target=1), reminder(club, 2, target=2),
         reminder(club, 60, target=60)]))

    claimed = await store.write(lambda tx: tx.reminders.claim_due(at(5), at(6), 2))

    assert [r.target_id for r in claimed] == [1, 2]
    assert all(r.state is ReminderState.CLAIMED and r.lease_until == at(6) for r in claimed)
    states = {r.target_id: r.state for r in await store.read(lambda tx: tx.reminders.list(club.id))}
    assert states == {1: ReminderState.CLAIMED, 2: ReminderState.CLAIMED,
                      3: ReminderState.PENDING, 60: ReminderState.PENDING}


async def test_a_claimed_reminder_is_not_claimed_again_before_its_lease_expires(store: Any) -> None:
    club = await new_club(store)
    await store.write(lambda tx: tx.reminders.add([reminder(club, 1)]))
    await store.write(lambda tx: tx.reminders.claim_due(at(1), at(3), 10))

    again = await store.write(lambda tx: tx.reminders.claim_due(at(2), at(4), 10))

    assert again == []


async def test_a_reminder_whose_lease_expired_is_claimed_again(store: Any) -> None:
    club = await new_club(store)
    await store.write(lambda tx: tx.reminders.add([reminder(club, 1)]))
    first = await store.write(lambda tx: tx.reminders.claim_due(at(1), at(3), 10))
    assert await store.read(lambda tx: tx.reminders.next_due_at()) == at(3)

    again = await store.write(lambda tx: tx.reminders.claim_due(at(3), at(5), 10))

    assert [r.id for r in again] == [first[0].id]
    assert again[0].lease_until == at(5)


async def test_a_finished_reminder_is_never_claimed_again(store: Any) -> None:
    club = await new_club(store)
    await store.write(lambda tx: tx.reminders.add([reminder(club, 1), reminder(club, 2)]))
    sent, failed = await store.write(lambda tx: tx.reminders.claim_due(at(2), at(3), 10))

    async def finish(tx: Any) -> None:
        await tx.reminders.finish(sent.id, ReminderState.SENT, at(2))
        await tx.reminders.finish(failed.id, ReminderState.FAILED, at(2))

    await store.write(finish)

    assert await store.write(lambda tx: tx.reminders.claim_due(at(999), at(1000), 10)) == []
    assert await store.read(lambda tx: tx.reminders.next_due_at()) is None
    stored = await store.read(lambda tx: tx.reminders.list(club.id))
    assert [(r.id, r.state, r.lease_until) for r in stored] == [
        (sent.id, ReminderState.SENT, None), (failed.id, ReminderState.FAILED, None)]


async def test_a_retried_reminder_is_pending_again_at_its_new_time(store: Any) -> None:
    club = await new_club(store)
    await store.write(lambda tx: tx.reminders.add([reminder(club, 1)]))
    (claimed,) = await store.write(lambda tx: tx.reminders.claim_due(at(1), at(2), 10))

    await store.write(lambda tx: tx.reminders.retry(claimed.id, at(10), 1))

    assert await store.read(lambda tx: tx.reminders.next_due_at()) == at(10)
    assert await store.write(lambda tx: tx.reminders.claim_due(at(9), at(11), 10)) == []
    (retried,) = await store.write(lambda tx: tx.reminders.claim_due(at(10), at(11), 10))
    assert (retried.id, retried.attempts, retried.due_at) == (claimed.id, 1, at(10))


async def test_reminders_can_be_watched_and_claimed_for_some_platforms_only(store: Any) -> None:
    console = await new_club(store, ALPHA)
    discord = await new_club(store, BETA)
    await store.write(lambda tx: tx.reminders.add(
        [reminder(console, 1, target=10), reminder(discord, 2, target=20)]))

    assert await store.read(lambda tx: tx.reminders.next_due_at(["discord"])) == at(2)
    assert await store.read(lambda tx: tx.reminders.next_due_at(["slack"])) is None
    claimed = await store.write(lambda tx: tx.reminders.claim_due(at(5), at(6), 10, ["discord", "slack"]))

    assert [(r.club_id, r.target_id) for r in claimed] == [(discord.id, 20)]
    assert await store.read(lambda tx: tx.reminders.next_due_at(["console"])) == at(1)


async def test_reminder_fields_round_trip(store: Any) -> None:
    club = await new_club(store)
    dm = NewReminder(club_id=club.id, kind=ReminderKind.PARTY_DM, target_id=4, due_at=at(7),
                     offset_minutes=45, user_id="u-ana")

    await store.write(lambda tx: tx.reminders.add([dm]))

    (stored,) = await store.read(lambda tx: tx.reminders.list(club.id, target_id=4))
    assert (stored.club_id, stored.kind, stored.target_id, stored.due_at, stored.state,
            stored.attempts, stored.offset_minutes, stored.user_id, stored.lease_until) == (
        club.id, ReminderKind.PARTY_DM, 4, at(7), ReminderState.PENDING, 0, 45, "u-ana", None)


async def test_deleting_pending_reminders_spares_sent_ones_other_kinds_and_targets(
        store: Any) -> None:
    club = await new_club(store)
    await store.write(lambda tx: tx.reminders.add([
        reminder(club, 1, target=1), reminder(club, 50, target=1), reminder(club, 60, target=1),
        reminder(club, 60, target=1, kind=ReminderKind.POLL_CLOSE),
        reminder(club, 60, target=2)]))
    (done,) = await store.write(lambda tx: tx.reminders.claim_due(at(1), at(2), 1))
    await store.write(lambda tx: tx.reminders.finish(done.id, ReminderState.SENT, at(1)))

    deleted = await store.write(lambda tx: tx.reminders.delete_pending(
        club.id, [ReminderKind.PARTY_BEFORE.value, ReminderKind.PARTY_DM.value], 1))

    left = await store.read(lambda tx: tx.reminders.list(club.id))
    assert deleted == 2
    assert sorted((r.target_id, r.kind.value, r.state.value) for r in left) == [
        (1, "party_before", "sent"), (1, "poll_close", "pending"), (2, "party_before", "pending")]


# ---- idempotency ----

async def test_an_event_is_remembered_once(store: Any) -> None:
    first = await store.write(lambda tx: tx.platform.remember_event("slack:Ev123", T0))
    again = await store.write(lambda tx: tx.platform.remember_event("slack:Ev123", at(1)))
    other = await store.write(lambda tx: tx.platform.remember_event("slack:Ev124", at(1)))

    assert (first, again, other) == (True, False, True)


async def test_events_remembered_before_the_cutoff_are_forgotten_and_counted(store: Any) -> None:
    for key, minute in (("slack:old", 0), ("slack:older", -5), ("slack:edge", 10), ("slack:new", 11)):
        await store.write(lambda tx, key=key, minute=minute: tx.platform.remember_event(key, at(minute)))

    forgotten = await store.write(lambda tx: tx.platform.forget_events_before(at(10)))
    again = await store.write(lambda tx: tx.platform.forget_events_before(at(10)))

    assert (forgotten, again) == (2, 0)
    # Forgotten keys are fresh again; the one remembered at the cutoff and the newer one are not.
    fresh = [await store.write(lambda tx, key=key: tx.platform.remember_event(key, at(12)))
             for key in ("slack:old", "slack:older", "slack:edge", "slack:new")]
    assert fresh == [True, True, False, False]


# ---- transactions ----

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


# ---- export / import ----

async def populate(store: Any, key: ClubKey = ALPHA) -> Club:
    """A club with something in every part of a snapshot."""
    config = ClubConfig(timezone="Europe/Berlin", rating_scale=RatingScale.STARS,
                        organizers=("u-ana",), announce_channel="C0123")
    club = await new_club(store, key, config)

    async def evening(tx: Any) -> None:
        cid = club.id
        for user, name in (("u-ana", "Ana"), ("u-bo", "Bo"), ("U-Émile", "Émile")):
            await tx.clubs.upsert_member(cid, user, name, T0)
        bu = await tx.films.add(cid, NewFilm("Beyond Utopia", 2023, "https://x.org/bu", "Hulu",
                                            ("violence",), ("escape",), "Gripping."),
                               "u-ana", "Ana", at(1))
        hl = await tx.films.add(cid, NewFilm("Honeyland", 2019), "u-bo", "Bo", at(2))
        gone = await tx.films.add(cid, NewFilm("Deleted"), "u-bo", "Bo", at(3))
        await tx.films.add(cid, NewFilm("Grizzly Man", 2005, tags=("nature",)), "U-Émile",
                          "Émile", at(4))
        await tx.films.delete(cid, gone.id)  # ids keep a gap
        await tx.films.set_status(cid, bu.id, FilmStatus.WATCHED)
        poll = await tx.polls.add(cid, PollMethod.RANKED, True, [bu.id, hl.id], "u-ana", at(5),
                                 at(50))
        for n, (user, choices) in enumerate((("u-bo", (hl.id, bu.id)), ("u-ana", (bu.id,)),
                                             ("U-Émile", (bu.id, hl.id)))):
            await tx.polls.put_ballot(Ballot(cid, poll.id, user, user, choices, at(6 + n)))
        await tx.polls.close(cid, poll.id, PollStatus.CLOSED.value, at(50), bu.id)
        await tx.polls.set_ref(cid, poll.id, "msg:81/91 msg:82/92")
        await tx.polls.add(cid, PollMethod.SINGLE, False, [hl.id], "u-bo", at(51), None)
        party = await tx.parties.add(cid, bu.id, at(600), 120, "#watch", "u-ana", at(52))
        await tx.parties.update(replace(party, status=PartyStatus.DONE, platform_ref="evt-1"))
        await tx.parties.add(cid, hl.id, at(6000), 90, None, "u-ana", at(53), series_id=1)
        await tx.parties.put_rsvp(Rsvp(cid, party.id, "u-bo", "Bo", RsvpAnswer.YES, at(54), 30))
        await tx.parties.put_rsvp(Rsvp(cid, party.id, "U-Émile", "Émile", RsvpAnswer.MAYBE, at(55)))
        await tx.parties.record_attendance(Attendance(cid, party.id, "u-bo", "Bo", at(595)))
        await tx.parties.record_attendance(Attendance(cid, party.id, "u-ana", "Ana", at(610)))
        await tx.ratings.put(rating(club, bu.id, "u-ana", 9, 800, "Harrowing and tender."))
        await tx.ratings.put(rating(club, bu.id, "u-bo", 7, 801))
        await tx.ratings.put(rating(club, hl.id, "U-Émile", 10, 802, "||spoiler||"))
        await tx.films.mark_seen(cid, bu.id, "u-ana", at(800))
        await tx.films.mark_seen(cid, bu.id, "u-bo", at(801))
        await tx.films.mark_seen(cid, hl.id, "U-Émile", at(802))
        await tx.prompts.add(cid, bu.id, "What did the smugglers risk?", "Bo", at(803))
        await tx.prompts.add(cid, hl.id, "Who is the film for?", "Ana", at(804))

    await store.write(evening)
    return club


def portable(snapshot: ClubSnapshot) -> ClubSnapshot:
    """The snapshot with its store-assigned club id blanked: that id is all that may differ."""
    def blank(items: list[Any]) -> list[Any]:
        return [replace(item, club_id=0) for item in items]

    return ClubSnapshot(
        club=replace(snapshot.club, id=0), films=blank(snapshot.films), seen=list(snapshot.seen),
        polls=blank(snapshot.polls), ballots=blank(snapshot.ballots),
        parties=blank(snapshot.parties), rsvps=blank(snapshot.rsvps),
        attendance=blank(snapshot.attendance), ratings=blank(snapshot.ratings), prompts=list(snapshot.prompts),
        members=dict(snapshot.members))


async def export(store: Any, key: ClubKey = ALPHA) -> ClubSnapshot:
    async def snapshot(tx: Any) -> ClubSnapshot:
        club = await tx.clubs.get(key)
        result: ClubSnapshot = await tx.snapshots.export(club.id)
        return result

    return await store.read(snapshot)


async def test_export_holds_the_whole_club(store: Any) -> None:
    await populate(store)

    snap = await export(store)

    assert [f.title for f in snap.films] == ["Beyond Utopia", "Honeyland", "Grizzly Man"]
    assert [f.id for f in snap.films] == [1, 2, 4]
    assert len(snap.seen) == 3 and len(snap.ballots) == 3 and len(snap.rsvps) == 2
    assert [a.user_id for a in snap.attendance] == ["u-bo", "u-ana"]
    assert [p.id for p in snap.polls] == [1, 2] and [p.id for p in snap.parties] == [1, 2]
    assert len(snap.ratings) == 3 and len(snap.prompts) == 2
    assert snap.members == {"u-ana": "Ana", "u-bo": "Bo", "U-Émile": "Émile"}


async def test_import_of_an_export_gives_back_the_same_club(store: Any) -> None:
    await populate(store)
    original = await export(store)

    await store.write(lambda tx: tx.snapshots.restore(original))

    assert portable(await export(store)) == portable(original)


async def test_import_replaces_what_the_club_had(store: Any) -> None:
    await populate(store)
    snapshot = await export(store)
    club = await store.read(lambda tx: tx.clubs.get(ALPHA))
    await new_film(store, club, "Added after the backup")
    await store.write(lambda tx: tx.ratings.put(rating(club, 2, "u-zed", 1)))

    await store.write(lambda tx: tx.snapshots.restore(snapshot))

    assert portable(await export(store)) == portable(snapshot)


def moved_to(snapshot: ClubSnapshot, key: ClubKey) -> ClubSnapshot:
    """`snapshot` as the backup of the club at `key`."""
    moved = portable(snapshot)
    moved.club = replace(moved.club, key=key)
    return moved


async def test_import_leaves_other_clubs_alone(store: Any) -> None:
    await populate(store, ALPHA)
    await populate(store, BETA)
    beta_before = await export(store, BETA)

    await store.write(lambda tx: tx.snapshots.restore(moved_to(beta_before, ALPHA)))

    assert await export(store, BETA) == beta_before


async def test_ids_continue_after_the_highest_imported_id(store: Any) -> None:
    await populate(store, ALPHA)
    backup = moved_to(await export(store, ALPHA), BETA)  # films 1, 2, 4; polls, parties 1, 2
    club = await store.write(lambda tx: tx.snapshots.restore(backup))

    async def one_more_of_each(tx: Any) -> tuple[int, ...]:
        film = await tx.films.add(club.id, NewFilm("Man on Wire", 2008), "u-ana", "Ana", T0)
        poll = await tx.polls.add(club.id, PollMethod.SINGLE, False, [film.id], "u-ana", T0, None)
        party = await tx.parties.add(club.id, film.id, at(60), 90, None, "u-ana", T0)
        prompt = await tx.prompts.add(club.id, film.id, "Was it legal?", "Ana", T0)
        return film.id, poll.id, party.id, prompt.key

    assert await store.write(one_more_of_each) == (5, 3, 3, "film:3")
@pytest.mark.postgresql
async def test_a_club_moves_sqlite_to_postgresql_and_back_unchanged(
        sqlite_store: Any, postgresql_store: Any) -> None:
    await populate(sqlite_store)
    original = await export(sqlite_store)

    await postgresql_store.write(lambda tx: tx.snapshots.restore(original))
    in_postgresql = await export(postgresql_store)
    await sqlite_store.write(lambda tx: tx.snapshots.restore(in_postgresql))
    back = await export(sqlite_store)

    assert portable(in_postgresql) == portable(original)
    assert portable(back) == portable(original)


def test_a_real_export_passes_the_backups_own_checks() -> None:
    """What `populate` writes is what commands make: its export must pass import's checks."""

    async def check() -> None:
        from docclub.core.backup import snapshot_to_json
        from docclub.core.backup_format import read_backup
        from docclub.storage.sqlite import SqliteStore

        store = await SqliteStore.open(":memory:")
        try:
            await populate(store)
            read_backup(snapshot_to_json(await export(store)))
        finally:
            await store.close()

    asyncio.run(check())


@pytest.mark.postgresql
async def test_a_backup_moves_sqlite_to_postgresql_and_back_with_its_reminders(
        sqlite_store: Any, postgresql_store: Any) -> None:
    """`docclub export` / `import` between backends: the club and every pending reminder
    (a party's channel, personal and after-party ones, an open poll's deadline) come along."""
    from docclub.core.clubs import Docclub
    from docclub.core.models import Actor
    from docclub.testing import FakeClock

    organizer = Actor("console", "organizer", "Organizer", is_organizer=True)
    ana = Actor("console", "ana", "Ana")
    clock = FakeClock(T0)
    on_sqlite, on_postgresql = Docclub(sqlite_store, clock), Docclub(postgresql_store, clock)
    await on_sqlite.settings.set(ALPHA, organizer, "timezone", "Europe/Berlin")
    for title in ("Beyond Utopia (2023)", "Navalny (2022)"):
        await on_sqlite.films.suggest(ALPHA, organizer, NewFilm(title))
    await on_sqlite.polls.open(ALPHA, organizer, film_refs=["#1", "#2"], closes="2026-03-08 18:00")
    await on_sqlite.parties.schedule(ALPHA, organizer, "#1", "2026-03-09 20:00")
    await on_sqlite.parties.rsvp(ALPHA, ana, "#1", "yes", remind="3h")

    async def pending(app: Docclub) -> list[tuple[str, int, datetime, int | None, str | None]]:
        club = await app.club(ALPHA)
        rows = await app.store.read(lambda tx: tx.reminders.list(club.id))
        return sorted((r.kind.value, r.target_id, r.due_at, r.offset_minutes, r.user_id)
                      for r in rows if r.state is ReminderState.PENDING)

    async def backup_of(app: Docclub) -> bytes:
        reply = await app.backup.export_json(ALPHA, organizer)
        assert reply.attachment is not None
        return reply.attachment.data

    original, reminders = await export(sqlite_store), await pending(on_sqlite)
    assert {r[0] for r in reminders} == {"poll_close", "party_before", "party_dm", "party_after"}

    await on_postgresql.backup.import_json(ALPHA, organizer, await backup_of(on_sqlite))
    assert await pending(on_postgresql) == reminders
    await on_sqlite.backup.import_json(ALPHA, organizer, await backup_of(on_postgresql))

    assert portable(await export(postgresql_store)) == portable(original)
    assert portable(await export(sqlite_store)) == portable(original)
    assert await pending(on_sqlite) == reminders
