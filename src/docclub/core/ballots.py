"""Ballots: what a member chose in a poll, the film a vote names, and the form a member votes on."""

from __future__ import annotations

from dataclasses import dataclass

from docclub.core.context import Ctx
from docclub.core.errors import InvalidInput
from docclub.core.film_lookup import resolve_film
from docclub.core.models import Ballot, Film, Poll, PollMethod
from docclub.core.replies import Line, Reply, Tone, cmd, line, synopsis
from docclub.core.text import fold, ref_number, split_year

VOTE_USAGE = synopsis("vote")


@dataclass(frozen=True, slots=True)
class BallotForm:
    """What a voting form shows one member (Slack's ranked-choice modal builds from it)."""

    poll_id: int
    method: PollMethod
    films: tuple[tuple[int, str], ...]  # (film id, label), in poll order
    mine: tuple[int, ...]  # the member's current choices; ranked: in order of preference


def _ballot_text(c_films: dict[int, Film], choices: tuple[int, ...], method: PollMethod) -> str:
    names = [c_films[f].label if f in c_films else f"#{f}" for f in choices]
    if method is PollMethod.RANKED:
        return " > ".join(f"{i}. {n}" for i, n in enumerate(names, 1))
    return ", ".join(names)


async def cast_ballot(c: Ctx, poll: Poll, choices: tuple[int, ...], films: dict[int, Film] | None = None) -> Reply:
    """Store the member's ballot (an empty one is none); `films`: the chosen ones, when the caller has them."""
    if films is None:
        films = await c.tx.films.by_id(c.club.id, choices)
    if choices:
        await c.tx.polls.put_ballot(Ballot(c.club.id, poll.id, c.actor.user_id, c.actor.display_name, choices, c.now))
    else:  # an emptied ballot is no ballot: it isn't counted among the ballots cast
        await c.tx.polls.delete_ballot(c.club.id, poll.id, c.actor.user_id)
    if not choices:
        text = f"Your ballot in poll #{poll.id} is now empty."
    else:
        text = f"Your vote in poll #{poll.id}: {_ballot_text(films, choices, poll.method)}."
    return Reply(
        lines=(line(text), line("You can change it until the poll closes.")),
        tone=Tone.OK,
        ephemeral=True,
        subject=("poll", poll.id),
    )


async def film_in_poll(c: Ctx, poll: Poll, ref: str) -> Film:
    """A film of the poll named by `#id`, by the bare number its card shows beside it (`2`), or
    by title. A title is looked for among the poll's films first (a vote costs the same in a club
    of 5 films and of 5,000), so a title made of digits (1971) still means the title; only a
    title that names none of them is looked up in the whole club, for the clear refusal."""
    ref = ref.strip()
    in_poll: dict[int, Film] | None = None
    number = ref_number(ref)
    if number is None:
        title, year = split_year(ref)
        wanted = fold(title)
        in_poll = await c.tx.films.by_id(c.club.id, poll.film_ids)
        offered = [f for f in in_poll.values() if year is None or f.year in (year, None)]
        named = [f for f in offered if fold(f.title) == wanted]
        named = named or [f for f in offered if fold(f.title).startswith(wanted)]
        if len(named) == 1:
            return named[0]
        if ref.isdecimal() and len(ref) <= 9:
            number = int(ref)  # the number the poll's card shows beside each film
    if number is not None and number in poll.film_ids:
        film = (in_poll or await c.tx.films.by_id(c.club.id, [number])).get(number)
        if film is not None:
            return film
    film = await resolve_film(c, ref) if number is None else await c.tx.films.get(c.club.id, number)
    if film is None or film.id not in poll.film_ids:
        if film is not None:
            said = f"#{film.id} {film.label} is not in poll #{poll.id}."
        else:
            said = f"Poll #{poll.id} has no film #{number}."
        raise InvalidInput(await _with_poll_films(c, poll, in_poll, said), usage=VOTE_USAGE)
    return film


_LISTED = 8  # films named in a refusal; more are left to `poll show`


async def _with_poll_films(c: Ctx, poll: Poll, in_poll: dict[int, Film] | None, said: str) -> Line:
    films = in_poll if in_poll is not None else await c.tx.films.by_id(c.club.id, poll.film_ids)
    named = ", ".join(f"#{i} {films[i].label}" for i in poll.film_ids[:_LISTED] if i in films)
    more = len(poll.film_ids) - _LISTED
    if more > 0:
        return line(f"{said} Its films: {named}, and {more} more: ", cmd("poll show", poll=f"#{poll.id}"))
    return line(f"{said} Its films: {named}.")
