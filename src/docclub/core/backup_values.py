"""The rules a backup's values pass: each one the rule of the command that makes the value.

A value of a backup is refused unless the command that makes it would have accepted it: the
same length, character, range and link rules. The checks call the commands' own rules
(`film_rules`, `club_config`, `when`, `prompts`), so the two cannot drift apart; `rule` turns
one into a pydantic validator whose message is ours. `backup_format` puts them together.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import PlainValidator
from pydantic_core import PydanticCustomError

from docclub.core.club_config import (
    MAX_REVEAL_DAYS,
    SETTING_MAX,
    check_organizers,
    check_reminder_offsets,
    check_timezone,
)
from docclub.core.errors import DocclubError
from docclub.core.film_rules import check_year
from docclub.core.prompts import validate_prompt_text
from docclub.core.text import SHORT_MAX, clean, clean_name
from docclub.core.when import DATE_ORDERS, check_duration, check_offset, countries, find_language

MAX_ID = 999_999_999  # a `#id` a member can type has at most 9 digits
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(2200, 1, 1, tzinfo=UTC)

T = TypeVar("T")


def shown(value: Any) -> str:
    """A value as a refusal quotes it: its repr, cut to 40 characters."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def _problem(message: str) -> PydanticCustomError:
    # Braces in a member's text must not be read as pydantic's message placeholders.
    return PydanticCustomError("backup", "{problem}", {"problem": message})


def sentence(message: str) -> str:
    """`message` as a sentence: ending in a full stop unless it ends in one, a ? or a !."""
    message = message.strip()
    return message if message.endswith((".", "?", "!")) else message + "."


def rule(check: Callable[[Any], T]) -> Any:
    """A pydantic validator from a check that raises InvalidInput (the commands' own) or ValueError."""

    def run(value: Any) -> T:
        try:
            return check(value)
        except DocclubError as exc:
            raise _problem(sentence(exc.message)) from None
        except (ValueError, OverflowError) as exc:
            raise _problem(sentence(str(exc))) from None

    return PlainValidator(run)


# ---- value rules ----


def _str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{shown(value)} is not {what}")
    return value


def an_int(value: Any, what: str, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{shown(value)} is not {what}")
    if not low <= value <= high:
        raise ValueError(f"{value} is not {what} (from {low} to {high})")
    return value


def optional(check: Callable[[Any], T]) -> Callable[[Any], T | None]:
    return lambda value: None if value is None else check(value)


def list_of(check: Callable[[Any], T], what: str) -> Callable[[Any], list[T]]:
    def run(value: Any) -> list[T]:
        if not isinstance(value, list):
            raise ValueError(f"{shown(value)} is not a list of {what}")
        return [check(item) for item in value]

    return run


def choice(kind: type[T], what: str) -> Callable[[Any], T]:
    def run(value: Any) -> T:
        try:
            return kind(_str(value, what))  # type: ignore[call-arg]
        except ValueError:
            allowed = ", ".join(str(v) for v in kind)  # type: ignore[attr-defined]
            raise ValueError(f"{shown(value)} is not {what} ({allowed})") from None

    return run


def an_id(value: Any) -> int:
    return an_int(value, "an id", 1, MAX_ID)


def a_user_id(value: Any) -> str:
    return clean(_str(value, "a user id"), "user id", SHORT_MAX)


def a_name(value: Any) -> str:
    """Display names come from the platform: tidied the way the commands tidy them."""
    return clean_name(_str(value, "a display name"))


def a_time(value: Any) -> datetime:
    text = _str(value, "a time")
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{shown(value)} is not a time (like 2026-12-05T19:00:00.000+00:00)") from None
    if at.tzinfo is None:
        raise ValueError(f"{shown(value)} has no UTC offset (like +00:00)")
    at = at.astimezone(UTC)
    if not EARLIEST <= at < LATEST:
        raise ValueError(f"{shown(value)} is not a time between 1970 and 2200")
    return at


def a_year(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{shown(value)} is not a year")
    return check_year(value, datetime.now(UTC).year) or value


def a_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{shown(value)} is not true or false")
    return value


def a_text(what: str, limit: int, *, multiline: bool = False) -> Callable[[Any], str]:
    return lambda value: clean(_str(value, what), what, limit, multiline=multiline)


def a_film_text(check: Callable[[str], str], name: str) -> Callable[[Any], str]:
    """A film's `name` (link, where, pitch), checked as `suggest` checks it."""
    return lambda value: check(_str(value, f"a film's {name}"))


def a_film_list(check: Callable[[tuple[str, ...]], tuple[str, ...]], name: str) -> Callable[[Any], tuple[str, ...]]:
    """A film's `name` (warnings, tags), checked as `suggest` checks it."""
    items = list_of(lambda v: _str(v, f"a {name[:-1]} (text)"), f"{name} (text)")
    return lambda value: check(tuple(items(value)))


def a_timezone(value: Any) -> str:
    return check_timezone(_str(value, "a timezone"))


def a_reminder_list(value: Any) -> tuple[int, ...]:
    return check_reminder_offsets(
        list_of(lambda v: an_int(v, "a number of minutes", -(10**9), 10**9), "minutes")(value)
    )


def an_organizer_list(value: Any) -> tuple[str, ...]:
    return check_organizers(list_of(a_user_id, "user ids")(value))


def a_date_order(value: Any) -> str:
    if _str(value, "a date order") not in DATE_ORDERS:
        raise ValueError(f"{shown(value)} is not a date order ({', '.join(DATE_ORDERS)}, or null for auto)")
    return str(value)


def a_reveal_days(value: Any) -> int:
    return an_int(value, "a number of days", 0, MAX_REVEAL_DAYS)


def a_language(value: Any) -> str:
    if find_language(_str(value, "a language code")) != value:
        raise ValueError(f"{shown(value)} is not a language docclub reads times in (like en, fr, de)")
    return str(value)


def a_region(value: Any) -> str:
    if _str(value, "a country code") not in countries():
        raise ValueError(f"{shown(value)} is not a country code (like US, GB, DE)")
    return str(value)


def a_setting(value: Any) -> str:
    return clean(_str(value, "a setting's value"), "value", SETTING_MAX)


def a_duration(value: Any) -> int:
    return check_duration(an_int(value, "a number of minutes", -(10**9), 10**9))


def a_dm_offset(value: Any) -> int:
    return check_offset(an_int(value, "a number of minutes", -(10**9), 10**9))


def a_prompt(value: Any) -> str:
    return validate_prompt_text(_str(value, "a prompt"))


def a_prompt_key(value: Any) -> str:
    text = _str(value, "a prompt key")
    kind, _, number = text.partition(":")
    if kind != "film" or not number.isascii() or not number.isdigit() or not 1 <= int(number) <= MAX_ID:
        raise ValueError(f"{shown(value)} is not a member's prompt key (like film:3)")
    return text


def a_platform_ref(value: Any) -> str:
    return clean(_str(value, "a message reference"), "message reference", SHORT_MAX * 5)
