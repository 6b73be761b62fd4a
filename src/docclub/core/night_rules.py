"""Club night rules: the words an organizer writes ("first friday", "every other thursday",
"15th") read into a recurrence, and the nights it gives in the club's timezone.

The calendar arithmetic is dateutil's `rrule` (RFC 5545 recurrence rules), never ours. A rule
runs on the club's wall clock: occurrences are computed as local dates and times and only then
placed in the timezone, so a 20:00 night stays 20:00 across a daylight-saving change. A time the
clocks skip (02:30 on the night they go forward) becomes the same wall time after the change
(03:30); a time that happens twice is the first of the two.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

from docclub.core.errors import InvalidInput

__all__ = [
    "RULE_FORMS",
    "NightRule",
    "clock_words",
    "local_start",
    "nights_after",
    "read_clock",
    "read_lead",
    "read_rule",
    "rrule_of",
]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RRULE_DAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "last": -1,
}
_ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
# Forms a member can copy when a rule is not understood.
RULE_FORMS = '"every saturday", "every other thursday", "first friday", "last sunday" or "15th"'
_FILLER = frozenset({"of", "the", "each", "every", "month", "monthly", "in", "a", "on", "at"})
_FORTNIGHT = re.compile(r"\bevery (other|second|2nd)\b|\b(2|two) weeks\b|\bfortnightly\b|\bbiweekly\b")
_FORTNIGHT_WORDS = frozenset({"other", "second", "2nd", "2", "two", "weeks", "week", "fortnightly", "biweekly"})
_MAX_RULE = 60


@dataclass(frozen=True, slots=True)
class NightRule:
    """A recurrence a member can say. Weekly (`interval` 1 or 2) on `weekday`; or monthly on
    the `nth` `weekday` (1–4, or -1 for the last), or on day `monthday` of the month."""

    freq: str  # "weekly" | "monthly"
    weekday: int | None = None  # 0 = Monday
    interval: int = 1
    nth: int | None = None
    monthday: int | None = None

    @property
    def words(self) -> str:
        """The rule as the grammar writes it, and as it is stored: "first friday"."""
        if self.freq == "weekly":
            assert self.weekday is not None
            return f"every {'other ' if self.interval == 2 else ''}{WEEKDAYS[self.weekday]}"
        if self.monthday is not None:
            return _ordinal_day(self.monthday)
        assert self.nth is not None and self.weekday is not None
        return f"{_ORDINAL_WORDS[self.nth]} {WEEKDAYS[self.weekday]}"

    @property
    def described(self) -> str:
        """For replies: "the first Friday of every month", "every other Thursday"."""
        if self.freq == "weekly":
            assert self.weekday is not None
            return f"every {'other ' if self.interval == 2 else ''}{WEEKDAYS[self.weekday].title()}"
        if self.monthday is not None:
            return f"the {_ordinal_day(self.monthday)} of every month"
        assert self.nth is not None and self.weekday is not None
        return f"the {_ORDINAL_WORDS[self.nth]} {WEEKDAYS[self.weekday].title()} of every month"

    @property
    def ical(self) -> str:
        """The RFC 5545 RRULE value (no DTSTART): "FREQ=MONTHLY;BYDAY=1FR"."""
        if self.freq == "weekly":
            assert self.weekday is not None
            every = f";INTERVAL={self.interval}" if self.interval != 1 else ""
            return f"FREQ=WEEKLY{every};BYDAY={_ICAL_DAYS[self.weekday]}"
        if self.monthday is not None:
            return f"FREQ=MONTHLY;BYMONTHDAY={self.monthday}"
        assert self.nth is not None and self.weekday is not None
        return f"FREQ=MONTHLY;BYDAY={self.nth}{_ICAL_DAYS[self.weekday]}"


def _ordinal_day(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _weekday(word: str) -> int | None:
    """0–6 for a weekday's name, its plural or a prefix of three letters or more ("fri",
    "thurs", "fridays"); None otherwise."""
    w = word.rstrip(".")
    for candidate in (w, w[:-1] if w.endswith("s") else ""):
        if len(candidate) >= 3:
            for i, name in enumerate(WEEKDAYS):
                if name.startswith(candidate):
                    return i
    return None


def read_rule(text: str) -> NightRule:
    """Read a rule a member wrote. Weekly: "every saturday", "saturdays", "every other
    thursday" (also "every second thursday", "every 2 weeks on thursday", "fortnightly on
    thursday"). Monthly: "first friday" ("1st fri", "the first friday of the month"),
    "second"…"fourth", "last sunday", "15th" ("the 15th", "15th of every month").
    Raises InvalidInput with forms to copy."""
    said = " ".join(text.strip().lower().replace(",", " ").split())[:_MAX_RULE]
    if not said:
        raise InvalidInput(f"Which nights? Write a rule like {RULE_FORMS}.")
    fortnight = bool(_FORTNIGHT.search(said))
    words = said.split()
    every = words[0] in ("every", "each") or (len(words[-1]) > 4 and words[-1].endswith("s"))
    core = [w for w in words if w not in _FILLER and not (fortnight and w in _FORTNIGHT_WORDS)]
    if len(core) == 1 and (day := re.fullmatch(r"(\d{1,2})(st|nd|rd|th)", core[0])) is not None:
        n = int(day.group(1))
        if not 1 <= n <= 31:
            raise InvalidInput(f'A month has no day {n}. Write a day from 1st to 31st, like "15th".')
        return NightRule("monthly", monthday=n)
    if len(core) == 1 and (weekday := _weekday(core[0])) is not None:
        if fortnight or every:
            return NightRule("weekly", weekday=weekday, interval=2 if fortnight else 1)
        name = WEEKDAYS[weekday]
        raise InvalidInput(
            f'Every {name.title()}, or one {name.title()} a month? Write "every {name}", '
            f'"every other {name}", "first {name}" or "last {name}".'
        )
    if len(core) == 2 and core[0] in _ORDINALS and not fortnight and (weekday := _weekday(core[1])) is not None:
        return NightRule("monthly", weekday=weekday, nth=_ORDINALS[core[0]])
    if len(core) == 2 and core[0] in ("fifth", "5th"):
        raise InvalidInput(
            "Most months have no fifth " + core[1].title() + f'. Write "last {core[1]}" or {RULE_FORMS}.'
        )
    raise InvalidInput(f"I couldn't read {text.strip()[:40]!r} as a rule for club nights. Write {RULE_FORMS}.")


_CLOCK = re.compile(r"(\d{1,2})(?:[:h.](\d{2}))?\s*(am|pm|h)?")


def read_clock(text: str) -> time:
    """A night's time of day: "20:00", "8pm", "8:30 pm", "20h", "20h30". A bare hour from 1
    to 12 ("8") is refused with both readings to copy."""
    said = text.strip().lower().replace(" ", "")
    m = _CLOCK.fullmatch(said)
    if m is None:
        raise InvalidInput(f'I couldn\'t read {text.strip()[:20]!r} as a time of day. Write it like "20:00" or "8pm".')
    hour, minute, mark = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    if mark in ("am", "pm"):
        if not 1 <= hour <= 12:
            raise InvalidInput(f'{text.strip()[:20]!r} is not a time: "8pm" or "20:00" are.')
        hour = hour % 12 + (12 if mark == "pm" else 0)
    elif mark is None and m.group(2) is None and 1 <= hour <= 12:
        raise InvalidInput(
            f'"{hour}" could be {hour:02d}:00 or {hour + 12 if hour < 12 else 0:02d}:00. '
            f'Write "{(hour % 12) + 12:02d}:00" or "{hour:02d}:00".'
        )
    if hour > 23 or minute > 59:
        raise InvalidInput(f'{text.strip()[:20]!r} is not a time of day. Write it like "20:00".')
    return time(hour, minute)


def clock_words(at: time) -> str:
    return f"{at:%H:%M}"


_LEAD = re.compile(r"(\d{1,3})\s*(d|days?|h|hours?|w|weeks?|m|min|minutes?)")
_LEAD_UNITS = {"d": 1440, "h": 60, "w": 7 * 1440, "m": 1}


def read_lead(text: str, option: str, *, maximum_days: int = 28) -> int:
    """How long before the night something happens (`--poll 7d`, `--closes 1d`), in minutes:
    "7d", "36h", "2w", "90m", "0"."""
    said = text.strip().lower().replace(" ", "")
    if said in ("0", "0d", "0h"):
        return 0
    m = _LEAD.fullmatch(said)
    if m is None:
        raise InvalidInput(
            f"I couldn't read {text.strip()[:20]!r} as a time before the night. Write it like --{option} 7d, "
            f"--{option} 36h or --{option} 2w."
        )
    minutes = int(m.group(1)) * _LEAD_UNITS[m.group(2)[0]]
    if minutes > maximum_days * 1440:
        raise InvalidInput(f"--{option} can be at most {maximum_days} days before the night.")
    return minutes


def rrule_of(rule: NightRule, first: date, at: time) -> rrule.rrule:
    """The dateutil recurrence of `rule`, on naive local wall-clock times, counted from `first`
    (the anchor: "every other" weeks are counted from it)."""
    start = datetime.combine(first, at)
    if rule.freq == "weekly":
        assert rule.weekday is not None
        return rrule.rrule(rrule.WEEKLY, dtstart=start, interval=rule.interval, byweekday=_RRULE_DAYS[rule.weekday])
    if rule.monthday is not None:
        return rrule.rrule(rrule.MONTHLY, dtstart=start, bymonthday=rule.monthday)
    assert rule.nth is not None and rule.weekday is not None
    return rrule.rrule(rrule.MONTHLY, dtstart=start, byweekday=_RRULE_DAYS[rule.weekday](rule.nth))


def local_start(wall: datetime, tz: str) -> datetime:
    """A wall-clock time of the club as an instant (UTC). A time the clocks skip is read with
    the offset before the change, which lands after it (02:30 -> 03:30); of a repeated hour,
    the first."""
    return wall.replace(tzinfo=ZoneInfo(tz), fold=0).astimezone(UTC)


def nights_after(rule: NightRule, first: date, at: time, tz: str, after: datetime) -> Iterator[datetime]:
    """The rule's nights strictly after the instant `after`, in order, as UTC instants."""
    zone = ZoneInfo(tz)
    local_after = after.astimezone(zone).replace(tzinfo=None) - timedelta(days=1)
    for wall in rrule_of(rule, first, at).xafter(max(local_after, datetime.combine(first, at)), inc=True):
        instant = local_start(wall, tz)
        if instant > after:
            yield instant


def first_night_on_or_after(rule: NightRule, day: date, at: time) -> date:
    """The anchor of a new night: the first date on or after `day` that the rule gives."""
    # Weekly: the first such weekday (counting every week, so an "every other" rule starts on
    # the first one rather than on dateutil's second week); monthly: from the month's start.
    every_week = replace(rule, interval=1)
    probe = rrule_of(every_week, _month_start(day) if rule.freq == "monthly" else day, at)
    found = probe.after(datetime.combine(day, time(0, 0)), inc=True)
    assert found is not None
    return found.date()


def _month_start(day: date) -> date:
    return day.replace(day=1)
