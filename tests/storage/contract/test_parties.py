"""The store contract, tx.parties: watch parties, RSVPs and attendance. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from docclub.core.models import (
    Attendance,
    PartyBrief,
    PartyStatus,
    Rsvp,
    RsvpAnswer,
)
from tests.storage.contract.support import BETA, T0, at, new_club, new_film


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


async def test_party_briefs_list_every_party_of_the_club_by_start_with_its_end(store: Any) -> None:
    club, other = await new_club(store), await new_club(store, BETA)
    a = await new_film(store, club, "Honeyland", 2019)
    b = await new_film(store, club, "Man on Wire", 2008)
    elsewhere = await new_film(store, other, "Collective", 2019)

    async def parties(tx: Any) -> None:
        late = await tx.parties.add(club.id, a, at(300), 90, "Zoom", "u-ana", T0)
        await tx.parties.add(club.id, b, at(100), 45, None, "u-ana", T0)
        await tx.parties.add(other.id, elsewhere, at(50), 90, None, "u-ana", T0)
        await tx.parties.update(replace(late, status=PartyStatus.CANCELLED))

    await store.write(parties)

    assert await store.read(lambda tx: tx.parties.briefs(club.id)) == [
        PartyBrief(2, b, at(100), at(145), None, PartyStatus.SCHEDULED),
        PartyBrief(1, a, at(300), at(390), "Zoom", PartyStatus.CANCELLED),
    ]
    assert await store.read(lambda tx: tx.parties.briefs(999)) == []


async def test_rsvp_counts_give_each_answer_by_party_for_the_asked_parties_only(store: Any) -> None:
    club, other = await new_club(store), await new_club(store, BETA)
    film = await new_film(store, club, "Honeyland", 2019)
    elsewhere = await new_film(store, other, "Collective", 2019)
    first = await store.write(lambda tx: tx.parties.add(club.id, film, at(600), 90, None, "u-ana", T0))
    second = await store.write(lambda tx: tx.parties.add(club.id, film, at(900), 90, None, "u-ana", T0))
    third = await store.write(lambda tx: tx.parties.add(club.id, film, at(1200), 90, None, "u-ana", T0))
    theirs = await store.write(lambda tx: tx.parties.add(other.id, elsewhere, at(600), 90, None, "u-ana", T0))
    answers = [(first.id, "u-ana", RsvpAnswer.YES), (first.id, "u-bo", RsvpAnswer.YES),
               (first.id, "u-cy", RsvpAnswer.NO), (second.id, "u-ana", RsvpAnswer.MAYBE),
               (third.id, "u-ana", RsvpAnswer.YES)]
    for party_id, user, answer in answers:
        rsvp = Rsvp(club.id, party_id, user, user, answer, at(1), None)
        await store.write(lambda tx, r=rsvp: tx.parties.put_rsvp(r))
    theirs_no = Rsvp(other.id, theirs.id, "u-ana", "Ana", RsvpAnswer.NO, at(1), None)
    changed_mind = Rsvp(club.id, first.id, "u-cy", "Cy", RsvpAnswer.YES, at(2), None)
    await store.write(lambda tx: tx.parties.put_rsvp(theirs_no))
    await store.write(lambda tx: tx.parties.put_rsvp(changed_mind))

    counts = await store.read(lambda tx: tx.parties.rsvp_counts(club.id, [first.id, second.id, 999]))
    assert counts == {first.id: {RsvpAnswer.YES: 3}, second.id: {RsvpAnswer.MAYBE: 1}}
    assert await store.read(lambda tx: tx.parties.rsvp_counts(club.id, [])) == {}
