"""Days a member names: a weekday ("sat", "next fri"), today or tomorrow, and the calendar
dates dateparser reads in what is left ("5 dec", "december 5th", "5. Dezember")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypeAlias

from dateparser.date import DateDataParser

from docclub.core.when.wording import day_label

WEEKDAYS: dict[str, int] = {}
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
        WEEKDAYS[_spelling] = _number

_WEEKDAY_PHRASE = re.compile(r"(?:(next|this|coming|this coming)\s+)?([a-z]+)\.?")


@dataclass(frozen=True, slots=True)
class Weekday:
    """A day named by its weekday: the next such day, today included unless `strict`."""

    weekday: int
    strict: bool
    said: str  # the words, for the reply: "next fri"


Day: TypeAlias = date | Weekday


def keyword_day(words: str, today: date) -> Day | None:
    if words in ("today", "tonight"):
        return today
    if words in ("tomorrow", "tmrw", "tmr"):
        return today + timedelta(days=1)
    match = _WEEKDAY_PHRASE.fullmatch(words)
    if match and match.group(2) in WEEKDAYS:
        return Weekday(WEEKDAYS[match.group(2)], strict=match.group(1) == "next", said=words)
    return None


def dateparser_day(words: str, base: datetime, order: str, language: str) -> date | None:
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


def show_day(day: Day, local_now: datetime) -> str:
    if isinstance(day, Weekday):
        ahead = (day.weekday - local_now.weekday()) % 7 or (7 if day.strict else 0)
        day = local_now.date() + timedelta(days=ahead)
    return day_label(day, with_year=day.year != local_now.year)


def date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
