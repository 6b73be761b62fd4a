"""The club's settings: what each one means, and reading a new value for one (`config set`).

Plain rules on values, no store: `settings` (the `config` commands) and `backup_values` (a
backup's settings are checked as `config set` checks them) both use them.
"""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo, available_timezones

from docclub.core.errors import InvalidInput
from docclub.core.models import ClubConfig, RatingScale
from docclub.core.replies import cmd, span_words
from docclub.core.text import SHORT_MAX, clean
from docclub.core.when import (
    DATE_ORDERS,
    check_offset,
    countries,
    date_order_for,
    find_language,
    parse_offset,
    warm_up,
    zone_country,
)

DEFAULT_REGION = "US"  # streaming offers for a club whose timezone is of no country (UTC)

SETTING_HELP: dict[str, str] = {
    "timezone": "the club's timezone, e.g. Europe/Berlin (times are read and shown in it)",
    "rating_scale": "10 (whole numbers 1–10) or stars (0.5–5 in half stars)",
    "reminders": "when to remind before a party, e.g. 24h,1h,0 (0 = at the start)",
    "announce_channel": "where reminders and announcements go, e.g. #watch-party (or none)",
    "organizer_role": "the role whose members are organizers, e.g. @Organizers (or none)",
    "organizers": "members who are organizers, comma-separated (e.g. alice, bob or <@U123>)",
    "members_add_to_polls": "yes or no: may members add films to an open poll",
    "date_order": "how dates like 12/05 are read: dmy (5 Dec), mdy (Dec 5), ymd, or auto (from the timezone)",
    "language": "the language members write times in, e.g. en, fr, de (replies stay English)",
    "region": "the country whose streaming offers films show, e.g. US, GB, DE, or auto (from the timezone)",
    "page_reveal_days": "days after a film's party before the club page shows its scores, e.g. 14",
}
MAX_REVEAL_DAYS = 3650


MAX_REMINDERS = 6
MAX_ORGANIZERS = 50
SETTING_MAX = SHORT_MAX * 5  # the longest value `config set` takes


def _parse_offsets(value: str) -> tuple[int, ...]:
    return check_reminder_offsets([parse_offset(part) for part in value.replace(" ", "").split(",") if part])


def check_reminder_offsets(offsets: list[int]) -> tuple[int, ...]:
    """The club's reminder times (minutes before a party): at most 6 distinct, each 0 to 7 days."""
    out = {check_offset(minutes) for minutes in offsets}
    if len(out) > MAX_REMINDERS:
        raise InvalidInput(
            f"At most {MAX_REMINDERS} reminder times, please.",
            usage=cmd("config set", key="reminders", value="24h,1h,0"),
        )
    return tuple(sorted(out, reverse=True))


def check_organizers(ids: list[str]) -> tuple[str, ...]:
    """The club's own organizers (user ids): at most 50."""
    out = tuple(dict.fromkeys(ids))
    if len(out) > MAX_ORGANIZERS:
        raise InvalidInput(
            f"At most {MAX_ORGANIZERS} organizers, please.",
            usage=cmd("config set", key="organizers", value="alice, bob"),
        )
    return out


def check_timezone(name: str) -> str:
    """A timezone name exactly as the tz database spells it (what `config set timezone` stores)."""
    found = _find_timezone(name)
    if found != name:
        raise InvalidInput(f"{name!r} is not a timezone name as the tz database spells it; did you mean {found}?")
    return found


def _strip_mention(value: str) -> str:
    value = value.strip()
    if value.startswith("<@") and value.endswith(">"):
        value = value[2:-1].lstrip("!&")
    return value.lstrip("@#")


def describe_offset(minutes: int) -> str:
    return "at the start" if minutes == 0 else f"{span_words(minutes * 60)} before"


def apply_setting(config: ClubConfig, name: str, value: str) -> ClubConfig:
    """The config with one setting changed, or InvalidInput saying what is accepted."""
    name = name.strip().lower().replace("-", "_")
    value = clean(value, "value", SETTING_MAX)
    if name == "timezone":
        tz = _find_timezone(value)
        return replace(config, timezone=tz)
    if name in ("rating_scale", "scale"):
        v = value.lower()
        if v in ("10", "1-10", "1–10", "ten"):
            return replace(config, rating_scale=RatingScale.TEN)
        if v in ("stars", "5", "star", "0.5-5"):
            return replace(config, rating_scale=RatingScale.STARS)
        raise InvalidInput(
            "The rating scale is either 10 (1–10) or stars (0.5–5).",
            usage=cmd("config set", key="rating_scale", value="10|stars"),
        )
    if name in ("reminders", "reminder_offsets"):
        if value.lower() in ("none", "off"):
            return replace(config, reminder_offsets=())
        return replace(config, reminder_offsets=_parse_offsets(value))
    if name in ("announce_channel", "channel"):
        return replace(config, announce_channel=None if value.lower() == "none" else value)
    if name == "organizer_role":
        return replace(config, organizer_role=None if value.lower() == "none" else _strip_mention(value))
    if name == "organizers":
        if value.lower() == "none":
            return replace(config, organizers=())
        return replace(config, organizers=check_organizers([_strip_mention(v) for v in value.split(",") if v.strip()]))
    if name == "members_add_to_polls":
        v = value.lower()
        if v in ("yes", "on", "true", "1"):
            return replace(config, members_add_to_polls=True)
        if v in ("no", "off", "false", "0"):
            return replace(config, members_add_to_polls=False)
        raise InvalidInput("Say yes or no.", usage=cmd("config set", key="members_add_to_polls", value="yes|no"))
    if name == "date_order":
        v = value.lower().replace("/", "").replace("-", "")
        if v in ("auto", "default", "none"):
            return replace(config, date_order=None)
        if v not in DATE_ORDERS:
            raise InvalidInput(
                "The date order is dmy (12/05 is 12 May), mdy (12/05 is 5 December), ymd, or auto.",
                usage=cmd("config set", key="date_order", value="dmy|mdy|ymd|auto"),
            )
        return replace(config, date_order=v)
    if name == "language":
        code = find_language(value)
        if code is None:
            raise InvalidInput(
                f"{value[:20]!r} is not a language I can read times in. Use a code like en, fr, de, es, "
                "it, pt, nl or ja.",
                usage=cmd("config set", key="language", value="fr"),
            )
        warm_up((code,))  # so that the club's next time is read without the language's load time
        return replace(config, language=code)
    if name == "region":
        return replace(config, region=_find_region(value))
    if name == "page_reveal_days":
        days = value.lower().removesuffix("days").removesuffix("d").strip()
        if not days.isdigit() or int(days) > MAX_REVEAL_DAYS:
            raise InvalidInput(
                f"page_reveal_days is a number of days from 0 to {MAX_REVEAL_DAYS}.",
                usage=cmd("config set", key="page_reveal_days", value="14"),
            )
        return replace(config, page_reveal_days=int(days))
    known = ", ".join(SETTING_HELP)
    raise InvalidInput(
        f"There is no setting called {name!r}. Settings: {known}.", usage=cmd("config set", key=None, value=None)
    )


def date_order_shown(config: ClubConfig) -> str:
    if config.date_order:
        return config.date_order
    return f"{date_order_for(config.timezone)} (from the timezone)"


def region_shown(config: ClubConfig) -> str:
    if config.region:
        return config.region
    country = zone_country(config.timezone)
    return f"{country} (from the timezone)" if country else f"{DEFAULT_REGION} (the timezone names no country)"


def _find_region(value: str) -> str | None:
    wanted = value.strip()
    if wanted.lower() in ("auto", "default", "none"):
        return None
    names = countries()
    if wanted.upper() in names:
        return wanted.upper()
    by_name = {name.lower(): code for code, name in names.items()}
    found = by_name.get(wanted.lower())
    if found is None:
        raise InvalidInput(
            f"{value[:40]!r} is not a country I know. Use its two-letter code, like US, GB, DE or BR, or auto.",
            usage=cmd("config set", key="region", value="GB"),
        )
    return found


_TZ_CACHE: dict[str, str] = {}


def _find_timezone(value: str) -> str:
    if not _TZ_CACHE:
        _TZ_CACHE.update({tz.lower(): tz for tz in available_timezones()})
    found = _TZ_CACHE.get(value.strip().lower().replace(" ", "_"))
    if found is None:
        raise InvalidInput(
            f"{value!r} is not a timezone I know. Use a name from the tz database, "
            "like Europe/Berlin, America/New_York or UTC.",
            usage=cmd("config set", key="timezone", value="Europe/Berlin"),
        )
    ZoneInfo(found)
    return found
