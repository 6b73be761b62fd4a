"""Calendar files: one party's `.ics` (`party ics`) and the club's subscription feed.

The feed is built from event sources: each turns a club's rows into events, either
`CalendarEvent`s or icalendar `Event` components made elsewhere (a club night's recurring event
and its overrides). Watch parties are one source; a feature with dates of its own adds a function
to `FEED_SOURCES`, and the feed, its VTIMEZONE and its tests take it as they are.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from docclub.core.models import Club, Film, Party, PartyStatus
from docclub.core.ports import ClubTx

__all__ = ["FEED_SOURCES", "CalendarEvent", "EventSource", "calendar_bytes", "club_feed", "party_event"]


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One VEVENT. `uid` is stable for the thing it shows; `sequence` grows with every change a
    calendar should take (a move, a new place, a cancellation)."""

    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    sequence: int
    cancelled: bool = False
    location: str | None = None
    description: str | None = None
    url: str | None = None


# An event source: the club's events of one kind, read in the feed's transaction at `now`.
EventSource = Callable[[ClubTx, Club, datetime], Awaitable[list[CalendarEvent | Event]]]


def party_uid(club: Club, party_id: int) -> str:
    return f"docclub-{club.key.platform}-{club.key.space_id}-party-{party_id}@docclub"


def party_event(club: Club, film: Film, party: Party, sequence: int) -> CalendarEvent:
    """A watch party as a calendar event: the film, its place, what to know before watching."""
    description = [f"{film.label}, suggested by {film.suggested_by_name}."]
    if film.where:
        description.append(f"Streaming on: {film.where}")
    if film.warnings:
        description.append("Content warnings: " + ", ".join(film.warnings))
    if film.link:
        description.append(film.link)
    return CalendarEvent(
        uid=party_uid(club, party.id),
        summary=f"Watch party: {film.label}",
        starts_at=party.starts_at,
        ends_at=party.starts_at + timedelta(minutes=party.duration_minutes),
        sequence=sequence,
        cancelled=party.status is PartyStatus.CANCELLED,
        location=party.where,
        description="\n".join(description),
        url=film.link,
    )


async def party_events(tx: ClubTx, club: Club, now: datetime) -> list[CalendarEvent | Event]:
    """Every watch party of the club, cancelled ones too (so subscribed calendars drop them)."""
    parties = await tx.parties.list(club.id)
    films = await tx.films.by_id(club.id, sorted({p.film_id for p in parties}))
    return [party_event(club, films[p.film_id], p, p.revision) for p in parties if p.film_id in films]


FEED_SOURCES: list[EventSource] = [party_events]


async def club_feed(tx: ClubTx, club: Club, now: datetime, name: str) -> bytes:
    """The club's subscription feed (`calendar.ics`): every event of every source."""
    events: list[CalendarEvent | Event] = []
    for source in FEED_SOURCES:
        events.extend(await source(tx, club, now))
    return calendar_bytes(club, events, now, name=name)


def calendar_bytes(
    club: Club, events: Iterable[CalendarEvent | Event], now: datetime, *, name: str | None = None
) -> bytes:
    """An RFC 5545 calendar of `events` in the club's timezone, with its VTIMEZONE for the years
    the events span (from 1970 on it would be sixty lines of RDATEs)."""
    zone = ZoneInfo(club.config.timezone)
    cal = Calendar()
    cal.add("prodid", "-//docclub//club calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name is not None:
        cal.add("method", "PUBLISH")
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", club.config.timezone)
        cal.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", "PT1H")
    years = [now.astimezone(zone).year]
    for e in events:
        if isinstance(e, Event):  # made by its own feature, as it is
            cal.add_component(e)
            start = e.decoded("dtstart")
            years.append(start.year if isinstance(start, date) else years[0])
            continue
        event = Event()
        event.add("uid", e.uid)
        event.add("summary", e.summary)
        event.add("dtstart", e.starts_at.astimezone(zone))
        event.add("dtend", e.ends_at.astimezone(zone))
        event.add("dtstamp", now)
        event.add("sequence", e.sequence)
        event.add("status", "CANCELLED" if e.cancelled else "CONFIRMED")
        if e.location:
            event.add("location", e.location)
        if e.description:
            event.add("description", e.description)
        if e.url:
            event.add("url", e.url)
        cal.add_component(event)
        years.append(e.starts_at.astimezone(zone).year)
    cal.add_missing_timezones(first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1))
    return bytes(cal.to_ical())
