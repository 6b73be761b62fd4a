"""The watch party commands: party schedule|list|show|ics|move|cancel, rsvp."""

from __future__ import annotations

from docclub.core.commands.invocation import (
    Command,
    Invocation,
    command,
    film_then,
    leading_ref,
    nonempty,
    time_after_film,
)
from docclub.core.errors import UsageError
from docclub.core.grammar import Quoted, parse
from docclub.core.replies import Reply, synopsis

COMMANDS: dict[str, Command] = {}

PARTY = (
    "party schedule <film> <WHEN> [--where TEXT] [--duration 2h] [--again] · party list [all] · party show [#party] · "
    "party ics [#party] · party move [#party] <WHEN> · party cancel [#party]"
)


@command(
    COMMANDS,
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
        film, when = await film_then(inv, p.words, nonempty, usage, "When is the party? Add a time after the film.")
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
    ref, words = leading_ref(rest)
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

RSVP = "rsvp [#party] yes|maybe|no [--remind 2h|off] · rsvp night [#night] yes|maybe|no"


@command(
    COMMANDS,
    "rsvp",
    RSVP,
    "say whether you're coming (--remind: a personal message before); rsvp night: every club night",
    "rsvp #1 yes --remind 2h",
    examples=("rsvp #1 yes --remind 2h", "rsvp night yes"),
)
async def _rsvp(inv: Invocation) -> Reply:
    if inv.tokens and inv.tokens[0].lower() == "night" and not isinstance(inv.tokens[0], Quoted):
        ref, words = leading_ref(inv.tokens[1:])
        if len(words) != 1:
            raise UsageError("Answer yes, maybe or no for every club night.", usage=synopsis("rsvp night"))
        return await inv.app.nights.rsvp(inv.key, inv.actor, ref, words[0])
    p = parse(inv.tokens, single=("remind",), usage=synopsis("rsvp"))
    ref, words = leading_ref(p.words)
    if len(words) != 1:
        raise UsageError("Answer yes, maybe or no.", usage=synopsis("rsvp"))
    return await inv.app.parties.rsvp(inv.key, inv.actor, ref, words[0], remind=p.options.get("remind"))
