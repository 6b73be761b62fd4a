"""Checking and comparing what members write: one place for limits and normalization."""

from __future__ import annotations

import re
import unicodedata

from docclub.core.errors import InvalidInput

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SPACE = re.compile(r"\s+")

TITLE_MAX = 200
SHORT_MAX = 100
PITCH_MAX = 500
REVIEW_MAX = 1000
LINK_MAX = 500
NAME_MAX = 80


def clean(value: str, what: str, max_len: int, *, multiline: bool = False, example: str | None = None) -> str:
    """Strip, refuse control characters and over-long text, collapse spaces.

    Raises InvalidInput naming the field and its limit, so nothing is half-written.
    """
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        bad = _CONTROL.search(value.replace("\n", " ").replace("\t", " "))
    else:
        value = value.replace("\t", " ")
        bad = _CONTROL.search(value) or re.search(r"[\n\r]", value)
    if bad:
        raise InvalidInput(
            f"The {what} contains a control character (U+{ord(bad.group()):04X}). "
            "Please use plain text." + (f" For example: {example}" if example else "")
        )
    if multiline:
        value = "\n".join(_SPACE.sub(" ", ln).strip() for ln in value.strip().split("\n"))
        value = re.sub(r"\n{3,}", "\n\n", value)
    else:
        value = _SPACE.sub(" ", value).strip()
    if not value:
        raise InvalidInput(f"The {what} is empty." + (f" For example: {example}" if example else ""))
    if len(value) > max_len:
        raise InvalidInput(f"The {what} is {len(value):,} characters long; the limit is {max_len}. Please shorten it.")
    return value


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a title, for matching and duplicates."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", stripped.casefold()).strip()


_ARTICLES = re.compile(r"^(the|a|an|le|la|les|l'|der|die|das|el|los|las)\s+")


def title_key(title: str) -> str:
    """A loose key for near-duplicate titles: folded, leading article and punctuation dropped."""
    folded = fold(title).replace("&", " and ")
    folded = re.sub(r"[^\w\s']", " ", folded)
    folded = _ARTICLES.sub("", _SPACE.sub(" ", folded).strip())
    return folded.replace("'", "").replace(" ", "")


_YEAR_SUFFIX = re.compile(r"^(?P<title>.+?)\s*\((?P<year>\d{4})\)\s*$")


def split_year(title: str) -> tuple[str, int | None]:
    """'Beyond Utopia (2023)' -> ('Beyond Utopia', 2023)."""
    m = _YEAR_SUFFIX.match(title.strip())
    if m:
        return m.group("title").strip(), int(m.group("year"))
    return title.strip(), None


def plural(n: int, word: str, words: str | None = None) -> str:
    """'1 rating', '2 ratings', '3 watch parties' (give `words` where adding s is wrong)."""
    return f"{n} {word if n == 1 else (words or word + 's')}"


_NUMBER_REF = re.compile(r"^#\s*(\d{1,9})$")


def ref_number(text: str) -> int | None:
    """The number of a `#3` reference (film, poll or party), or None when `text` is not one."""
    m = _NUMBER_REF.match(text.strip())
    return int(m.group(1)) if m else None
