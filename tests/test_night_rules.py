"""Club night rules: what an organizer writes, the nights it gives, and how they cross clock changes."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from docclub.core.errors import InvalidInput
from docclub.core.models import (
    Club,
    ClubConfig,
    ClubKey,
    Night,
    NightOccurrence,
    NightPlan,
    NightStatus,
    OccurrenceState,
)
from docclub.core.night_calendar import BY_POLL, night_events
from docclub.core.night_rules import (
    first_night_on_or_after,
    local_start,
    nights_after,
    read_clock,
    read_lead,
    read_rule,
)

BERLIN = "Europe/Berlin"


def local(instants: list[datetime], tz: str) -> list[str]:
    zone = ZoneInfo(tz)
    return [f"{at.astimezone(zone):%a %Y-%m-%d %H:%M %Z}" for at in instants]


def nights(rule: str, clock: str, tz: str, after: datetime, n: int) -> list[datetime]:
    r = read_rule(rule)
    at = read_clock(clock)
    first = first_night_on_or_after(r, after.astimezone(ZoneInfo(tz)).date(), at)
    return list(itertools.islice(nights_after(r, first, at, tz, after), n))


@pytest.mark.parametrize(
    ("written", "words", "ical"),
    [
        ("every saturday", "every saturday", "FREQ=WEEKLY;BYDAY=SA"),
        ("Saturdays", "every saturday", "FREQ=WEEKLY;BYDAY=SA"),
        ("every other thursday", "every other thursday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
        ("every 2 weeks on thu", "every other thursday", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
        ("first friday", "first friday", "FREQ=MONTHLY;BYDAY=1FR"),
        ("the first Friday of the month", "first friday", "FREQ=MONTHLY;BYDAY=1FR"),
        ("2nd tue", "second tuesday", "FREQ=MONTHLY;BYDAY=2TU"),
        ("last sunday", "last sunday", "FREQ=MONTHLY;BYDAY=-1SU"),
        ("15th", "15th", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("the 1st of every month", "1st", "FREQ=MONTHLY;BYMONTHDAY=1"),
    ],
)
def test_rules_members_write_are_read_into_one_stored_form(written: str, words: str, ical: str) -> None:
    rule = read_rule(written)
    assert rule.words == words
    assert rule.ical == ical
    assert read_rule(rule.words) == rule  # the stored words read back the same


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("friday", 'Write "every friday", "every other friday", "first friday" or "last friday".'),
        ("fifth friday", 'Write "last friday" or'),
        ("32nd", 'A month has no day 32. Write a day from 1st to 31st, like "15th".'),
        ("whenever", 'Write "every saturday", "every other thursday", "first friday", "last sunday" or "15th".'),
        ("", "Which nights?"),
    ],
)
def test_a_rule_that_cannot_be_read_is_refused_with_forms_to_copy(written: str, says: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_rule(written)
    assert says in refused.value.message


@pytest.mark.parametrize(
    ("written", "clock"), [("20:00", time(20)), ("8pm", time(20)), ("8:30 pm", time(20, 30)), ("20h30", time(20, 30))]
)
def test_a_nights_time_of_day_is_read_in_the_usual_forms(written: str, clock: time) -> None:
    assert read_clock(written) == clock


def test_a_bare_hour_asks_which_of_the_two_is_meant() -> None:
    with pytest.raises(InvalidInput) as refused:
        read_clock("8")
    assert refused.value.message == '"8" could be 08:00 or 20:00. Write "20:00" or "08:00".'


def test_poll_leads_are_read_in_days_hours_and_weeks_and_bounded() -> None:
    assert [read_lead(x, "poll") for x in ("7d", "36h", "2w", "90m", "0")] == [10080, 2160, 20160, 90, 0]
    with pytest.raises(InvalidInput, match="at most 28 days"):
        read_lead("5w", "poll")
    with pytest.raises(InvalidInput, match="--closes 7d"):
        read_lead("soon", "closes")


def test_a_20_00_night_stays_20_00_local_when_the_clocks_go_back() -> None:
    # Europe/Berlin leaves summer time on Sunday 25 October 2026.
    got = nights("every saturday", "20:00", BERLIN, datetime(2026, 10, 10, tzinfo=UTC), 4)
    assert local(got, BERLIN) == [
        "Sat 2026-10-10 20:00 CEST",
        "Sat 2026-10-17 20:00 CEST",
        "Sat 2026-10-24 20:00 CEST",
        "Sat 2026-10-31 20:00 CET",
    ]
    assert [g.hour for g in got] == [18, 18, 18, 19]  # the instants differ: the wall clock does not


def test_a_20_00_night_stays_20_00_local_when_the_clocks_go_forward_in_new_york() -> None:
    # America/New_York starts daylight time on Sunday 14 March 2027.
    got = nights("every other thursday", "20:00", "America/New_York", datetime(2027, 2, 20, tzinfo=UTC), 3)
    assert local(got, "America/New_York") == [
        "Thu 2027-02-25 20:00 EST",
        "Thu 2027-03-11 20:00 EST",
        "Thu 2027-03-25 20:00 EDT",
    ]


def test_every_other_week_counts_from_the_first_night() -> None:
    r, at = read_rule("every other thursday"), time(20)
    first = date(2026, 12, 3)
    got = list(itertools.islice(nights_after(r, first, at, BERLIN, datetime(2026, 12, 20, tzinfo=UTC)), 2))
    assert local(got, BERLIN) == ["Thu 2026-12-31 20:00 CET", "Thu 2027-01-14 20:00 CET"]


def test_monthly_rules_give_the_right_days() -> None:
    after = datetime(2026, 12, 1, tzinfo=UTC)
    assert local(nights("first friday", "20:00", BERLIN, after, 3), BERLIN) == [
        "Fri 2026-12-04 20:00 CET",
        "Fri 2027-01-01 20:00 CET",
        "Fri 2027-02-05 20:00 CET",
    ]
    assert local(nights("last sunday", "18:00", BERLIN, after, 4), BERLIN) == [
        "Sun 2026-12-27 18:00 CET",
        "Sun 2027-01-31 18:00 CET",
        "Sun 2027-02-28 18:00 CET",
        "Sun 2027-03-28 18:00 CEST",  # the day the clocks go forward
    ]
    # A month without a 31st has no night; the rule goes on in the next month that has one.
    assert local(nights("31st", "19:00", BERLIN, after, 3), BERLIN) == [
        "Thu 2026-12-31 19:00 CET",
        "Sun 2027-01-31 19:00 CET",
        "Wed 2027-03-31 19:00 CEST",
    ]


def test_a_night_at_a_time_the_clocks_skip_is_the_same_wall_time_after_the_change() -> None:
    assert local([local_start(datetime(2027, 3, 28, 2, 30), BERLIN)], BERLIN) == ["Sun 2027-03-28 03:30 CEST"]
    # Of the hour that happens twice, the first.
    assert local([local_start(datetime(2026, 10, 25, 2, 30), BERLIN)], BERLIN) == ["Sun 2026-10-25 02:30 CEST"]


def _club() -> Club:
    return Club(1, ClubKey("console", "club"), "club", ClubConfig(timezone=BERLIN), datetime(2026, 9, 1, tzinfo=UTC))


def test_the_calendar_carries_a_night_as_one_recurring_event_with_its_skips_and_moves() -> None:
    club = _club()
    plan = NightPlan(rule="first friday", clock="20:00", first_on=date(2026, 10, 2), where="#cinema")
    night = Night(1, 1, plan, NightStatus.ACTIVE, "owner", datetime(2026, 9, 20, tzinfo=UTC))
    oct2 = datetime(2026, 10, 2, 18, tzinfo=UTC)
    nov6, nov7 = datetime(2026, 11, 6, 19, tzinfo=UTC), datetime(2026, 11, 7, 19, tzinfo=UTC)
    dec4 = datetime(2026, 12, 4, 19, tzinfo=UTC)
    occurrences = [
        NightOccurrence(1, 1, 1, oct2, oct2, OccurrenceState.SCHEDULED, poll_id=1, party_id=1),
        NightOccurrence(1, 2, 1, nov6, nov7, OccurrenceState.POLL_OPEN, poll_id=2),
        NightOccurrence(1, 3, 1, dec4, dec4, OccurrenceState.SKIPPED),
    ]
    events = night_events(club, night, occurrences, {1: "Honeyland (2019)"}, datetime(2026, 10, 1, tzinfo=UTC))
    cal = Calendar()
    for e in events:
        cal.add_component(e)
    text = cal.to_ical().decode()
    master, chosen, moved = events
    assert master["summary"] == BY_POLL
    assert master["rrule"].to_ical() == b"FREQ=MONTHLY;BYDAY=1FR"
    assert "DTSTART;TZID=Europe/Berlin:20261002T200000" in text
    assert "EXDATE;TZID=Europe/Berlin:20261204T200000" in text
    assert chosen["summary"] == "Club night — Honeyland (2019)"
    assert chosen["recurrence-id"].dt == oct2.astimezone(ZoneInfo(BERLIN))
    assert moved["recurrence-id"].dt == nov6.astimezone(ZoneInfo(BERLIN))
    assert moved["dtstart"].dt == nov7.astimezone(ZoneInfo(BERLIN))
    assert {e["uid"] for e in events} == {"docclub-console-club-night-1@docclub"}
    assert all(e["location"] == "#cinema" for e in events)


def test_a_cancelled_night_ends_its_recurrence_when_it_was_cancelled() -> None:
    plan = NightPlan(rule="every saturday", clock="20:00", first_on=date(2026, 10, 3))
    ended = datetime(2026, 11, 1, 9, tzinfo=UTC)
    night = Night(1, 1, plan, NightStatus.CANCELLED, "owner", datetime(2026, 9, 20, tzinfo=UTC), ended_at=ended)
    (master,) = night_events(_club(), night, [], {}, ended)
    assert master["rrule"].to_ical() == b"FREQ=WEEKLY;UNTIL=20261101T090000Z;BYDAY=SA"
