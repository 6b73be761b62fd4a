"""The club night commands: night schedule|list|show|skip|move|edit|cancel|ics, rsvp night."""

from __future__ import annotations

from dataclasses import replace

from docclub.core.commands.invocation import Command, Invocation, command, leading_ref
from docclub.core.errors import DocclubError, UsageError
from docclub.core.grammar import Parsed, parse
from docclub.core.night_plans import NightChanges
from docclub.core.night_rules import read_clock
from docclub.core.replies import Cmd, Reply, cmd, line, synopsis
from docclub.core.when import read_in_club

COMMANDS: dict[str, Command] = {}


NIGHT = (
    "night schedule <rule> <time> [--where TEXT] [--poll 7d] [--closes 1d] [--method single|approval|ranked] "
    "[--top N] [--duration 2h] · night list · night show [#night] · night skip [#night] <date> · "
    "night move [#night] <date> <WHEN> · night edit [#night] [<rule>] [<time>] [--where …] [--poll …] … · "
    "night cancel [#night] · night ics [#night]"
)
NIGHT_SUBS = ("schedule", "list", "show", "skip", "move", "edit", "cancel", "ics")
NIGHT_USAGE = tuple(synopsis(f"night {sub}") for sub in NIGHT_SUBS)
_NIGHT_SINGLE = ("poll", "closes", "method", "top", "duration")


def _rule_and_clock(words: list[str]) -> tuple[str, str] | None:
    """`first friday 20:00` -> ("first friday", "20:00"); `"every other thursday" 8 pm` too.
    None when the words do not end in a time of day after a rule."""
    for k in (1, 2):
        if len(words) <= k:
            continue
        try:
            read_clock(" ".join(words[-k:]))
        except DocclubError:
            continue
        return " ".join(words[:-k]), " ".join(words[-k:])
    return None


def _night_changes(p: Parsed, rule: str | None, clock: str | None) -> NightChanges:
    o = p.options
    return NightChanges(
        rule=rule,
        clock=clock,
        where=o.get("where"),
        poll=o.get("poll"),
        closes=o.get("closes"),
        method=o.get("method"),
        top=o.get("top"),
        duration=o.get("duration"),
    )


async def _date_and_when(inv: Invocation, words: list[str], usage: Cmd) -> tuple[str, str]:
    """`4 dec sat 5 dec 20:00` -> ("4 dec", "sat 5 dec 20:00"): the shortest start that reads as a
    day, with a time after it."""
    config = (await inv.app.club(inv.key)).config
    now = inv.app.clock.now()
    for k in range(1, len(words)):
        day, when = " ".join(words[:k]), " ".join(words[k:])
        try:
            read_in_club(f"{day} 12:00", config, now, allow_past=True)
            read_in_club(when, config, now)
        except DocclubError:
            continue
        return day, when
    if not words:
        raise UsageError("Which night, and to when?", usage=usage)
    try:
        read_in_club(f"{' '.join(words)} 12:00", config, now, allow_past=True)
    except DocclubError:
        pass
    else:
        raise UsageError(
            line("Move that night to when? Add the new time after its date, like: ", usage_example(words)),
            usage=usage,
        )
    raise UsageError(
        line(
            f"I couldn't tell the night's date from its new time in {' '.join(words)[:60]!r}. "
            "Write the date, then the new time: ",
            cmd("night move", date="2026-12-04", when="2026-12-05 20:00"),
        ),
        usage=usage,
    )


@command(
    COMMANDS,
    "night",
    NIGHT,
    "club nights on autopilot: each night opens its poll, closes it and schedules the winner",
    'night schedule "first friday" 20:00 --where #cinema --poll 7d --closes 1d --method ranked --top 4',
    organizer=False,
    examples=(
        'night schedule "first friday" 20:00 --where #cinema --poll 7d --closes 1d --method ranked --top 4',
        "night list",
        "night show #1",
        "night skip 2026-12-04",
        "night move 2026-12-04 sat 5 dec 20:00",
        "night edit #1 21:00 --where #cinema-2",
        "night cancel #1",
        "night ics #1",
    ),
)
async def _night(inv: Invocation) -> Reply:
    if not inv.tokens:
        raise UsageError("night what?", usage=NIGHT_USAGE)
    sub, rest = inv.tokens[0].lower(), inv.tokens[1:]
    nights = inv.app.nights
    usage = COMMANDS["night"].usage_of(sub)
    if sub in ("schedule", "edit"):
        p = parse(rest, options=("where",), single=_NIGHT_SINGLE, usage=usage)
        if p.tail == "where" and (sub == "schedule" and not p.words):
            # `--where Sam's flat first friday 20:00`: the rule and time end the place's words.
            spoken = p.option_words["where"]
            for k in range(len(spoken) - 1, 1, -1):
                if _rule_and_clock(spoken[-k:]) is not None:
                    p = replace(p, words=spoken[-k:], options={**p.options, "where": " ".join(spoken[:-k])})
                    break
        ref, words = leading_ref(p.words) if sub == "edit" else (None, p.words)
        found = _rule_and_clock(words)
        if sub == "schedule":
            if found is None or not found[0]:
                if len(words) >= 2 and any(ch.isdigit() for ch in words[-1]):
                    try:
                        read_clock(words[-1])
                    except DocclubError as wrong:  # say what is wrong with the time, when that is it
                        raise UsageError(wrong.line, usage=usage) from None
                missing = "Which nights, and at what time?" if not words else "Give the rule, then the time, like: "
                raise UsageError(
                    line(missing, cmd("night schedule", rule='"first friday"', time="20:00")) if words else missing,
                    usage=usage,
                )
            return await nights.schedule(inv.key, inv.actor, _night_changes(p, *found))
        if found is None and len(words) == 1:
            try:
                return await nights.edit(inv.key, inv.actor, ref, _night_changes(p, None, _clock_only(words[0])))
            except _NotAClock:
                pass
        rule, clock = found if found is not None else (" ".join(words) or None, None)
        return await nights.edit(inv.key, inv.actor, ref, _night_changes(p, rule or None, clock))
    if sub == "list":
        if rest:
            raise UsageError("night list takes nothing more.", usage=usage)
        return await nights.list(inv.key, inv.actor)
    ref, words = leading_ref(rest)
    if sub in ("show", "cancel", "ics"):
        if words:
            raise UsageError(f"night {sub} takes one #night.", usage=usage)
        if sub == "show":
            return await nights.show(inv.key, inv.actor, ref)
        if sub == "ics":
            return await nights.ics(inv.key, inv.actor, ref)
        return await nights.cancel(inv.key, inv.actor, ref)
    if sub == "skip":
        if not words:
            raise UsageError("Which night? Give its date.", usage=usage)
        return await nights.skip(inv.key, inv.actor, ref, " ".join(words))
    if sub == "move":
        assert isinstance(usage, Cmd)
        day, when = await _date_and_when(inv, words, usage)
        return await nights.move(inv.key, inv.actor, ref, day, when)
    raise UsageError(f"There is no 'night {sub[:20]}'.", usage=NIGHT_USAGE)


def usage_example(words: list[str]) -> Cmd:
    return cmd("night move", date=" ".join(words)[:30], when="sat 20:00")


class _NotAClock(Exception):
    pass


def _clock_only(word: str) -> str:
    try:
        read_clock(word)
    except DocclubError:
        raise _NotAClock from None
    return word
