"""The store contract, tx.parties: watch parties, RSVPs and attendance. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from docclub.core.models import (
    Attendance,
    PartyStatus,
    Rsvp,
    RsvpAnswer,
)
from tests.storage.contract.support import T0, at, new_club, new_film


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


async def test_a_party_revision_rises_only_with_a_change_a_calendar_shows(store: Any) -> None:
    club = await new_club(store)
    film = await new_film(store, club, "Honeyland", 2019)
    party = await store.write(lambda tx: tx.parties.add(club.id, film, at(60), 120, None, "u-ana", T0))

    async def revision() -> int:
        found = await store.read(lambda tx: tx.parties.get(club.id, party.id))
        return int(found.revision)

    assert await revision() == 0
    await store.write(lambda tx: tx.parties.update(replace(party, platform_ref="event:1")))
    assert await revision() == 0
    await store.write(lambda tx: tx.parties.update(replace(party, starts_at=at(120))))
    assert await revision() == 1
    await store.write(lambda tx: tx.parties.update(replace(party, starts_at=at(120), where="Zoom")))
    assert await revision() == 2
    await store.write(lambda tx: tx.parties.update(replace(party, starts_at=at(120), where="Zoom",
                                                           status=PartyStatus.CANCELLED)))
    assert await revision() == 3
