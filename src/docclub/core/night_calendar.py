"""A club night in a calendar: one recurring event (RFC 5545 RRULE in the club's timezone),
EXDATE for skipped nights, and an override (RECURRENCE-ID) for each night that moved or whose
film is chosen. Calendars show the nights to come before their film is known ("Club night —
film by poll").

`night_events` is pure, so the club's calendar feed adds the same events to its own calendar;
`night_calendar` makes a whole .ics file for `night ics`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vRecur

from docclub.core.calendar import FEED_SOURCES, CalendarEvent
from docclub.core.models import Club, Night, NightOccurrence, NightStatus, OccurrenceState
from docclub.core.night_rules import local_start, read_clock, read_rule
from docclub.core.ports import ClubTx

if TYPE_CHECKING:
    from docclub.core.context import Ctx

__all__ = ["BY_POLL", "night_calendar", "night_events", "night_feed_events", "night_uid"]

BY_POLL = "Club night — film by poll"
_SEQUENCE_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)  # as for parties: SEQUENCE counts minutes from here


def night_uid(club: Club, night: Night) -> str:
    """Stable per night, so a later file or feed replaces the night in a member's calendar."""
    return f"docclub-{club.key.platform}-{club.key.space_id}-night-{night.id}@docclub"


def night_events(
    club: Club,
    night: Night,
    occurrences: Sequence[NightOccurrence],
    films: Mapping[int, str],
    now: datetime,
) -> list[Event]:
    """The night's events: the recurring one first, then one override per moved night or
    night with its film (`films`: party id -> film label)."""
    zone = ZoneInfo(club.config.timezone)
    plan = night.plan
    rule = read_rule(plan.rule)
    first = local_start(datetime.combine(plan.first_on, read_clock(plan.clock)), club.config.timezone)
    length = timedelta(minutes=plan.duration_minutes)
    uid = night_uid(club, night)
    stamp = max(0, int((now - _SEQUENCE_EPOCH).total_seconds()) // 60)

    def event(start: datetime, summary: str) -> Event:
        e = Event()
        e.add("uid", uid)
        e.add("summary", summary)
        e.add("dtstart", start.astimezone(zone))
        e.add("dtend", (start + length).astimezone(zone))
        e.add("dtstamp", now)
        e.add("sequence", stamp)
        if plan.where:
            e.add("location", plan.where)
        return e

    master = event(first, BY_POLL)
    recur = vRecur.from_ical(rule.ical)
    if night.status is NightStatus.CANCELLED and night.ended_at is not None:
        recur["UNTIL"] = night.ended_at.astimezone(UTC)
    master.add("rrule", recur)
    master.add(
        "description",
        f"{rule.described.capitalize()}, {plan.clock}. The film is chosen by a poll that opens "
        f"{plan.poll_minutes // 1440} days before; the winner is announced in the club.",
    )
    skipped = [o.original_at.astimezone(zone) for o in occurrences if o.state is OccurrenceState.SKIPPED]
    if skipped:
        master.add("exdate", skipped)
    out = [master]
    for o in occurrences:
        film = films.get(o.party_id) if o.party_id is not None else None
        if o.state is OccurrenceState.SKIPPED or (o.starts_at == o.original_at and film is None):
            continue
        override = event(o.starts_at, f"Club night — {film}" if film else BY_POLL)
        override.add("recurrence-id", o.original_at.astimezone(zone))
        out.append(override)
    return out


async def night_calendar(c: Ctx, nights: Sequence[Night]) -> bytes:
    """An .ics file with every night of `nights`, with its timezone."""
    cal = Calendar()
    cal.add("prodid", "-//docclub//club night//EN")
    cal.add("version", "2.0")
    years: list[int] = [c.now.year]
    for night in nights:
        occurrences = await c.tx.nights.occurrences(c.club.id, night.id)
        films = await _film_labels(c.tx, c.club, occurrences)
        for e in night_events(c.club, night, occurrences, films, c.now):
            cal.add_component(e)
        years.append(night.plan.first_on.year)
    # The years around the nights only: a VTIMEZONE from 1970 on is 60 lines of RDATEs.
    cal.add_missing_timezones(first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 3, 1, 1))
    return bytes(cal.to_ical())


async def _film_labels(tx: ClubTx, club: Club, occurrences: Sequence[NightOccurrence]) -> dict[int, str]:
    """Party id -> film label, for the nights whose film is chosen."""
    films: dict[int, str] = {}
    for o in occurrences:
        party = await tx.parties.get(club.id, o.party_id) if o.party_id is not None else None
        film = await tx.films.get(club.id, party.film_id) if party is not None else None
        if o.party_id is not None and film is not None:
            films[o.party_id] = film.label
    return films


async def night_feed_events(tx: ClubTx, club: Club, now: datetime) -> list[CalendarEvent | Event]:
    """Every club night of the club, for its subscription feed: the recurring event and its
    overrides, as `night ics` writes them."""
    events: list[CalendarEvent | Event] = []
    for night in await tx.nights.list(club.id):
        occurrences = await tx.nights.occurrences(club.id, night.id)
        events.extend(night_events(club, night, occurrences, await _film_labels(tx, club, occurrences), now))
    return events


FEED_SOURCES.append(night_feed_events)  # the feed takes the nights beside the parties
