"""Finding the film a member names: `#id`, or a title (exact or a unique prefix, case and
accents ignored), and in the text grammar the longest leading words that name one."""

from __future__ import annotations

import difflib
from collections.abc import Callable

from docclub.core.context import Ctx
from docclub.core.errors import Ambiguous, NotFound, UsageError
from docclub.core.models import (
    Film,
    FilmStatus,
)
from docclub.core.replies import (
    EXAMPLE_FILM,
    Line,
    cmd,
    line,
)
from docclub.core.text import fold, ref_number, split_year

OPEN_STATUSES = (FilmStatus.SUGGESTED, FilmStatus.SHORTLISTED)  # films in the running


async def resolve_film(c: Ctx, ref: str, *, include_withdrawn: bool = True) -> Film:
    """`#id`, or a title: exact (case and accents ignored) or a unique prefix."""
    ref = ref.strip()
    if not ref:
        raise UsageError("Which film? Give its #number or title.", usage=cmd("film", film=EXAMPLE_FILM))
    number = ref_number(ref)
    if number is not None:
        film = await c.tx.films.get(c.club.id, number)
        if film is None:
            raise NotFound(
                line(f"There is no film #{number} in this club. See the list with: ", cmd("films", which="all"))
            )
        return film
    title, year = split_year(ref)
    wanted = fold(title)
    films = await c.tx.films.list(c.club.id)
    if not include_withdrawn:
        films = [f for f in films if f.status is not FilmStatus.WITHDRAWN]
    if year is not None:
        films = [f for f in films if f.year in (year, None)]
    exact = [f for f in films if fold(f.title) == wanted]
    live = [f for f in exact if f.status is not FilmStatus.WITHDRAWN]
    if len(live) == 1 or (len(exact) == 1):
        return (live or exact)[0]
    candidates = exact or [f for f in films if fold(f.title).startswith(wanted)]
    if not candidates:
        near = difflib.get_close_matches(wanted, [fold(f.title) for f in films], n=1, cutoff=0.75)
        hint = ""
        if near:
            match = next(f for f in films if fold(f.title) == near[0])
            hint = f" Did you mean #{match.id} {match.label}?"
        raise NotFound(
            line(f"No film in this club matches {ref[:80]!r}.{hint} See the list with: ", cmd("films", which="all"))
        )
    if len(candidates) > 1:
        live_candidates = [f for f in candidates if f.status is not FilmStatus.WITHDRAWN]
        if len(live_candidates) == 1:
            return live_candidates[0]
        listed = ", ".join(f"#{f.id} {f.label}" for f in candidates[:6])
        raise Ambiguous(f"{ref[:80]!r} matches several films: {listed}. Use the #number or more of the title.")
    return candidates[0]


def film_line(film: Film) -> Line:
    return line(f"#{film.id} {film.label}")


async def split_film_words(c: Ctx, words: list[str], rest_ok: Callable[[list[str]], bool]) -> tuple[Film, list[str]]:
    """Unquoted titles in the text grammar: the longest leading words that name a film and
    leave a rest that `rest_ok` accepts (a score, a time, a prompt)."""
    last_error: Exception | None = None
    for k in range(len(words), 0, -1):
        rest = words[k:]
        if not rest_ok(rest):
            continue
        try:
            return await resolve_film(c, " ".join(words[:k])), rest
        except (NotFound, Ambiguous) as exc:
            if k == 1 or last_error is None:
                last_error = exc
            if isinstance(exc, Ambiguous):
                last_error = exc
    if last_error is not None:
        raise last_error
    raise UsageError("Which film? Give its #number or its title in quotes.")
