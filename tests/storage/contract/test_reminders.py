"""The store contract, tx.reminders: reminders, claims and leases. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from docclub.core.models import (
    NewReminder,
    ReminderKind,
    ReminderState,
)
from tests.storage.contract.support import ALPHA, BETA, at, new_club, reminder


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
