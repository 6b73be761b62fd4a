"""How a watch party is shown: its card (when, where, who is coming, who joined), its RSVP
buttons, and its calendar file."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from docclub.core.context import Ctx
from docclub.core.models import (
    Attendance,
    Club,
    Film,
    Party,
    PartyStatus,
    Rsvp,
    RsvpAnswer,
)
from docclub.core.replies import (
    Action,
    ActionKind,
    Field,
    Line,
    Reply,
    Spoiler,
    Time,
    Tone,
    UserRef,
    cmd,
    line,
    span_words,
)

_SEQUENCE_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)  # calendar SEQUENCE counts minutes from here


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


def party_fields(
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
        fields=tuple(party_fields(film, party, rsvps, joined=joined)),
        actions=rsvp_actions(party) if party.status is PartyStatus.SCHEDULED else (),
        tone=tone,
        subject=("party", party.id),
    )


def ics_for(club: Club, film: Film, party: Party, now: datetime) -> bytes:
    """An RFC 5545 calendar with one event in the club's timezone (and its VTIMEZONE).

    The UID is stable per party, and SEQUENCE and DTSTAMP come from `now`, the time the file
    is made: a file downloaded after a move or a cancel always supersedes an earlier one in
    the member's calendar (nothing stores a revision count, and a later file is never older)."""
    from icalendar import Calendar, Event  # deferred: 0.2 s to import, needed only for party ics

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
