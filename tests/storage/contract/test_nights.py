"""The store contract, tx.nights: recurring club nights, their occurrences and standing RSVPs.
Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from docclub.core.models import (
    NewReminder,
    NightPlan,
    NightRsvp,
    NightStatus,
    OccurrenceState,
    PollMethod,
    ReminderKind,
    RsvpAnswer,
)
from tests.storage.contract.support import BETA, T0, new_club

PLAN = NightPlan(
    rule="first friday",
    clock="20:00",
    first_on=date(2026, 10, 2),
    where="#cinema",
    duration_minutes=105,
    poll_minutes=7 * 1440,
    close_minutes=1440,
    method=PollMethod.RANKED,
    top=3,
)
OCT2 = datetime(2026, 10, 2, 18, 0, tzinfo=UTC)
NOV6 = datetime(2026, 11, 6, 19, 0, tzinfo=UTC)


async def test_a_night_is_stored_whole_and_numbered_per_club(store: Any) -> None:
    alpha, beta = await new_club(store), await new_club(store, BETA)
    first = await store.write(lambda tx: tx.nights.add(alpha.id, PLAN, "u-ana", T0))
    second = await store.write(lambda tx: tx.nights.add(alpha.id, replace(PLAN, rule="15th"), "u-ana", T0))
    other = await store.write(lambda tx: tx.nights.add(beta.id, PLAN, "u-bo", T0))
    assert (first.id, second.id, other.id) == (1, 2, 1)
    got = await store.read(lambda tx: tx.nights.get(alpha.id, 1))
    assert got == first
    assert (got.plan, got.status, got.created_by, got.created_at) == (PLAN, NightStatus.ACTIVE, "u-ana", T0)
    assert await store.read(lambda tx: tx.nights.get(alpha.id, 9)) is None
    assert [n.plan.rule for n in await store.read(lambda tx: tx.nights.list(alpha.id))] == ["first friday", "15th"]


async def test_a_night_changed_and_cancelled_is_listed_as_such(store: Any) -> None:
    club = await new_club(store)
    night = await store.write(lambda tx: tx.nights.add(club.id, PLAN, "u-ana", T0))
    ended = T0 + timedelta(days=3)
    changed = replace(
        night,
        plan=replace(PLAN, clock="21:00", where=None),
        status=NightStatus.CANCELLED,
        ended_at=ended,
        platform_ref="event:42",
    )
    await store.write(lambda tx: tx.nights.update(changed))
    assert await store.read(lambda tx: tx.nights.get(club.id, night.id)) == changed
    assert await store.read(lambda tx: tx.nights.list(club.id, active_only=True)) == []


async def test_occurrences_are_kept_in_rule_order_with_their_state(store: Any) -> None:
    club = await new_club(store)
    night = await store.write(lambda tx: tx.nights.add(club.id, PLAN, "u-ana", T0))
    later = await store.write(
        lambda tx: tx.nights.add_occurrence(club.id, night.id, NOV6, NOV6, OccurrenceState.SKIPPED)
    )
    sooner = await store.write(
        lambda tx: tx.nights.add_occurrence(club.id, night.id, OCT2, OCT2, OccurrenceState.PLANNED)
    )
    assert (later.id, sooner.id) == (1, 2)
    moved = replace(sooner, starts_at=OCT2 + timedelta(days=1), state=OccurrenceState.SCHEDULED, poll_id=4, party_id=7)
    await store.write(lambda tx: tx.nights.update_occurrence(moved))
    assert await store.read(lambda tx: tx.nights.occurrences(club.id, night.id)) == [moved, later]
    assert await store.read(lambda tx: tx.nights.get_occurrence(club.id, moved.id)) == moved
    assert await store.read(lambda tx: tx.nights.get_occurrence(club.id, 99)) is None


async def test_a_second_occurrence_at_the_same_rule_time_is_refused_and_nothing_is_written(store: Any) -> None:
    club = await new_club(store)
    night = await store.write(lambda tx: tx.nights.add(club.id, PLAN, "u-ana", T0))
    await store.write(lambda tx: tx.nights.add_occurrence(club.id, night.id, OCT2, OCT2, OccurrenceState.PLANNED))

    async def twice(tx: Any) -> None:
        await tx.reminders.add([NewReminder(club.id, ReminderKind.NIGHT_POLL_OPEN, 1, OCT2)])
        await tx.nights.add_occurrence(club.id, night.id, OCT2, OCT2, OccurrenceState.PLANNED)

    with pytest.raises(Exception):  # noqa: B017 - each backend names its unique violation its own way
        await store.write(twice)
    assert len(await store.read(lambda tx: tx.nights.occurrences(club.id, night.id))) == 1
    assert await store.read(lambda tx: tx.reminders.list(club.id)) == []


async def test_a_standing_rsvp_is_replaced_by_the_members_next_answer(store: Any) -> None:
    club = await new_club(store)
    night = await store.write(lambda tx: tx.nights.add(club.id, PLAN, "u-ana", T0))
    yes = NightRsvp(club.id, night.id, "u-bo", "Bo", RsvpAnswer.YES, T0)
    maybe = NightRsvp(club.id, night.id, "u-cy", "Cy", RsvpAnswer.MAYBE, T0 + timedelta(minutes=1))
    no = replace(yes, answer=RsvpAnswer.NO, display_name="Bo B.", answered_at=T0 + timedelta(minutes=2))
    for r in (yes, maybe, no):
        await store.write(lambda tx, r=r: tx.nights.put_rsvp(r))
    assert await store.read(lambda tx: tx.nights.rsvps(club.id, night.id)) == [maybe, no]


async def test_a_clubs_nights_are_exported_and_imported_with_their_steps_and_no_other_club_sees_them(
    store: Any,
) -> None:
    alpha, beta = await new_club(store), await new_club(store, BETA)
    night = await store.write(lambda tx: tx.nights.add(alpha.id, PLAN, "u-ana", T0))
    occurrence = await store.write(
        lambda tx: tx.nights.add_occurrence(alpha.id, night.id, OCT2, OCT2, OccurrenceState.PLANNED)
    )
    standing = NightRsvp(alpha.id, night.id, "u-bo", "Bo", RsvpAnswer.YES, T0)
    opens = OCT2 - timedelta(days=7)
    await store.write(lambda tx: tx.nights.put_rsvp(standing))
    await store.write(
        lambda tx: tx.reminders.add([NewReminder(alpha.id, ReminderKind.NIGHT_POLL_OPEN, occurrence.id, opens)])
    )
    snap = await store.read(lambda tx: tx.snapshots.export(alpha.id))
    assert (snap.nights, snap.night_occurrences, snap.night_rsvps) == ([night], [occurrence], [standing])
    assert snap.night_steps == [("night_poll_open", occurrence.id, opens)]
    assert await store.read(lambda tx: tx.nights.list(beta.id)) == []

    await store.write(lambda tx: tx.nights.update(replace(night, status=NightStatus.CANCELLED)))
    club = await store.write(lambda tx: tx.snapshots.restore(snap))
    assert await store.read(lambda tx: tx.nights.list(club.id)) == [night]
    assert await store.read(lambda tx: tx.nights.occurrences(club.id, night.id)) == [occurrence]
    # Counters go on after the imported ids.
    again = await store.write(lambda tx: tx.nights.add(club.id, PLAN, "u-ana", T0))
    assert again.id == 2
