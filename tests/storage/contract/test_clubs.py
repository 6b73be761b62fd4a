"""The store contract, tx.clubs: clubs and their members. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from docclub.core.models import (
    ClubConfig,
    NewFilm,
    NewReminder,
    PollMethod,
    RatingScale,
    ReminderKind,
)
from tests.storage.contract.support import ALPHA, BETA, T0, at, new_club, new_film, rating


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


async def test_deleting_a_club_deletes_everything_it_holds_and_nothing_else(store: Any) -> None:
    clubs = [await new_club(store, ALPHA), await new_club(store, BETA)]
    for club in clubs:
        film = await new_film(store, club, "Navalny")
        await store.write(lambda tx, c=club, f=film: tx.polls.add(c.id, PollMethod.SINGLE, False, [f], "u", T0, None))
        party = await store.write(lambda tx, c=club, f=film: tx.parties.add(c.id, f, at(600), 120, None, "u-ana", T0))
        await store.write(lambda tx, c=club, f=film: tx.ratings.put(rating(c, f, "u-ana", 8)))
        due = NewReminder(club_id=club.id, kind=ReminderKind.PARTY_BEFORE, target_id=party.id, due_at=at(540))
        await store.write(lambda tx, d=due: tx.reminders.add([d]))

    assert await store.write(lambda tx: tx.clubs.delete(ALPHA)) is True
    assert await store.write(lambda tx: tx.clubs.delete(ALPHA)) is False

    assert await store.read(lambda tx: tx.clubs.get(ALPHA)) is None
    assert await store.read(lambda tx: tx.reminders.list(clubs[0].id)) == []
    kept = await store.read(lambda tx: tx.clubs.get(BETA))
    assert kept is not None
    assert [r.club_id for r in await store.read(lambda tx: tx.reminders.list(kept.id))] == [kept.id]
    snapshot = await store.read(lambda tx: tx.snapshots.export(kept.id))
    assert (len(snapshot.films), len(snapshot.polls), len(snapshot.parties), len(snapshot.ratings)) == (1, 1, 1, 1)


async def test_club_links_keep_hashes_the_newest_first_to_go_and_clear_all(store: Any) -> None:
    club = await new_club(store)
    other = await new_club(store, BETA)
    for i in range(4):
        await store.write(lambda tx, i=i: tx.clubs.add_link_hash(club.id, f"{i:064x}", at(i), 3))
    assert await store.read(lambda tx: tx.clubs.link_hashes(club.id)) == [f"{i:064x}" for i in (1, 2, 3)]
    assert await store.read(lambda tx: tx.clubs.link_hashes(other.id)) == []
    assert await store.write(lambda tx: tx.clubs.clear_links(club.id)) == 3
    assert await store.read(lambda tx: tx.clubs.link_hashes(club.id)) == []


async def test_a_reads_data_version_changes_with_every_commit_and_only_then(store: Any) -> None:
    club = await new_club(store)
    seen = {await store.read(lambda tx: tx.clubs.data_version()) for _ in range(4)}
    for change in (
        lambda tx: tx.clubs.set_config(club.id, ClubConfig(timezone="Asia/Tokyo")),
        lambda tx: tx.films.add(club.id, NewFilm("Honeyland", 2019), "u-ana", "Ana", T0),
        lambda tx: tx.ratings.put(rating(club, 1, "u-ana", 9)),
    ):
        await store.write(change)
        after = [await store.read(lambda tx: tx.clubs.data_version()) for _ in range(4)]
        # Never a version from before the commit (a page kept with it would be stale).
        assert not seen & set(after)
        seen |= set(after)

