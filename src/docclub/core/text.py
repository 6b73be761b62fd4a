"""Checking and comparing what members write: one place for limits and normalization."""

from __future__ import annotations

import functools
import re
import unicodedata

from docclub.core.errors import DocclubError, InvalidInput
from docclub.core.replies import Cmd, line

# Refused in everything a member writes: C0/C1 controls (terminal escapes start with ESC), the
# zero-width space and word joiners, line/paragraph separators, byte-order marks, and the bidi
# embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make text display in
# another order than it reads. Allowed, because real scripts need them: ZWNJ and ZWJ (Persian,
# Indic scripts, emoji sequences) and the direction marks LRM, RLM and ALM.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]")
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
# Joiners join nothing at the edges of a text; there they are trimmed like spaces.
_EDGE = "\u200c\u200d"
_SPACE = re.compile(r"\s+")

TITLE_MAX = 200
SHORT_MAX = 100
PITCH_MAX = 500
REVIEW_MAX = 1000
LINK_MAX = 500
NAME_MAX = 80


def clean(value: str, what: str, max_len: int, *, multiline: bool = False, example: Cmd | None = None) -> str:
    """Strip, refuse control characters and over-long text, collapse spaces.

    The one cleaning of member text (titles, pitches, reviews, prompts, places, names): every
    script's letters, ZWJ/ZWNJ and direction marks are kept; terminal escapes, bidi overrides
    and isolates are refused. Raises InvalidInput naming the field and its limit, so nothing is
    half-written.
    """
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        bad = _CONTROL.search(value.replace("\n", " ").replace("\t", " "))
    else:
        value = value.replace("\t", " ")
        bad = _CONTROL.search(value) or re.search(r"[\n\r]", value)
    if bad:
        char = bad.group()
        if _BIDI.match(char):
            kind = "a text-direction control character"
        elif char == "\x1b":
            kind = "a terminal escape character"
        elif char in "\n\r":
            kind = "a line break"
        else:
            kind = "a control character"
        raise InvalidInput(
            line(
                f"The {what} contains {kind} (U+{ord(char):04X}). Please use plain text.",
                *((" For example: ", example) if example else ()),
            )
        )
    if multiline:
        value = "\n".join(_SPACE.sub(" ", ln).strip().strip(_EDGE).strip() for ln in value.strip().split("\n"))
        value = re.sub(r"\n{3,}", "\n\n", value).strip()
    else:
        value = _SPACE.sub(" ", value).strip().strip(_EDGE).strip()
    if not value or all(unicodedata.category(ch) == "Cf" or ch.isspace() for ch in value):
        raise InvalidInput(line(f"The {what} is empty.", *((" For example: ", example) if example else ())))
    if len(value) > max_len:
        raise InvalidInput(f"The {what} is {len(value):,} characters long; the limit is {max_len}. Please shorten it.")
    return value


@functools.lru_cache(maxsize=4096)
def clean_name(name: str) -> str:
    """A member's display name as the platform gave it, cleaned; "member" when nothing fit to show is left.
    (Every command cleans its member's name: the same names again and again.)"""
    try:
        return clean(name, "display name", NAME_MAX)
    except DocclubError:
        return "member"


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a title, for matching and duplicates. Invisible
    joiners and direction marks are dropped, so a title matches with or without them."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) != "Cf")
    return _SPACE.sub(" ", stripped.casefold()).strip()


_ARTICLES = re.compile(r"^(the|a|an|le|la|les|l'|der|die|das|el|los|las)\s+")
_ROMAN = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
_NUMBER_WORDS = {
    w: i + 1
    for i, w in enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven"))
}


def _roman(word: str) -> int | None:
    if not word or not _ROMAN.match(word):
        return None
    total = 0
    for i, ch in enumerate(word):
        value = _ROMAN_VALUES[ch]
        total += -value if i + 1 < len(word) and _ROMAN_VALUES[word[i + 1]] > value else value
    return total


def _title_words(title: str) -> list[str]:
    """The title's words, folded, punctuation and a leading article dropped, and every number
    written as digits ("Part II", "Part Two" and "Part 2" all end in "2"). A roman numeral that
    opens the title is a word ("I Am Not Your Negro"), not a number."""
    folded = fold(title).replace("&", " and ")
    folded = re.sub(r"[^\w\s']", " ", folded).replace("'", "")
    folded = _ARTICLES.sub("", _SPACE.sub(" ", folded).strip())
    words = []
    for i, word in enumerate(folded.split()):
        roman = _roman(word) if i > 0 else None
        number = roman if roman is not None else _NUMBER_WORDS.get(word)
        if number is None and word.isdigit():
            number = int(word)
        words.append(str(number) if number is not None else word)
    return words


def title_key(title: str) -> str:
    """A loose key for duplicate titles: folded, leading article, punctuation and spaces dropped,
    numbers as digits; neighbouring numbers stay apart ("Fahrenheit 11/9" is "fahrenheit11.9").
    A title of symbols only (emoji) keys on its folded self. Stored with each film and indexed."""
    words = _title_words(title)
    key = ""
    for i, word in enumerate(words):
        if i and word[:1].isdigit() and key[-1:].isdigit():
            key += "."
        key += word
    return key or fold(title).replace(" ", "")


def title_numbers(title: str) -> tuple[int, ...]:
    """Every number in a title, in order: digits, roman numerals and number words. Two titles
    that differ in a number are different films (Planet Earth II and III)."""
    found: list[int] = []
    for word in _title_words(title):
        found.extend(int(n) for n in re.findall(r"\d+", word))
    return tuple(found)


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
