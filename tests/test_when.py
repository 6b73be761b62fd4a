"""Reading party times and poll deadlines in the club's timezone. `now` is always fixed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from docclub.core.errors import InvalidInput
from docclub.core.when import describe, parse_duration, parse_when

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
    ("05/12 20:00", (2026, 12, 5, 20, 0)),  # day first
    ("5.12.2026 20:00", (2026, 12, 5, 20, 0)),
    ("27 nov 23:30", (2026, 11, 27, 23, 30)),  # today's date without a year is today
    ("26 nov 20:00", (2027, 11, 26, 20, 0)),  # a date already gone this year is next year's
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
    assert parse_when(text, tz, friday_morning(tz)) == local(tz, *wall)


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
    assert '"2026-12-05 20:00"' in message


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
        'Try "sat 20:00", "2026-12-05 20:00" or "tomorrow 19:30".'
    )


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "25:00",
        "sat 13pm",
        "sat 8pm 9pm",
        "12/25 20:00",  # day first: there is no 25th month
        "2026-02-30 20:00",
        "8 20:00",
        "blurday 20:00",
        "next week",
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
