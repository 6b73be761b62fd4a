"""Reading the time of a watch party or a poll deadline, in the club's timezone.

The common forms ("sat 8pm", "tomorrow 19:30", "20:00", "2026-12-05 20:00", "in 2 hours") are
read here, because dateparser gets several of them wrong: it skips today for a weekday ("sat 8pm"
on a Saturday morning means next week), it cannot read "next sat", it decides whether a bare
"8:00" is today or tomorrow in the wrong timezone, it moves "27 nov" typed on 27 November to next
year, and it gives nonexistent daylight-saving times an offset instead of refusing them.
dateparser only reads the calendar date in what is left ("5 dec", "december 5th", "5. Dezember",
"the day after tomorrow"); the time of day, the choice of day and the timezone are ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeAlias
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser

from docclub.core.errors import InvalidInput

__all__ = ["describe", "parse_duration", "parse_when"]

_EXAMPLES = '"sat 20:00", "2026-12-05 20:00" or "tomorrow 19:30"'
_MAX_TEXT = 80  # nobody needs more to say when; dateparser gets slow on long input
_MAX_YEARS_AHEAD = 10

_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_WEEKDAYS: dict[str, int] = {}
for _number, _spellings in enumerate(
    (
        ("mon", "monday"),
        ("tue", "tues", "tuesday"),
        ("wed", "weds", "wednesday"),
        ("thu", "thur", "thurs", "thursday"),
        ("fri", "friday"),
        ("sat", "saturday"),
        ("sun", "sunday"),
    )
):
    for _spelling in _spellings:
        _WEEKDAYS[_spelling] = _number

_TIME_12H = re.compile(r"(?<![\d:/.\-])(\d{1,2})(?::(\d{2}))?\s?([ap])m\b")
_TIME_24H = re.compile(r"(?<![\d:/.\-])(\d{1,2})[:h](\d{2})(?::00)?(?![\d:])(?!\s?[ap]m\b)")
_NOON = re.compile(r"\bnoon\b")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}|\d{2}))?\.?")
_WEEKDAY_PHRASE = re.compile(r"(?:(next|this|coming|this coming)\s+)?([a-z]+)\.?")
_TRAILING_NUMBER = re.compile(r"(.*?)\s*\b(\d{1,2})")
_RELATIVE = re.compile(
    r"in\s+(an?|one|\d{1,4}(?:\.\d+)?)\s*"
    r"(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)"
)
_RELATIVE_UNITS = {"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}
_DURATION = re.compile(
    r"(?:(?P<hours>\d{1,3}(?:[.,]\d+)?)\s*(?:h|hrs?|hours?))?"
    r"\s*(?:(?P<minutes>\d{1,5})\s*(?:m|mins?|minutes?)?)?"
)
_DURATION_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_DURATION_USAGE = 'a duration like "2h", "90m", "1h30", "1.5h" or "105" (minutes), up to 24h'


@dataclass(frozen=True, slots=True)
class _Weekday:
    """A day named by its weekday: the next such day, today included unless `strict`."""

    weekday: int
    strict: bool


_Day: TypeAlias = date | _Weekday


def parse_when(text: str, tz: str, now: datetime, *, allow_past: bool = False) -> datetime:
    """Read a party time or poll deadline written in the club's timezone; return it in UTC.

    `now` (aware) is the reference for relative forms. Accepted: "2026-12-05 20:00",
    "5 dec 20:00", "05/12 20:00" (day first), "sat 8pm", "saturday 20:00", "next friday 8pm",
    "tomorrow 19:30", "tonight 8pm", "20:00", "in 2 hours"; "on" and "at" may be added ("on sat
    at 8pm"). A weekday means the next such day, today if the time is still ahead ("next" skips
    today); a bare time means today, or tomorrow once it has passed; a date without a year means
    its next occurrence, today included. Except for spans ("in 2 hours"), a time of day is
    always required: "friday" alone is refused with a question.

    Raises InvalidInput, saying how the text was read and how to write it, for text that is not
    a time, a day without a time, a time in the past (unless `allow_past`) and a local time that
    does not exist because the clocks go forward. A local time that happens twice (the clocks
    go back) means the first of the two.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = ZoneInfo(tz)
    original = " ".join(text.split())
    if not original or len(original) > _MAX_TEXT:
        raise _unreadable(original)
    local_now = now.astimezone(zone).replace(tzinfo=None)
    words = _normalise(original)

    relative = _relative(words)
    if relative is not None:
        result = now + relative
    else:
        clock, rest = _split_time_of_day(words, original)
        if clock is None:
            raise _missing_time(rest, tz, local_now, original)
        day = _read_day(rest, tz, local_now, original)
        result = _localise(_combine(day, clock, local_now), zone)

    if not allow_past and result <= now:
        raise InvalidInput(
            f"That reads as {describe(result, tz)}, which is in the past. Give a time still to come, like {_EXAMPLES}."
        )
    return result.astimezone(UTC)


def parse_duration(text: str) -> int:
    """Read a party's length and return it in minutes.

    Accepts "2h", "90m", "1h30", "1h 30m", "1.5h", "1:30" and a bare number of minutes ("105").
    Raises InvalidInput for anything else and for lengths of zero or over 24 hours.
    """
    minutes = _duration_minutes(text.strip().lower())
    if minutes is None:
        raise InvalidInput(f'I couldn\'t read "{text.strip()}" as a duration.', _DURATION_USAGE)
    if minutes <= 0:
        raise InvalidInput("A party has to last longer than 0 minutes.", _DURATION_USAGE)
    if minutes > 24 * 60:
        raise InvalidInput("A party can last 24 hours at most.", _DURATION_USAGE)
    return minutes


def parse_offset(text: str, *, maximum_days: int = 7) -> int:
    """Read how long before a party a reminder goes out, in minutes: "24h", "2d", "90m", "0".

    Raises InvalidInput for unreadable text and offsets over `maximum_days`.
    """
    words = text.strip().lower()
    usage = "a time before the start, like 24h, 2d, 90m or 0 (at the start)"
    days = re.fullmatch(r"(\d{1,2})\s*(d|day|days)", words)
    if words in ("0", "0m", "0h", "start"):
        return 0
    minutes = int(days.group(1)) * 1440 if days else _duration_minutes(words)
    if minutes is None or minutes < 0:
        raise InvalidInput(f'I couldn\'t read "{text.strip()[:30]}" as a reminder time.', usage)
    if minutes > maximum_days * 1440:
        raise InvalidInput(f"A reminder can be at most {maximum_days} days before the start.", usage)
    return minutes


def describe(dt: datetime, tz: str) -> str:
    """Show an aware datetime in the club's timezone, like "Sat 05 Dec 2026 20:00 CET"."""
    local = dt.astimezone(ZoneInfo(tz))
    return f"{_day_label(local.date(), with_year=True)} {local:%H:%M} {local.tzname()}"


def _normalise(original: str) -> str:
    words = original.lower()
    words = re.sub(r"(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", r"\1 ", words)  # ISO "2026-12-05T20:00"
    words = re.sub(r"\b([ap])\.m\.?", r"\1m", words)
    words = re.sub(r",(?!\d)", " ", words)
    kept = [word for word in words.split() if word not in ("on", "at")]
    return " ".join(kept)


def _relative(words: str) -> timedelta | None:
    """ "in 2 hours", "in an hour", "in 1h30", "in half an hour": an exact span from now."""
    if words == "in half an hour":
        return timedelta(minutes=30)
    match = _RELATIVE.fullmatch(words)
    if match:
        amount = 1.0 if match.group(1) in ("a", "an", "one") else float(match.group(1))
        return timedelta(minutes=round(amount * _RELATIVE_UNITS[match.group(2)[0]]))
    if words.startswith("in ") and re.search(r"[a-z]", words[3:]):
        minutes = _duration_minutes(words[3:])
        if minutes is not None:
            return timedelta(minutes=minutes)
    return None


def _split_time_of_day(words: str, original: str) -> tuple[time | None, str]:
    """Find the one time of day in the text; return it and the rest (the day, if any)."""
    found: list[tuple[re.Match[str], time | None]] = []
    for match in _TIME_12H.finditer(words):
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        valid = 1 <= hour <= 12 and minute < 60
        hour = hour % 12 + (12 if match.group(3) == "p" else 0)
        found.append((match, time(hour, minute) if valid else None))
    for match in _TIME_24H.finditer(words):
        hour, minute = int(match.group(1)), int(match.group(2))
        found.append((match, time(hour, minute) if hour < 24 and minute < 60 else None))
    for match in _NOON.finditer(words):
        found.append((match, time(12, 0)))
    if not found:
        return None, words
    if len(found) > 1 or found[0][1] is None:
        raise _unreadable(original)
    match, clock = found[0]
    rest = " ".join((words[: match.start()] + " " + words[match.end() :]).split())
    return clock, rest


def _read_day(rest: str, tz: str, local_now: datetime, original: str) -> _Day | None:
    """The day part of the text: None when there is none, else a date or a weekday rule."""
    if not rest:
        return None
    keyword = _keyword_day(rest, local_now.date())
    if keyword is not None:
        return keyword
    if rest.isdigit():  # dateparser would read "8" as the 8th of this month, even if past
        raise _unreadable(original)
    day = _numeric_date(rest, local_now.date()) or _calendar_date(rest, tz, local_now)
    if day is None or day.year > local_now.year + _MAX_YEARS_AHEAD:
        raise _unreadable(original)
    return day  # a date in an earlier year is read, then refused as past


def _keyword_day(words: str, today: date) -> _Day | None:
    if words in ("today", "tonight"):
        return today
    if words in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    match = _WEEKDAY_PHRASE.fullmatch(words)
    if match and match.group(2) in _WEEKDAYS:
        return _Weekday(_WEEKDAYS[match.group(2)], strict=match.group(1) == "next")
    return None


def _numeric_date(words: str, today: date) -> date | None:
    """ISO "2026-12-05" or day-first "5/12", "05.12.2026", "5/12/26"."""
    iso = _ISO_DATE.fullmatch(words)
    if iso:
        return _date_or_none(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    numeric = _NUMERIC_DATE.fullmatch(words)
    if not numeric:
        return None
    day, month = int(numeric.group(1)), int(numeric.group(2))
    if numeric.group(3):
        year = int(numeric.group(3))
        return _date_or_none(year + 2000 if year < 100 else year, month, day)
    this_year = _date_or_none(today.year, month, day)
    if this_year is not None and this_year >= today:
        return this_year
    return _date_or_none(today.year + 1, month, day) or _date_or_none(today.year + 4, month, day)


def _calendar_date(words: str, tz: str, local_now: datetime) -> date | None:
    """Let dateparser read a calendar date ("5 dec", "december 5th", "5. dezember")."""
    found = _dateparser_day(words, tz, local_now)
    today = local_now.date()
    if found is not None and (found.month, found.day, found.year) == (
        today.month,
        today.day,
        today.year + 1,
    ):
        # dateparser's "future" skips today: "27 nov" typed on 27 November is next year. Ask
        # again from yesterday; if the answer is then today, the text named no year.
        again = _dateparser_day(words, tz, local_now - timedelta(days=1))
        if again == today:
            return today
    return found


def _dateparser_day(words: str, tz: str, base: datetime) -> date | None:
    """The calendar date dateparser reads in `words`, from the naive local `base`; None if none.

    Only the date is used: the time of day, the choice of day and the zone are decided here.
    """
    parser = DateDataParser(
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": "future",
            "TIMEZONE": tz,
            "RETURN_AS_TIMEZONE_AWARE": True,
            "DATE_ORDER": "DMY",
            "RETURN_TIME_AS_PERIOD": True,
        }
    )
    data = parser.get_date_data(words)
    if data.date_obj is None or data.period != "day":
        return None
    return data.date_obj.date()


def _combine(day: _Day | None, clock: time, local_now: datetime) -> datetime:
    today = local_now.date()
    if day is None:
        candidate = datetime.combine(today, clock)
        return candidate if candidate > local_now else candidate + timedelta(days=1)
    if isinstance(day, _Weekday):
        ahead = (day.weekday - today.weekday()) % 7
        if ahead == 0 and (day.strict or datetime.combine(today, clock) <= local_now):
            ahead = 7
        return datetime.combine(today + timedelta(days=ahead), clock)
    return datetime.combine(day, clock)


def _localise(wall: datetime, zone: ZoneInfo) -> datetime:
    """Attach the zone to a wall-clock time; refuse times the clocks skip over."""
    aware = wall.replace(tzinfo=zone, fold=0)  # fold=0: of a repeated hour, the first
    round_trip = aware.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != wall:
        raise InvalidInput(
            f"{_day_label(wall.date(), with_year=True)} {wall:%H:%M} does not exist in "
            f"{zone.key}: the clocks go forward that night. Pick a time before or after the "
            f'change, like "{round_trip:%Y-%m-%d %H:%M}".'
        )
    return aware


def _missing_time(rest: str, tz: str, local_now: datetime, original: str) -> InvalidInput:
    """The refusal for text without a time of day: a bare number, a day alone, or nonsense."""
    bare_number = _TRAILING_NUMBER.fullmatch(rest)
    if bare_number and int(bare_number.group(2)) <= 24:
        prefix, number = bare_number.group(1), int(bare_number.group(2))
        on_day = _keyword_day(prefix, local_now.date()) if prefix else None
        if not prefix or on_day is not None:  # "8", "sat 8"; not "dec 5", which is a date
            lead = f"{prefix} " if prefix else ""
            if 1 <= number < 12:
                reading = f'"{number}" could be {number:02d}:00 or {number + 12}:00.'
                options = f'"{lead}{number + 12}:00" or "{lead}{number:02d}:00"'
            else:
                reading = f'"{number}" needs minutes to be read as a time.'
                options = f'"{lead}{number % 24:02d}:00"'
            question = "Which time" + (f" on {_show_day(on_day, local_now)}" if on_day else "")
            return InvalidInput(f"{question}? {reading} Try {options}.")
    day = _read_day(rest, tz, local_now, original)
    if day is None:
        return _unreadable(original)
    return InvalidInput(f'Which time on {_show_day(day, local_now)}? Try "{rest} 20:00".')


def _show_day(day: _Day, local_now: datetime) -> str:
    if isinstance(day, _Weekday):
        ahead = (day.weekday - local_now.weekday()) % 7 or (7 if day.strict else 0)
        day = local_now.date() + timedelta(days=ahead)
    return _day_label(day, with_year=day.year != local_now.year)


def _day_label(day: date, *, with_year: bool) -> str:
    label = f"{_WEEKDAY_NAMES[day.weekday()]} {day.day:02d} {_MONTH_NAMES[day.month - 1]}"
    return f"{label} {day.year}" if with_year else label


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _duration_minutes(words: str) -> int | None:
    clock = _DURATION_CLOCK.fullmatch(words)
    if clock:
        return int(clock.group(1)) * 60 + int(clock.group(2)) if int(clock.group(2)) < 60 else None
    match = _DURATION.fullmatch(words)
    if not match or not (match.group("hours") or match.group("minutes")):
        return None
    hours = float((match.group("hours") or "0").replace(",", "."))
    return round(hours * 60) + int(match.group("minutes") or 0)


def _unreadable(original: str) -> InvalidInput:
    shown = original if len(original) <= 40 else original[:40] + "…"
    return InvalidInput(f'I couldn\'t read "{shown}" as a time. Try {_EXAMPLES}.')
