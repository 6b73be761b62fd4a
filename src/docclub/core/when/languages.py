"""Times written in other languages than English: dateparser's dictionaries translate the words
("samedi prochain 20h" -> "next saturday 20:00"), and a refusal in an English club says which
language the words look like, so an organizer can set it."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache

from dateparser.conf import settings as dateparser_defaults
from dateparser.data.languages_info import language_order
from dateparser.languages.loader import default_loader

from docclub.core.errors import InvalidInput
from docclub.core.replies import cmd, line
from docclub.core.when.spans import relative_span


def examples(now: datetime) -> str:
    """Times to write, as a refusal suggests them: the dated one a week from `now`, never a day
    gone by."""
    return f'"sat 20:00", "{now.date() + timedelta(days=7):%Y-%m-%d} 20:00" or "tomorrow 19:30"'


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


def find_language(value: str) -> str | None:
    """The dateparser language code for `value` ("fr", "DE", "pt-BR" -> its code), else None."""
    wanted = value.strip().lower().replace("_", "-")
    for code in language_order:
        if code.lower() == wanted:
            return code
    return None


def normalise(original: str) -> str:
    words = original.lower()
    words = re.sub(r"(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", r"\1 ", words)  # ISO "2026-12-05T20:00"
    words = re.sub(r"\b([ap])\.m\.?", r"\1m", words)
    words = re.sub(r",(?!\d)", " ", words)
    kept = [word for word in words.split() if word not in ("on", "at")]
    return " ".join(kept)


def translate(original: str, language: str) -> str:
    """A phrase of another language in the English words this module reads, by dateparser's
    dictionaries ("samedi prochain 20h" -> "next saturday 20:00")."""
    text = re.sub(r"(?i)(\d{1,2})(?:[:.](\d{2}))?\s*uhr\b", lambda m: f"{m.group(1)}:{m.group(2) or '00'}", original)
    translated = _locale(language).translate(text, keep_formatting=False, settings=dateparser_defaults)
    words = normalise(translated)
    for said, meant in _EVENING_PHRASES.items():
        words = re.sub(rf"\b{said}\b", meant, words)
    words = re.sub(r"^in 1 day\b", "tomorrow", words)  # "demain" comes back as a span
    words = re.sub(r"^0 day ago\b", "today", words)
    if relative_span(words) is None:  # "in 2 hour" is a span; "samedi 20h" -> "saturday 20 hour"
        words = re.sub(r"\b(\d{1,2})\s?hour\b", r"\1:00", words)
        words = re.sub(r"\b(\d{1,2}:\d{2})\s?hour\b", r"\1", words)
    tokens = [t for t in words.replace("'", " ").split() if t not in _FILLER_WORDS]
    if any(t in _NEXT_WORDS for t in tokens):
        tokens = ["next"] + [t for t in tokens if t not in _NEXT_WORDS and t != "next"]
    return " ".join(tokens)


def unreadable(original: str, now: datetime, language: str = "en") -> InvalidInput:
    shown = original if len(original) <= 40 else original[:40] + "…"
    said = f'I couldn\'t read "{shown}" as a time. Try {examples(now)}.'
    other = other_language(original) if language == "en" else None
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


def other_language(original: str) -> str | None:
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
