"""Zones a member may name in a time ("PST", "8pm eastern", "UTC+2", "Europe/London"), and the
club's numeric date order, which comes from the country of its timezone."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, available_timezones

from docclub.core.errors import InvalidInput
from docclub.core.when.wording import day_label

DATE_ORDERS = ("dmy", "mdy", "ymd")


# Zone words. A name of a zone that changes its clocks means that region's wall clock, whatever
# the season: "PST" in July is Pacific time (PDT), "CET" in summer is Central European (CEST).
# UTC, GMT, Z and written offsets ("UTC+2", "+02:00") are fixed.
REGION_WORDS: dict[str, tuple[str, str]] = {}
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
        REGION_WORDS[_word] = (_zone, _name)

# Abbreviations that name several zones: read as in REGION_WORDS, except in a club whose own
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

_MDY_COUNTRIES = {"US", "CA", "PH", "FM", "MH", "PW", "AS", "GU", "MP", "PR", "VI", "UM"}
_YMD_COUNTRIES = {"CN", "JP", "KR", "KP", "TW", "HU", "MN", "LT"}


@dataclass(frozen=True, slots=True)
class Written:
    """A zone the member named: its clock, their word for it and, for a region, its name."""

    zone: tzinfo
    word: str
    region: str | None


def date_order_for(tz: str, setting: str | None = None) -> str:
    """The club's numeric date order: its `date_order` setting, else the custom of the country
    its timezone is in (month first in the United States, year first in Japan, day first in
    most of the world)."""
    if setting:
        return setting
    country = zone_countries().get(tz)
    if country is None and tz.startswith(("US/", "Canada/")):
        country = "US"
    if country in _MDY_COUNTRIES:
        return "mdy"
    if country in _YMD_COUNTRIES:
        return "ymd"
    return "dmy"


def find_zone(
    words: str, club_tz: str, original: str, unreadable: Callable[[], InvalidInput]
) -> tuple[Written | None, str]:
    """Find the one zone the text names, if any; return it and the text without it. `club_tz`
    decides what an abbreviation of several zones means; `unreadable` is the refusal for a
    nonsense offset."""
    found: list[Written] = []

    def fixed(sign: str, hours: str, minutes: str | None, word: str) -> tzinfo:
        span = timedelta(hours=int(hours), minutes=int(minutes or 0))
        if span > timedelta(hours=14) or int(minutes or 0) >= 60:
            raise unreadable()
        offset = -span if sign == "-" else span
        return timezone(offset, word) if offset else UTC

    def written_offset(match: re.Match[str]) -> str:
        word = f"{match.group(1).upper()}{match.group(2)}{match.group(3)}"
        word += f":{match.group(4)}" if match.group(4) else ""
        found.append(Written(fixed(match.group(2), match.group(3), match.group(4), word), word, None))
        return " "

    def clock_offset(match: re.Match[str]) -> str:
        if match.group(5):
            found.append(Written(UTC, "UTC", None))
        else:
            word = f"{match.group(2)}{match.group(3)}:{match.group(4)}"
            found.append(Written(fixed(match.group(2), match.group(3), match.group(4), word), word, None))
        return f"{match.group(1)} "

    def zone_name(match: re.Match[str]) -> str:
        key = zone_names().get(match.group(0))
        if key is None:
            return match.group(0)
        found.append(Written(ZoneInfo(key), key, None))
        return " "

    words = _WRITTEN_OFFSET.sub(written_offset, words)
    words = _CLOCK_OFFSET.sub(clock_offset, words)
    words = _ZONE_NAME.sub(zone_name, words)

    def region_name(match: re.Match[str]) -> str:
        continent = club_tz.split("/")[0]
        zone, region = _REGION_NAMES.get(f"{continent}:{match.group(1)}") or _REGION_NAMES[match.group(1)]
        found.append(Written(ZoneInfo(zone), region, region))
        return " "

    words = _REGION_NAME.sub(region_name, words)
    kept = []
    for token in words.split():
        bare = token.rstrip(".")
        if bare in _FIXED_WORDS:
            found.append(Written(UTC, _FIXED_WORDS[bare], None))
        elif bare in REGION_WORDS:
            zone, region = _LOCAL_MEANINGS.get(bare, {}).get(club_tz) or REGION_WORDS[bare]
            found.append(Written(ZoneInfo(zone), bare.upper(), region))
        else:
            kept.append(token)
    if len(found) > 1:
        shown = " and ".join(w.word for w in found)
        raise InvalidInput(f'"{original}" names two zones ({shown}). Give the time in one zone.')
    return (found[0] if found else None), " ".join(kept)


def zone_note(result: datetime, written: Written, club_tz: str) -> str | None:
    """What the reply says when a time was written in another zone than the club's: the time in
    the club's zone and how the member's words were read (None when there is nothing to say)."""
    theirs = result.astimezone(written.zone)
    ours = result.astimezone(ZoneInfo(club_tz))
    same_clock = theirs.replace(tzinfo=None) == ours.replace(tzinfo=None)
    generic = written.word in _GENERIC_WORDS or written.word == written.region
    named_right = written.region is None or generic or theirs.tzname() == written.word
    if same_clock and named_right:
        return None
    wrote = f"{day_label(theirs.date(), with_year=False)} {theirs:%H:%M} {written.word}"
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
    club_time = f"{day_label(ours.date(), with_year=False)} {ours:%H:%M} {ours.tzname()}"
    return f"{club_time} in the club's time ({club_tz}) — you wrote {wrote}{read_as}."


def localise(wall: datetime, zone: tzinfo) -> datetime:
    """Attach the zone to a wall-clock time; refuse times the clocks skip over."""
    aware = wall.replace(tzinfo=zone, fold=0)  # fold=0: of a repeated hour, the first
    round_trip = aware.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != wall:
        name = zone.key if isinstance(zone, ZoneInfo) else str(zone)
        raise InvalidInput(
            f"{day_label(wall.date(), with_year=True)} {wall:%H:%M} does not exist in "
            f"{name}: the clocks go forward that night. Pick a time before or after the "
            f'change, like "{round_trip:%Y-%m-%d %H:%M}".'
        )
    return aware


@cache
def zone_country(tz: str) -> str | None:
    """The ISO 3166-1 code of the country a tz database zone is in ("Europe/Berlin" -> "DE");
    None for zones of no country (UTC, Etc/GMT+2)."""
    country = zone_countries().get(tz)
    if country is None and tz.startswith(("US/", "Canada/")):
        return "US" if tz.startswith("US/") else "CA"
    return country


@cache
def countries() -> dict[str, str]:
    """Every ISO 3166-1 country code and its English name, from the iso3166.tab shipped with tzdata."""
    table = resources.files("tzdata").joinpath("zoneinfo", "iso3166.tab").read_text(encoding="utf-8")
    return {
        row.split("\t")[0]: row.split("\t")[1].strip()
        for row in table.splitlines()
        if row and not row.startswith("#") and "\t" in row
    }


def zone_names() -> dict[str, str]:
    """Every tz database name, by its lower-case spelling."""
    return {name.lower(): name for name in available_timezones()}


@cache
def zone_countries() -> dict[str, str]:
    """The country of each tz database zone, from the zone.tab shipped with tzdata."""
    table = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    countries: dict[str, str] = {}
    for row in table.splitlines():
        if row and not row.startswith("#"):
            parts = row.split("\t")
            countries[parts[2]] = parts[0]
    return countries
