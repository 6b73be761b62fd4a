"""The rating commands: rate, ratings, my ratings, leaderboard."""

from __future__ import annotations

import re

from docclub.core.commands.invocation import Command, Invocation, command, nonempty, rest_text
from docclub.core.context import Ctx
from docclub.core.errors import DocclubError, UsageError
from docclub.core.film_lookup import resolve_film, split_film_words
from docclub.core.grammar import parse
from docclub.core.replies import Reply, cmd, line, synopsis
from docclub.core.text import ref_number

COMMANDS: dict[str, Command] = {}


def _looks_like_score(word: str) -> bool:
    return bool(re.fullmatch(r"(\d{1,2}([.,]\d)?|[.,]\d|\d½|½|★+½?)(/10|/5)?", word.strip()))


def _score_rest(rest: list[str]) -> bool:
    return bool(rest) and _looks_like_score(rest[0])


RATE = "rate <film> <score> [review] [--no-review]"


@command(
    COMMANDS,
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
                found, rest = await split_film_words(c, words, nonempty)
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


@command(COMMANDS, "ratings", "ratings <film>", "the club's ratings of a film (after you rate it)", "ratings #1")
async def _ratings(inv: Invocation) -> Reply:
    return await inv.app.ratings.show(inv.key, inv.actor, rest_text(inv, synopsis("ratings"), "film"))


@command(COMMANDS, "my", "my ratings", "your rating history", "my ratings")
async def _my(inv: Invocation) -> Reply:
    if [t.lower() for t in inv.tokens] != ["ratings"]:
        raise UsageError("Did you mean 'my ratings'?", usage=cmd("my ratings"))
    return await inv.app.ratings.mine(inv.key, inv.actor)


@command(COMMANDS, "leaderboard", "leaderboard", "the club's best-rated films", "leaderboard")
async def _leaderboard(inv: Invocation) -> Reply:
    return await inv.app.ratings.leaderboard(inv.key, inv.actor)
