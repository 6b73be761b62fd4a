"""Spans of time a member writes: a party's length ("2h", "1h30"), how long before a party a
reminder goes out ("24h", "2d"), and a time from now ("in 2 hours")."""

from __future__ import annotations

import re
from datetime import timedelta

from docclub.core.errors import InvalidInput

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


def parse_duration(text: str) -> int:
    """Read a party's length and return it in minutes.

    Accepts "2h", "90m", "1h30", "1h 30m", "1.5h", "1:30" and a bare number of minutes ("105").
    Raises InvalidInput for anything else and for lengths of zero or over 24 hours.
    """
    minutes = duration_minutes(text.strip().lower())
    if minutes is None:
        raise InvalidInput(f'I couldn\'t read "{text.strip()}" as a duration.', _DURATION_USAGE)
    return check_duration(minutes)


def check_duration(minutes: int) -> int:
    """A party's length in minutes: more than 0, at most 24 hours."""
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
    minutes = int(days.group(1)) * 1440 if days else duration_minutes(words)
    if minutes is None or minutes < 0:
        raise InvalidInput(f'I couldn\'t read "{text.strip()[:30]}" as a reminder time.', usage)
    return check_offset(minutes, maximum_days=maximum_days)


def check_offset(minutes: int, *, maximum_days: int = 7) -> int:
    """How long before a party a reminder goes out, in minutes: 0 (at the start) to `maximum_days`."""
    usage = "a time before the start, like 24h, 2d, 90m or 0 (at the start)"
    if minutes < 0:
        raise InvalidInput(f"A reminder time can't be negative ({minutes} minutes).", usage)
    if minutes > maximum_days * 1440:
        raise InvalidInput(f"A reminder can be at most {maximum_days} days before the start.", usage)
    return minutes


def relative_span(words: str) -> tuple[timedelta, bool] | None:
    """ "in 2 hours", "in an hour", "in 1h30", "in half an hour", "in 2 days": a span from now,
    and whether it counts on the wall clock (days and weeks keep the time of day across a
    change of the clocks; minutes and hours are exact)."""
    if words == "in half an hour":
        return timedelta(minutes=30), False
    match = _RELATIVE.fullmatch(words)
    if match:
        amount = 1.0 if match.group(1) in ("a", "an", "one") else float(match.group(1))
        unit = match.group(2)[0]
        return timedelta(minutes=round(amount * _RELATIVE_UNITS[unit])), unit in ("d", "w")
    if words.startswith("in ") and re.search(r"[a-z]", words[3:]):
        minutes = duration_minutes(words[3:])
        if minutes is not None:
            return timedelta(minutes=minutes), False
    return None


def duration_minutes(words: str) -> int | None:
    clock = _DURATION_CLOCK.fullmatch(words)
    if clock:
        return int(clock.group(1)) * 60 + int(clock.group(2)) if int(clock.group(2)) < 60 else None
    match = _DURATION.fullmatch(words)
    if not match or not (match.group("hours") or match.group("minutes")):
        return None
    hours = float((match.group("hours") or "0").replace(",", "."))
    return round(hours * 60) + int(match.group("minutes") or 0)
