"""The film commands: suggest, films, film, seen, withdraw, shortlist, delete."""

from __future__ import annotations

import re

from docclub.core.commands.invocation import Command, Invocation, command, rest_text
from docclub.core.errors import InvalidInput, NotFound, UsageError
from docclub.core.grammar import Quoted, parse, quoted_words_from_options
from docclub.core.models import NewFilm
from docclub.core.replies import COMMAND_PARAMS, Reply, cmd, line, synopsis

COMMANDS: dict[str, Command] = {}

SUGGEST = "suggest <title> [(<year>)] [--link URL] [--where TEXT] [--cw TEXT] [--tags a,b] [--pitch TEXT] [--new]"


@command(
    COMMANDS,
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
        p = quoted_words_from_options(p)
    if not p.words:
        took = next(iter(p.option_words), None)
        if took is None:
            raise UsageError("What's the film called?", usage=usage)
        raise UsageError(
            line(
                f"What's the film called? Everything after --{took} was read as its value. Write the title "
                "first, or in quotes: ",
                cmd("suggest", title="Beyond Utopia", **{took: "…"}),
            ),
            usage=usage,
        )
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


@command(
    COMMANDS,
    "films",
    "films [suggested|shortlisted|scheduled|watched|withdrawn|all]",
    "list the club's films",
    "films all",
)
async def _films(inv: Invocation) -> Reply:
    if len(inv.tokens) > 1:
        raise UsageError("Give at most one list name.", usage=synopsis("films"))
    return await inv.app.films.list(inv.key, inv.actor, inv.tokens[0] if inv.tokens else None)


@command(
    COMMANDS,
    "film",
    "film <film> · film refresh <film>",
    "show a film's card; refresh looks it up on TMDB again",
    'film "Beyond Utopia"',
    examples=('film "Beyond Utopia"', "film refresh #1"),
)
async def _film(inv: Invocation) -> Reply:
    if len(inv.tokens) > 1 and inv.tokens[0].lower() == "refresh":
        ref = " ".join(inv.tokens[1:])
        return await inv.app.catalog_films.refresh(inv.key, inv.actor, ref)
    ref = rest_text(inv, synopsis("film"), "film")
    try:
        return await inv.app.films.card(inv.key, inv.actor, ref)
    except NotFound as exc:
        hint = _another_command(inv)
        if hint is None:
            raise
        raise hint from exc


def _another_command(inv: Invocation) -> UsageError | None:
    """`film withdraw #1`: a command that takes a film, written after `film`; None otherwise."""
    if len(inv.tokens) < 2 or isinstance(inv.tokens[0], Quoted):
        return None
    word, rest = inv.tokens[0].lower(), " ".join(inv.tokens[1:])
    params = COMMAND_PARAMS.get(word)
    if not params or not params[0].film:
        return None
    return UsageError(line(f"'{word}' is a command of its own, not a film. Try: ", cmd(word, **{params[0].name: rest})))


@command(
    COMMANDS,
    "pick",
    "pick <n>|none",
    "choose which film you meant when TMDB knows several of its title (none: keep it as typed)",
    "pick 1",
)
async def _pick(inv: Invocation) -> Reply:
    if len(inv.tokens) != 1:
        raise UsageError("Give the number of the film you meant, or none.", usage=synopsis("pick"))
    return await inv.app.catalog_films.pick(inv.key, inv.actor, inv.tokens[0])


@command(COMMANDS, "seen", "seen <film>", "mark a film as seen by you", "seen #1")
async def _seen(inv: Invocation) -> Reply:
    return await inv.app.films.seen(inv.key, inv.actor, rest_text(inv, synopsis("seen"), "film"))


@command(COMMANDS, "withdraw", "withdraw <film>", "withdraw your own suggestion", "withdraw #3")
async def _withdraw(inv: Invocation) -> Reply:
    return await inv.app.films.withdraw(inv.key, inv.actor, rest_text(inv, synopsis("withdraw"), "film"))


@command(COMMANDS, "shortlist", "shortlist <film>", "shortlist a suggestion", "shortlist #1", organizer=True)
async def _shortlist(inv: Invocation) -> Reply:
    return await inv.app.films.shortlist(inv.key, inv.actor, rest_text(inv, synopsis("shortlist"), "film"))


@command(COMMANDS, "delete", "delete <film>", "delete a film with its ratings", "delete #4", organizer=True)
async def _delete(inv: Invocation) -> Reply:
    return await inv.app.films.delete(inv.key, inv.actor, rest_text(inv, synopsis("delete"), "film"))
