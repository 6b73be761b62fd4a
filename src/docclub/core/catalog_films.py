"""Films completed from the catalog, after the suggestion: `pick` among several films of a title,
`film refresh`, and `import letterboxd` (where-to-stream brought up to date when a poll opens is
in `streaming`, below polls).

The catalog is asked outside any store transaction (a transaction awaits nothing but itself),
and whatever it fails to answer leaves the club as it was: a film kept as typed is a film.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from docclub.core.catalog import CatalogFilm
from docclub.core.catalog_rules import (
    club_region,
    completed,
    genre_note,
    look_up,
    read_pick,
    same_film,
    streaming_line,
)
from docclub.core.context import App, Ctx
from docclub.core.errors import InvalidInput, NotFound, UsageError
from docclub.core.film_lookup import resolve_film
from docclub.core.film_rules import DUPLICATE_CANDIDATES, find_duplicate, validate_new_film
from docclub.core.films import add_suggestion
from docclub.core.letterboxd import ListedFilm, read_letterboxd_list
from docclub.core.models import Actor, ClubKey, Film, NewFilm
from docclub.core.replies import Line, Reply, Tone, cmd, line, synopsis
from docclub.core.text import plural, title_key

IMPORT_PARALLEL = 4  # catalog lookups at once during an import
IMPORT_LOOKUPS = 100  # films of one import looked up at most; the rest are kept as listed
PICK_USAGE = synopsis("pick")


class CatalogFilms:
    """The catalog's part in a club's films beyond `suggest` (which `Films` does itself)."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def pick(self, key: ClubKey, actor: Actor, choice: str) -> Reply:
        """Suggest the film the member picked (`1`, `2`, … or `none` for the title as typed)
        among those their last suggestion offered."""
        choice = choice.strip().lower()
        if not choice:
            raise UsageError("Which one? Give its number from the list.", usage=PICK_USAGE)

        async def work(c: Ctx) -> Reply:
            payload = await c.tx.lookups.pick(c.club.id, c.actor.user_id, c.now)
            if payload is None:
                raise NotFound(
                    line("You have no suggestion waiting for a pick. Suggest a film with: ", synopsis("suggest"))
                )
            try:
                typed, new_anyway, candidates = read_pick(payload)
            except (ValueError, KeyError, TypeError):
                await c.tx.lookups.set_pick(c.club.id, c.actor.user_id, None, c.now)
                expired = line("That pick has expired. Suggest the film again with: ", synopsis("suggest"))
                raise NotFound(expired) from None
            notes: tuple[Line, ...]
            if choice in ("none", "0"):
                new, notes = typed, (line("Kept as you typed it."),)
            elif choice.isdigit() and 1 <= int(choice) <= len(candidates):
                chosen = candidates[int(choice) - 1]
                new = replace(validate_new_film(completed(typed, chosen), c.now.year), details=chosen)
                notes = tuple(n for n in (genre_note(chosen),) if n is not None)
            else:
                raise InvalidInput(
                    f"Pick a number from 1 to {len(candidates)}, or none to keep the title as typed.", usage=PICK_USAGE
                )
            reply = await add_suggestion(c, new, new_anyway, notes)
            await c.tx.lookups.set_pick(c.club.id, c.actor.user_id, None, c.now)
            return reply

        return await self.app.write(key, actor, work)

    async def refresh(self, key: ClubKey, actor: Actor, ref: str) -> Reply:
        """Look the film up again: its details and where it streams now. A film kept as typed is
        looked up by its title and year, and completed when exactly one film matches."""
        film, region = await self.app.read(key, actor, lambda c: _film_and_region(c, ref))
        catalog = self.app.catalog
        details: CatalogFilm | None
        if film.details is not None:
            details = await catalog.film(film.details.tmdb_id, region, fresh=True)
        else:
            found = await look_up(catalog, NewFilm(film.title, film.year), region)
            if found.candidates:
                listed = "; ".join(f"{f.title} ({f.year})" for f in found.candidates)
                return Reply(
                    lines=(
                        line(f"TMDB knows several films called {film.title}: {listed}. Add the year to tell which."),
                    ),
                )
            if found.note is not None:
                return Reply(lines=(found.note,))
            details = found.film
        if details is None:
            return Reply(
                lines=(line(f"TMDB can't be asked now, so #{film.id} {film.label} is unchanged. Try again later."),)
            )

        async def work(c: Ctx) -> Reply:
            await c.tx.films.set_details(c.club.id, film.id, details)
            stream = streaming_line(details)
            lines: list[Line] = [line(f"Looked up #{film.id} {film.label} again on TMDB.")]
            if stream is not None:
                lines.append(stream)
            return Reply(lines=tuple(lines), tone=Tone.OK, subject=("film", film.id))

        return await self.app.write(key, actor, work)

    async def import_letterboxd(self, key: ClubKey, actor: Actor, data: bytes) -> Reply:
        """Suggest every film of a Letterboxd list or watchlist export in one go (organizers).
        Films already here, or listed twice, are skipped and named; each film is looked up when a
        catalog is set (at most IMPORT_LOOKUPS of them), and kept as listed otherwise."""

        async def check(c: Ctx) -> str:
            c.require_organizer("import a Letterboxd list")
            return _region(c)

        region = await self.app.read(key, actor, check)
        listed = read_letterboxd_list(data)
        if not listed:
            return Reply(lines=(line("That list has no films."),))
        now_year = self.app.clock.now().year
        typed: list[tuple[ListedFilm, NewFilm | None, str | None]] = []
        for item in listed:
            try:
                typed.append((item, validate_new_film(NewFilm(item.title, item.year), now_year), None))
            except InvalidInput as exc:
                typed.append((item, None, exc.message))
        details = await self._look_up_all([new for _, new, _ in typed if new is not None][:IMPORT_LOOKUPS], region)

        async def work(c: Ctx) -> Reply:
            added: list[Film] = []
            skipped: list[str] = []
            refused: list[str] = []
            for item, new, why in typed:
                if new is None:
                    refused.append(f"row {item.row} ({why})")
                    continue
                found = details.get((new.title, new.year))
                if found is not None:
                    new = replace(completed(new, found), details=found)
                candidates = await c.tx.films.like_title(c.club.id, title_key(new.title), DUPLICATE_CANDIDATES)
                dup = find_duplicate(candidates, new)
                if dup is not None:
                    skipped.append(f"{new.title}{f' ({new.year})' if new.year else ''} (here as #{dup[0].id})")
                    continue
                added.append(await c.tx.films.add(c.club.id, new, c.actor.user_id, c.actor.display_name, c.now))
            return _import_reply(added, skipped, refused, looked_up=bool(details))

        return await self.app.write(key, actor, work)

    async def _look_up_all(self, films: list[NewFilm], region: str) -> dict[tuple[str, int | None], CatalogFilm]:
        """The catalog's film for each suggestion it knows exactly one film of, by (title, year)."""
        limit = asyncio.Semaphore(IMPORT_PARALLEL)
        catalog = self.app.catalog

        async def one(new: NewFilm) -> tuple[tuple[str, int | None], CatalogFilm | None]:
            async with limit:
                matches = await catalog.search(new.title, new.year)
                exact = [m for m in matches or [] if same_film(m, new.title, new.year)]
                film = await catalog.film(exact[0].tmdb_id, region) if len(exact) == 1 else None
            return (new.title, new.year), film

        found = await asyncio.gather(*(one(new) for new in films))
        return {k: v for k, v in found if v is not None}


def _region(c: Ctx) -> str:
    return club_region(c.club.config)


async def _film_and_region(c: Ctx, ref: str) -> tuple[Film, str]:
    return await resolve_film(c, ref), _region(c)


def _import_reply(added: list[Film], skipped: list[str], refused: list[str], *, looked_up: bool) -> Reply:
    lines: list[Line] = []
    if added:
        names = ", ".join(f"#{f.id} {f.label}" for f in added[:40]) + (" …" if len(added) > 40 else "")
        lines.append(line(f"Suggested {plural(len(added), 'film')} from the list: {names}."))
        kept = [f for f in added if f.details is None]
        if looked_up and kept:
            lines.append(
                line(
                    f"{plural(len(kept), 'film')} could not be looked up on TMDB and "
                    f"{'is' if len(kept) == 1 else 'are'} kept as listed; complete one later with: ",
                    cmd("film refresh", film=f"#{kept[0].id}"),
                )
            )
    else:
        lines.append(line("No new films: every film of the list is already here."))
    if skipped:
        lines.append(line(f"Skipped, already here: {'; '.join(skipped[:40])}{' …' if len(skipped) > 40 else ''}."))
    if refused:
        lines.append(line(f"Left out, not a title here: {'; '.join(refused[:20])}."))
    return Reply(title="Letterboxd import", lines=tuple(lines), tone=Tone.OK if added else Tone.INFO)


__all__ = ["CatalogFilms"]
