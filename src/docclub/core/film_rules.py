"""What a film's fields may hold, and when a new suggestion is a film the club already has.

Plain rules on values, no store: `films` (suggest) and `backup_values` (a backup's films are
checked as `suggest` checks them) both use them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from urllib.parse import urlparse

from docclub.core.errors import InvalidInput
from docclub.core.models import Film, FilmStatus, NewFilm
from docclub.core.replies import cmd, line, synopsis
from docclub.core.text import (
    LINK_MAX,
    PITCH_MAX,
    SHORT_MAX,
    TITLE_MAX,
    clean,
    ref_number,
    split_year,
    title_key,
    title_numbers,
)

SUGGEST_USAGE = synopsis("suggest")
TITLE_AND_YEAR = cmd("suggest", title="Title", year="2015")


def check_year(year: int | None, now_year: int) -> int | None:
    if year is not None and not 1870 <= year <= now_year + 2:
        raise InvalidInput(f"{year} doesn't look like a film's year (1870–{now_year + 2}).", usage=SUGGEST_USAGE)
    return year


def check_title(title: str, year: int | None) -> str:
    """A film's title as stored: one clean line of at most 200 characters that names a film
    (see `_check_title_words`; `year` is the film's, given apart from the title)."""
    title = clean(title, "title", TITLE_MAX, example=TITLE_AND_YEAR)
    _check_title_words(title, year)
    return title


def check_link(link: str) -> str:
    """A film's link: a web address (http or https) of at most 500 characters."""
    link = clean(link, "link", LINK_MAX)
    parsed = urlparse(link)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in link:
        raise InvalidInput(
            f"The link {link!r} isn't a web address. Use one starting with https://.",
            usage=cmd("suggest", title="Title", link="https://example.org/film"),
        )
    return link


def check_where(where: str) -> str:
    return clean(where, "where to watch", SHORT_MAX)


def check_pitch(pitch: str) -> str:
    return clean(pitch, "pitch", PITCH_MAX)


def check_warnings(items: tuple[str, ...]) -> tuple[str, ...]:
    return _list(items, "content warning", 15)


def check_tags(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t.lower().lstrip("#") for t in _list(items, "tag", 10))


def validate_new_film(film: NewFilm, now_year: int) -> NewFilm:
    """A clean copy of a suggestion, or InvalidInput saying which part is wrong."""
    raw_title = clean(film.title, "title", 1_000_000, example=TITLE_AND_YEAR)  # length checked below
    title, year_in_title = split_year(raw_title)
    title = check_title(title, year_in_title if year_in_title is not None else film.year)
    if film.year is not None and year_in_title is not None and film.year != year_in_title:
        raise InvalidInput(
            f"The title says ({year_in_title}) and --year says {film.year}; give the year once.",
            usage=SUGGEST_USAGE,
        )
    year = check_year(film.year if film.year is not None else year_in_title, now_year)
    link = check_link(film.link) if film.link else None
    where = check_where(film.where) if film.where else None
    pitch = check_pitch(film.pitch) if film.pitch else None
    return NewFilm(
        title=title,
        year=year,
        link=link,
        where=where,
        warnings=check_warnings(film.warnings),
        tags=check_tags(film.tags),
        pitch=pitch,
        details=film.details,
    )


_ONLY_YEAR = re.compile(r"^\(?\s*\d{4}\s*\)?$")
_ENDS_IN_YEAR = re.compile(r"\(\s*\d{4}\s*\)$")


def _check_title_words(title: str, year: int | None) -> None:
    """Refuse titles that are not names of a film: no letters, digits or symbols at all (`()`),
    only a year in brackets, two years (`Amy (2015) (2016)`), or a bare number like a year with
    no year given (`1971` is a title only beside its year: `1971 (2014)`)."""
    if ref_number(title) is not None or title.startswith("-"):
        raise InvalidInput("A title can't start with '#' and a number or with '-'.", usage=SUGGEST_USAGE)
    if not any(unicodedata.category(ch)[0] in "LNS" for ch in title):
        raise InvalidInput(f"{title!r} isn't a title: it has no letters or digits.", usage=SUGGEST_USAGE)
    if title.startswith("(") and _ONLY_YEAR.match(title):
        raise InvalidInput(
            line(f"{title} is a year, not a title. Put the title before it: ", TITLE_AND_YEAR), usage=SUGGEST_USAGE
        )
    if _ENDS_IN_YEAR.search(title):
        raise InvalidInput(
            line("That title has two years in brackets; give one, after the title: ", TITLE_AND_YEAR),
            usage=SUGGEST_USAGE,
        )
    if _ONLY_YEAR.match(title) and year is None:
        raise InvalidInput(
            line(
                f"{title} looks like a year, not a title. If the film is called {title}, add its year: ",
                cmd("suggest", title=title, year="2014"),
            ),
            usage=SUGGEST_USAGE,
        )


def _list(items: tuple[str, ...], what: str, limit: int) -> tuple[str, ...]:
    parts: list[str] = []
    for item in items:
        parts.extend(p for p in item.split(",") if p.strip())
    cleaned = tuple(dict.fromkeys(clean(p, what, 60) for p in parts))
    if len(cleaned) > limit:
        raise InvalidInput(f"At most {limit} {what}s, please (got {len(cleaned)}).")
    return cleaned


# How many films the duplicate check compares a new title with, at most, whatever the club's size.
DUPLICATE_CANDIDATES = 50


def find_duplicate(films: list[Film], new: NewFilm) -> tuple[Film, bool] | None:
    """The existing, not withdrawn film most like `new`, and whether it is certainly the same film.

    Certain: the same title (see `title_key`) and the same year, both given. Likely: the same
    title where a year is missing, or a near title (a typo or a dropped article). Never a match:
    two films whose given years differ, or titles that differ in a number (Fahrenheit 11/9 and
    9/11, Planet Earth II and III).
    """
    key = title_key(new.title)
    numbers = title_numbers(new.title)
    best: tuple[float, Film] | None = None
    for film in films:
        if film.status is FilmStatus.WITHDRAWN:
            continue
        if film.year is not None and new.year is not None and film.year != new.year:
            continue
        if title_numbers(film.title) != numbers:
            continue
        other = title_key(film.title)
        if other == key:
            certain = film.year is not None and new.year is not None
            score = 3.0 if certain else 2.0
        elif len(key) >= 6:
            score = difflib.SequenceMatcher(None, key, other).ratio()
            if score < 0.9:
                continue
        else:
            continue
        if best is None or score > best[0]:
            best = (score, film)
    if best is None:
        return None
    return best[1], best[0] == 3.0
