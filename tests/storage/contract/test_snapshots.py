"""The store contract, tx.snapshots: a whole club exported and restored, also across backends.
Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime
from typing import Any

import pytest

from docclub.core.backup import snapshot_to_json
from docclub.core.backup_format import read_backup
from docclub.core.clubs import Docclub
from docclub.core.models import (
    Actor,
    Attendance,
    Ballot,
    Club,
    ClubConfig,
    ClubKey,
    ClubSnapshot,
    FilmStatus,
    NewFilm,
    PartyStatus,
    PollMethod,
    PollStatus,
    RatingScale,
    ReminderState,
    Rsvp,
    RsvpAnswer,
)
from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock
from tests.storage.contract.support import ALPHA, BETA, T0, at, looked_up, new_club, new_film, rating


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
        hl = await tx.films.add(cid, NewFilm("Honeyland", 2019, details=looked_up()), "u-bo", "Bo", at(2))
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


def moved_to(snapshot: ClubSnapshot, key: ClubKey) -> ClubSnapshot:
    """`snapshot` as the backup of the club at `key`."""
    moved = portable(snapshot)
    moved.club = replace(moved.club, key=key)
    return moved


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
