"""Watch parties as members use them: scheduling, RSVPs, personal reminders, calendar files.

Everything goes through the console grammar on a real SQLite file; the FakeClock stands at
Wed 25 Nov 2026 12:00 UTC (13:00 in Berlin). What is checked is what a member reads and what
the store holds afterwards.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from docclub.console import OWNER, actor_for
from docclub.core.models import Party, PartyStatus, Reminder, ReminderKind, ReminderState, Rsvp, RsvpAnswer

from .conftest import Club

SAT_20_BERLIN = datetime(2026, 11, 28, 19, 0, tzinfo=UTC)


@pytest.fixture
async def berlin(club: Club) -> Club:
    await club.say("config set timezone Europe/Berlin")
    await club.say('suggest "Beyond Utopia" (2023) --where Amazon Prime Video --cw torture, trafficking')
    return club


async def parties(club: Club) -> list[Party]:
    return (await club.snapshot()).parties


async def rsvps(club: Club) -> list[Rsvp]:
    return (await club.snapshot()).rsvps


async def reminders(club: Club) -> list[Reminder]:
    c = await club.app.club(club.session.key)
    return [r for r in await club.store.read(lambda tx: tx.reminders.list(c.id)) if r.state is ReminderState.PENDING]


# ---- scheduling ----


async def test_schedule_reads_the_time_in_the_clubs_timezone_and_shows_it_back(berlin: Club) -> None:
    out = await berlin.say('party schedule "Beyond Utopia" sat 8pm --where "#watch-party" --duration 1h45')
    assert out.splitlines()[:6] == [
        "== Watch party #1: Beyond Utopia (2023) ==",
        "RSVP with: rsvp #1 yes|maybe|no · calendar file: party ics #1",
        "When: Sat 28 Nov 2026 20:00 CET (in 3 days 7 h)",
        "Duration: 1 h 45 min",
        "Where: #watch-party",
        "Streaming on: Amazon Prime Video",
    ]
    [party] = await parties(berlin)
    assert party.starts_at == SAT_20_BERLIN
    assert party.duration_minutes == 105
    assert "Status: scheduled" in await berlin.say("film #1")


async def test_a_new_party_gets_its_reminders_in_the_same_change(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00 --duration 2h')
    assert [(r.kind, r.due_at) for r in await reminders(berlin)] == [
        (ReminderKind.PARTY_BEFORE, SAT_20_BERLIN - timedelta(days=1)),
        (ReminderKind.PARTY_BEFORE, SAT_20_BERLIN - timedelta(hours=1)),
        (ReminderKind.PARTY_BEFORE, SAT_20_BERLIN),
        (ReminderKind.PARTY_AFTER, SAT_20_BERLIN + timedelta(hours=2)),
    ]


async def test_a_party_sooner_than_an_offset_gets_only_the_reminders_still_ahead(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" in 30 minutes')
    start = berlin.clock.now() + timedelta(minutes=30)
    assert [(r.offset_minutes, r.due_at) for r in await reminders(berlin)] == [
        (0, start),
        (None, start + timedelta(hours=2)),
    ]


@pytest.mark.parametrize(
    ("when", "says"),
    [
        (
            "yesterday 20:00",
            "That reads as Tue 24 Nov 2026 20:00 CET, which is in the past. Give a time still to come, "
            'like "sat 20:00", "2026-12-02 20:00" or "tomorrow 19:30".',
        ),
        ("today 9:00", "That reads as Wed 25 Nov 2026 09:00 CET, which is in the past."),
        (
            "whenever works",
            'I couldn\'t read "whenever works" as a time. Try "sat 20:00", "2026-12-02 20:00" or "tomorrow 19:30".',
        ),
        ("sat 8", 'Which time on Sat 28 Nov? "8" could be 08:00 or 20:00. Try "sat 20:00" or "sat 08:00".'),
        ("friday", 'Which time on Fri 27 Nov? Try "friday 20:00".'),
        (
            "2027-03-28 02:30",
            "Sun 28 Mar 2027 02:30 does not exist in Europe/Berlin: the clocks go forward that night.",
        ),
    ],
)
async def test_a_time_the_bot_cannot_use_is_refused_saying_how_it_read_it(berlin: Club, when: str, says: str) -> None:
    out = await berlin.say(f'party schedule "Beyond Utopia" {when}')
    assert out.startswith(says)
    assert await parties(berlin) == []
    assert await reminders(berlin) == []
    assert "Status: suggested" in await berlin.say("film #1")


async def test_a_bad_duration_is_refused_with_the_forms_that_work(berlin: Club) -> None:
    out = await berlin.say('party schedule "Beyond Utopia" sat 20:00 --duration forever')
    assert out.splitlines() == [
        'I couldn\'t read "forever" as a duration.',
        'Usage: a duration like "2h", "90m", "1h30", "1.5h" or "105" (minutes), up to 24h',
    ]
    assert await parties(berlin) == []


@pytest.mark.parametrize(
    ("command", "doing"),
    [
        ('party schedule "Beyond Utopia" sat 20:00', "schedule watch parties"),
        ("party move #1 sun 20:00", "move watch parties"),
        ("party cancel #1", "cancel watch parties"),
    ],
)
async def test_only_organizers_schedule_move_and_cancel(berlin: Club, command: str, doing: str) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00')
    before = (await parties(berlin), await reminders(berlin))
    out = await berlin.say(f"alice> {command}")
    assert out == f"Only the club's organizers can {doing}. Ask an organizer to do it."
    assert (await parties(berlin), await reminders(berlin)) == before


async def test_a_member_the_club_made_organizer_can_schedule(berlin: Club) -> None:
    await berlin.say("config set organizers alice")
    out = await berlin.say('alice> party schedule "Beyond Utopia" sat 20:00')
    assert out.startswith("== Watch party #1: Beyond Utopia (2023) ==")


async def test_moving_a_party_shows_old_and_new_time_and_moves_its_reminders(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00')
    out = await berlin.say("party move #1 sun 18:00")
    assert out.splitlines()[:3] == [
        "== Moved: Watch party #1: Beyond Utopia (2023) ==",
        "Was Sat 28 Nov 2026 20:00 CET; now Sun 29 Nov 2026 18:00 CET.",
        "RSVPs still stand, and the reminders follow the new time.",
    ]
    sun = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
    assert [r.due_at for r in await reminders(berlin)] == [
        sun - timedelta(days=1),
        sun - timedelta(hours=1),
        sun,
        sun + timedelta(hours=2),
    ]


async def test_moving_into_the_past_is_refused_and_changes_nothing(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00')
    out = await berlin.say("party move #1 yesterday 20:00")
    assert out.startswith("That reads as Tue 24 Nov 2026 20:00 CET, which is in the past.")
    assert [p.starts_at for p in await parties(berlin)] == [SAT_20_BERLIN]


async def test_cancelling_removes_the_reminders_and_refuses_rsvps(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00')
    await berlin.say("alice> rsvp #1 yes --remind 2h")
    out = await berlin.say("party cancel #1")
    assert out.splitlines() == [
        "== Cancelled: watch party #1: Beyond Utopia (2023) ==",
        "It was planned for Sat 28 Nov 2026 20:00 CET. No reminders will go out for it.",
    ]
    assert await reminders(berlin) == []
    assert [p.status for p in await parties(berlin)] == [PartyStatus.CANCELLED]
    assert await berlin.say("bob> rsvp #1 yes") == (
        "Watch party #1 was cancelled. See what is coming up with: party list"
    )
    assert await berlin.say("party cancel #1") == (
        "Watch party #1 was cancelled. See what is coming up with: party list"
    )


async def test_with_several_parties_ahead_a_command_without_a_number_asks_which(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00')
    assert (await berlin.say("alice> rsvp yes")).startswith("You're going to watch party #1")
    await berlin.say('party schedule "Beyond Utopia" sun 20:00')
    assert (await berlin.say("party show")).splitlines() == [
        "Several watch parties are coming up (#1, #2); say which one.",
        "Usage: party show #1",
    ]
    assert (await berlin.say("alice> rsvp maybe")).splitlines() == [
        "Several watch parties are coming up (#1, #2); say which one.",
        "Usage: rsvp #1 yes|maybe|no [--remind 2h|off]",
    ]


async def test_closing_a_poll_can_schedule_its_winner(berlin: Club) -> None:
    await berlin.say("alice> suggest Navalny (2022)")
    await berlin.say("poll open #1, #2")
    await berlin.say("alice> vote #2")
    out = await berlin.say("poll close --schedule sat 20:00")
    assert "Scheduled watch party #1: Sat 28 Nov 2026 20:00 CET. RSVP with: rsvp #1 yes|maybe|no" in out
    [party] = await parties(berlin)
    assert (party.film_id, party.starts_at) == (2, SAT_20_BERLIN)
    assert len(await reminders(berlin)) == 4


# ---- RSVPs and personal reminders ----


async def test_a_member_changes_their_answer_and_is_listed_once(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00')
    assert await berlin.say("alice> rsvp #1 yes") == (
        "You're going to watch party #1: Beyond Utopia (2023), Sat 28 Nov 2026 20:00 CET."
    )
    assert await berlin.say("alice> rsvp #1 maybe") == (
        "You might come to watch party #1: Beyond Utopia (2023), Sat 28 Nov 2026 20:00 CET."
    )
    await berlin.say("bob> rsvp #1 yes")
    assert await berlin.say("alice> rsvp #1 no") == (
        "You can't make watch party #1: Beyond Utopia (2023), Sat 28 Nov 2026 20:00 CET."
    )
    shown = await berlin.say("party show #1")
    assert "Going (1): bob" in shown
    assert "Can't make it (1): alice" in shown
    assert "Maybe" not in shown.replace("[Maybe]", "")
    assert [(r.user_id, r.answer) for r in await rsvps(berlin)] == [("alice", RsvpAnswer.NO), ("bob", RsvpAnswer.YES)]
    assert "#1 Beyond Utopia (2023) — Sat 28 Nov 2026 20:00 CET · 1 going" in await berlin.say("party list")


async def test_an_answer_that_is_not_yes_maybe_or_no_is_refused(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00')
    assert (await berlin.say("alice> rsvp #1 perhaps")).splitlines() == [
        "Answer yes, maybe or no (not 'perhaps').",
        "Usage: rsvp #1 yes|maybe|no [--remind 2h|off]",
    ]
    assert await rsvps(berlin) == []


async def test_a_member_opts_into_a_personal_reminder_at_their_own_time(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00')
    out = await berlin.say("alice> rsvp #1 yes --remind 3h")
    assert out.splitlines()[1] == "I'll message you 3 h before it starts."
    dms = [(r.user_id, r.due_at) for r in await reminders(berlin) if r.kind is ReminderKind.PARTY_DM]
    assert dms == [("alice", SAT_20_BERLIN - timedelta(hours=3))]
    assert (await berlin.say("bob> rsvp #1 maybe --remind 0")).splitlines()[1] == "I'll message you when it starts."


async def test_changing_the_answer_keeps_the_personal_reminder_and_no_drops_it(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00')
    await berlin.say("alice> rsvp #1 yes --remind 90m")
    out = await berlin.say("alice> rsvp #1 maybe")
    assert out.splitlines()[1] == "I'll message you 1 h 30 min before it starts."
    assert [r.user_id for r in await reminders(berlin) if r.kind is ReminderKind.PARTY_DM] == ["alice"]
    out = await berlin.say("alice> rsvp #1 no")
    assert out.splitlines()[1] == "Your personal reminder is off."
    assert [r for r in await reminders(berlin) if r.kind is ReminderKind.PARTY_DM] == []
    out = await berlin.say("alice> rsvp #1 yes")  # coming after all: no reminder unless asked again
    assert len(out.splitlines()) == 1


async def test_a_member_turns_their_personal_reminder_off(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00')
    await berlin.say("alice> rsvp #1 yes --remind 1d")
    out = await berlin.say("alice> rsvp #1 yes --remind off")
    assert out.splitlines()[1] == "Your personal reminder is off."
    assert [r for r in await reminders(berlin) if r.kind is ReminderKind.PARTY_DM] == []


async def test_a_personal_reminder_that_would_already_be_past_is_not_promised(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00')  # in 3 days
    out = await berlin.say("alice> rsvp #1 yes --remind 5d")
    assert out.splitlines()[1] == (
        "It starts in less than 5 days, so there is no personal reminder; the club's reminders still go out."
    )
    assert [r for r in await reminders(berlin) if r.kind is ReminderKind.PARTY_DM] == []


async def test_an_unreadable_reminder_time_is_refused(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00')
    assert (await berlin.say("alice> rsvp #1 yes --remind soonish")).splitlines() == [
        'I couldn\'t read "soonish" as a reminder time.',
        "Usage: a time before the start, like 24h, 2d, 90m or 0 (at the start)",
    ]
    assert await rsvps(berlin) == []


async def test_moving_and_cancelling_notify_the_members_who_are_coming(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00')
    for line in ("alice> rsvp #1 yes", "bob> rsvp #1 maybe", "carol> rsvp #1 no"):
        await berlin.say(line)
    moved = await berlin.app.parties.move(berlin.session.key, OWNER, "#1", "sun 20:00")
    cancelled = await berlin.app.parties.cancel(berlin.session.key, OWNER, "#1")
    for reply in (moved, cancelled):
        assert [(u.user_id, u.display_name) for u in reply.notify] == [("alice", "alice"), ("bob", "bob")]


# ---- calendar files ----


async def ics(club: Club, ref: str = "#1") -> Calendar:
    reply = await club.app.parties.ics(club.session.key, actor_for("alice"), ref)
    assert reply.attachment is not None
    assert (reply.attachment.filename, reply.attachment.content_type) == (
        f"docclub-party-{ref[1:]}.ics",
        "text/calendar",
    )
    return Calendar.from_ical(reply.attachment.data)


async def test_the_calendar_file_has_the_clubs_timezone_and_the_right_instant(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00 --where "#watch-party" --duration 1h45')
    out = await berlin.say("party ics #1")
    assert out.splitlines()[0] == "Calendar file for watch party #1: Beyond Utopia (2023)."
    cal = await ics(berlin)
    [tz] = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Berlin"
    assert {str(c["TZNAME"]) for c in tz.subcomponents} == {"CET", "CEST"}
    [event] = cal.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.tzinfo == ZoneInfo("Europe/Berlin") and (start.hour, start.minute) == (20, 0)
    assert start.astimezone(UTC) == SAT_20_BERLIN
    assert end - start == timedelta(minutes=105)
    assert str(event["SUMMARY"]) == "Watch party: Beyond Utopia (2023)"
    assert str(event["LOCATION"]) == "#watch-party"
    assert "Content warnings: torture, trafficking" in str(event["DESCRIPTION"])
    assert str(event["UID"]) == "docclub-console-club-party-1@docclub"


async def test_a_summer_party_is_on_summer_time_in_the_calendar_file(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" 2027-07-03 21:30')
    event = (await ics(berlin)).walk("VEVENT")[0]
    assert event.decoded("DTSTART").astimezone(UTC) == datetime(2027, 7, 3, 19, 30, tzinfo=UTC)


async def test_a_calendar_file_made_after_a_move_or_cancel_supersedes_the_earlier_one(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00')
    first = (await ics(berlin)).walk("VEVENT")[0]
    await berlin.clock.advance(minutes=5)
    await berlin.say("party move #1 fri 19:00")  # earlier than before
    moved = (await ics(berlin)).walk("VEVENT")[0]
    assert moved["UID"] == first["UID"]
    assert moved.decoded("DTSTART").astimezone(UTC) == datetime(2026, 11, 27, 18, 0, tzinfo=UTC)
    assert int(moved["SEQUENCE"]) > int(first["SEQUENCE"])
    await berlin.clock.advance(minutes=5)
    await berlin.say("party cancel #1")
    cancelled = (await ics(berlin)).walk("VEVENT")[0]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) > int(moved["SEQUENCE"])


async def test_a_reminder_time_written_in_words_is_read_whole(berlin: Club) -> None:
    await berlin.say('party schedule "Beyond Utopia" sat 20:00')
    out = await berlin.say("alice> rsvp maybe --remind 3 days")
    assert out.splitlines()[1] == "I'll message you 3 days before it starts.", out
    out = await berlin.say("bob> rsvp yes --remind 10 minutes")
    assert out.splitlines()[1] == "I'll message you 10 min before it starts.", out
