"""The text grammar (DESIGN section 4) -> core calls. One parser for the console and Slack.

Words are split on spaces; "double quotes" (or “curly” ones) group words, and an apostrophe
inside a word is just an apostrophe. Options start with `--` and take every word up to the
next option, so `--pitch A family's escape` needs no quotes. Unquoted film titles are matched
by the longest leading words that name a film.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from docclub.core.clubs import Ctx, Docclub
from docclub.core.errors import DocclubError, InvalidInput, UsageError
from docclub.core.films import resolve_film, split_film_words
from docclub.core.models import Actor, ClubKey, NewFilm
from docclub.core.replies import COMMAND_PARAMS, Cmd, Field, Reply, cmd, line, synopsis
from docclub.core.text import ref_number

MAX_LINE = 20_000
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

    An option takes the words up to the next option; a `single` option takes one word;
    a `phrase` option (a time) also stops at a quoted word, so quoted films can follow it:
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
            (current in single and values) or (current in phrase and values and isinstance(tok, Quoted))
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
    from docclub.core.when import parse_when

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


async def _time_words(inv: Invocation, words: list[str], *, at_end: bool) -> int:
    config = (await inv.app.club(inv.key)).config
    return time_split(
        words,
        config.timezone,
        inv.app.clock.now(),
        at_end=at_end,
        date_order=config.date_order,
        language=config.language,
    )


async def time_after_film(inv: Invocation, p: Parsed) -> Parsed:
    """`party schedule Free Solo --where Zoom sat 20:00`: when the command's words name only
    the film and the last option ran to the end of the line, the time at the end of that
    option's words is the party's time."""
    if p.tail is None or not p.words:
        return p
    spoken = p.option_words.get(p.tail, [])
    only_a_film = (len(p.words) == 1 and ref_number(p.words[0]) is not None) or await _names_a_film(inv, p.words)
    if len(spoken) < 2 or not only_a_film:
        return p
    k = await _time_words(inv, spoken, at_end=True)
    if k == 0:
        return p
    options = {**p.options, p.tail: " ".join(spoken[:-k])}
    return replace(p, words=[*p.words, *spoken[-k:]], options=options)


async def _names_a_film(inv: Invocation, words: list[str]) -> bool:
    async def work(c: Ctx) -> bool:
        try:
            await resolve_film(c, " ".join(words))
        except DocclubError:
            return False
        return True

    return await inv.app.read(inv.key, inv.actor, work)


async def time_then_words(inv: Invocation, p: Parsed, name: str) -> Parsed:
    """`--closes friday 18:00 Navalny, Fire of Love`: a time option's value is the words that
    read as a time; the words after it go back to the command's words."""
    spoken = p.option_words.get(name, [])
    if len(spoken) < 2:
        return p
    k = await _time_words(inv, spoken, at_end=False)
    if k in (0, len(spoken)):
        return p
    options = {**p.options, name: " ".join(spoken[:k])}
    return replace(p, words=[*p.words, *spoken[k:]], options=options)


Handler = Callable[["Invocation"], Awaitable[Reply]]


@dataclass(frozen=True, slots=True)
class Invocation:
    app: Docclub
    key: ClubKey
    actor: Actor
    tokens: list[str]
    files_allowed: bool


@dataclass(frozen=True, slots=True)
class Command:
    """One command word. `usage` lists its forms (subcommands) joined by " · "; `examples`
    holds one example per form, in the same order."""

    name: str
    usage: str
    summary: str
    handler: Handler
    example: str = ""
    organizer: bool = False
    examples: tuple[str, ...] = ()

    @property
    def forms(self) -> list[tuple[str, str]]:
        """(usage, example) for every form of the command."""
        usages = self.usage.split(" · ")
        examples = self.examples or (self.example,)
        return [(u, examples[i] if i < len(examples) else "") for i, u in enumerate(usages)]

    def usage_of(self, sub: str) -> Cmd | tuple[Cmd, ...]:
        """The usage of one form for a refusal (`poll close` -> poll close [#poll] [--schedule WHEN]),
        as command references each platform spells; every form when `sub` is none of them."""
        op = f"{self.name} {sub}".strip()
        if op in COMMAND_PARAMS:
            return synopsis(op)
        return tuple(synopsis(o) for o in COMMAND_PARAMS if o == self.name or o.startswith(self.name + " "))


COMMANDS: dict[str, Command] = {}


def command(
    name: str,
    usage: str,
    summary: str,
    example: str = "",
    organizer: bool = False,
    examples: tuple[str, ...] = (),
) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        COMMANDS[name] = Command(name, usage, summary, fn, example, organizer, examples)
        return fn

    return register


def _rest(inv: Invocation, usage: Cmd, what: str) -> str:
    text = " ".join(inv.tokens).strip()
    if not text:
        raise UsageError(f"Which {what}?", usage=usage)
    return text


def _looks_like_score(word: str) -> bool:
    return bool(re.fullmatch(r"(\d{1,2}([.,]\d)?|[.,]\d|\d½|½|★+½?)(/10|/5)?", word.strip()))


def _score_rest(rest: list[str]) -> bool:
    return bool(rest) and _looks_like_score(rest[0])


def _nonempty(rest: list[str]) -> bool:
    return bool(rest)


async def _film_then(
    inv: Invocation,
    words: list[str],
    rest_ok: Callable[[list[str]], bool],
    usage: Cmd | tuple[Cmd, ...],
    missing: str,
) -> tuple[str, list[str]]:
    """Split `<film> <rest>`; `missing` is said when the words name a film and nothing more."""
    if not words:
        raise UsageError("Which film?", usage=usage)
    if ref_number(words[0]) is not None:
        if len(words) == 1:
            raise UsageError(missing, usage=usage)
        return words[0], words[1:]

    async def work(c: Ctx) -> tuple[str, list[str]]:
        try:
            await resolve_film(c, " ".join(words))
        except DocclubError:
            pass
        else:
            raise UsageError(missing, usage=usage)
        film, rest = await split_film_words(c, words, rest_ok)
        return f"#{film.id}", rest

    return await inv.app.read(inv.key, inv.actor, work)


# ---- films ----

SUGGEST = "suggest <title> [(<year>)] [--link URL] [--where TEXT] [--cw TEXT] [--tags a,b] [--pitch TEXT] [--new]"


@command(
    "suggest",
    SUGGEST,
    "suggest a film for the club",
    'suggest "Beyond Utopia" (2023) --where Amazon --cw torture, trafficking --pitch A family\'s escape',
)
async def _suggest(inv: Invocation) -> Reply:
    usage = synopsis("suggest")
    p = parse(
        inv.tokens, options=("where", "cw", "tags", "pitch"), single=("link", "year"), flags=("new",), usage=usage
    )
    if not p.words:
        raise UsageError("What's the film called?", usage=usage)
    title = " ".join(p.words)
    year = None
    if "year" in p.options:
        if not re.fullmatch(r"\d{4}", p.options["year"]):
            raise InvalidInput(f"--year takes a four-digit year, not {p.options['year'][:20]!r}.", usage=usage)
        year = int(p.options["year"])
    film = NewFilm(
        title=title,
        year=year,
        link=p.options.get("link"),
        where=p.options.get("where"),
        warnings=(p.options["cw"],) if "cw" in p.options else (),
        tags=(p.options["tags"],) if "tags" in p.options else (),
        pitch=p.options.get("pitch"),
    )
    return await inv.app.films.suggest(inv.key, inv.actor, film, new_anyway="new" in p.flags)


@command("films", "films [suggested|shortlisted|scheduled|watched|withdrawn|all]", "list the club's films", "films all")
async def _films(inv: Invocation) -> Reply:
    if len(inv.tokens) > 1:
        raise UsageError("Give at most one list name.", usage=synopsis("films"))
    return await inv.app.films.list(inv.key, inv.actor, inv.tokens[0] if inv.tokens else None)


@command("film", "film <film>", "show a film's card", 'film "Beyond Utopia"')
async def _film(inv: Invocation) -> Reply:
    return await inv.app.films.card(inv.key, inv.actor, _rest(inv, synopsis("film"), "film"))


@command("seen", "seen <film>", "mark a film as seen by you", "seen #1")
async def _seen(inv: Invocation) -> Reply:
    return await inv.app.films.seen(inv.key, inv.actor, _rest(inv, synopsis("seen"), "film"))


@command("withdraw", "withdraw <film>", "withdraw your own suggestion", "withdraw #3")
async def _withdraw(inv: Invocation) -> Reply:
    return await inv.app.films.withdraw(inv.key, inv.actor, _rest(inv, synopsis("withdraw"), "film"))


@command("shortlist", "shortlist <film>", "shortlist a suggestion", "shortlist #1", organizer=True)
async def _shortlist(inv: Invocation) -> Reply:
    return await inv.app.films.shortlist(inv.key, inv.actor, _rest(inv, synopsis("shortlist"), "film"))


@command("delete", "delete <film>", "delete a film with its ratings", "delete #4", organizer=True)
async def _delete(inv: Invocation) -> Reply:
    return await inv.app.films.delete(inv.key, inv.actor, _rest(inv, synopsis("delete"), "film"))


# ---- polls ----

POLL = (
    "poll open [--method single|approval|ranked] [--closes WHEN] [--anonymous] [--top N] [<film>, ...] · "
    "poll show [#poll] · poll add [#poll] <film> · poll close [#poll] [--schedule WHEN] · poll cancel [#poll]"
)


POLL_USAGE = tuple(synopsis(f"poll {sub}") for sub in ("open", "show", "add", "close", "cancel"))


def _split_commas(words: list[str]) -> list[str]:
    text = " ".join(words)
    return [part.strip() for part in text.split(",") if part.strip()]


def _poll_ref(words: list[str]) -> tuple[str | None, list[str]]:
    if words and ref_number(words[0]) is not None:
        return words[0], words[1:]
    return None, words


@command(
    "poll",
    POLL,
    "open, show, add to, close or cancel a poll",
    'poll open --method ranked --closes friday 18:00 "Beyond Utopia", Navalny, Fire of Love',
    examples=(
        'poll open --method ranked --closes friday 18:00 "Beyond Utopia", Navalny, Fire of Love',
        "poll show #2",
        "poll add #2 Honeyland",
        "poll close #2 --schedule sat 20:00",
        "poll cancel #2",
    ),
)
async def _poll(inv: Invocation) -> Reply:
    if not inv.tokens:
        raise UsageError("poll what?", usage=POLL_USAGE)
    sub, rest = inv.tokens[0].lower(), inv.tokens[1:]
    polls = inv.app.polls
    usage = COMMANDS["poll"].usage_of(sub)
    if sub == "open":
        p = parse(rest, single=("method", "top"), phrase=("closes",), flags=("anonymous",), usage=usage)
        p = await time_then_words(inv, p, "closes")
        top = None
        if "top" in p.options:
            if not p.options["top"].isdigit():
                raise InvalidInput("--top takes a number, like --top 4.", usage=usage)
            top = int(p.options["top"])
        return await polls.open(
            inv.key,
            inv.actor,
            method=p.options.get("method", "single"),
            film_refs=_split_commas(p.words),
            closes=p.options.get("closes"),
            anonymous="anonymous" in p.flags,
            top=top,
        )
    if sub == "show":
        if len(rest) > 1:
            raise UsageError("poll show takes one #poll.", usage=usage)
        return await polls.show(inv.key, inv.actor, rest[0] if rest else None)
    if sub in ("close", "cancel"):
        p = parse(rest, phrase=("schedule",) if sub == "close" else (), usage=usage)
        p = await time_then_words(inv, p, "schedule")
        if len(p.words) > 1:
            raise UsageError(f"poll {sub} takes one #poll.", usage=usage)
        return await polls.close(
            inv.key,
            inv.actor,
            p.words[0] if p.words else None,
            cancel=sub == "cancel",
            schedule_at=p.options.get("schedule"),
        )
    if sub == "add":
        ref, words = _poll_ref(rest)
        if not words:
            raise UsageError("Which film should the poll offer?", usage=usage)
        return await polls.add_film(inv.key, inv.actor, ref, " ".join(words))
    raise UsageError(f"There is no 'poll {sub[:20]}'.", usage=POLL_USAGE)


VOTE = "vote [#poll] <film>[, <film> ...] · vote clear [#poll]"
VOTE_CLEAR = "vote clear [#poll]"


def _clear_ref(words: list[str]) -> tuple[bool, str | None]:
    """`clear`, `clear #2` or `#2 clear`: (True, the poll) — else (False, None)."""
    lowered = [w.lower() if not isinstance(w, Quoted) else w for w in words]
    if lowered == ["clear"]:
        return True, None
    if len(words) == 2 and "clear" in lowered:
        other = words[1 - lowered.index("clear")]
        if ref_number(other) is not None:
            return True, other
    return False, None


@command(
    "vote",
    VOTE,
    "vote in a poll (ranked: in order of preference); vote clear withdraws your ballot",
    'vote "Beyond Utopia", Navalny',
    examples=('vote "Beyond Utopia", Navalny', "vote clear #2"),
)
async def _vote(inv: Invocation) -> Reply:
    words = inv.tokens
    clear, poll = _clear_ref(words)
    if clear:
        return await inv.app.polls.clear(inv.key, inv.actor, poll)
    ref: str | None = None
    if len(words) >= 2 and ref_number(words[0]) is not None and not words[1].startswith(","):
        ref, words = words[0], words[1:]
    return await inv.app.polls.vote(inv.key, inv.actor, ref, _split_commas(words))


@command("unvote", "unvote [#poll]", "withdraw your ballot while the poll is open", "unvote #2")
async def _unvote(inv: Invocation) -> Reply:
    if len(inv.tokens) > 1 or (inv.tokens and ref_number(inv.tokens[0]) is None):
        raise UsageError("unvote takes one #poll, or nothing for the only open one.", usage=synopsis("vote clear"))
    return await inv.app.polls.clear(inv.key, inv.actor, inv.tokens[0] if inv.tokens else None)


# ---- watch parties ----

PARTY = (
    "party schedule <film> <WHEN> [--where TEXT] [--duration 2h] [--again] · party list [all] · party show [#party] · "
    "party ics [#party] · party move [#party] <WHEN> · party cancel [#party]"
)


@command(
    "party",
    PARTY,
    "schedule and manage watch parties",
    'party schedule "Beyond Utopia" sat 20:00 --where #watch-party --duration 2h',
    examples=(
        'party schedule "Beyond Utopia" sat 20:00 --where #watch-party --duration 2h',
        "party list all",
        "party show #1",
        "party ics #1",
        "party move #1 sun 19:00",
        "party cancel #1",
    ),
)
async def _party(inv: Invocation) -> Reply:
    if not inv.tokens:
        raise UsageError("party what?", usage=PARTY_USAGE)
    sub, rest = inv.tokens[0].lower(), inv.tokens[1:]
    parties = inv.app.parties
    usage = COMMANDS["party"].usage_of(sub)
    if sub == "schedule":
        p = parse(rest, options=("where", "duration"), flags=("again",), usage=usage)
        p = await time_after_film(inv, p)
        film, when = await _film_then(inv, p.words, _nonempty, usage, "When is the party? Add a time after the film.")
        return await parties.schedule(
            inv.key,
            inv.actor,
            film,
            " ".join(when),
            where=p.options.get("where"),
            duration=p.options.get("duration"),
            again="again" in p.flags,
        )
    if sub == "list":
        if len(rest) > 1:
            raise UsageError("party list takes at most one word: all.", usage=usage)
        return await parties.list(inv.key, inv.actor, rest[0] if rest else None)
    ref, words = _poll_ref(rest)
    if sub in ("show", "ics", "cancel"):
        if words:
            raise UsageError(f"party {sub} takes one #party.", usage=usage)
        if sub == "show":
            return await parties.show(inv.key, inv.actor, ref)
        if sub == "ics":
            return await parties.ics(inv.key, inv.actor, ref)
        return await parties.cancel(inv.key, inv.actor, ref)
    if sub == "move":
        if not words:
            raise UsageError("Move it to when?", usage=usage)
        return await parties.move(inv.key, inv.actor, ref, " ".join(words))
    raise UsageError(f"There is no 'party {sub[:20]}'.", usage=PARTY_USAGE)


PARTY_USAGE = tuple(synopsis(f"party {sub}") for sub in ("schedule", "list", "show", "ics", "move", "cancel"))

RSVP = "rsvp [#party] yes|maybe|no [--remind 2h|off]"


@command("rsvp", RSVP, "say whether you're coming (--remind: a personal message before)", "rsvp #1 yes --remind 2h")
async def _rsvp(inv: Invocation) -> Reply:
    p = parse(inv.tokens, single=("remind",), usage=synopsis("rsvp"))
    ref, words = _poll_ref(p.words)
    if len(words) != 1:
        raise UsageError("Answer yes, maybe or no.", usage=synopsis("rsvp"))
    return await inv.app.parties.rsvp(inv.key, inv.actor, ref, words[0], remind=p.options.get("remind"))


# ---- ratings ----

RATE = "rate <film> <score> [review] [--no-review]"


@command(
    "rate",
    RATE,
    "rate a film on the club's scale, with an optional review (a new score keeps your review; --no-review removes it)",
    'rate "Beyond Utopia" 9 Harrowing, and it earns every minute',
)
async def _rate(inv: Invocation) -> Reply:
    p = parse(inv.tokens, flags=("no-review",), usage=synopsis("rate"))
    film, rest = await _film_and_score(inv, p.words)
    return await inv.app.ratings.rate(
        inv.key, inv.actor, film, rest[0], " ".join(rest[1:]) or None, remove_review="no-review" in p.flags
    )


_NUMBERISH = re.compile(r"[-+]?(\d|[.,]\d|½|★)")


async def _film_and_score(inv: Invocation, words: list[str]) -> tuple[str, list[str]]:
    """Split `<film> <score> [review]`. A word after the film that is no score on any scale
    (-3, NaN, 2.25, 1e1) is still read as the score, so the member hears about the score and
    the club's scale rather than "Which film?"; `rate 9 Navalny` is told to put the film first."""
    if not words:
        raise UsageError("Which film, and what score?", usage=synopsis("rate"))
    if ref_number(words[0]) is not None:
        if len(words) == 1:
            raise UsageError("Give a score.", usage=synopsis("rate"))
        return words[0], words[1:]

    async def work(c: Ctx) -> tuple[str, list[str]]:
        try:
            await resolve_film(c, " ".join(words))
        except DocclubError:
            pass
        else:
            raise UsageError("Give a score.", usage=synopsis("rate"))
        try:
            film, rest = await split_film_words(c, words, _score_rest)
        except DocclubError as first:
            try:
                found, rest = await split_film_words(c, words, _nonempty)
            except DocclubError:
                pass
            else:  # the word after the film is the score: parse_score says what is wrong with it
                return f"#{found.id}", rest
            if len(words) > 1 and _NUMBERISH.match(words[0]):
                try:
                    named = await resolve_film(c, " ".join(words[1:]))
                except DocclubError:
                    raise first from None
                raise UsageError(
                    line("Put the film first, then the score: ", cmd("rate", film=named.title, score=words[0][:10])),
                    usage=synopsis("rate"),
                ) from None
            raise first from None
        return f"#{film.id}", rest

    return await inv.app.read(inv.key, inv.actor, work)


@command("ratings", "ratings <film>", "the club's ratings of a film (after you rate it)", "ratings #1")
async def _ratings(inv: Invocation) -> Reply:
    return await inv.app.ratings.show(inv.key, inv.actor, _rest(inv, synopsis("ratings"), "film"))


@command("my", "my ratings", "your rating history", "my ratings")
async def _my(inv: Invocation) -> Reply:
    if [t.lower() for t in inv.tokens] != ["ratings"]:
        raise UsageError("Did you mean 'my ratings'?", usage=cmd("my ratings"))
    return await inv.app.ratings.mine(inv.key, inv.actor)


@command("leaderboard", "leaderboard", "the club's best-rated films", "leaderboard")
async def _leaderboard(inv: Invocation) -> Reply:
    return await inv.app.ratings.leaderboard(inv.key, inv.actor)


# ---- discussion ----


@command("prompts", "prompts <film>", "discussion prompts for a film", 'prompts "Beyond Utopia"')
async def _prompts(inv: Invocation) -> Reply:
    return await inv.app.discussion.prompts(inv.key, inv.actor, _rest(inv, synopsis("prompts"), "film"))


PROMPT_ADD = "prompt add <film> <question>"


@command(
    "prompt",
    PROMPT_ADD,
    "add your own discussion prompt for a film",
    'prompt add "Beyond Utopia" Who decided what we did not see?',
)
async def _prompt(inv: Invocation) -> Reply:
    if not inv.tokens or inv.tokens[0].lower() != "add":
        raise UsageError("Did you mean 'prompt add'?", usage=synopsis("prompt add"))
    film, rest = await _film_then(
        inv, inv.tokens[1:], _nonempty, synopsis("prompt add"), "What's your question? Add it after the film."
    )
    return await inv.app.discussion.add(inv.key, inv.actor, film, " ".join(rest))


# ---- club ----

CONFIG = "config [show] · config set <key> <value>"


@command(
    "config",
    CONFIG,
    "see the club's settings; organizers change them",
    "config set timezone Europe/Berlin",
    examples=("config show", "config set timezone Europe/Berlin"),
)
async def _config(inv: Invocation) -> Reply:
    if not inv.tokens or inv.tokens[0].lower() == "show":
        return await inv.app.settings.show(inv.key, inv.actor)
    if inv.tokens[0].lower() == "set":
        if len(inv.tokens) < 3:
            from docclub.core.clubs import SETTING_HELP

            keys = "; ".join(f"{k}: {v}" for k, v in SETTING_HELP.items())
            raise UsageError(
                f"config set needs a key and a value. Keys — {keys}.", usage=COMMANDS["config"].usage_of("set")
            )
        return await inv.app.settings.set(inv.key, inv.actor, inv.tokens[1], " ".join(inv.tokens[2:]))
    raise UsageError(f"There is no 'config {inv.tokens[0][:20]}'.", usage=(cmd("config show"), synopsis("config set")))


@command(
    "export", "export json|csv", "JSON backup of the club (organizers) or your ratings as Letterboxd CSV", "export csv"
)
async def _export(inv: Invocation) -> Reply:
    what = " ".join(inv.tokens).lower()
    if what == "json":
        return await inv.app.backup.export_json(inv.key, inv.actor)
    if what == "csv":
        return await inv.app.backup.export_csv(inv.key, inv.actor)
    raise UsageError("Export json (a full backup) or csv (your ratings, for Letterboxd).", usage=synopsis("export"))


def _read_file(path: str) -> bytes:
    from docclub.core.backup_format import MAX_BACKUP_BYTES, too_large

    file = Path(path).expanduser()
    size = file.stat().st_size
    if size > MAX_BACKUP_BYTES:
        raise too_large(size)
    return file.read_bytes()


@command(
    "import",
    "import <path>",
    "restore the club from a JSON backup (console only)",
    "import docclub-backup.json",
    organizer=True,
)
async def _import(inv: Invocation) -> Reply:
    if not inv.files_allowed:
        raise UsageError("Importing a backup file works in the console only.")
    path = _rest(inv, synopsis("import"), "file")
    try:
        data = await asyncio.to_thread(_read_file, path)
    except OSError as exc:
        raise InvalidInput(f"I couldn't read {path!r}: {exc.strerror or exc}.", usage=synopsis("import")) from None
    return await inv.app.backup.import_json(inv.key, inv.actor, data)


@command("help", "help [command]", "list commands, or explain one (help quit: leaving the console)", "help poll")
async def _help(inv: Invocation) -> Reply:
    return help_reply(inv.tokens[0] if inv.tokens else None)


_QUIT_HELP = "In the console, quit (or Ctrl-D) leaves; everything is kept for next time."


def help_reply(topic: str | None) -> Reply:
    """`help`: every command and each of its forms with one example; `help <command>`: one."""
    if topic:
        if topic.lower() in ("quit", "exit"):
            return Reply(title=f"help {topic.lower()}", lines=(line(_QUIT_HELP), line("Example: quit")))
        topic_cmd = COMMANDS.get(topic.lower())
        if topic_cmd is None:
            raise UsageError(line(f"There is no command {topic[:30]!r}. Try: ", cmd("help")))
        lines = [line(topic_cmd.summary + (" (organizers)" if topic_cmd.organizer else "") + ".")]
        for usage, example in topic_cmd.forms:
            lines.append(line("  " + usage))
            if example:
                lines.append(line("    e.g. " + example))
        return Reply(title=f"help {topic_cmd.name}", lines=tuple(lines))
    fields = tuple(
        Field(
            usage,
            ((line(c.summary + (" (organizers)" if c.organizer else "")),) if i == 0 else ())
            + ((line("e.g. " + example),) if example else ()),
        )
        for c in COMMANDS.values()
        if c.name != "help"
        for i, (usage, example) in enumerate(c.forms)
    )
    return Reply(
        title="docclub commands",
        fields=fields,
        lines=(line('Film titles go in "double quotes" or by #number. help <command> explains one.'),),
    )


async def dispatch(app: Docclub, key: ClubKey, actor: Actor, text: str, *, files_allowed: bool = False) -> Reply:
    """Parse and run one command line. Raises DocclubError on bad input."""
    if len(text) > MAX_LINE:
        raise InvalidInput(f"That command is {len(text):,} characters long; the limit is {MAX_LINE:,}.")
    tokens = tokenize(text.strip())
    if not tokens:
        return help_reply(None)
    name = tokens[0].lower().lstrip("/")
    found = COMMANDS.get(name)
    if found is None:
        import difflib

        close = difflib.get_close_matches(name, list(COMMANDS), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise UsageError(
            line(f"I don't know the command {tokens[0][:30]!r}.{hint} Type ", cmd("help"), " for the list.")
        )
    return await found.handler(Invocation(app, key, actor, tokens[1:], files_allowed))


async def run_command(app: Docclub, key: ClubKey, actor: Actor, text: str, *, files_allowed: bool = False) -> Reply:
    """`dispatch`, with refusals and unexpected errors turned into replies."""
    return await app.answer(key, dispatch(app, key, actor, text, files_allowed=files_allowed))
