"""The words of a command line (DESIGN section 4): quoting, options, and where a time starts.

Words are split on spaces; "double quotes" (or “curly” ones) group words, and an apostrophe
inside a word is just an apostrophe. Options start with `--` and take every word up to the
next option, so `--pitch A family's escape` needs no quotes. Knows nothing of clubs: the
command handlers (`docclub.core.commands`) and the Discord adapter's tests use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from docclub.core.errors import DocclubError, UsageError
from docclub.core.replies import Cmd
from docclub.core.when import parse_when

MAX_LINE = 20_000  # characters in one command line, at most
_QUOTES = {'"': '"', "“": "”", "„": "“", "«": "»"}


class Quoted(str):
    """A word that was written in quotes: never an option, and it ends a phrase option."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class Parsed:
    """A command line split into words and options. `tail` names the option whose value ran
    to the end of the line (its words may include what the command itself needs, such as the
    time after `--where Zoom`); `option_words` keeps each option's words."""

    words: list[str]
    options: dict[str, str]
    flags: set[str]
    tail: str | None = None
    option_words: dict[str, list[str]] = field(default_factory=dict)


def tokenize(text: str) -> list[str]:
    """Split on whitespace; a word starting with a double quote runs to the closing quote."""
    tokens: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        if text[i] in _QUOTES:
            close = _QUOTES[text[i]]
            end = text.find(close, i + 1)
            if end < 0 and close != '"':
                end = text.find('"', i + 1)
            if end < 0:
                raise UsageError('A quote is not closed. Put the title in matching double quotes, like "Film title".')
            tokens.append(Quoted(text[i + 1 : end]))
            i = end + 1
            continue
        j = i
        while j < n and not text[j].isspace():
            j += 1
        tokens.append(text[i:j])
        i = j
    return tokens


def quoted_words_from_options(p: Parsed) -> Parsed:
    """The first quoted word (and a "(year)" right after it) that an option took, given back as
    the command's words: `suggest --where Netflix "My Octopus Teacher" (2020)` names the film
    in quotes after an option, and an option's value holds no quoted title. `p` itself when
    no option took a quoted word, or taking it would leave the option without a value."""
    for name, taken in p.option_words.items():
        at = next((i for i, w in enumerate(taken) if isinstance(w, Quoted)), None)
        if at is None:
            continue
        end = at + 1
        if end < len(taken) and re.fullmatch(r"\(\d{4}\)", taken[end]):
            end += 1
        rest = taken[:at] + taken[end:]
        if not rest:
            return p
        options = {**p.options, name: " ".join(rest)}
        return Parsed([*p.words, *taken[at:end]], options, p.flags, p.tail, {**p.option_words, name: rest})
    return p


_NUMBER = re.compile(r"\d{1,5}(?:[.,]\d+)?")
_UNIT = re.compile(r"m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?", re.I)
_HOURS = re.compile(r"\d{1,3}(?:[.,]\d+)?\s*(?:h|hrs?|hours?)", re.I)
_MINUTES = re.compile(r"\d{1,2}\s*(?:m|mins?|minutes?)", re.I)


def _unit_of(values: list[str], tok: str) -> bool:
    """Whether `tok` finishes the one-word value before it: a unit after a bare number ("3"
    "days"), or the minutes after the hours ("1h" "30m")."""
    if len(values) != 1 or isinstance(tok, Quoted):
        return False
    return bool(
        (_NUMBER.fullmatch(values[0]) and _UNIT.fullmatch(tok))
        or (_HOURS.fullmatch(values[0]) and _MINUTES.fullmatch(tok))
    )


def parse(
    tokens: list[str],
    *,
    options: tuple[str, ...] = (),
    flags: tuple[str, ...] = (),
    single: tuple[str, ...] = (),
    phrase: tuple[str, ...] = (),
    usage: Cmd | tuple[Cmd, ...] | None = None,
) -> Parsed:
    """Split words from `--options` and `--flags`.

    An option takes the words up to the next option; a `single` option takes one word, or a
    number and its unit written apart (`--remind 3 days`, `--remind 1h 30m`); a `phrase`
    option (a time) also stops at a quoted word, so quoted films can follow it:
    `--closes friday 18:00 "Beyond Utopia", "Navalny"`.
    """
    words: list[str] = []
    opts: dict[str, str] = {}
    option_words: dict[str, list[str]] = {}
    seen_flags: set[str] = set()
    current: str | None = None
    values: list[str] = []

    def finish() -> None:
        if current is None:
            return
        if not values:
            raise UsageError(f"--{current} needs a value.", usage=usage)
        opts[current] = " ".join(values)
        option_words[current] = list(values)

    for tok in tokens:
        if not isinstance(tok, Quoted) and re.fullmatch(r"--[a-z][a-z-]*", tok):
            finish()
            name = tok[2:]
            values = []
            if name in flags:
                seen_flags.add(name)
                current = None
            elif name in options or name in single or name in phrase:
                if name in opts:
                    raise UsageError(f"--{name} is given twice.", usage=usage)
                current = name
            else:
                known = ", ".join(f"--{o}" for o in (*options, *single, *phrase, *flags)) or "none"
                raise UsageError(f"Unknown option {tok} (this command takes: {known}).", usage=usage)
        elif current is not None and not (
            (current in single and values and not _unit_of(values, tok))
            or (current in phrase and values and isinstance(tok, Quoted))
        ):
            values.append(tok)
        else:
            if current is not None:
                finish()
                current = None
            words.append(tok)
    tail = current
    finish()
    return Parsed(words, opts, seen_flags, tail, option_words)


def _reads_as_time(
    text: str, tz: str, now: datetime, *, allow_past: bool, date_order: str | None, language: str
) -> bool:
    try:
        parse_when(text, tz, now, allow_past=allow_past, date_order=date_order, language=language)
    except DocclubError:
        return False
    return True


def time_split(
    words: list[str], tz: str, now: datetime, *, at_end: bool, date_order: str | None = None, language: str = "en"
) -> int:
    """How many words at the start (or, `at_end`, at the end) of `words` read as a time: the
    longest run that is a time to come, else the longest that is a time at all (so a past time
    is refused as such), else 0. At the end, at least one word is left before the time."""
    n = len(words)
    spans = range(n - 1, 0, -1) if at_end else range(n, 0, -1)
    for allow_past in (False, True):
        for k in spans:
            part = words[n - k :] if at_end else words[:k]
            if _reads_as_time(" ".join(part), tz, now, allow_past=allow_past, date_order=date_order, language=language):
                return k
    return 0
