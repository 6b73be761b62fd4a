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

The zones a member may name are in `zones`, other languages in `languages`, spans ("2h",
"in 2 hours") in `spans`, and how days are said back in `wording`.

What a member may write, and how it is read, is the README's "Times" section; keep both in step.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from docclub.core.errors import InvalidInput
from docclub.core.models import ClubConfig
from docclub.core.when.days import WEEKDAYS, Day, Weekday, date_or_none, dateparser_day, keyword_day, show_day
from docclub.core.when.languages import examples, normalise, other_language, translate, unreadable
from docclub.core.when.spans import relative_span
from docclub.core.when.wording import (
    MONTH_NAMES,
    WEEKDAY_WORDS,
    day_and_time,
    day_label,
    describe,
    which_midnight,
    wrong_order,
    wrong_weekday,
)
from docclub.core.when.zones import (
    REGION_WORDS,
    date_order_for,
    find_zone,
    localise,
    zone_countries,
    zone_names,
    zone_note,
)

_MAX_TEXT = 80  # nobody needs more to say when; dateparser gets slow on long input
_MAX_YEARS_AHEAD = 10


_TIME_12H = re.compile(r"(?<![\d:/.\-])(\d{1,2})(?::(\d{2}))?\s?([ap])m\b")
_TIME_24H = re.compile(r"(?<![\d:/.\-])(\d{1,2})(?:[:h](\d{2})(?::00)?|h)(?![\d:])(?!\s?[ap]m\b)")
_NOON = re.compile(r"\bnoon\b")
_EVENING = re.compile(r"\b(tonight|evening|night)\b")
_EVENING_WORD = re.compile(r"\b(evening|night)\b")  # "tonight" stays: it names the day too
_MIDNIGHT = re.compile(r"\bmidnight\b")
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}|\d{2}))?\.?")
_TRAILING_NUMBER = re.compile(r"(.*?)\s*\b(\d{1,2})")
_YEAR = re.compile(r"\b\d{4}\b")
_MONTH_WORD = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b")


@dataclass(frozen=True, slots=True)
class Reading:
    """A time read from a member's words: the instant (UTC) and how the words were read.

    `notes` are sentences for the reply whenever the reading made a choice the member should
    see: a zone converted to the club's, what "next friday" means, a time rolled to tomorrow.
    """

    at: datetime
    notes: tuple[str, ...] = ()


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
        raise unreadable(original, now, language)
    reader = _Reader(tz, now, date_order or date_order_for(tz), language, original, allow_past)
    if language == "en":
        return reader.read(normalise(original))
    try:
        return reader.read(translate(original, language))
    except InvalidInput as first:
        try:  # members of any club may write English
            return _Reader(tz, now, reader.order, "en", original, allow_past).read(normalise(original))
        except InvalidInput:
            raise first from None


def warm_up(languages: tuple[str, ...] = ("en",)) -> None:
    """Load dateparser's language data and the tz database now, so that the first time a member
    writes is read as fast as the next (dateparser's first call takes a second or more)."""
    now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    zone_names()
    zone_countries()
    for zone, _ in REGION_WORDS.values():
        ZoneInfo(zone)
    other_language("blurday")
    for language in dict.fromkeys(("en", *languages)):
        for phrase in ("5 dec 20:00", "the day after tomorrow 20:00", "sat 8pm pst"):
            with suppress(InvalidInput):
                read_when(phrase, "Europe/Berlin", now, language=language)


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
        written, words = find_zone(words, self.tz, self.original, self._unreadable)
        zone: tzinfo = written.zone if written else self.club_zone
        local_now = self.now.astimezone(zone).replace(tzinfo=None)
        relative = relative_span(words)
        if relative is not None:
            span, on_the_wall = relative
            result = localise(local_now + span, zone) if on_the_wall else self.now.astimezone(UTC) + span
        else:
            clock, rest = self._split_time_of_day(words)
            if clock is None:
                raise self._missing_time(rest, local_now)
            day = self._read_day(rest, local_now, clock)
            if day is not None and _MIDNIGHT.search(words):
                raise which_midnight(self._combine(day, clock, local_now))
            result = localise(self._combine(day, clock, local_now), zone)
        if not self.allow_past and result <= self.now:
            raise InvalidInput(
                f"That reads as {describe(result, self.tz)}, which is in the past. "
                f"Give a time still to come, like {examples(self.now)}."
            )
        if written is not None:
            note = zone_note(result, written, self.tz)
            if note is not None:
                self.notes.append(note)
        return Reading(result.astimezone(UTC), tuple(self.notes))

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

    def _read_day(self, rest: str, local_now: datetime, clock: time | None) -> Day | None:
        """The day part of the text: None when there is none, else a date or a weekday rule."""
        if not rest:
            return None
        keyword = keyword_day(rest, local_now.date())
        if keyword is not None:
            return keyword
        if rest.isdigit():  # dateparser would read "8" as the 8th of this month, even if past
            raise self._unreadable()
        if any(word.rstrip(".") in WEEKDAYS for word in rest.split()) and not re.search(r"\d", rest):
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
            found_date = date_or_none(year, month, day)
            if found_date is None or found_date.year > local_now.year + _MAX_YEARS_AHEAD:
                raise self._unreadable()
            written = found_date  # a date in an earlier year is read, then refused as past
        named = {WEEKDAYS[w.rstrip(".")] for w in rest.split() if w.rstrip(".") in WEEKDAYS}
        if named and named != {written.weekday()}:
            raise wrong_weekday(written, named.pop(), clock)
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
        if date_or_none(year or 2000, month, day) is None:
            swapped = "/".join((numeric.group(2), numeric.group(1), *([numeric.group(3)] if numeric.group(3) else [])))
            valid = date_or_none(year or 2000, day, month) is not None and self.order != "ymd"
            raise wrong_order(words, swapped if valid else None, self.order)
        return year, month, day

    def _calendar_date(self, words: str, local_now: datetime) -> date | None:
        """Let dateparser read a calendar date ("5 dec", "december 5th", "5. dezember")."""
        found = dateparser_day(words, local_now, self.order, self.language)
        today = local_now.date()
        if found is not None and (found.month, found.day, found.year) == (today.month, today.day, today.year + 1):
            # dateparser's "future" skips today: "27 nov" typed on 27 November is next year. Ask
            # again from yesterday; if the answer is then today, the text named no year.
            again = dateparser_day(words, local_now - timedelta(days=1), self.order, self.language)
            if again == today:
                return today
        return found

    def _nearest(self, month: int, day: int, local_now: datetime, clock: time | None) -> date:
        """A date written without a year: the nearest such date. One that has passed is refused
        with the next one as a suggestion; a 29 February is the nearest leap year's."""
        today = local_now.date()
        candidates = [d for d in (date_or_none(today.year + k, month, day) for k in (-1, 0, 1)) if d]
        nearest = min(candidates, key=lambda d: abs(d - today)) if candidates else None
        if nearest is not None and nearest >= today:
            return nearest
        upcoming = next(
            (d for d in (date_or_none(today.year + k, month, day) for k in range(0, 9)) if d and d > today), None
        )
        if upcoming is None:
            raise self._unreadable()
        at = f"{clock:%H:%M}" if clock else "20:00"
        if nearest is None:
            raise InvalidInput(
                f"There is no {day} {MONTH_NAMES[month - 1]} this year. The next one is "
                f'{day_label(upcoming, with_year=True)}: write "{upcoming.isoformat()} {at}".'
            )
        raise InvalidInput(
            f"{day_label(nearest, with_year=True)} has passed. Did you mean "
            f'{day_label(upcoming, with_year=True)}? Write "{upcoming.isoformat()} {at}".'
        )

    def _combine(self, day: Day | None, clock: time, local_now: datetime) -> datetime:
        today = local_now.date()
        if day is None:
            candidate = datetime.combine(today, clock)
            if candidate > local_now:
                return candidate
            self.notes.append(f"{clock:%H:%M} has passed today, so that is tomorrow, {day_and_time(candidate, 1)}.")
            return candidate + timedelta(days=1)
        if isinstance(day, Weekday):
            ahead = (day.weekday - today.weekday()) % 7
            passed = ahead == 0 and datetime.combine(today, clock) <= local_now
            if ahead == 0 and (day.strict or passed):
                ahead = 7
            result = datetime.combine(today + timedelta(days=ahead), clock)
            name = WEEKDAY_WORDS[day.weekday]
            if day.strict:
                later = result + timedelta(days=7)
                self.notes.append(
                    f'"{day.said}" is the first {name} after today, {day_and_time(result, 0)}. '
                    f'For the {name} after that, write "{later:%Y-%m-%d %H:%M}".'
                )
            elif passed:
                self.notes.append(f"{clock:%H:%M} has passed today, so that is next {name}, {day_and_time(result, 0)}.")
            return result
        return datetime.combine(day, clock)

    # ---- questions and refusals ----

    def _missing_time(self, rest: str, local_now: datetime) -> InvalidInput:
        """The refusal for text without a time of day: a bare number, a day alone, or nonsense."""
        bare_number = _TRAILING_NUMBER.fullmatch(rest)
        if bare_number and int(bare_number.group(2)) <= 24:
            prefix, number = bare_number.group(1), int(bare_number.group(2))
            on_day = keyword_day(prefix, local_now.date()) if prefix else None
            if not prefix or on_day is not None:  # "8", "sat 8"; not "dec 5", which is a date
                lead = f"{prefix} " if prefix else ""
                if 1 <= number < 12:
                    reading = f'"{number}" could be {number:02d}:00 or {number + 12}:00.'
                    options = f'"{lead}{number + 12}:00" or "{lead}{number:02d}:00"'
                else:
                    reading = f'"{number}" needs minutes to be read as a time.'
                    options = f'"{lead}{number % 24:02d}:00"'
                question = "Which time" + (f" on {show_day(on_day, local_now)}" if on_day else "")
                return InvalidInput(f"{question}? {reading} Try {options}.")
        day = self._read_day(rest, local_now, None)
        if day is None:
            return self._unreadable()
        if not self.allow_past and isinstance(day, date) and day < local_now.date():
            gone = show_day(day, local_now)
            return InvalidInput(f"{gone} has passed. Give a time still to come, like {examples(self.now)}.")
        return InvalidInput(f'Which time on {show_day(day, local_now)}? Try "{rest} 20:00".')

    def _unreadable(self) -> InvalidInput:
        return unreadable(self.original, self.now, self.language)
