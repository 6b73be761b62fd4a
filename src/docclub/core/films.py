"""Films: suggest, list, show (the film card), mark seen, withdraw, shortlist, delete."""

from __future__ import annotations

import builtins
from dataclasses import replace
from datetime import timedelta

from docclub.core.catalog import CatalogFilm
from docclub.core.catalog_rules import (
    club_region,
    completed,
    detail_fields,
    genre_note,
    look_up,
    pick_label,
    pick_payload,
)
from docclub.core.context import App, Ctx
from docclub.core.errors import Conflict, Duplicate, NotAllowed, UsageError
from docclub.core.film_lookup import OPEN_STATUSES, resolve_film
from docclub.core.film_rules import DUPLICATE_CANDIDATES, find_duplicate, validate_new_film
from docclub.core.models import (
    Actor,
    ClubKey,
    Film,
    FilmStatus,
    NewFilm,
    PartyStatus,
)
from docclub.core.ratings import rating_summary
from docclub.core.replies import (
    Action,
    ActionKind,
    Field,
    Line,
    Reply,
    Spoiler,
    Time,
    Tone,
    action_label,
    cmd,
    line,
    synopsis,
)
from docclub.core.text import fold, title_key

PICK_FOR = timedelta(hours=1)  # how long a suggestion waits for its member's pick


class Films:
    def __init__(self, app: App) -> None:
        self.app = app

    async def suggest(self, key: ClubKey, actor: Actor, film: NewFilm, *, new_anyway: bool = False) -> Reply:
        """Add a suggestion, completed from the film catalog when one is set (`catalog_rules`):
        one film of the title is taken, several are offered to `pick` from, none leaves it as
        typed. The same title and year is refused with a pointer to the film that is here; a
        likely match (same title without a year, or a near title) asks first, unless
        `new_anyway` (`--new`) says the member means a different film."""
        now_year = self.app.clock.now().year
        new = validate_new_film(film, now_year)
        found = await look_up(self.app.catalog, new, lambda: self._region(key, actor))
        if found.candidates:
            return await self.app.write(key, actor, lambda c: offer_pick(c, new, new_anyway, found.candidates))
        notes = tuple(n for n in (found.note,) if n is not None)
        if found.film is not None:
            new = replace(validate_new_film(completed(new, found.film), now_year), details=found.film)
            notes += tuple(n for n in (genre_note(found.film),) if n is not None)
        return await self.app.write(key, actor, lambda c: add_suggestion(c, new, new_anyway, notes))

    async def _region(self, key: ClubKey, actor: Actor) -> str:
        return await self.app.read(key, actor, lambda c: _club_region(c))

    async def list(self, key: ClubKey, actor: Actor, which: str | None = None) -> Reply:
        which = (which or "").strip().lower() or None
        statuses: tuple[FilmStatus, ...] | None
        if which in (None, "open"):
            statuses = OPEN_STATUSES
        elif which == "all":
            statuses = None
        else:
            try:
                statuses = (FilmStatus(which),)
            except ValueError:
                raise UsageError(
                    f"I don't know the list {which!r}.",
                    usage=synopsis("films"),
                ) from None

        async def work(c: Ctx) -> Reply:
            films = await c.tx.films.list(c.club.id, statuses)
            votes = await c.tx.polls.vote_counts(c.club.id)
            label = which or "suggested and shortlisted"
            if not films:
                return Reply(
                    title=f"Films ({label})",
                    lines=(
                        line("None yet. Suggest one: ", cmd("suggest", title=None, year=None, where=None, pitch=None)),
                    ),
                )
            lines = []
            for f in films:
                extra = f" · {votes[f.id]} vote{'s' if votes[f.id] != 1 else ''}" if votes.get(f.id) else ""
                status = "" if statuses and len(statuses) == 1 else f" [{f.status.value}]"
                lines.append(line(f"#{f.id} {f.label}{status} — by {f.suggested_by_name}{extra}"))
            return Reply(title=f"Films ({label}): {len(films)}", lines=tuple(lines))

        return await self.app.read(key, actor, work)

    async def card(self, key: ClubKey, actor: Actor, ref: str) -> Reply:
        async def work(c: Ctx) -> Reply:
            film = await resolve_film(c, ref)
            return await film_card(c, film)

        return await self.app.read(key, actor, work)

    async def seen(self, key: ClubKey, actor: Actor, ref: str) -> Reply:
        async def work(c: Ctx) -> Reply:
            film = await resolve_film(c, ref, include_withdrawn=False)
            new = await c.tx.films.mark_seen(c.club.id, film.id, c.actor.user_id, c.now)
            count = len(await c.tx.films.seen_by(c.club.id, film.id))
            first = "Marked" if new else "You had already marked"
            return Reply(
                lines=(
                    line(
                        f"{first} {film.label} as seen. {count} member{'s' if count != 1 else ''} "
                        f"of the club {'have' if count != 1 else 'has'} seen it. Rate it with: ",
                        cmd("rate", film=f"#{film.id}", score=None, review=None),
                    ),
                ),
                tone=Tone.OK,
            )

        return await self.app.write(key, actor, work)

    async def withdraw(self, key: ClubKey, actor: Actor, ref: str) -> Reply:
        async def work(c: Ctx) -> Reply:
            film = await resolve_film(c, ref, include_withdrawn=False)
            if film.suggested_by != c.actor.user_id and not c.is_organizer:
                raise NotAllowed(
                    f"Only {film.suggested_by_name}, who suggested {film.label}, or an organizer can withdraw it."
                )
            if film.status not in OPEN_STATUSES:
                raise Conflict(
                    f"{film.label} is {film.status.value}; only suggested or shortlisted films can be withdrawn."
                )
            await c.tx.films.set_status(c.club.id, film.id, FilmStatus.WITHDRAWN)
            return Reply(
                lines=(line(f"Withdrew #{film.id} {film.label}. It won't be offered in polls."),), tone=Tone.OK
            )

        return await self.app.write(key, actor, work)

    async def shortlist(self, key: ClubKey, actor: Actor, ref: str) -> Reply:
        async def work(c: Ctx) -> Reply:
            c.require_organizer("shortlist films")
            film = await resolve_film(c, ref, include_withdrawn=False)
            if film.status is not FilmStatus.SUGGESTED:
                raise Conflict(f"{film.label} is {film.status.value}; only suggested films can be shortlisted.")
            await c.tx.films.set_status(c.club.id, film.id, FilmStatus.SHORTLISTED)
            return Reply(lines=(line(f"Shortlisted #{film.id} {film.label}."),), tone=Tone.OK)

        return await self.app.write(key, actor, work)

    async def delete(self, key: ClubKey, actor: Actor, ref: str) -> Reply:
        async def work(c: Ctx) -> Reply:
            c.require_organizer("delete films")
            film = await resolve_film(c, ref)
            polls = await c.tx.polls.list(c.club.id, open_only=True)
            for poll in polls:
                if film.id in poll.film_ids:
                    raise Conflict(f"{film.label} is in open poll #{poll.id}; close or cancel it first.")
            for party in await c.tx.parties.list(c.club.id, film_id=film.id):
                await c.tx.reminders.delete_pending(c.club.id, ("party_before", "party_dm", "party_after"), party.id)
            await c.tx.films.delete(c.club.id, film.id)
            return Reply(lines=(line(f"Deleted #{film.id} {film.label} with its ratings and parties."),), tone=Tone.OK)

        return await self.app.write(key, actor, work)

    async def choices(
        self, key: ClubKey, actor: Actor, query: str, *, limit: int = 25, statuses: tuple[FilmStatus, ...] | None = None
    ) -> builtins.list[tuple[int, str]]:
        """(id, label) of films matching what a member has typed so far, for autocomplete."""
        wanted = fold(query or "")

        async def work(c: Ctx) -> builtins.list[tuple[int, str]]:
            films = await c.tx.films.list(c.club.id, statuses)
            starts = [f for f in films if fold(f.title).startswith(wanted)]
            contains = [f for f in films if wanted in fold(f.title) and f not in starts]
            return [(f.id, f"#{f.id} {f.label}"[:100]) for f in (starts + contains)[:limit]]

        return await self.app.read(key, actor, work)


async def _club_region(c: Ctx) -> str:
    return club_region(c.club.config)


async def add_suggestion(c: Ctx, new: NewFilm, new_anyway: bool, notes: tuple[Line, ...] = ()) -> Reply:
    """Add a checked suggestion, unless the club has it already (see `Films.suggest`)."""
    candidates = await c.tx.films.like_title(c.club.id, title_key(new.title), DUPLICATE_CANDIDATES)
    found = find_duplicate(candidates, new)
    if found is not None:
        dup, certain = found
        by = f"suggested by {dup.suggested_by_name}"
        where = f"({by})" if dup.status is FilmStatus.SUGGESTED else f"({dup.status.value}, {by})"
        see = cmd("film", film=f"#{dup.id}")
        here = line(f"{dup.label} is already here as #{dup.id} {where}. See it with: ", see)
        if certain:
            raise Duplicate(here)
        if not new_anyway:
            how = "add its year, or mark it as new to suggest it anyway" if new.year is None else "mark it as new"
            same = title_key(dup.title) == title_key(new.title)
            asked = here if same else line(f"Did you mean #{dup.id} {dup.label} {where}? See it with: ", see)
            raise Duplicate(
                line(*asked, f". If yours is a different film, {how}."),
                usage=(
                    (cmd("suggest", title=new.title, year="<year>"), cmd("suggest", title=new.title, new=""))
                    if new.year is None
                    else cmd("suggest", title=new.title, year=str(new.year), new="")
                ),
            )
    added = await c.tx.films.add(c.club.id, new, c.actor.user_id, c.actor.display_name, c.now)
    return Reply(
        title=f"Suggested #{added.id} {added.label}",
        lines=(line("Thanks! Members can vote for it when a poll opens."), *notes),
        fields=_film_fields(added),
        tone=Tone.OK,
        subject=("film", added.id),
        image=added.details.poster_url if added.details else None,
    )


async def offer_pick(c: Ctx, new: NewFilm, new_anyway: bool, candidates: tuple[CatalogFilm, ...]) -> Reply:
    """Keep the suggestion waiting for its member to pick among `candidates`, and ask."""
    await c.tx.lookups.set_pick(c.club.id, c.actor.user_id, pick_payload(new, new_anyway, candidates), c.now + PICK_FOR)
    labels = [pick_label(f) for f in candidates]
    return Reply(
        title=f"Which {new.title}?",
        lines=(
            line(f"TMDB knows {len(candidates)} films called {new.title}:"),
            *(line(f"{n}. {label}") for n, label in enumerate(labels, start=1)),
            line(
                "Reply ",
                cmd("pick", n="1"),
                " (or another number), or ",
                cmd("pick", n="none"),
                " to keep it as typed.",
            ),
        ),
        actions=(
            *(Action(ActionKind.PICK, str(n), action_label(f"{n}. {label}")) for n, label in enumerate(labels, 1)),
            Action(ActionKind.PICK, "none", "None of these: keep it as typed"),
        ),
        ephemeral=True,
    )


def _film_fields(film: Film) -> tuple[Field, ...]:
    fields: list[Field] = []
    if film.pitch:
        fields.append(Field("Pitch", (line(film.pitch),)))
    if film.where:
        fields.append(Field("Where to watch", (line(film.where),), inline=True))
    if film.link:
        fields.append(Field("Link", (line(film.link),), inline=True))
    if film.warnings:
        fields.append(Field("Content warnings", (line(Spoiler(", ".join(film.warnings), "warnings")),)))
    if film.tags:
        fields.append(Field("Tags", (line(", ".join(film.tags)),), inline=True))
    if film.details is not None:
        fields.extend(detail_fields(film.details, where=film.where, title=film.title))
    return tuple(fields)


async def film_card(c: Ctx, film: Film) -> Reply:
    votes = (await c.tx.polls.vote_counts(c.club.id)).get(film.id, 0)
    seen = len(await c.tx.films.seen_by(c.club.id, film.id))
    parties = [p for p in await c.tx.parties.list(c.club.id, film_id=film.id) if p.status is not PartyStatus.CANCELLED]
    fields = list(_film_fields(film))
    fields.append(Field("Status", (line(film.status.value),), inline=True))
    fields.append(Field("Suggested by", (line(film.suggested_by_name),), inline=True))
    fields.append(Field("Votes received", (line(str(votes)),), inline=True))
    fields.append(Field("Seen by", (line(f"{seen} member{'s' if seen != 1 else ''}"),), inline=True))
    if parties:
        fields.append(
            Field(
                "Watch parties",
                tuple(line(f"#{p.id} ", Time(p.starts_at), f" ({p.status.value})") for p in parties[-5:]),
            )
        )
    fields.append(Field("Ratings", await rating_summary(c, film)))
    actions = (Action(ActionKind.RATE, str(film.id), "Rate it"),)
    return Reply(
        title=f"#{film.id} {film.label}",
        fields=tuple(fields),
        actions=actions,
        subject=("film", film.id),
        image=film.details.poster_url if film.details else None,
    )


__all__ = ["Films", "add_suggestion", "film_card", "offer_pick"]
