"""Watch parties: schedule, list, show, calendar files, RSVP, move, cancel, and who joined."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from docclub.core.catalog_rules import party_minutes
from docclub.core.context import App, Ctx
from docclub.core.errors import Conflict, NotFound, UsageError
from docclub.core.film_lookup import resolve_film
from docclub.core.models import (
    Actor,
    Attendance,
    ClubKey,
    Film,
    FilmStatus,
    Party,
    PartyStatus,
    RsvpAnswer,
)
from docclub.core.party_cards import ics_for, party_reply
from docclub.core.party_reminders import reminders_for, replan_reminders
from docclub.core.ports import ClubTx
from docclub.core.replies import (
    EXAMPLE_FILM,
    Attachment,
    Cmd,
    Reply,
    Time,
    Tone,
    UserRef,
    cmd,
    format_time,
    line,
)
from docclub.core.rsvps import answer_rsvp
from docclub.core.text import SHORT_MAX, clean, ref_number
from docclub.core.when import parse_duration, read_in_club

SCHEDULE_USAGE = cmd("party schedule", film=EXAMPLE_FILM, when="sat 20:00", where="#watch-party", duration="2h")
RSVP_USAGE = cmd("rsvp", party="#1", answer=None, remind=None)
PARTY_LIST = cmd("party list")
SHOW_USAGE = cmd("party show", party="#1")
DEFAULT_DURATION = 120
EARLY_JOIN = timedelta(minutes=15)  # joining the party's channel this early already counts as attending
# Lines of `party list` (`party list all` shows more, the oldest left out first).
LIST_MAX = 25
LIST_ALL_MAX = 100


async def resolve_party(c: Ctx, ref: str | None, *, upcoming_only: bool = False, usage: Cmd = SHOW_USAGE) -> Party:
    """`#id`, or the only upcoming party when `ref` is empty. `usage` is the command's own."""
    if ref:
        number = ref_number(ref)
        if number is None:
            raise UsageError(
                line(f"Watch parties are named by their #number, not {ref[:40]!r}. See them with: ", PARTY_LIST),
                usage=usage,
            )
        party = await c.tx.parties.get(c.club.id, number)
        if party is None:
            raise NotFound(line(f"There is no watch party #{number} in this club. See them with: ", PARTY_LIST))
        if upcoming_only and party.status is PartyStatus.CANCELLED:
            raise Conflict(line(f"Watch party #{party.id} was cancelled. See what is coming up with: ", PARTY_LIST))
        if upcoming_only and party.status is not PartyStatus.SCHEDULED:
            raise Conflict(line(f"Watch party #{party.id} is over. See what is coming up with: ", PARTY_LIST))
        return party
    upcoming = await c.tx.parties.list(c.club.id, statuses=(PartyStatus.SCHEDULED.value,))
    if not upcoming:
        raise NotFound(line("There is no upcoming watch party. An organizer can schedule one: ", SCHEDULE_USAGE))
    if len(upcoming) > 1:
        listed = ", ".join(f"#{p.id}" for p in upcoming[:10])
        raise UsageError(f"Several watch parties are coming up ({listed}); say which one.", usage=usage)
    return upcoming[0]


def _held_at(party: Party, place: str) -> bool:
    """Whether the party's `where` is `place`, or names it as one of its words
    ("<#123> (doors open 19:45)")."""
    if not party.where or not place.strip():
        return False
    wanted = place.strip().casefold()
    where = party.where.strip().casefold()
    return where == wanted or wanted in where.split()


async def schedule_party(
    c: Ctx, film_ref: str, when: str, where: str | None, duration: str | None, *, again: bool = False
) -> Reply:
    """Schedule a watch party in `c`'s transaction (the command, and closing a poll with --schedule)."""

    c.require_organizer("schedule watch parties")
    if not when or not when.strip():
        raise UsageError("When is the party?", usage=SCHEDULE_USAGE)
    film = await resolve_film(c, film_ref, include_withdrawn=False)
    reading = read_in_club(when, c.club.config, c.now)
    starts_at = reading.at
    # Without --duration, the film's runtime and a margin, when the catalog knows it.
    minutes = parse_duration(duration) if duration else party_minutes(film.details) or DEFAULT_DURATION
    place = clean(where, "place", SHORT_MAX) if where else None
    ends_at = starts_at + timedelta(minutes=minutes)
    for other in await c.tx.parties.list(c.club.id, film_id=film.id, statuses=(PartyStatus.SCHEDULED.value,)):
        other_ends = other.starts_at + timedelta(minutes=other.duration_minutes)
        if not again and other.starts_at < ends_at and starts_at < other_ends:
            at = format_time(other.starts_at, c.tz)
            raise Conflict(
                line(
                    f"{film.label} already has watch party #{other.id} at {at}. See it with: ",
                    cmd("party show", party=f"#{other.id}"),
                    ". To hold another one at the same time anyway:",
                ),
                usage=cmd("party schedule", film=f"#{film.id}", when=when.strip()[:60], again=""),
            )
    party = await c.tx.parties.add(c.club.id, film.id, starts_at, minutes, place, c.actor.user_id, c.now)
    if film.status in (FilmStatus.SUGGESTED, FilmStatus.SHORTLISTED):
        await c.tx.films.set_status(c.club.id, film.id, FilmStatus.SCHEDULED)
    await c.tx.reminders.add(reminders_for(c.club, party, [], c.now))
    reply = await party_reply(c, party, title=f"Watch party #{party.id}: {film.label}", tone=Tone.OK)
    return replace(reply, lines=(*(line(note) for note in reading.notes), *reply.lines))


class Parties:
    def __init__(self, app: App) -> None:
        self.app = app

    async def schedule(
        self,
        key: ClubKey,
        actor: Actor,
        film_ref: str,
        when: str,
        *,
        where: str | None = None,
        duration: str | None = None,
        again: bool = False,
    ) -> Reply:
        """Schedule a watch party. A second party for the same film at a time the first one is
        still running is refused unless `again` (`--again`) says it is meant."""

        async def work(c: Ctx) -> Reply:
            return await schedule_party(c, film_ref, when, where, duration, again=again)

        reply = await self.app.write(key, actor, work)
        self.app.on_reminders_changed()
        return reply

    async def list(self, key: ClubKey, actor: Actor, which: str | None = None) -> Reply:
        """The coming parties, soonest first (at most LIST_MAX, then how many more); with `all`,
        also the past and cancelled ones, the most recent first after the coming ones."""

        async def work(c: Ctx) -> Reply:
            everything = (which or "").strip().lower() == "all"
            statuses = None if everything else (PartyStatus.SCHEDULED.value,)
            parties = await c.tx.parties.list(c.club.id, statuses=statuses)
            if not parties:
                return Reply(
                    title="Watch parties",
                    lines=(
                        line("No watch parties coming up.")
                        if everything
                        else line("No watch parties coming up. Past ones: ", cmd("party list", which="all")),
                    ),
                )
            coming = [p for p in parties if p.status is PartyStatus.SCHEDULED]
            rest = sorted((p for p in parties if p.status is not PartyStatus.SCHEDULED), key=lambda p: p.starts_at)
            ordered = coming + rest[::-1]
            limit = LIST_ALL_MAX if everything else LIST_MAX
            films = await c.tx.films.by_id(c.club.id, [p.film_id for p in ordered[:limit]])
            lines = []
            for p in ordered[:limit]:
                rsvps = await c.tx.parties.rsvps(c.club.id, p.id)
                going = sum(1 for r in rsvps if r.answer is RsvpAnswer.YES)
                state = "" if p.status is PartyStatus.SCHEDULED else f" [{p.status.value}]"
                lines.append(
                    line(
                        f"#{p.id} {films[p.film_id].label} — ",
                        Time(p.starts_at),
                        f"{' · ' + p.where if p.where else ''} · {going} going{state}",
                    )
                )
            hidden = len(ordered) - limit
            if hidden > 0:
                if everything:
                    lines.append(line(f"…and {hidden} older ones not shown"))
                else:
                    lines.append(line(f"…and {hidden} more (", cmd("party list", which="all"), ")"))
            return Reply(title="Watch parties", lines=tuple(lines))

        return await self.app.read(key, actor, work)

    async def show(self, key: ClubKey, actor: Actor, ref: str | None) -> Reply:
        async def work(c: Ctx) -> Reply:
            return await party_reply(c, await resolve_party(c, ref))

        return await self.app.read(key, actor, work)

    async def ics(self, key: ClubKey, actor: Actor, ref: str | None) -> Reply:
        async def work(c: Ctx) -> Reply:
            party = await resolve_party(c, ref, usage=cmd("party ics", party="#1"))
            film = await c.tx.films.get(c.club.id, party.film_id)
            assert film is not None
            data = ics_for(c.club, film, party, c.now)
            return Reply(
                lines=(line(f"Calendar file for watch party #{party.id}: {film.label}."),),
                attachment=Attachment(f"docclub-party-{party.id}.ics", "text/calendar", data),
                subject=("party", party.id),
                ephemeral=True,  # a file for the member who asked, not a post for the channel
            )

        return await self.app.read(key, actor, work)

    async def rsvp(self, key: ClubKey, actor: Actor, ref: str | None, answer: str, remind: str | None = None) -> Reply:
        try:
            choice = RsvpAnswer((answer or "").strip().lower())
        except ValueError:
            raise UsageError(f"Answer yes, maybe or no (not {answer[:20]!r}).", usage=RSVP_USAGE) from None

        async def work(c: Ctx) -> Reply:
            party = await resolve_party(c, ref, upcoming_only=True, usage=RSVP_USAGE)
            return await answer_rsvp(c, party, choice, remind)

        reply = await self.app.write(key, actor, work)
        if remind:
            self.app.on_reminders_changed()
        return reply

    async def move(self, key: ClubKey, actor: Actor, ref: str | None, when: str) -> Reply:
        async def work(c: Ctx) -> Reply:
            c.require_organizer("move watch parties")
            party = await resolve_party(
                c, ref, upcoming_only=True, usage=cmd("party move", party="#1", when="sun 19:00")
            )
            reading = read_in_club(when, c.club.config, c.now)
            starts_at = reading.at
            moved = replace(party, starts_at=starts_at)
            await c.tx.parties.update(moved)
            await replan_reminders(c, moved)
            reply = await party_reply(c, moved, tone=Tone.NOTICE)
            rsvps = [r for r in await c.tx.parties.rsvps(c.club.id, party.id) if r.answer is not RsvpAnswer.NO]
            return replace(
                reply,
                title=f"Moved: {reply.title}",
                lines=(
                    line("Was ", Time(party.starts_at), "; now ", Time(starts_at), "."),
                    *(line(note) for note in reading.notes),
                    line("RSVPs still stand, and the reminders follow the new time."),
                    *reply.lines,
                ),
                notify=tuple(UserRef(r.user_id, r.display_name) for r in rsvps),
            )

        reply = await self.app.write(key, actor, work)
        self.app.on_reminders_changed()
        return reply

    async def cancel(self, key: ClubKey, actor: Actor, ref: str | None) -> Reply:
        async def work(c: Ctx) -> Reply:
            c.require_organizer("cancel watch parties")
            party = await resolve_party(c, ref, upcoming_only=True, usage=cmd("party cancel", party="#1"))
            cancelled = replace(party, status=PartyStatus.CANCELLED)
            await c.tx.parties.update(cancelled)
            await replan_reminders(c, cancelled)
            film = await c.tx.films.get(c.club.id, party.film_id)
            assert film is not None
            others = [
                p for p in await c.tx.parties.list(c.club.id, film_id=film.id, statuses=(PartyStatus.SCHEDULED.value,))
            ]
            if film.status is FilmStatus.SCHEDULED and not others:
                await c.tx.films.set_status(c.club.id, film.id, FilmStatus.SHORTLISTED)
            rsvps = [r for r in await c.tx.parties.rsvps(c.club.id, party.id) if r.answer is not RsvpAnswer.NO]
            return Reply(
                title=f"Cancelled: watch party #{party.id}: {film.label}",
                lines=(line("It was planned for ", Time(party.starts_at), ". No reminders will go out for it."),),
                tone=Tone.NOTICE,
                notify=tuple(UserRef(r.user_id, r.display_name) for r in rsvps),
                subject=("party", party.id),
            )

        reply = await self.app.write(key, actor, work)
        self.app.on_reminders_changed()
        return reply

    async def choices(self, key: ClubKey, actor: Actor) -> builtins.list[tuple[int, str]]:
        async def work(c: Ctx) -> builtins.list[tuple[int, str]]:
            parties = await c.tx.parties.list(c.club.id, statuses=(PartyStatus.SCHEDULED.value,))
            films = await c.tx.films.by_id(c.club.id, [p.film_id for p in parties[:25]])
            zone = ZoneInfo(c.tz)
            return [
                (p.id, f"#{p.id} {films[p.film_id].label} — {p.starts_at.astimezone(zone):%a %d %b %H:%M}"[:100])
                for p in parties[:25]
            ]

        return await self.app.read(key, actor, work)

    async def set_platform_ref(self, key: ClubKey, party_id: int, ref: str | None) -> None:
        """Adapters remember their handle for a party (message id, scheduled event id)."""

        async def work(tx: ClubTx) -> None:
            club = await tx.clubs.get(key)
            party = await tx.parties.get(club.id, party_id) if club else None
            if party is not None:
                await tx.parties.update(replace(party, platform_ref=ref))

        await self.app.store.write(work)

    async def update_platform_ref(
        self, key: ClubKey, party_id: int, change: Callable[[str | None], str | None]
    ) -> str | None:
        """Replace the party's handle with `change(current)` in one transaction, so two
        processes changing different parts keep each other's; returns the new handle (None:
        unknown party)."""

        async def work(tx: ClubTx) -> str | None:
            club = await tx.clubs.get(key)
            party = await tx.parties.get(club.id, party_id) if club else None
            if party is None:
                return None
            ref = change(party.platform_ref)
            if ref != party.platform_ref:
                await tx.parties.update(replace(party, platform_ref=ref))
            return ref

        return await self.app.store.write(work)

    async def platform_ref(self, key: ClubKey, party_id: int) -> str | None:
        """The handle an adapter stored with `set_platform_ref` (None when unset or unknown)."""
        found = await self.find(key, party_id)
        return found[0].platform_ref if found is not None else None

    async def find(self, key: ClubKey, party_id: int) -> tuple[Party, Film] | None:
        """A party and its film, for adapters that mirror it on the platform (Discord scheduled
        events, the message a thread hangs from); None when the club or party is unknown."""

        async def work(tx: ClubTx) -> tuple[Party, Film] | None:
            club = await tx.clubs.get(key)
            party = await tx.parties.get(club.id, party_id) if club else None
            film = await tx.films.get(party.club_id, party.film_id) if party else None
            return (party, film) if party is not None and film is not None else None

        return await self.app.store.read(work)

    async def record_attendance(
        self, key: ClubKey, target: int | str, actor: Actor, at: datetime | None = None
    ) -> tuple[int, ...]:
        """`actor` joined a party's place at `at` (default: now). `target` is a party id, or the
        place as parties name it (`where`; adapters pass their voice channel as members write it,
        e.g. Discord's `<#id>`), which means every upcoming party held there. Counted from
        15 minutes before the start to the end; cancelled parties never count. Returns the ids of
        the parties where the member is newly recorded; most joins touch no party and write nothing."""
        when = at or self.app.clock.now()

        def on(party: Party) -> bool:
            ends = party.starts_at + timedelta(minutes=party.duration_minutes)
            return party.status is not PartyStatus.CANCELLED and party.starts_at - EARLY_JOIN <= when <= ends

        async def candidates(tx: ClubTx) -> builtins.list[int]:
            club = await tx.clubs.get(key)  # not created: a voice channel alone makes no club
            if club is None:
                return []
            if isinstance(target, int):
                party = await tx.parties.get(club.id, target)
                return [party.id] if party is not None and on(party) else []
            upcoming = await tx.parties.list(club.id, statuses=(PartyStatus.SCHEDULED.value,))
            return [p.id for p in upcoming if _held_at(p, target) and on(p)]

        found = await self.app.store.read(candidates)
        if not found:
            return ()

        async def work(c: Ctx) -> tuple[int, ...]:
            recorded: builtins.list[int] = []
            for party_id in found:
                party = await c.tx.parties.get(c.club.id, party_id)
                if party is not None and on(party):
                    joined = Attendance(c.club.id, party.id, c.actor.user_id, c.actor.display_name, when)
                    if await c.tx.parties.record_attendance(joined):
                        recorded.append(party.id)
            return tuple(recorded)

        return await self.app.write(key, actor, work)
