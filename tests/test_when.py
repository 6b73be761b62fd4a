"""Reading party times and poll deadlines in the club's timezone. `now` is always fixed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from docclub.core.errors import InvalidInput
from docclub.core.when import Reading, date_order_for, describe, find_language, parse_duration, parse_when, read_when

ZONES = ["Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"]


def local(tz: str, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    """A wall-clock time in `tz`, as an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def friday_morning(tz: str) -> datetime:
    """Fri 27 Nov 2026 10:00 on the club's wall clock."""
    return local(tz, 2026, 11, 27, 10, 0)


def refusal(text: str, tz: str, now: datetime) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse_when(text, tz, now)
    return caught.value.message


# Every accepted form, in four timezones, from Fri 27 Nov 2026 10:00 local.

FORMS = [
    ("2026-12-05 20:00", (2026, 12, 5, 20, 0)),
    ("2026-12-05T20:00", (2026, 12, 5, 20, 0)),
    ("sat 8pm", (2026, 11, 28, 20, 0)),
    ("saturday 20:00", (2026, 11, 28, 20, 0)),
    ("friday 18:00", (2026, 11, 27, 18, 0)),  # today, later on
    ("friday 9:00", (2026, 12, 4, 9, 0)),  # today, but already past: next week
    ("tomorrow 19:30", (2026, 11, 28, 19, 30)),
    ("next friday 8pm", (2026, 12, 4, 20, 0)),  # "next" never means today
    ("next sat 8pm", (2026, 11, 28, 20, 0)),
    ("this sat 8pm", (2026, 11, 28, 20, 0)),
    ("5 dec 20:00", (2026, 12, 5, 20, 0)),
    ("december 5th 8pm", (2026, 12, 5, 20, 0)),
    ("05/12 20:00", (2026, 12, 5, 20, 0)),  # day first: the date order is set below
    ("5.12.2026 20:00", (2026, 12, 5, 20, 0)),
    ("27 nov 23:30", (2026, 11, 27, 23, 30)),  # today's date without a year is today
    ("3 jan 20:00", (2027, 1, 3, 20, 0)),  # the nearest 3 January is next year's
    ("20:00", (2026, 11, 27, 20, 0)),  # later today
    ("9:00", (2026, 11, 28, 9, 0)),  # already past today: tomorrow
    ("tonight 9pm", (2026, 11, 27, 21, 0)),
    ("on sat at 8pm", (2026, 11, 28, 20, 0)),
    ("at 20:00", (2026, 11, 27, 20, 0)),
    ("SAT 8:30 PM", (2026, 11, 28, 20, 30)),
    ("8pm sat", (2026, 11, 28, 20, 0)),
    ("sat noon", (2026, 11, 28, 12, 0)),
    ("sat 12am", (2026, 11, 28, 0, 0)),
    ("the day after tomorrow 20:00", (2026, 11, 29, 20, 0)),
]


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(("text", "wall"), FORMS)
def test_each_form_reads_as_the_clubs_wall_clock(
    text: str, wall: tuple[int, int, int, int, int], tz: str
) -> None:
    assert parse_when(text, tz, friday_morning(tz), date_order="dmy") == local(tz, *wall)


@pytest.mark.parametrize("tz", ZONES)
def test_result_is_aware_utc(tz: str) -> None:
    result = parse_when("sat 8pm", tz, friday_morning(tz))
    assert result.tzinfo is UTC


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("in 2 hours", timedelta(hours=2)),
        ("in an hour", timedelta(hours=1)),
        ("in 90 minutes", timedelta(minutes=90)),
        ("in 1h30", timedelta(minutes=90)),
        ("in half an hour", timedelta(minutes=30)),
        ("in 3 days", timedelta(days=3)),
    ],
)
def test_relative_times_count_from_now(text: str, span: timedelta, tz: str) -> None:
    now = friday_morning(tz)
    assert parse_when(text, tz, now) == now + span


def test_weekday_later_today_means_today() -> None:
    saturday_morning = local("Europe/Berlin", 2026, 11, 28, 10, 0)
    assert parse_when("sat 8pm", "Europe/Berlin", saturday_morning) == local(
        "Europe/Berlin", 2026, 11, 28, 20, 0
    )


def test_weekday_earlier_today_means_next_week() -> None:
    saturday_night = local("Europe/Berlin", 2026, 11, 28, 21, 0)
    assert parse_when("sat 8pm", "Europe/Berlin", saturday_night) == local(
        "Europe/Berlin", 2026, 12, 5, 20, 0
    )


def test_next_weekday_on_that_weekday_means_a_week_later() -> None:
    saturday_morning = local("Europe/Berlin", 2026, 11, 28, 10, 0)
    assert parse_when("next sat 8pm", "Europe/Berlin", saturday_morning) == local(
        "Europe/Berlin", 2026, 12, 5, 20, 0
    )


def test_local_day_not_utc_day_decides_today() -> None:
    # 23:30 UTC on Friday is already Saturday 08:30 in Tokyo: "sat 8pm" is tonight there.
    now = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert parse_when("sat 8pm", "Asia/Tokyo", now) == local("Asia/Tokyo", 2026, 11, 28, 20, 0)
    assert parse_when("20:00", "Asia/Tokyo", now) == local("Asia/Tokyo", 2026, 11, 28, 20, 0)


def test_bare_time_in_new_york_morning_is_judged_on_new_york_clock() -> None:
    # dateparser alone reads "8:00" at 10:00 New York time as 08:00 today, already past.
    now = local("America/New_York", 2026, 11, 27, 10, 0)
    assert parse_when("8:00", "America/New_York", now) == local(
        "America/New_York", 2026, 11, 28, 8, 0
    )


def test_date_in_the_new_year_is_read_from_december() -> None:
    now = local("Europe/Berlin", 2026, 12, 28, 10, 0)
    assert parse_when("3 jan 20:00", "Europe/Berlin", now) == local(
        "Europe/Berlin", 2027, 1, 3, 20, 0
    )


# Daylight saving time in Berlin: clocks go forward on 29 Mar 2026, back on 25 Oct 2026.


def test_time_that_the_clocks_skip_is_refused() -> None:
    now = local("Europe/Berlin", 2026, 3, 1, 12, 0)
    message = refusal("2026-03-29 02:30", "Europe/Berlin", now)
    assert message.startswith("Sun 29 Mar 2026 02:30 does not exist in Europe/Berlin")
    assert "clocks go forward" in message
    assert '"2026-03-29 03:30"' in message


def test_weekday_time_that_the_clocks_skip_is_refused() -> None:
    now = local("Europe/Berlin", 2026, 3, 27, 12, 0)
    assert "does not exist" in refusal("sun 2:30", "Europe/Berlin", now)


def test_time_that_happens_twice_is_the_first_one() -> None:
    now = local("Europe/Berlin", 2026, 10, 1, 12, 0)
    result = parse_when("2026-10-25 02:30", "Europe/Berlin", now)
    assert result == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST, not CET
    assert describe(result, "Europe/Berlin") == "Sun 25 Oct 2026 02:30 CEST"


def test_times_around_the_change_use_the_right_offset() -> None:
    now = local("Europe/Berlin", 2026, 3, 28, 12, 0)
    assert parse_when("2026-03-29 01:30", "Europe/Berlin", now) == datetime(
        2026, 3, 29, 0, 30, tzinfo=UTC
    )
    assert parse_when("sun 20:00", "Europe/Berlin", now) == datetime(2026, 3, 29, 18, 0, tzinfo=UTC)


def test_in_hours_across_the_change_counts_real_hours() -> None:
    now = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)  # 01:30 CET
    result = parse_when("in 2 hours", "Europe/Berlin", now)
    assert result == datetime(2026, 3, 29, 2, 30, tzinfo=UTC)
    assert describe(result, "Europe/Berlin") == "Sun 29 Mar 2026 04:30 CEST"


def test_new_york_skipped_hour_is_refused() -> None:
    now = local("America/New_York", 2026, 3, 1, 12, 0)
    assert "does not exist in America/New_York" in refusal(
        "2026-03-08 02:30", "America/New_York", now
    )


# Past times


def test_past_time_is_refused_with_how_it_was_read() -> None:
    message = refusal("2026-11-21 20:00", "Europe/Berlin", friday_morning("Europe/Berlin"))
    assert message.startswith("That reads as Sat 21 Nov 2026 20:00 CET, which is in the past.")
    assert '"2026-12-04 20:00"' in message  # a week from now: an example still to come


def test_today_at_an_hour_already_gone_is_refused() -> None:
    message = refusal("today 8:00", "America/New_York", friday_morning("America/New_York"))
    assert message.startswith("That reads as Fri 27 Nov 2026 08:00 EST, which is in the past.")


def test_past_time_is_accepted_when_allowed() -> None:
    now = friday_morning("Europe/Berlin")
    result = parse_when("2026-11-21 20:00", "Europe/Berlin", now, allow_past=True)
    assert result == local("Europe/Berlin", 2026, 11, 21, 20, 0)


def test_now_itself_counts_as_past() -> None:
    assert "in the past" in refusal("in 0 minutes", "UTC", friday_morning("UTC"))


# Missing or ambiguous times


def test_day_without_a_time_asks_which_time() -> None:
    message = refusal("friday", "Europe/Berlin", friday_morning("Europe/Berlin"))
    assert message == 'Which time on Fri 27 Nov? Try "friday 20:00".'


def test_date_without_a_time_asks_which_time() -> None:
    message = refusal("5 dec", "Asia/Tokyo", friday_morning("Asia/Tokyo"))
    assert message == 'Which time on Sat 05 Dec? Try "5 dec 20:00".'


def test_day_in_another_year_shows_the_year() -> None:
    message = refusal("2027-01-08", "UTC", friday_morning("UTC"))
    assert message == 'Which time on Fri 08 Jan 2027? Try "2027-01-08 20:00".'


def test_a_day_gone_by_without_a_time_says_it_has_passed() -> None:
    message = refusal("yesterday", "Europe/Berlin", friday_morning("Europe/Berlin"))
    assert message == (
        "Thu 26 Nov has passed. Give a time still to come, like "
        '"sat 20:00", "2026-12-04 20:00" or "tomorrow 19:30".'
    )
    assert refusal("2026-11-01", "UTC", friday_morning("UTC")).startswith("Sun 01 Nov has passed.")


def test_a_day_gone_by_may_be_asked_about_where_the_past_is_allowed() -> None:
    with pytest.raises(InvalidInput, match='Which time on Thu 26 Nov'):
        parse_when("yesterday", "Europe/Berlin", friday_morning("Europe/Berlin"), allow_past=True)


def test_next_weekday_without_a_time_names_the_day_a_week_on() -> None:
    message = refusal("next friday", "UTC", friday_morning("UTC"))
    assert message.startswith("Which time on Fri 04 Dec?")


def test_bare_number_asks_which_time() -> None:
    message = refusal("8", "Europe/Berlin", friday_morning("Europe/Berlin"))
    assert message == 'Which time? "8" could be 08:00 or 20:00. Try "20:00" or "08:00".'


def test_weekday_and_bare_number_asks_which_time_that_day() -> None:
    message = refusal("sat 8", "Europe/Berlin", friday_morning("Europe/Berlin"))
    assert message == (
        'Which time on Sat 28 Nov? "8" could be 08:00 or 20:00. Try "sat 20:00" or "sat 08:00".'
    )


def test_bare_evening_hour_asks_for_minutes() -> None:
    message = refusal("at 20", "UTC", friday_morning("UTC"))
    assert message == 'Which time? "20" needs minutes to be read as a time. Try "20:00".'


# Text that is not a time


def test_garbage_is_refused_with_examples() -> None:
    message = refusal("blurday", "Europe/Berlin", friday_morning("Europe/Berlin"))
    assert message == (
        'I couldn\'t read "blurday" as a time. '
        'Try "sat 20:00", "2026-12-04 20:00" or "tomorrow 19:30".'
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "25:00",
        "sat 13pm",
        "sat 8pm 9pm",
        "2026-02-30 20:00",
        "8 20:00",
        "blurday 20:00",
        "next week",
        "friday the 20:00",  # a weekday is read here, not by dateparser's own rules
        "sat " * 40 + "8pm",
    ],
)
def test_unreadable_text_is_refused(text: str) -> None:
    message = refusal(text, "UTC", friday_morning("UTC"))
    assert "couldn't read" in message
    assert "tomorrow 19:30" in message


def test_long_text_is_not_echoed_in_full() -> None:
    message = refusal("x" * 500, "UTC", friday_morning("UTC"))
    assert "x" * 40 + "…" in message
    assert len(message) < 200


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        parse_when("sat 8pm", "UTC", datetime(2026, 11, 27, 10, 0))


# describe


@pytest.mark.parametrize(
    ("tz", "shown"),
    [
        ("Europe/Berlin", "Sat 05 Dec 2026 20:00 CET"),
        ("America/New_York", "Sat 05 Dec 2026 14:00 EST"),
        ("Asia/Tokyo", "Sun 06 Dec 2026 04:00 JST"),
        ("UTC", "Sat 05 Dec 2026 19:00 UTC"),
    ],
)
def test_describe_shows_the_clubs_wall_clock(tz: str, shown: str) -> None:
    assert describe(datetime(2026, 12, 5, 19, 0, tzinfo=UTC), tz) == shown


def test_describe_shows_summer_time() -> None:
    assert describe(datetime(2026, 7, 4, 18, 0, tzinfo=UTC), "Europe/Berlin") == (
        "Sat 04 Jul 2026 20:00 CEST"
    )


# Durations


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("2h", 120),
        ("90m", 90),
        ("1h30", 90),
        ("1h 30m", 90),
        ("1.5h", 90),
        ("1,5h", 90),
        ("105", 105),
        ("2 hours", 120),
        ("1 hour 45 minutes", 105),
        ("1:45", 105),
        (" 2H ", 120),
        ("24h", 1440),
    ],
)
def test_duration_forms(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["0", "0h", "0m"])
def test_zero_duration_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_duration(text)
    assert "longer than 0 minutes" in caught.value.message
    assert caught.value.usage is not None and "2h" in caught.value.usage


@pytest.mark.parametrize("text", ["25h", "1441", "24h 1m"])
def test_duration_over_a_day_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_duration(text)
    assert "24 hours at most" in caught.value.message


@pytest.mark.parametrize("text", ["", "abc", "h", "-5", "2 days", "1:75", "two hours"])
def test_unreadable_duration_is_refused_with_usage(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_duration(text)
    assert "as a duration" in caught.value.message
    assert "Usage:" in str(caught.value)


# Zone words: the time is read on the named zone's clock and shown in the club's, with both


def monday(tz: str) -> datetime:
    """Mon 12 Oct 2026 10:00 on the club's wall clock (summer time in Europe and America)."""
    return local(tz, 2026, 10, 12, 10, 0)


def test_eastern_time_in_a_london_club_is_converted_and_shown() -> None:
    reading = read_when("sat 8pm ET", "Europe/London", monday("Europe/London"))
    assert describe(reading.at, "Europe/London") == "Sun 18 Oct 2026 01:00 BST"
    assert reading.notes == (
        "Sun 18 Oct 01:00 BST in the club's time (Europe/London) — you wrote Sat 17 Oct 20:00 ET, "
        "read as Eastern time (EDT).",
    )


def test_pst_in_summer_means_pacific_wall_clock_and_says_so() -> None:
    reading = read_when("sat 20:00 PST", "Europe/Berlin", monday("Europe/Berlin"))
    assert describe(reading.at, "Europe/Berlin") == "Sun 18 Oct 2026 05:00 CEST"
    assert reading.notes == (
        "Sun 18 Oct 05:00 CEST in the club's time (Europe/Berlin) — you wrote Sat 17 Oct 20:00 PST, "
        "read as Pacific time (PDT that day).",
    )


def test_cet_in_a_new_york_club_follows_central_european_summer_time() -> None:
    reading = read_when("8pm CET", "America/New_York", monday("America/New_York"))
    assert describe(reading.at, "America/New_York") == "Mon 12 Oct 2026 14:00 EDT"
    assert "you wrote Mon 12 Oct 20:00 CET, read as Central European time (CEST that day)" in reading.notes[0]


def test_the_clubs_own_zone_word_changes_nothing_and_adds_no_note() -> None:
    reading = read_when("8pm ET", "America/New_York", monday("America/New_York"))
    assert reading == Reading(local("America/New_York", 2026, 10, 12, 20, 0), ())


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2026-12-05T20:00Z", datetime(2026, 12, 5, 20, 0, tzinfo=UTC)),
        ("2026-12-05 20:00 UTC", datetime(2026, 12, 5, 20, 0, tzinfo=UTC)),
        ("2026-12-05 20:00 GMT", datetime(2026, 12, 5, 20, 0, tzinfo=UTC)),
        ("2026-12-05 20:00 UTC+2", datetime(2026, 12, 5, 18, 0, tzinfo=UTC)),
        ("2026-12-05 20:00 gmt-5", datetime(2026, 12, 6, 1, 0, tzinfo=UTC)),
        ("2026-12-05 20:00 UTC+05:30", datetime(2026, 12, 5, 14, 30, tzinfo=UTC)),
        ("2026-12-05T20:00+02:00", datetime(2026, 12, 5, 18, 0, tzinfo=UTC)),
        ("2026-12-05 20:00 -0500", datetime(2026, 12, 6, 1, 0, tzinfo=UTC)),
        ("2026-12-05 20:00 Europe/London", datetime(2026, 12, 5, 20, 0, tzinfo=UTC)),
        ("2026-12-05 20:00 america/los_angeles", datetime(2026, 12, 6, 4, 0, tzinfo=UTC)),
        ("2026-12-05 20:00 JST", datetime(2026, 12, 5, 11, 0, tzinfo=UTC)),
        ("2026-12-05 20:00 AEDT", datetime(2026, 12, 5, 9, 0, tzinfo=UTC)),
        ("2026-12-05 20:00 AEST", datetime(2026, 12, 5, 9, 0, tzinfo=UTC)),  # Sydney is on AEDT
    ],
)
def test_written_zones_and_offsets_are_honoured(text: str, utc: datetime) -> None:
    assert parse_when(text, "Europe/Berlin", monday("Europe/Berlin")) == utc


def test_ist_is_india_time_except_in_an_irish_club() -> None:
    berlin = read_when("sat 20:00 IST", "Europe/Berlin", monday("Europe/Berlin"))
    assert describe(berlin.at, "Europe/Berlin") == "Sat 17 Oct 2026 16:30 CEST"
    assert berlin.notes[0].endswith("you wrote Sat 17 Oct 20:00 IST, read as India time.")
    dublin = read_when("sat 20:00 IST", "Europe/Dublin", monday("Europe/Dublin"))
    assert describe(dublin.at, "Europe/Dublin") == "Sat 17 Oct 2026 20:00 IST"


def test_cst_is_us_central_except_in_a_chinese_club() -> None:
    assert describe(parse_when("sat 20:00 CST", "Europe/Berlin", monday("Europe/Berlin")), "Europe/Berlin") == (
        "Sun 18 Oct 2026 03:00 CEST"
    )
    assert describe(parse_when("sat 20:00 CST", "Asia/Shanghai", monday("Asia/Shanghai")), "Asia/Shanghai") == (
        "Sat 17 Oct 2026 20:00 CST"
    )


def test_the_day_is_the_named_zones_day() -> None:
    # Mon 12 Oct 01:00 in Berlin is still Sunday 16:00 in Los Angeles: "sun 20:00 PT" is tonight there.
    now = local("Europe/Berlin", 2026, 10, 12, 1, 0)
    reading = read_when("sun 20:00 PT", "Europe/Berlin", now)
    assert describe(reading.at, "Europe/Berlin") == "Mon 12 Oct 2026 05:00 CEST"


def test_two_zones_are_refused() -> None:
    assert "names two zones (PST and EST)" in refusal("sat 8pm pst est", "UTC", friday_morning("UTC"))


def test_a_skipped_hour_in_the_named_zone_is_refused() -> None:
    now = local("Europe/Berlin", 2026, 3, 1, 12, 0)
    assert "does not exist in America/New_York" in refusal("2026-03-08 02:30 ET", "Europe/Berlin", now)


# Numeric dates follow the club's date order; ISO is always ISO


@pytest.mark.parametrize(
    ("tz", "order"),
    [
        ("America/New_York", "mdy"),
        ("America/Los_Angeles", "mdy"),
        ("America/Toronto", "mdy"),
        ("Europe/Berlin", "dmy"),
        ("Europe/London", "dmy"),
        ("Australia/Sydney", "dmy"),
        ("Asia/Tokyo", "ymd"),
        ("UTC", "dmy"),
    ],
)
def test_date_order_defaults_from_the_timezones_country(tz: str, order: str) -> None:
    assert date_order_for(tz) == order


def test_a_set_date_order_wins_over_the_default() -> None:
    assert date_order_for("America/New_York", "dmy") == "dmy"


@pytest.mark.parametrize(
    ("text", "order", "wall"),
    [
        ("12/05 8pm", "mdy", (2026, 12, 5, 20, 0)),
        ("12/05 8pm", "dmy", (2027, 5, 12, 20, 0)),
        ("12/05 8pm", "ymd", (2026, 12, 5, 20, 0)),
        ("12/05/2026 20:00", "mdy", (2026, 12, 5, 20, 0)),
        ("05.12.2026 20:00", "dmy", (2026, 12, 5, 20, 0)),
        ("26/12/05 20:00", "ymd", (2026, 12, 5, 20, 0)),
        ("2026-12-05 20:00", "mdy", (2026, 12, 5, 20, 0)),
        ("2026-12-05 20:00", "dmy", (2026, 12, 5, 20, 0)),
        ("2026/12/05 20:00", "dmy", (2026, 12, 5, 20, 0)),
    ],
)
def test_numeric_dates_follow_the_date_order(text: str, order: str, wall: tuple[int, int, int, int, int]) -> None:
    tz = "America/New_York"
    assert parse_when(text, tz, friday_morning(tz), date_order=order) == local(tz, *wall)


def test_a_date_impossible_in_the_clubs_order_suggests_the_other() -> None:
    message = refusal("25/12 20:00", "America/New_York", friday_morning("America/New_York"))
    assert message.startswith('"25/12" is not a date in this club\'s date order (month/day, date_order mdy).')
    assert 'Did you mean "12/25"?' in message
    assert "config set date_order" in message


# A date without a year that has passed is refused, with next year's as a suggestion


def test_yesterdays_date_is_refused_with_next_years() -> None:
    message = refusal("11 oct 20:00", "Europe/Berlin", monday("Europe/Berlin"))
    assert message == 'Sun 11 Oct 2026 has passed. Did you mean Mon 11 Oct 2027? Write "2027-10-11 20:00".'


def test_a_numeric_date_gone_this_year_is_refused() -> None:
    message = refusal("11/10 20:00", "Europe/Berlin", monday("Europe/Berlin"))
    assert message.startswith("Sun 11 Oct 2026 has passed.")


def test_a_date_early_next_year_is_read_in_december() -> None:
    now = local("Europe/Berlin", 2026, 12, 28, 10, 0)
    assert parse_when("02/01 20:00", "Europe/Berlin", now) == local("Europe/Berlin", 2027, 1, 2, 20, 0)


def test_29_february_is_the_next_leap_years() -> None:
    now = local("Europe/Berlin", 2027, 3, 1, 10, 0)
    assert parse_when("29 feb 20:00", "Europe/Berlin", now) == local("Europe/Berlin", 2028, 2, 29, 20, 0)


def test_29_february_in_a_year_without_one_says_when_the_next_is() -> None:
    now = local("Europe/Berlin", 2026, 2, 1, 10, 0)
    assert refusal("29 feb 20:00", "Europe/Berlin", now) == (
        'There is no 29 Feb this year. The next one is Tue 29 Feb 2028: write "2028-02-29 20:00".'
    )


def test_a_weekday_rolls_forward_and_says_so() -> None:
    saturday_night = local("Europe/Berlin", 2026, 10, 17, 21, 0)
    reading = read_when("sat 20:00", "Europe/Berlin", saturday_night)
    assert reading.at == local("Europe/Berlin", 2026, 10, 24, 20, 0)
    assert reading.notes == ("20:00 has passed today, so that is next Saturday, Sat 24 Oct 20:00.",)


def test_a_bare_time_rolls_to_tomorrow_and_says_so() -> None:
    reading = read_when("9:00", "Europe/Berlin", friday_morning("Europe/Berlin"))
    assert reading.notes == ("09:00 has passed today, so that is tomorrow, Sat 28 Nov 09:00.",)


# "next <weekday>" is the first such day after today, and the reply says so


def test_next_friday_on_a_monday_is_this_weeks_friday_and_says_so() -> None:
    reading = read_when("next friday 8pm", "Europe/Berlin", monday("Europe/Berlin"))
    assert reading.at == local("Europe/Berlin", 2026, 10, 16, 20, 0)
    assert reading.notes == (
        '"next friday" is the first Friday after today, Fri 16 Oct 20:00. '
        'For the Friday after that, write "2026-10-23 20:00".',
    )


def test_a_plain_weekday_adds_no_note() -> None:
    assert read_when("friday 8pm", "Europe/Berlin", monday("Europe/Berlin")).notes == ()


# Other languages


@pytest.mark.parametrize(
    ("text", "language", "wall"),
    [
        ("samedi 20h", "fr", (2026, 10, 17, 20, 0)),
        ("samedi prochain 20h30", "fr", (2026, 10, 17, 20, 30)),
        ("demain 19h30", "fr", (2026, 10, 13, 19, 30)),
        ("5 décembre 20h", "fr", (2026, 12, 5, 20, 0)),
        ("Samstag 20 Uhr", "de", (2026, 10, 17, 20, 0)),
        ("nächsten Freitag 20:00", "de", (2026, 10, 16, 20, 0)),
        ("morgen 19:30", "de", (2026, 10, 13, 19, 30)),
        ("sábado 20:00", "es", (2026, 10, 17, 20, 0)),
        ("zaterdag 20:00", "nl", (2026, 10, 17, 20, 0)),
        ("sat 8pm", "fr", (2026, 10, 17, 20, 0)),  # English is read in every club
    ],
)
def test_a_clubs_language_is_read(text: str, language: str, wall: tuple[int, int, int, int, int]) -> None:
    tz = "Europe/Paris"
    assert parse_when(text, tz, monday(tz), language=language) == local(tz, *wall)


def test_another_language_in_an_english_club_says_how_to_change_it() -> None:
    message = refusal("samedi 20h", "Europe/Paris", monday("Europe/Paris"))
    assert message.endswith(
        "Times are read in English in this club; if that is French, an organizer can change it with: "
        "config set language fr"
    )


def test_find_language_knows_dateparsers_codes() -> None:
    assert find_language("FR") == "fr"
    assert find_language("pt-br") is None or find_language("pt-br") == "pt-BR"
    assert find_language("klingon") is None


def test_in_days_keeps_the_time_of_day_across_the_change() -> None:
    now = local("Europe/Berlin", 2026, 10, 24, 12, 0)  # the clocks go back tonight
    assert parse_when("in 2 days", "Europe/Berlin", now) == local("Europe/Berlin", 2026, 10, 26, 12, 0)
    assert parse_when("in 24 hours", "Europe/Berlin", now) == local("Europe/Berlin", 2026, 10, 25, 11, 0)


def test_in_hours_counts_real_hours_from_a_now_in_any_zone() -> None:
    now = datetime(2026, 10, 24, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # not UTC
    assert parse_when("in 24 hours", "Europe/Berlin", now) == now.astimezone(UTC) + timedelta(hours=24)


# The evening, and regions by name


@pytest.mark.parametrize(
    ("text", "language", "wall"),
    [
        ("tonight 8:30", "en", (2026, 10, 12, 20, 30)),
        ("sat evening 8:00", "en", (2026, 10, 17, 20, 0)),
        ("samedi soir 8h", "fr", (2026, 10, 17, 20, 0)),
        ("ce soir 21h", "fr", (2026, 10, 12, 21, 0)),
        ("heute Abend 20 Uhr", "de", (2026, 10, 12, 20, 0)),
    ],
)
def test_an_hour_in_the_evening_is_after_noon(text: str, language: str, wall: tuple[int, int, int, int, int]) -> None:
    tz = "Europe/Paris"
    assert parse_when(text, tz, monday(tz), language=language) == local(tz, *wall)


def test_tonight_in_the_morning_is_refused() -> None:
    assert "couldn't read" in refusal("tonight 8am", "Europe/Berlin", monday("Europe/Berlin"))


def test_a_region_by_name_is_converted_and_shown() -> None:
    reading = read_when("sat 8pm pacific time", "Europe/Berlin", monday("Europe/Berlin"))
    assert describe(reading.at, "Europe/Berlin") == "Sun 18 Oct 2026 05:00 CEST"
    assert reading.notes[0].endswith("you wrote Sat 17 Oct 20:00 Pacific time (PDT).")


def test_central_and_eastern_are_the_clubs_continents() -> None:
    london = read_when("sat 8pm central", "Europe/London", monday("Europe/London"))
    assert "Central European time (CEST)" in london.notes[0]
    denver = read_when("sat 8pm central", "America/Denver", monday("America/Denver"))
    assert "Central time (CDT)" in denver.notes[0]
    sydney = read_when("sat 8pm eastern", "Australia/Perth", monday("Australia/Perth"))
    assert "Eastern Australia time (AEDT)" in sydney.notes[0]


def test_a_weekday_that_does_not_match_the_date_asks_which() -> None:
    message = refusal("fri 5 dec 20:00", "Europe/Berlin", monday("Europe/Berlin"))
    assert message == (
        'Sat 05 Dec 2026 is a Saturday, not a Friday. Write "2026-12-05 20:00" for the date, '
        'or "2026-12-04 20:00" for the Friday of that week.'
    )
    assert parse_when("sat 5 dec 20:00", "Europe/Berlin", monday("Europe/Berlin")) == local(
        "Europe/Berlin", 2026, 12, 5, 20, 0
    )
