"""Watch parties: schedule, RSVP, move, cancel, calendar files, and what reminders say."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from docclub.core.errors import Conflict, NotFound, UsageError
from docclub.core.films import resolve_film
from docclub.core.models import (
    Actor,
    Attendance,
    Club,
    ClubKey,
    Film,
    FilmStatus,
    NewReminder,
    Party,
    PartyStatus,
    PollStatus,
    Reminder,
    ReminderKind,
    Rsvp,
    RsvpAnswer,
)
from docclub.core.ports import ClubTx
from docclub.core.replies import (
    EXAMPLE_FILM,
    Action,
    ActionKind,
    Attachment,
    Cmd,
    Field,
    Line,
    Reply,
    Spoiler,
    Time,
    Tone,
    UserRef,
    cmd,
    format_time,
    line,
    relative,
    span_words,
)
from docclub.core.text import SHORT_MAX, clean, ref_number

if TYPE_CHECKING:
    from docclub.core.clubs import Ctx, Docclub

SCHEDULE_USAGE = cmd("party schedule", film=EXAMPLE_FILM, when="sat 20:00", where="#watch-party", duration="2h")
RSVP_USAGE = cmd("rsvp", party="#1", answer=None, remind=None)
PARTY_LIST = cmd("party list")
SHOW_USAGE = cmd("party show", party="#1")
DEFAULT_DURATION = 120
EARLY_JOIN = timedelta(minutes=15)  # joining the party's channel this early already counts as attending
# Lines of `party list` (`party list all` shows more, the oldest left out first).
LIST_MAX = 25
LIST_ALL_MAX = 100
PARTY_KINDS = (ReminderKind.PARTY_BEFORE.value, ReminderKind.PARTY_DM.value, ReminderKind.PARTY_AFTER.value)
_SEQUENCE_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)  # calendar SEQUENCE counts minutes from here


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


def reminders_for(
    club: Club, party: Party, rsvps: list[Rsvp], now: datetime, *, catch_up: bool = False
) -> list[NewReminder]:
    """Channel reminders at the club's offsets, members' own DM reminders, and the post-party
    nudge — those still in the future.

    With `catch_up` (the party moved, or came back from a backup), a reminder whose time has
    passed while the party has not started is not lost: one channel reminder goes out now when
    no earlier-than-start channel reminder is left to come, and each member whose own reminder
    has passed gets it now. Their messages say the true time left."""
    out: list[NewReminder] = []
    upcoming = party.starts_at > now
    passed: list[int] = []
    for offset in club.config.reminder_offsets:
        due = party.starts_at - timedelta(minutes=offset)
        if due > now:
            out.append(NewReminder(club.id, ReminderKind.PARTY_BEFORE, party.id, due, offset_minutes=offset))
        else:
            passed.append(offset)
    still_coming = any(r.offset_minutes for r in out)
    if catch_up and upcoming and passed and not still_coming:
        out.append(NewReminder(club.id, ReminderKind.PARTY_BEFORE, party.id, now, offset_minutes=min(passed)))
    for rsvp in rsvps:
        if rsvp.dm_offset_minutes is not None and rsvp.answer is not RsvpAnswer.NO:
            due = party.starts_at - timedelta(minutes=rsvp.dm_offset_minutes)
            if due <= now and not (catch_up and upcoming):
                continue
            out.append(
                NewReminder(
                    club.id,
                    ReminderKind.PARTY_DM,
                    party.id,
                    max(due, now),
                    offset_minutes=rsvp.dm_offset_minutes,
                    user_id=rsvp.user_id,
                )
            )
    out.append(
        NewReminder(
            club.id,
            ReminderKind.PARTY_AFTER,
            party.id,
            max(party.starts_at + timedelta(minutes=party.duration_minutes), now),
        )
    )
    return out


async def replan_reminders(c: Ctx, party: Party) -> None:
    """Recompute a party's pending reminders in the same transaction as the party change;
    reminders whose time has passed are caught up (see `reminders_for`)."""
    await c.tx.reminders.delete_pending(c.club.id, PARTY_KINDS, party.id)
    if party.status is PartyStatus.SCHEDULED:
        rsvps = await c.tx.parties.rsvps(c.club.id, party.id)
        await c.tx.reminders.add(reminders_for(c.club, party, rsvps, c.now, catch_up=True))


async def reminder_superseded(c: Ctx, reminder: Reminder) -> bool:
    """Whether a later reminder of the same party (and member, for a DM) is already due or sent:
    after a restart only the latest of several overdue reminders goes out, once."""
    if reminder.kind not in (ReminderKind.PARTY_BEFORE, ReminderKind.PARTY_DM) or c.now <= reminder.due_at:
        return False
    return await c.tx.reminders.later_due(reminder, c.now)


def _in_words(minutes: int) -> str:
    return "now" if minutes == 0 else f"in {span_words(minutes * 60)}"


def _names(people: list[tuple[str, str]], limit: int = 30) -> Line:
    """'alice, bob and 3 more' as a line of UserRefs, from (user id, display name) pairs."""
    names: list[str | UserRef] = []
    for i, (user_id, name) in enumerate(people[:limit]):
        if i:
            names.append(", ")
        names.append(UserRef(user_id, name))
    if len(people) > limit:
        names.append(f" and {len(people) - limit} more")
    return tuple(names)


def _party_fields(
    film: Film, party: Party, rsvps: list[Rsvp], *, with_no: bool = True, joined: list[Attendance] | None = None
) -> list[Field]:
    when = (
        Field("Was planned for", (line(Time(party.starts_at)),))
        if party.status is PartyStatus.CANCELLED
        else Field("When", (line(Time(party.starts_at), " (", Time(party.starts_at, "relative"), ")"),))
    )
    fields = [
        when,
        Field("Duration", (line(span_words(party.duration_minutes * 60)),), inline=True),
    ]
    if party.where:
        fields.append(Field("Where", (line(party.where),), inline=True))
    if film.where:
        fields.append(Field("Streaming on", (line(film.where),), inline=True))
    if film.warnings:
        fields.append(Field("Content warnings", (line(Spoiler(", ".join(film.warnings), "warnings")),)))
    for answer, label in ((RsvpAnswer.YES, "Going"), (RsvpAnswer.MAYBE, "Maybe"), (RsvpAnswer.NO, "Can't make it")):
        if answer is RsvpAnswer.NO and not with_no:
            continue
        people = [(r.user_id, r.display_name) for r in rsvps if r.answer is answer]
        if people:
            fields.append(Field(f"{label} ({len(people)})", (_names(people),)))
    if joined:
        # Recorded by the platform (who was in the party's voice channel), beside what people said.
        fields.append(Field(f"Joined ({len(joined)})", (_names([(a.user_id, a.display_name) for a in joined]),)))
    return fields


def _held_at(party: Party, place: str) -> bool:
    """Whether the party's `where` is `place`, or names it as one of its words
    ("<#123> (doors open 19:45)")."""
    if not party.where or not place.strip():
        return False
    wanted = place.strip().casefold()
    where = party.where.strip().casefold()
    return where == wanted or wanted in where.split()


def rsvp_actions(party: Party) -> tuple[Action, ...]:
    return (
        Action(ActionKind.RSVP, f"{party.id}:yes", "Going"),
        Action(ActionKind.RSVP, f"{party.id}:maybe", "Maybe"),
        Action(ActionKind.RSVP, f"{party.id}:no", "Can't make it"),
    )


async def party_reply(c: Ctx, party: Party, *, title: str | None = None, tone: Tone = Tone.INFO) -> Reply:
    film = await c.tx.films.get(c.club.id, party.film_id)
    assert film is not None
    rsvps = await c.tx.parties.rsvps(c.club.id, party.id)
    joined = await c.tx.parties.attendance(c.club.id, party.id)
    status = "" if party.status is PartyStatus.SCHEDULED else f" ({party.status.value})"
    lines: list[Line] = []
    if party.status is PartyStatus.SCHEDULED:
        lines.append(
            line(
                "RSVP with: ",
                cmd("rsvp", party=f"#{party.id}", answer=None),
                " · calendar file: ",
                cmd("party ics", party=f"#{party.id}"),
            )
        )
    return Reply(
        title=title or f"Watch party #{party.id}: {film.label}{status}",
        lines=tuple(lines),
        fields=tuple(_party_fields(film, party, rsvps, joined=joined)),
        actions=rsvp_actions(party) if party.status is PartyStatus.SCHEDULED else (),
        tone=tone,
        subject=("party", party.id),
    )


def ics_for(club: Club, film: Film, party: Party, now: datetime) -> bytes:
    """An RFC 5545 calendar with one event in the club's timezone (and its VTIMEZONE).

    The UID is stable per party, and SEQUENCE and DTSTAMP come from `now`, the time the file
    is made: a file downloaded after a move or a cancel always supersedes an earlier one in
    the member's calendar (nothing stores a revision count, and a later file is never older)."""
    from icalendar import Calendar, Event

    zone = ZoneInfo(club.config.timezone)
    cal = Calendar()
    cal.add("prodid", "-//docclub//watch party//EN")
    cal.add("version", "2.0")
    event = Event()
    event.add("uid", f"docclub-{club.key.platform}-{club.key.space_id}-party-{party.id}@docclub")
    event.add("summary", f"Watch party: {film.label}")
    event.add("dtstart", party.starts_at.astimezone(zone))
    event.add("dtend", (party.starts_at + timedelta(minutes=party.duration_minutes)).astimezone(zone))
    event.add("dtstamp", now)
    event.add("sequence", max(0, int((now - _SEQUENCE_EPOCH).total_seconds()) // 60))
    if party.where:
        event.add("location", party.where)
    description = [f"{film.label}, suggested by {film.suggested_by_name}."]
    if film.where:
        description.append(f"Streaming on: {film.where}")
    if film.warnings:
        description.append("Content warnings: " + ", ".join(film.warnings))
    if film.link:
        description.append(film.link)
        event.add("url", film.link)
    event.add("description", "\n".join(description))
    if party.status is PartyStatus.CANCELLED:
        event.add("status", "CANCELLED")
    cal.add_component(event)
    # Only the years around the party: a VTIMEZONE from 1970 on is 60 lines of RDATEs.
    year = party.starts_at.astimezone(zone).year
    cal.add_missing_timezones(first_date=date(year - 1, 1, 1), last_date=date(year + 2, 1, 1))
    return bytes(cal.to_ical())


async def _party_ended(c: Ctx, party: Party, film: Film, rsvps: list[Rsvp]) -> None:
    """The party is done, its film watched, and seen by everyone who said they'd come or joined."""
    if party.status is PartyStatus.SCHEDULED:
        await c.tx.parties.update(replace(party, status=PartyStatus.DONE))
    if film.status is not FilmStatus.WATCHED:
        await c.tx.films.set_status(c.club.id, film.id, FilmStatus.WATCHED)
    for r in rsvps:
        if r.answer is RsvpAnswer.YES:
            await c.tx.films.mark_seen(c.club.id, film.id, r.user_id, c.now)
    for a in await c.tx.parties.attendance(c.club.id, party.id):
        await c.tx.films.mark_seen(c.club.id, film.id, a.user_id, c.now)


class Parties:
    def __init__(self, app: Docclub) -> None:
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
            return await self.schedule_in(c, film_ref, when, where, duration, again=again)

        reply = await self.app.write(key, actor, work)
        self.app.on_reminders_changed()
        return reply

    async def schedule_in(
        self, c: Ctx, film_ref: str, when: str, where: str | None, duration: str | None, *, again: bool = False
    ) -> Reply:
        from docclub.core.when import parse_duration, read_in_club

        c.require_organizer("schedule watch parties")
        if not when or not when.strip():
            raise UsageError("When is the party?", usage=SCHEDULE_USAGE)
        film = await resolve_film(c, film_ref, include_withdrawn=False)
        reading = read_in_club(when, c.club.config, c.now)
        starts_at = reading.at
        minutes = parse_duration(duration) if duration else DEFAULT_DURATION
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
            from docclub.core.when import parse_offset

            party = await resolve_party(c, ref, upcoming_only=True, usage=RSVP_USAGE)
            remind_off = remind is not None and remind.strip().lower() in ("off", "none", "no")
            dm = parse_offset(remind) if remind and not remind_off else None
            previous = next(
                (r for r in await c.tx.parties.rsvps(c.club.id, party.id) if r.user_id == c.actor.user_id), None
            )
            had_dm = previous is not None and previous.dm_offset_minutes is not None
            if dm is None and had_dm and not remind_off and choice is not RsvpAnswer.NO:
                assert previous is not None
                dm = previous.dm_offset_minutes
            if choice is RsvpAnswer.NO:
                dm = None
            await c.tx.parties.put_rsvp(
                Rsvp(c.club.id, party.id, c.actor.user_id, c.actor.display_name, choice, c.now, dm)
            )
            await c.tx.reminders.delete_pending(c.club.id, (ReminderKind.PARTY_DM.value,), party.id)
            dms = [
                r
                for r in reminders_for(c.club, party, await c.tx.parties.rsvps(c.club.id, party.id), c.now)
                if r.kind is ReminderKind.PARTY_DM
            ]
            await c.tx.reminders.add(dms)
            film = await c.tx.films.get(c.club.id, party.film_id)
            assert film is not None
            said = {
                RsvpAnswer.YES: "You're going to",
                RsvpAnswer.MAYBE: "You might come to",
                RsvpAnswer.NO: "You can't make",
            }[choice]
            lines = [line(f"{said} watch party #{party.id}: {film.label}, ", Time(party.starts_at), ".")]
            mine = any(r.user_id == c.actor.user_id for r in dms)
            if mine and dm:
                lines.append(line(f"I'll message you {span_words(dm * 60)} before it starts."))
            elif mine:
                lines.append(line("I'll message you when it starts."))
            elif dm is not None and party.starts_at <= c.now:
                lines.append(line("It has already started, so there is no personal reminder."))
            elif dm is not None:
                lines.append(
                    line(
                        f"It starts in less than {span_words(dm * 60)}, "
                        "so there is no personal reminder; the club's reminders still go out."
                    )
                )
            elif had_dm:
                lines.append(line("Your personal reminder is off."))
            return Reply(lines=tuple(lines), tone=Tone.OK, ephemeral=True, subject=("party", party.id))

        reply = await self.app.write(key, actor, work)
        if remind:
            self.app.on_reminders_changed()
        return reply

    async def move(self, key: ClubKey, actor: Actor, ref: str | None, when: str) -> Reply:
        async def work(c: Ctx) -> Reply:
            from docclub.core.when import read_in_club

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

    # ---- what reminders say (called by the scheduler, inside its write) ----

    async def reminder_effects(self, c: Ctx, reminder: Reminder) -> None:
        """What a due reminder changes in the club even when its message is dropped (it came
        due too long ago, while the bot was down): a poll closes at its deadline, and a party
        that has ended is done, its film watched. Without this a missed post-party nudge
        would leave the party "upcoming" for ever."""
        from docclub.core.polls import close_poll

        if reminder.kind is ReminderKind.POLL_CLOSE:
            poll = await c.tx.polls.get(c.club.id, reminder.target_id)
            if poll is not None and poll.status is PollStatus.OPEN:
                await close_poll(c, poll)
        elif reminder.kind is ReminderKind.PARTY_AFTER:
            party = await c.tx.parties.get(c.club.id, reminder.target_id)
            film = await c.tx.films.get(c.club.id, party.film_id) if party else None
            if party is not None and film is not None and party.status is not PartyStatus.CANCELLED:
                await _party_ended(c, party, film, await c.tx.parties.rsvps(c.club.id, party.id))

    async def reminder_message(self, c: Ctx, reminder: Reminder) -> Reply | None:
        """The message for a due reminder, or None when it no longer applies. The post-party
        nudge also marks the party done and the film watched."""
        from docclub.core.discussion import prompts_for
        from docclub.core.polls import close_poll, poll_reply
        from docclub.core.voting import tally

        if reminder.kind is ReminderKind.POLL_CLOSE:
            poll = await c.tx.polls.get(c.club.id, reminder.target_id)
            if poll is None or poll.status is PollStatus.CANCELLED:
                return None
            if poll.status is PollStatus.OPEN:
                result = await close_poll(c, poll)
            elif poll.closes_at is not None and poll.closed_at is not None and poll.closed_at >= poll.closes_at:
                # Closed at its deadline by an earlier attempt whose announcement failed or was
                # cut short by a restart: announce the result again (same idempotency key).
                films = await c.tx.films.by_id(c.club.id, poll.film_ids)
                ballots = await c.tx.polls.ballots(c.club.id, poll.id)
                result = poll_reply(
                    poll, films, ballots, tally(poll.method, poll.film_ids, [b.choices for b in ballots])
                )
            else:
                return None  # an organizer closed it before the deadline and it was announced then
            return replace(result, title=f"Poll #{poll.id} closed at its deadline", tone=Tone.NOTICE)
        party = await c.tx.parties.get(c.club.id, reminder.target_id)
        if party is None:
            return None
        film = await c.tx.films.get(c.club.id, party.film_id)
        if film is None:
            return None
        rsvps = await c.tx.parties.rsvps(c.club.id, party.id)
        coming = tuple(UserRef(r.user_id, r.display_name) for r in rsvps if r.answer is not RsvpAnswer.NO)
        if reminder.kind is ReminderKind.PARTY_AFTER:
            if party.status is PartyStatus.CANCELLED:
                return None
            await _party_ended(c, party, film, rsvps)
            told = {u.user_id for u in coming}
            joined = [a for a in await c.tx.parties.attendance(c.club.id, party.id) if a.user_id not in told]
            coming += tuple(UserRef(a.user_id, a.display_name) for a in joined)  # they came: ask them to rate
            prompts = await prompts_for(c, film)
            return Reply(
                title=f"Thanks for watching {film.label}!",
                lines=(
                    line(
                        "Rate it: ",
                        cmd("rate", film=f"#{film.id}", score=None, review=None),
                        ". You'll see the club's ratings once you've rated.",
                    ),
                    line("Some questions to talk about:"),
                    *prompts.lines,
                ),
                footer=prompts.footer,
                tone=Tone.NOTICE,
                notify=coming,
                actions=(Action(ActionKind.RATE, str(film.id), "Rate it"),),
                subject=("party", party.id),
            )
        if party.status is not PartyStatus.SCHEDULED:
            return None
        # Said from the true time left, in the words the "When" field uses: a reminder that goes
        # out late (a restart, a party moved close) never claims more time than there is.
        left = relative(party.starts_at, c.now)
        if left == "now":
            headline = f"{film.label} starts now!"
        elif party.starts_at > c.now:
            headline = f"Reminder: {film.label} starts {left}"
        else:
            headline = f"{film.label} started {left}: join in!"
        fields = _party_fields(film, party, rsvps, with_no=False)  # a reminder names who is coming
        return Reply(
            title=headline,
            fields=tuple(fields),
            tone=Tone.NOTICE,
            actions=rsvp_actions(party),
            subject=("party", party.id),
            notify=coming if reminder.kind is ReminderKind.PARTY_BEFORE else (),
        )
