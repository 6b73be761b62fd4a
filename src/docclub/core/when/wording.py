"""How days and times are said back to members: "Sat 05 Dec 2026", "Sat 05 Dec 2026 20:00 CET",
and the refusals that name a day (a weekday that does not match its date, which midnight)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from docclub.core.errors import InvalidInput
from docclub.core.replies import cmd, line

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_WORDS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def describe(dt: datetime, tz: str) -> str:
    """Show an aware datetime in the club's timezone, like "Sat 05 Dec 2026 20:00 CET"."""
    local = dt.astimezone(ZoneInfo(tz))
    return f"{day_label(local.date(), with_year=True)} {local:%H:%M} {local.tzname()}"


def day_and_time(wall: datetime, days_later: int) -> str:
    day = wall.date() + timedelta(days=days_later)
    return f"{day_label(day, with_year=False)} {wall:%H:%M}"


def day_label(day: date, *, with_year: bool) -> str:
    label = f"{WEEKDAY_NAMES[day.weekday()]} {day.day:02d} {MONTH_NAMES[day.month - 1]}"
    return f"{label} {day.year}" if with_year else label


def wrong_weekday(day: date, weekday: int, clock: time | None) -> InvalidInput:
    """ "fri 5 dec" when 5 December is a Saturday: which of the two was meant?"""
    at = f"{clock:%H:%M}" if clock else "20:00"
    that_week = day + timedelta(days=weekday - day.weekday())
    return InvalidInput(
        f"{day_label(day, with_year=True)} is a {WEEKDAY_WORDS[day.weekday()]}, not a "
        f'{WEEKDAY_WORDS[weekday]}. Write "{day.isoformat()} {at}" for the date, or '
        f'"{that_week.isoformat()} {at}" for the {WEEKDAY_WORDS[weekday]} of that week.'
    )


def which_midnight(start: datetime) -> InvalidInput:
    """ "fri midnight" is the night before Friday to some and the night after it to others."""
    after = start + timedelta(days=1)
    return InvalidInput(
        f"Which midnight? The one that starts {day_label(start.date(), with_year=False)} is "
        f'"{start:%Y-%m-%d} 00:00"; the one that ends it is "{after:%Y-%m-%d} 00:00".'
    )


def wrong_order(words: str, swapped: str | None, order: str) -> InvalidInput:
    """A numeric date impossible in the club's date order, with the order that reads it."""
    said = {"dmy": "day/month", "mdy": "month/day", "ymd": "month/day"}[order]
    meant = f' Did you mean "{swapped}"?' if swapped else ""
    return InvalidInput(
        line(
            f'"{words}" is not a date in this club\'s date order ({said}, date_order {order}).{meant} '
            'Writing the month as a word ("5 dec") or the date as "2026-12-05" always works; an organizer '
            "can change the order with: ",
            cmd("config set", key="date_order", value="dmy|mdy|ymd"),
        )
    )
