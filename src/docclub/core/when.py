"""Reading the time of a watch party or a poll deadline, in the club's timezone.

The common forms ("sat 8pm", "tomorrow 19:30", "20:00", "2026-12-05 20:00", "in 2 hours") are
read here, because dateparser gets several of them wrong: it skips today for a weekday ("sat 8pm"
on a Saturday morning means next week), it cannot read "next sat", it decides whether a bare
"8:00" is today or tomorrow in the wrong timezone, it moves a date that has just passed to next
year without a word, it drops zone words it does not know, and it gives nonexistent
daylight-saving times an offset instead of refusing them. dateparser reads the calendar date in
what is left ("5 dec", "december 5th", "5. Dezember", "the day after tomorrow") and translates
other languages' words into English ones ("samedi" -> "saturday"); the time of day, the choice
of day, the zone and the numeric date order are ours.

What a member may write, and how it is read, is the README's "Times" section; keep both in step.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from functools import cache
from importlib import resources
from typing import TypeAlias
from zoneinfo import ZoneInfo, available_timezones

from dateparser.conf import settings as dateparser_defaults
from dateparser.data.languages_info import language_order
from dateparser.date import DateDataParser
from dateparser.languages.loader import default_loader

from docclub.core.errors import InvalidInput
from docclub.core.models import ClubConfig
from docclub.core.replies import cmd, line

__all__ = [
    "DATE_ORDERS",
    "LIKELY_LANGUAGES",
    "Reading",
    "date_order_for",
    "describe",
    "find_language",
    "parse_duration",
    "parse_offset",
    "parse_when",
    "read_in_club",
    "read_when",
    "warm_up",
]

DATE_ORDERS = ("dmy", "mdy", "ymd")
_EXAMPLES = '"sat 20:00", "2026-12-05 20:00" or "tomorrow 19:30"'
_MAX_TEXT = 80  # nobody needs more to say when; dateparser gets slow on long input
_MAX_YEARS_AHEAD = 10

_WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
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

# Zone words. A name of a zone that changes its clocks means that region's wall clock, whatever
# the season: "PST" in July is Pacific time (PDT), "CET" in summer is Central European (CEST).
# UTC, GMT, Z and written offsets ("UTC+2", "+02:00") are fixed.
_REGION_WORDS: dict[str, tuple[str, str]] = {}
for _zone, _name, _words in (
    ("America/New_York", "Eastern time", "et est edt"),
    ("America/Chicago", "Central time", "ct cst cdt"),
    ("America/Denver", "Mountain time", "mt mst mdt"),
    ("America/Los_Angeles", "Pacific time", "pt pst pdt"),
    ("America/Anchorage", "Alaska time", "akst akdt"),
    ("Pacific/Honolulu", "Hawaii time", "hst"),
    ("America/Halifax", "Atlantic time", "ast adt"),
    ("America/St_Johns", "Newfoundland time", "nst ndt"),
    ("America/Sao_Paulo", "Brasília time", "brt"),
    ("Europe/London", "UK time", "bst"),
    ("Europe/Lisbon", "Western European time", "wet"),
    ("Europe/Berlin", "Central European time", "cet cest"),
    ("Europe/Athens", "Eastern European time", "eet eest"),
    ("Europe/Moscow", "Moscow time", "msk"),
    ("Africa/Johannesburg", "South Africa time", "sast"),
    ("Asia/Karachi", "Pakistan time", "pkt"),
    ("Asia/Kolkata", "India time", "ist"),
    ("Asia/Jakarta", "Western Indonesia time", "wib"),
    ("Asia/Singapore", "Singapore time", "sgt"),
    ("Asia/Hong_Kong", "Hong Kong time", "hkt"),
    ("Asia/Manila", "Philippine time", "pht"),
    ("Asia/Seoul", "Korea time", "kst"),
    ("Asia/Tokyo", "Japan time", "jst"),
    ("Australia/Perth", "Western Australia time", "awst"),
    ("Australia/Adelaide", "Central Australia time", "acst acdt"),
    ("Australia/Sydney", "Eastern Australia time", "aet aest aedt"),
    ("Pacific/Auckland", "New Zealand time", "nzt nzst nzdt"),
):
    for _word in _words.split():
        _REGION_WORDS[_word] = (_zone, _name)

# Abbreviations that name several zones: read as in _REGION_WORDS, except in a club whose own
# timezone is one of these, where the local meaning wins (IST in a Dublin club is Irish time).
_LOCAL_MEANINGS: dict[str, dict[str, tuple[str, str]]] = {
    "ist": {
        "Europe/Dublin": ("Europe/Dublin", "Irish time"),
        "Asia/Jerusalem": ("Asia/Jerusalem", "Israel time"),
        "Asia/Tel_Aviv": ("Asia/Jerusalem", "Israel time"),
    },
    "cst": {
        **{zone: ("Asia/Shanghai", "China time") for zone in ("Asia/Shanghai", "Asia/Chongqing", "Asia/Harbin")},
        "Asia/Taipei": ("Asia/Taipei", "Taiwan time"),
        "Asia/Macau": ("Asia/Macau", "China time"),
        "America/Havana": ("America/Havana", "Cuba time"),
    },
    "ast": {
        zone: (zone, "Arabia time")
        for zone in ("Asia/Riyadh", "Asia/Baghdad", "Asia/Kuwait", "Asia/Qatar", "Asia/Bahrain", "Asia/Aden")
    },
    "bst": {"Asia/Dhaka": ("Asia/Dhaka", "Bangladesh time")},
}
_GENERIC_WORDS = {"ET", "CT", "MT", "PT", "AET", "NZT"}  # a region's clock, not one of its seasons
# Regions by name: "8pm eastern", "20:00 central european time", "uk time".
_REGION_NAMES = {
    "eastern": ("America/New_York", "Eastern time"),
    "central": ("America/Chicago", "Central time"),
    "mountain": ("America/Denver", "Mountain time"),
    "pacific": ("America/Los_Angeles", "Pacific time"),
    "central european": ("Europe/Berlin", "Central European time"),
    "eastern european": ("Europe/Athens", "Eastern European time"),
    "western european": ("Europe/Lisbon", "Western European time"),
    "uk": ("Europe/London", "UK time"),
    # in a club in Europe or Australia, "central" and "eastern" are that continent's
    "Europe:central": ("Europe/Berlin", "Central European time"),
    "Europe:eastern": ("Europe/Athens", "Eastern European time"),
    "Australia:central": ("Australia/Adelaide", "Central Australia time"),
    "Australia:eastern": ("Australia/Sydney", "Eastern Australia time"),
}
_REGION_NAME = re.compile(
    r"\b(central european|eastern european|western european|uk(?= time)|eastern|central|mountain|pacific)"
    r"(?:\s+time)?\b"
)
_FIXED_WORDS = {"utc": "UTC", "gmt": "GMT", "z": "UTC"}

_WRITTEN_OFFSET = re.compile(r"\b(utc|gmt)\s?([+-])\s?(\d{1,2})(?::?(\d{2}))?(?![\d:])")
_CLOCK_OFFSET = re.compile(r"(\d{1,2}:\d{2})(?::\d{2})?\s?(?:([+-])(\d{2}):?(\d{2})|(z))(?![\w:])")
_ZONE_NAME = re.compile(r"\b[a-z][a-z_\-]*(?:/[a-z0-9_\-+]+)+")

_TIME_12H = re.compile(r"(?<![\d:/.\-])(\d{1,2})(?::(\d{2}))?\s?([ap])m\b")
_TIME_24H = re.compile(r"(?<![\d:/.\-])(\d{1,2})(?:[:h](\d{2})(?::00)?|h)(?![\d:])(?!\s?[ap]m\b)")
_NOON = re.compile(r"\bnoon\b")
_EVENING = re.compile(r"\b(tonight|evening|night)\b")
_EVENING_WORD = re.compile(r"\b(evening|night)\b")  # "tonight" stays: it names the day too
_MIDNIGHT = re.compile(r"\bmidnight\b")
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}|\d{2}))?\.?")
_WEEKDAY_PHRASE = re.compile(r"(?:(next|this|coming|this coming)\s+)?([a-z]+)\.?")
_TRAILING_NUMBER = re.compile(r"(.*?)\s*\b(\d{1,2})")
_YEAR = re.compile(r"\b\d{4}\b")
_MONTH_WORD = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")
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

# Words of other languages that dateparser's translation leaves as they are.
_NEXT_WORDS = {"prochain", "prochaine", "nachsten", "nachste", "nachster", "proximo", "proxima", "prossimo"}
_NEXT_WORDS |= {"prossima", "volgende", "nastepny", "nastepna", "kommende", "kommenden", "seguinte", "nasta"}
_EVENING_PHRASES = {
    "ce soir": "tonight",
    "esta noche": "tonight",
    "esta noite": "tonight",
    "stasera": "tonight",
    "vanavond": "tonight",
    "heute abend": "tonight",
    "today abend": "tonight",
    "(soir|abend|abends|noche|sera|avond|noite)": "evening",
}
_FILLER_WORDS = {"le", "la", "el", "um", "am", "den", "der", "die", "das", "il", "lo", "op", "om", "de", "du"}

_MDY_COUNTRIES = {"US", "CA", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "VI", "UM"}
_YMD_COUNTRIES = {"CN", "JP", "KR", "KP", "TW", "HU", "MN", "LT"}


@dataclass(frozen=True, slots=True)
class Reading:
    """A time read from a member's words: the instant (UTC) and how the words were read.

    `notes` are sentences for the reply whenever the reading made a choice the member should
    see: a zone converted to the club's, what "next friday" means, a time rolled to tomorrow.
    """

    at: datetime
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Weekday:
    """A day named by its weekday: the next such day, today included unless `strict`."""

    weekday: int
    strict: bool
    said: str  # the words, for the reply: "next fri"


@dataclass(frozen=True, slots=True)
class _Written:
    """A zone the member named: its clock, their word for it and, for a region, its name."""

    zone: tzinfo
    word: str
    region: str | None


_Day: TypeAlias = date | _Weekday


def read_in_club(text: str, config: ClubConfig, now: datetime, *, allow_past: bool = False) -> Reading:
    """`read_when` with the club's own settings: timezone, date order and language."""
    return read_when(
        text,
        config.timezone,
        now,
        date_order=date_order_for(config.timezone, config.date_order),
        language=config.language,
        allow_past=allow_past,
    )


def parse_when(
    text: str,
    tz: str,
    now: datetime,
    *,
    allow_past: bool = False,
    date_order: str | None = None,
    language: str = "en",
) -> datetime:
    """The instant `read_when` reads, in UTC."""
    return read_when(text, tz, now, allow_past=allow_past, date_order=date_order, language=language).at


def read_when(
    text: str,
    tz: str,
    now: datetime,
    *,
    allow_past: bool = False,
    date_order: str | None = None,
    language: str = "en",
) -> Reading:
    """Read a party time or poll deadline written in the club's timezone; return it in UTC.

    `now` (aware) is the reference for relative forms. Accepted: "2026-12-05 20:00",
    "5 dec 20:00", "05/12 20:00" (in the club's `date_order`, default from `tz`), "sat 8pm",
    "saturday 20:00", "next friday 8pm", "tomorrow 19:30", "tonight 8pm", "20:00", "in 2 hours";
    "on" and "at" may be added ("on sat at 8pm"), and a zone ("sat 8pm PST", "20:00 UTC+2",
    "Europe/London", "2026-12-05T20:00Z"). A weekday means the next such day, today if the time
    is still ahead; "next" skips today; a bare time means today, or tomorrow once it has passed;
    a date without a year means the nearest such date, and one just gone is refused with next
    year's as a suggestion. Except for spans ("in 2 hours"), a time of day is always required.
    In a club whose `language` is not English the words are translated first ("samedi 20h").

    Raises InvalidInput, saying how the text was read and how to write it, for text that is not
    a time, a day without a time, a time in the past (unless `allow_past`) and a local time that
    does not exist because the clocks go forward. A local time that happens twice (the clocks
    go back) means the first of the two.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    original = " ".join(text.split())
    if not original or len(original) > _MAX_TEXT:
        raise _unreadable(original, language)
    reader = _Reader(tz, now, date_order or date_order_for(tz), language, original, allow_past)
    if language == "en":
        return reader.read(_normalise(original))
    try:
        return reader.read(_translate(original, language))
    except InvalidInput as first:
        try:  # members of any club may write English
            return _Reader(tz, now, reader.order, "en", original, allow_past).read(_normalise(original))
        except InvalidInput:
            raise first from None


def date_order_for(tz: str, setting: str | None = None) -> str:
    """The club's numeric date order: its `date_order` setting, else the custom of the country
    its timezone is in (month first in the United States, year first in Japan, day first in
    most of the world)."""
    if setting:
        return setting
    country = _zone_countries().get(tz)
    if country is None and tz.startswith(("US/", "Canada/")):
        country = "US"
    if country in _MDY_COUNTRIES:
        return "mdy"
    if country in _YMD_COUNTRIES:
        return "ymd"
    return "dmy"


def find_language(value: str) -> str | None:
    """The dateparser language code for `value` ("fr", "DE", "pt-BR" -> its code), else None."""
    wanted = value.strip().lower().replace("_", "-")
    for code in language_order:
        if code.lower() == wanted:
            return code
    return None


def warm_up(languages: tuple[str, ...] = ("en",)) -> None:
    """Load dateparser's language data and the tz database now, so that the first time a member
    writes is read as fast as the next (dateparser's first call takes a second or more)."""
    now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    _zone_names()
    _zone_countries()
    for zone, _ in _REGION_WORDS.values():
        ZoneInfo(zone)
    _other_language("blurday")
    for language in dict.fromkeys(("en", *languages)):
        for phrase in ("5 dec 20:00", "the day after tomorrow 20:00", "sat 8pm pst"):
            with suppress(InvalidInput):
                read_when(phrase, "Europe/Berlin", now, language=language)


def parse_duration(text: str) -> int:
    """Read a party's length and return it in minutes.

    Accepts "2h", "90m", "1h30", "1h 30m", "1.5h", "1:30" and a bare number of minutes ("105").
    Raises InvalidInput for anything else and for lengths of zero or over 24 hours.
    """
    minutes = _duration_minutes(text.strip().lower())
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
    minutes = int(days.group(1)) * 1440 if days else _duration_minutes(words)
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


def describe(dt: datetime, tz: str) -> str:
    """Show an aware datetime in the club's timezone, like "Sat 05 Dec 2026 20:00 CET"."""
    local = dt.astimezone(ZoneInfo(tz))
    return f"{_day_label(local.date(), with_year=True)} {local:%H:%M} {local.tzname()}"


class _Reader:
    """One reading of one text: the club's zone and settings, and the notes for the reply."""

    def __init__(self, tz: str, now: datetime, order: str, language: str, original: str, allow_past: bool) -> None:
        self.tz = tz
        self.club_zone = ZoneInfo(tz)
        self.now = now
        self.order = order
        self.language = language
        self.original = original
        self.allow_past = allow_past
        self.notes: list[str] = []

    def read(self, words: str) -> Reading:
        written, words = self._zone_word(words)
        zone: tzinfo = written.zone if written else self.club_zone
        local_now = self.now.astimezone(zone).replace(tzinfo=None)
        relative = _relative(words)
        if relative is not None:
            span, on_the_wall = relative
            result = _localise(local_now + span, zone) if on_the_wall else self.now.astimezone(UTC) + span
        else:
            clock, rest = self._split_time_of_day(words)
            if clock is None:
                raise self._missing_time(rest, local_now)
            day = self._read_day(rest, local_now, clock)
            if day is not None and _MIDNIGHT.search(words):
                raise self._which_midnight(self._combine(day, clock, local_now))
            result = _localise(self._combine(day, clock, local_now), zone)
        if not self.allow_past and result <= self.now:
            raise InvalidInput(
                f"That reads as {describe(result, self.tz)}, which is in the past. "
                f"Give a time still to come, like {_EXAMPLES}."
            )
        if written is not None:
            self._note_zone(result, written)
        return Reading(result.astimezone(UTC), tuple(self.notes))

    # ---- zones ----

    def _zone_word(self, words: str) -> tuple[_Written | None, str]:
        """Find the one zone the text names, if any; return it and the text without it."""
        found: list[_Written] = []

        def fixed(sign: str, hours: str, minutes: str | None, word: str) -> tzinfo:
            span = timedelta(hours=int(hours), minutes=int(minutes or 0))
            if span > timedelta(hours=14) or int(minutes or 0) >= 60:
                raise self._unreadable()
            offset = -span if sign == "-" else span
            return timezone(offset, word) if offset else UTC

        def written_offset(match: re.Match[str]) -> str:
            word = f"{match.group(1).upper()}{match.group(2)}{match.group(3)}"
            word += f":{match.group(4)}" if match.group(4) else ""
            found.append(_Written(fixed(match.group(2), match.group(3), match.group(4), word), word, None))
            return " "

        def clock_offset(match: re.Match[str]) -> str:
            if match.group(5):
                found.append(_Written(UTC, "UTC", None))
            else:
                word = f"{match.group(2)}{match.group(3)}:{match.group(4)}"
                found.append(_Written(fixed(match.group(2), match.group(3), match.group(4), word), word, None))
            return f"{match.group(1)} "

        def zone_name(match: re.Match[str]) -> str:
            key = _zone_names().get(match.group(0))
            if key is None:
                return match.group(0)
            found.append(_Written(ZoneInfo(key), key, None))
            return " "

        words = _WRITTEN_OFFSET.sub(written_offset, words)
        words = _CLOCK_OFFSET.sub(clock_offset, words)
        words = _ZONE_NAME.sub(zone_name, words)

        def region_name(match: re.Match[str]) -> str:
            continent = self.tz.split("/")[0]
            zone, region = _REGION_NAMES.get(f"{continent}:{match.group(1)}") or _REGION_NAMES[match.group(1)]
            found.append(_Written(ZoneInfo(zone), region, region))
            return " "

        words = _REGION_NAME.sub(region_name, words)
        kept = []
        for token in words.split():
            bare = token.rstrip(".")
            if bare in _FIXED_WORDS:
                found.append(_Written(UTC, _FIXED_WORDS[bare], None))
            elif bare in _REGION_WORDS:
                zone, region = _LOCAL_MEANINGS.get(bare, {}).get(self.tz) or _REGION_WORDS[bare]
                found.append(_Written(ZoneInfo(zone), bare.upper(), region))
            else:
                kept.append(token)
        if len(found) > 1:
            shown = " and ".join(w.word for w in found)
            raise InvalidInput(f'"{self.original}" names two zones ({shown}). Give the time in one zone.')
        return (found[0] if found else None), " ".join(kept)

    def _note_zone(self, result: datetime, written: _Written) -> None:
        theirs = result.astimezone(written.zone)
        ours = result.astimezone(self.club_zone)
        same_clock = theirs.replace(tzinfo=None) == ours.replace(tzinfo=None)
        generic = written.word in _GENERIC_WORDS or written.word == written.region
        named_right = written.region is None or generic or theirs.tzname() == written.word
        if same_clock and named_right:
            return
        wrote = f"{_day_label(theirs.date(), with_year=False)} {theirs:%H:%M} {written.word}"
        if written.region is not None:
            season = "" if generic else " that day"
            if written.word == written.region:  # "8pm eastern": the words were the region's name
                read_as = f" ({theirs.tzname()})"
            elif theirs.tzname() == written.word:
                read_as = f", read as {written.region}"
            else:
                read_as = f", read as {written.region} ({theirs.tzname()}{season})"
        else:
            read_as = ""
        club_time = f"{_day_label(ours.date(), with_year=False)} {ours:%H:%M} {ours.tzname()}"
        self.notes.append(f"{club_time} in the club's time ({self.tz}) — you wrote {wrote}{read_as}.")

    # ---- time of day ----

    def _split_time_of_day(self, words: str) -> tuple[time | None, str]:
        """Find the one time of day in the text; return it and the rest (the day, if any). In the
        evening ("tonight", "sat evening") an hour from 1 to 11 is in the afternoon or evening."""
        evening = _EVENING.search(words) is not None
        words = " ".join(_EVENING_WORD.sub(" ", words).split())
        found: list[tuple[re.Match[str], time | None]] = []
        for match in _TIME_12H.finditer(words):
            hour, minute = int(match.group(1)), int(match.group(2) or 0)
            valid = 1 <= hour <= 12 and minute < 60
            hour = hour % 12 + (12 if match.group(3) == "p" else 0)
            found.append((match, time(hour, minute) if valid else None))
        for match in _TIME_24H.finditer(words):
            hour, minute = int(match.group(1)), int(match.group(2) or 0)
            found.append((match, time(hour, minute) if hour < 24 and minute < 60 else None))
        for match in _NOON.finditer(words):
            found.append((match, time(12, 0)))
        for match in _MIDNIGHT.finditer(words):
            found.append((match, time(0, 0)))
        if not found:
            return None, words
        if len(found) > 1 or found[0][1] is None:
            raise self._unreadable()
        match, clock = found[0]
        if evening and clock is not None and 1 <= clock.hour < 12:
            if match.re is _TIME_12H:  # "tonight 8am"
                raise self._unreadable()
            clock = clock.replace(hour=clock.hour + 12)  # "tonight 8:30", "samedi soir 8h"
        rest = " ".join((words[: match.start()] + " " + words[match.end() :]).split())
        return clock, rest

    # ---- the day ----

    def _read_day(self, rest: str, local_now: datetime, clock: time | None) -> _Day | None:
        """The day part of the text: None when there is none, else a date or a weekday rule."""
        if not rest:
            return None
        keyword = _keyword_day(rest, local_now.date())
        if keyword is not None:
            return keyword
        if rest.isdigit():  # dateparser would read "8" as the 8th of this month, even if past
            raise self._unreadable()
        if any(word.rstrip(".") in _WEEKDAYS for word in rest.split()) and not re.search(r"\d", rest):
            # dateparser reads "friday the" as a Friday by its own rules: a weekday is ours to read
            raise self._unreadable()
        numeric = self._numeric_date(rest)
        if numeric is not None:
            year, month, day = numeric
        else:
            found = self._calendar_date(rest, local_now)
            if found is None:
                raise self._unreadable()
            year = None if _MONTH_WORD.search(rest) and not _YEAR.search(rest) else found.year
            month, day = found.month, found.day
        if year is None:
            written = self._nearest(month, day, local_now, clock)
        else:
            found_date = _date_or_none(year, month, day)
            if found_date is None or found_date.year > local_now.year + _MAX_YEARS_AHEAD:
                raise self._unreadable()
            written = found_date  # a date in an earlier year is read, then refused as past
        named = {_WEEKDAYS[w.rstrip(".")] for w in rest.split() if w.rstrip(".") in _WEEKDAYS}
        if named and named != {written.weekday()}:
            raise self._wrong_weekday(written, named.pop(), clock)
        return written

    def _numeric_date(self, words: str) -> tuple[int | None, int, int] | None:
        """ISO "2026-12-05" (always year first), or "5/12", "05.12.2026", "5/12/26" in the
        club's date order. A date impossible in that order is refused with the right order."""
        iso = _ISO_DATE.fullmatch(words)
        if iso:
            return int(iso.group(1)), int(iso.group(2)), int(iso.group(3))
        numeric = _NUMERIC_DATE.fullmatch(words)
        if not numeric:
            return None
        first, second = int(numeric.group(1)), int(numeric.group(2))
        year: int | None = None
        if numeric.group(3):
            year = int(numeric.group(3))
            year = year + 2000 if year < 100 else year
        if self.order == "ymd" and year is not None and len(numeric.group(3)) == 2:
            year, month, day = 2000 + first, second, int(numeric.group(3))  # "26/12/05"
        elif self.order == "dmy":
            day, month = first, second
        else:
            month, day = first, second
        if _date_or_none(year or 2000, month, day) is None:
            swapped = "/".join((numeric.group(2), numeric.group(1), *([numeric.group(3)] if numeric.group(3) else [])))
            valid = _date_or_none(year or 2000, day, month) is not None and self.order != "ymd"
            raise self._wrong_order(words, swapped if valid else None)
        return year, month, day

    def _calendar_date(self, words: str, local_now: datetime) -> date | None:
        """Let dateparser read a calendar date ("5 dec", "december 5th", "5. dezember")."""
        found = _dateparser_day(words, local_now, self.order, self.language)
        today = local_now.date()
        if found is not None and (found.month, found.day, found.year) == (today.month, today.day, today.year + 1):
            # dateparser's "future" skips today: "27 nov" typed on 27 November is next year. Ask
            # again from yesterday; if the answer is then today, the text named no year.
            again = _dateparser_day(words, local_now - timedelta(days=1), self.order, self.language)
            if again == today:
                return today
        return found

    def _nearest(self, month: int, day: int, local_now: datetime, clock: time | None) -> date:
        """A date written without a year: the nearest such date. One that has passed is refused
        with the next one as a suggestion; a 29 February is the nearest leap year's."""
        today = local_now.date()
        candidates = [d for d in (_date_or_none(today.year + k, month, day) for k in (-1, 0, 1)) if d]
        nearest = min(candidates, key=lambda d: abs(d - today)) if candidates else None
        if nearest is not None and nearest >= today:
            return nearest
        upcoming = next(
            (d for d in (_date_or_none(today.year + k, month, day) for k in range(0, 9)) if d and d > today), None
        )
        if upcoming is None:
            raise self._unreadable()
        at = f"{clock:%H:%M}" if clock else "20:00"
        if nearest is None:
            raise InvalidInput(
                f"There is no {day} {_MONTH_NAMES[month - 1]} this year. The next one is "
                f'{_day_label(upcoming, with_year=True)}: write "{upcoming.isoformat()} {at}".'
            )
        raise InvalidInput(
            f"{_day_label(nearest, with_year=True)} has passed. Did you mean "
            f'{_day_label(upcoming, with_year=True)}? Write "{upcoming.isoformat()} {at}".'
        )

    def _combine(self, day: _Day | None, clock: time, local_now: datetime) -> datetime:
        today = local_now.date()
        if day is None:
            candidate = datetime.combine(today, clock)
            if candidate > local_now:
                return candidate
            self.notes.append(f"{clock:%H:%M} has passed today, so that is tomorrow, {_show(candidate, 1)}.")
            return candidate + timedelta(days=1)
        if isinstance(day, _Weekday):
            ahead = (day.weekday - today.weekday()) % 7
            passed = ahead == 0 and datetime.combine(today, clock) <= local_now
            if ahead == 0 and (day.strict or passed):
                ahead = 7
            result = datetime.combine(today + timedelta(days=ahead), clock)
            name = _WEEKDAY_WORDS[day.weekday]
            if day.strict:
                later = result + timedelta(days=7)
                self.notes.append(
                    f'"{day.said}" is the first {name} after today, {_show(result, 0)}. '
                    f'For the {name} after that, write "{later:%Y-%m-%d %H:%M}".'
                )
            elif passed:
                self.notes.append(f"{clock:%H:%M} has passed today, so that is next {name}, {_show(result, 0)}.")
            return result
        return datetime.combine(day, clock)

    # ---- questions and refusals ----

    def _missing_time(self, rest: str, local_now: datetime) -> InvalidInput:
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
        day = self._read_day(rest, local_now, None)
        if day is None:
            return self._unreadable()
        return InvalidInput(f'Which time on {_show_day(day, local_now)}? Try "{rest} 20:00".')

    def _wrong_weekday(self, day: date, weekday: int, clock: time | None) -> InvalidInput:
        """ "fri 5 dec" when 5 December is a Saturday: which of the two was meant?"""
        at = f"{clock:%H:%M}" if clock else "20:00"
        that_week = day + timedelta(days=weekday - day.weekday())
        return InvalidInput(
            f"{_day_label(day, with_year=True)} is a {_WEEKDAY_WORDS[day.weekday()]}, not a "
            f'{_WEEKDAY_WORDS[weekday]}. Write "{day.isoformat()} {at}" for the date, or '
            f'"{that_week.isoformat()} {at}" for the {_WEEKDAY_WORDS[weekday]} of that week.'
        )

    def _which_midnight(self, start: datetime) -> InvalidInput:
        """ "fri midnight" is the night before Friday to some and the night after it to others."""
        after = start + timedelta(days=1)
        return InvalidInput(
            f"Which midnight? The one that starts {_day_label(start.date(), with_year=False)} is "
            f'"{start:%Y-%m-%d} 00:00"; the one that ends it is "{after:%Y-%m-%d} 00:00".'
        )

    def _wrong_order(self, words: str, swapped: str | None) -> InvalidInput:
        order = {"dmy": "day/month", "mdy": "month/day", "ymd": "month/day"}[self.order]
        meant = f' Did you mean "{swapped}"?' if swapped else ""
        return InvalidInput(
            line(
                f'"{words}" is not a date in this club\'s date order ({order}, date_order {self.order}).{meant} '
                'Writing the month as a word ("5 dec") or the date as "2026-12-05" always works; an organizer '
                "can change the order with: ",
                cmd("config set", key="date_order", value="dmy|mdy|ymd"),
            )
        )

    def _unreadable(self) -> InvalidInput:
        return _unreadable(self.original, self.language)


def _normalise(original: str) -> str:
    words = original.lower()
    words = re.sub(r"(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", r"\1 ", words)  # ISO "2026-12-05T20:00"
    words = re.sub(r"\b([ap])\.m\.?", r"\1m", words)
    words = re.sub(r",(?!\d)", " ", words)
    kept = [word for word in words.split() if word not in ("on", "at")]
    return " ".join(kept)


def _translate(original: str, language: str) -> str:
    """A phrase of another language in the English words this module reads, by dateparser's
    dictionaries ("samedi prochain 20h" -> "next saturday 20:00")."""
    text = re.sub(r"(?i)(\d{1,2})(?:[:.](\d{2}))?\s*uhr\b", lambda m: f"{m.group(1)}:{m.group(2) or '00'}", original)
    translated = _locale(language).translate(text, keep_formatting=False, settings=dateparser_defaults)
    words = _normalise(translated)
    for said, meant in _EVENING_PHRASES.items():
        words = re.sub(rf"\b{said}\b", meant, words)
    words = re.sub(r"^in 1 day\b", "tomorrow", words)  # "demain" comes back as a span
    words = re.sub(r"^0 day ago\b", "today", words)
    if _relative(words) is None:  # "in 2 hour" is a span; "samedi 20h" -> "saturday 20 hour"
        words = re.sub(r"\b(\d{1,2})\s?hour\b", r"\1:00", words)
        words = re.sub(r"\b(\d{1,2}:\d{2})\s?hour\b", r"\1", words)
    tokens = [t for t in words.replace("'", " ").split() if t not in _FILLER_WORDS]
    if any(t in _NEXT_WORDS for t in tokens):
        tokens = ["next"] + [t for t in tokens if t not in _NEXT_WORDS and t != "next"]
    return " ".join(tokens)


def _relative(words: str) -> tuple[timedelta, bool] | None:
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
        minutes = _duration_minutes(words[3:])
        if minutes is not None:
            return timedelta(minutes=minutes), False
    return None


def _keyword_day(words: str, today: date) -> _Day | None:
    if words in ("today", "tonight"):
        return today
    if words in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    match = _WEEKDAY_PHRASE.fullmatch(words)
    if match and match.group(2) in _WEEKDAYS:
        return _Weekday(_WEEKDAYS[match.group(2)], strict=match.group(1) == "next", said=words)
    return None


def _dateparser_day(words: str, base: datetime, order: str, language: str) -> date | None:
    """The calendar date dateparser reads in `words`, from the naive local `base`; None if none.

    Only the date is used: the time of day, the choice of day and the zone are decided here.
    """
    parser = DateDataParser(
        languages=["en"] if language == "en" else [language, "en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": "future",
            "DATE_ORDER": order.upper(),
            "RETURN_TIME_AS_PERIOD": True,
        },
    )
    data = parser.get_date_data(words)
    if data.date_obj is None or data.period != "day":
        return None
    return data.date_obj.date()


def _localise(wall: datetime, zone: tzinfo) -> datetime:
    """Attach the zone to a wall-clock time; refuse times the clocks skip over."""
    aware = wall.replace(tzinfo=zone, fold=0)  # fold=0: of a repeated hour, the first
    round_trip = aware.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != wall:
        name = zone.key if isinstance(zone, ZoneInfo) else str(zone)
        raise InvalidInput(
            f"{_day_label(wall.date(), with_year=True)} {wall:%H:%M} does not exist in "
            f"{name}: the clocks go forward that night. Pick a time before or after the "
            f'change, like "{round_trip:%Y-%m-%d %H:%M}".'
        )
    return aware


def _show(wall: datetime, days_later: int) -> str:
    day = wall.date() + timedelta(days=days_later)
    return f"{_day_label(day, with_year=False)} {wall:%H:%M}"


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


def _unreadable(original: str, language: str = "en") -> InvalidInput:
    shown = original if len(original) <= 40 else original[:40] + "…"
    said = f'I couldn\'t read "{shown}" as a time. Try {_EXAMPLES}.'
    other = _other_language(original) if language == "en" else None
    if other is not None:
        return InvalidInput(
            line(
                f"{said} Times are read in English in this club; if that is {LIKELY_LANGUAGES[other]}, an "
                "organizer can change it with: ",
                cmd("config set", key="language", value=other),
            )
        )
    return InvalidInput(said)


_DAY_WORDS = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|"
    r"january|february|march|april|june|july|august|september|october|november|december)\b"
)
LIKELY_LANGUAGES = {"fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch"}


def _other_language(original: str) -> str | None:
    """The first common language in which `original` names a day or month, if English does not."""
    if _DAY_WORDS.search(original.lower()):
        return None
    for language in LIKELY_LANGUAGES:
        translated = _locale(language).translate(original, keep_formatting=False, settings=dateparser_defaults)
        if _DAY_WORDS.search(translated) or translated.startswith(("in 1 day", "in 2 day")):
            return language
    return None


@cache
def _locale(language: str):  # type: ignore[no-untyped-def]
    return default_loader.get_locale(language)


@cache
def _zone_names() -> dict[str, str]:
    """Every tz database name, by its lower-case spelling."""
    return {name.lower(): name for name in available_timezones()}


@cache
def _zone_countries() -> dict[str, str]:
    """The country of each tz database zone, from the zone.tab shipped with tzdata."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    countries: dict[str, str] = {}
    for row in table.splitlines():
        if row and not row.startswith("#"):
            parts = row.split("\t")
            countries[parts[2]] = parts[0]
    return countries
