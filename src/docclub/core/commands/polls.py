"""The poll commands: poll open|show|add|close|cancel, vote, vote clear, unvote."""

from __future__ import annotations

from docclub.core.commands.invocation import Command, Invocation, command, leading_ref, time_then_words
from docclub.core.errors import InvalidInput, UsageError
from docclub.core.grammar import Quoted, parse
from docclub.core.replies import Reply, synopsis
from docclub.core.text import ref_number

COMMANDS: dict[str, Command] = {}

POLL = (
    "poll open [--method single|approval|ranked] [--closes WHEN] [--anonymous] [--top N] [<film>, ...] · "
    "poll show [#poll] · poll add [#poll] <film> · poll close [#poll] [--schedule WHEN] · poll cancel [#poll]"
)


POLL_USAGE = tuple(synopsis(f"poll {sub}") for sub in ("open", "show", "add", "close", "cancel"))


def _split_commas(words: list[str]) -> list[str]:
    text = " ".join(words)
    return [part.strip() for part in text.split(",") if part.strip()]


@command(
    COMMANDS,
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
        ref, words = leading_ref(rest)
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
    COMMANDS,
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


@command(COMMANDS, "unvote", "unvote [#poll]", "withdraw your ballot while the poll is open", "unvote #2")
async def _unvote(inv: Invocation) -> Reply:
    if len(inv.tokens) > 1 or (inv.tokens and ref_number(inv.tokens[0]) is None):
        raise UsageError("unvote takes one #poll, or nothing for the only open one.", usage=synopsis("vote clear"))
    return await inv.app.polls.clear(inv.key, inv.actor, inv.tokens[0] if inv.tokens else None)
