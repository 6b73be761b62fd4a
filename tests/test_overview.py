"""The core calls adapters read from instead of the store: a member's ballot form, a party's
platform handle, and a member's overview of the club (Slack's App Home).

Clubs are built through the console grammar on a real SQLite file; the FakeClock stands at
Wed 25 Nov 2026 12:00 UTC.
"""

from __future__ import annotations

import pytest

from docclub.console import OWNER, actor_for
from docclub.core.errors import Conflict, NotFound, UsageError
from docclub.core.models import ClubKey, PartyStatus, PollMethod
from docclub.core.replies import ActionKind, render_plain

from .conftest import Club

ALICE = actor_for("alice")
BOB = actor_for("bob")


@pytest.fixture
async def films(club: Club) -> Club:
    for title in ("Navalny (2022)", "Fire of Love (2022)", "Beyond Utopia (2023)", "Honeyland (2019)"):
        await club.say(f"suggest {title}")
    return club


# ---- ballot forms ----


async def test_a_ballot_form_shows_the_polls_films_and_the_members_order(films: Club) -> None:
    await films.say("poll open --method ranked Navalny, Fire of Love, Beyond Utopia")
    await films.say("alice> vote Beyond Utopia, Navalny")
    form = await films.app.polls.ballot(films.session.key, ALICE, "#1")
    assert form.poll_id == 1 and form.method is PollMethod.RANKED
    assert form.films == ((1, "Navalny (2022)"), (2, "Fire of Love (2022)"), (3, "Beyond Utopia (2023)"))
    assert form.mine == (3, 1)
    assert (await films.app.polls.ballot(films.session.key, BOB, "#1")).mine == ()


async def test_a_ballot_form_without_a_poll_means_the_only_open_one(films: Club) -> None:
    await films.say("poll open --method approval Navalny, Honeyland")
    form = await films.app.polls.ballot(films.session.key, ALICE)
    assert form.poll_id == 1 and form.method is PollMethod.APPROVAL
    await films.say("poll open Fire of Love, Beyond Utopia")
    with pytest.raises(UsageError, match="Several polls are open"):
        await films.app.polls.ballot(films.session.key, ALICE)


async def test_no_ballot_form_for_a_closed_or_unknown_poll(films: Club) -> None:
    await films.say("poll open Navalny, Honeyland")
    await films.say("poll close #1")
    with pytest.raises(Conflict, match="no longer takes votes"):
        await films.app.polls.ballot(films.session.key, ALICE, "#1")
    with pytest.raises(NotFound):
        await films.app.polls.ballot(films.session.key, ALICE, "#7")


# ---- a party's platform handle ----


async def test_a_partys_platform_ref_reads_back_what_the_adapter_stored(films: Club) -> None:
    key = films.session.key
    await films.say("party schedule Navalny 2026-12-05 20:00")
    assert await films.app.parties.platform_ref(key, 1) is None
    await films.app.parties.set_platform_ref(key, 1, "C0GENERAL:1700000000.000100")
    assert await films.app.parties.platform_ref(key, 1) == "C0GENERAL:1700000000.000100"
    party, film = await films.app.parties.find(key, 1) or pytest.fail("party #1 not found")
    assert party.status is PartyStatus.SCHEDULED and film.label == "Navalny (2022)"


async def test_a_polls_platform_ref_changes_in_one_step_and_reads_back(films: Club) -> None:
    key = films.session.key
    await films.say("poll open Navalny, #2")
    assert await films.app.polls.platform_ref(key, 1) is None
    assert await films.app.polls.update_platform_ref(key, 1, lambda ref: f"{ref or ''} a".strip()) == "a"
    assert await films.app.polls.update_platform_ref(key, 1, lambda ref: f"{ref or ''} b".strip()) == "a b"
    assert await films.app.polls.platform_ref(key, 1) == "a b"
    assert await films.app.polls.update_platform_ref(key, 9, lambda ref: "x") is None  # no poll #9
    assert await films.app.polls.platform_ref(ClubKey("console", "another-club"), 1) is None


async def test_platform_refs_are_per_club(films: Club) -> None:
    await films.say("party schedule Navalny 2026-12-05 20:00")
    await films.app.parties.set_platform_ref(films.session.key, 1, "m:1")
    other = ClubKey("console", "another-club")
    assert await films.app.parties.platform_ref(other, 1) is None
    assert await films.app.parties.find(films.session.key, 9) is None


# ---- a member's overview ----


async def test_the_overview_lists_upcoming_parties_with_rsvp_buttons(films: Club) -> None:
    await films.say("party schedule Navalny 2026-12-05 20:00")
    await films.say("party schedule Honeyland 2026-11-28 20:00")
    await films.say("party schedule Fire of Love 2026-12-12 20:00")
    await films.say("party cancel #3")
    seen = await films.app.overview.for_member(films.session.key, ALICE)
    assert [c.subject for c in seen.parties] == [("party", 2), ("party", 1)]  # soonest first, no cancelled
    assert [a.value for a in seen.parties[0].actions] == ["2:yes", "2:maybe", "2:no"]
    assert render_plain(seen.parties[0]).startswith("== Watch party #2: Honeyland (2019) ==")


async def test_the_overview_lists_open_polls_with_vote_buttons(films: Club) -> None:
    await films.say("poll open Navalny, Fire of Love")
    await films.say("poll open --anonymous Beyond Utopia, Honeyland")
    await films.say("bob> vote #2 Honeyland")
    await films.say("poll close #1")
    await films.say("poll open Navalny, Fire of Love")
    seen = await films.app.overview.for_member(films.session.key, ALICE)
    assert [c.subject for c in seen.polls] == [("poll", 2), ("poll", 3)]
    assert [a.value for a in seen.polls[0].actions if a.kind is ActionKind.VOTE] == ["2:3", "2:4"]
    assert "standings stay hidden until the poll closes" in render_plain(seen.polls[0])


async def test_the_overview_offers_watched_films_the_member_has_not_rated(films: Club) -> None:
    await films.say("party schedule Navalny 2026-11-25 13:00 --duration 1h")
    await films.say("party schedule Honeyland 2026-11-25 14:00 --duration 1h")
    await _end_parties(films, hours=4)
    await films.say("alice> rate Navalny 8")
    await films.say("alice> rate Beyond Utopia 6")  # rated without the club watching it: not offered anyway
    alice = await films.app.overview.for_member(films.session.key, ALICE)
    assert alice.to_rate == ((4, "Honeyland (2019)"),)
    bob = await films.app.overview.for_member(films.session.key, BOB)
    assert bob.to_rate == ((4, "Honeyland (2019)"), (1, "Navalny (2022)"))  # newest first
    assert bob.parties == () and bob.polls == ()


async def test_the_overview_caps_each_list_and_counts_the_rest(films: Club) -> None:
    for day in range(1, 8):
        await films.say(f"party schedule Navalny 2026-12-{day:02d} 20:00")
    seen = await films.app.overview.for_member(films.session.key, OWNER)
    assert len(seen.parties) == 5 and seen.more_parties == 2
    assert seen.more_polls == 0 and seen.more_to_rate == 0


async def _end_parties(club: Club, hours: int) -> None:
    """Let `hours` pass, delivering reminders as they come due: each post-party nudge marks its
    party done and its film watched."""
    from datetime import timedelta

    from docclub.console import ConsoleNotifier
    from docclub.scheduler import Scheduler

    said: list[str] = []
    notifier = ConsoleNotifier(said.append, lambda k: "UTC", club.clock.now)
    scheduler = Scheduler(club.app, club.store, club.clock, {"console": notifier})
    end = club.clock.now() + timedelta(hours=hours)
    while (due := await club.store.read(lambda tx: tx.reminders.next_due_at())) is not None and due <= end:
        await club.clock.set(max(due, club.clock.now()))
        await scheduler.run_due()
    await club.clock.set(end)
    assert sum("Thanks for watching" in s for s in said) == 2
