"""What every command handler shares: the invocation, the command table entry, and the
steps that need the club (does this name a film? where does the time start?)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from docclub.core.clubs import Docclub
from docclub.core.context import Ctx
from docclub.core.errors import DocclubError, UsageError
from docclub.core.film_lookup import resolve_film, split_film_words
from docclub.core.grammar import Parsed, time_split
from docclub.core.models import Actor, ClubKey
from docclub.core.replies import COMMAND_PARAMS, Cmd, Reply, synopsis
from docclub.core.text import ref_number


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


def command(
    table: dict[str, Command],
    name: str,
    usage: str,
    summary: str,
    example: str = "",
    organizer: bool = False,
    examples: tuple[str, ...] = (),
) -> Callable[[Handler], Handler]:
    """Register the decorated handler in `table` as the command `name`."""

    def register(fn: Handler) -> Handler:
        table[name] = Command(name, usage, summary, fn, example, organizer, examples)
        return fn

    return register


def rest_text(inv: Invocation, usage: Cmd, what: str) -> str:
    text = " ".join(inv.tokens).strip()
    if not text:
        raise UsageError(f"Which {what}?", usage=usage)
    return text


def nonempty(rest: list[str]) -> bool:
    return bool(rest)


async def film_then(
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


def leading_ref(words: list[str]) -> tuple[str | None, list[str]]:
    if words and ref_number(words[0]) is not None:
        return words[0], words[1:]
    return None, words
