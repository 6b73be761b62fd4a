"""A club night's party: the night's poll winner scheduled at the night's time, place and
length, members' standing RSVPs carried onto it, and what is said when that happens. Also what
happens when an organizer closes a night's poll before its deadline (`poll close`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from docclub.core.context import Ctx
from docclub.core.models import (
    FilmStatus,
    Night,
    NightOccurrence,
    NightStatus,
    OccurrenceState,
    Party,
    PartyStatus,
    ReminderKind,
    Rsvp,
)
from docclub.core.party_cards import party_reply
from docclub.core.party_reminders import reminders_for
from docclub.core.poll_cards import poll_reply
from docclub.core.replies import Line, Reply, Time, Tone, line
from docclub.core.voting import tally

NIGHT_KINDS = (ReminderKind.NIGHT_POLL_OPEN.value, ReminderKind.NIGHT_POLL_CLOSE.value)
NIGHT_BY = "docclub"  # who opens a night's poll and schedules its party


def day_label(at: datetime, tz: str) -> str:
    """ "Fri 4 Dec": how replies name one night."""
    local = at.astimezone(ZoneInfo(tz))
    return f"{local:%a} {local.day} {local:%b}"


def heading(night: Night, occurrence: NightOccurrence, tz: str) -> str:
    return f"Club night {day_label(occurrence.starts_at, tz)}"


async def party_that_night(c: Ctx, occurrence: NightOccurrence) -> Party | None:
    """A watch party already scheduled on the occurrence's day (in the club's timezone)."""
    zone = ZoneInfo(c.tz)
    day = occurrence.starts_at.astimezone(zone).date()
    for party in await c.tx.parties.list(c.club.id, statuses=(PartyStatus.SCHEDULED.value,)):
        if party.starts_at.astimezone(zone).date() == day:
            return party
    return None


async def apply_standing_rsvps(c: Ctx, night: Night, party: Party) -> list[Rsvp]:
    """Members' answers for every night become their RSVPs to this night's party, unless they
    already answered for it."""
    answered = {r.user_id for r in await c.tx.parties.rsvps(c.club.id, party.id)}
    for standing in await c.tx.nights.rsvps(c.club.id, night.id):
        if standing.user_id not in answered:
            await c.tx.parties.put_rsvp(
                Rsvp(c.club.id, party.id, standing.user_id, standing.display_name, standing.answer, c.now)
            )
    return await c.tx.parties.rsvps(c.club.id, party.id)


async def schedule_winner(c: Ctx, night: Night, occurrence: NightOccurrence, film_id: int) -> Party:
    """The film becomes the night's watch party, at the night's time, place and length."""
    film = await c.tx.films.get(c.club.id, film_id)
    assert film is not None
    party = await c.tx.parties.add(
        c.club.id,
        film_id,
        occurrence.starts_at,
        night.plan.duration_minutes,
        night.plan.where,
        NIGHT_BY,
        c.now,
        series_id=night.id,
    )
    if film.status in (FilmStatus.SUGGESTED, FilmStatus.SHORTLISTED):
        await c.tx.films.set_status(c.club.id, film_id, FilmStatus.SCHEDULED)
    rsvps = await apply_standing_rsvps(c, night, party)
    await c.tx.reminders.add(reminders_for(c.club, party, rsvps, c.now))
    await c.tx.nights.update_occurrence(replace(occurrence, state=OccurrenceState.SCHEDULED, party_id=party.id))
    return party


async def finish_poll(c: Ctx, night: Night, o: NightOccurrence, result: Reply | None) -> Reply | None:
    """The night's poll is closed: schedule its winner as the night's party (or say there is
    none). `result` is the closing's own reply when it was just closed."""
    assert o.poll_id is not None
    poll = await c.tx.polls.get(c.club.id, o.poll_id)
    assert poll is not None
    if poll.winner_film_id is None:
        await c.tx.nights.update_occurrence(replace(o, state=OccurrenceState.NO_FILM))
        shown = result or await _result(c, o.poll_id)
        return replace(
            shown,
            title=f"{heading(night, o, c.tz)}: poll #{poll.id} closed without a winner",
            lines=(*shown.lines, line("No film is scheduled for this night.")),
            tone=Tone.NOTICE,
        )
    party = await schedule_winner(c, night, o, poll.winner_film_id)
    return await winner_reply(c, night, replace(o, state=OccurrenceState.SCHEDULED, party_id=party.id), result)


async def _result(c: Ctx, poll_id: int) -> Reply:
    poll = await c.tx.polls.get(c.club.id, poll_id)
    assert poll is not None
    films = await c.tx.films.by_id(c.club.id, poll.film_ids)
    ballots = await c.tx.polls.ballots(c.club.id, poll.id)
    return poll_reply(poll, films, ballots, tally(poll.method, poll.film_ids, [b.choices for b in ballots]))


async def winner_reply(c: Ctx, night: Night, o: NightOccurrence, result: Reply | None) -> Reply | None:
    assert o.poll_id is not None and o.party_id is not None
    party = await c.tx.parties.get(c.club.id, o.party_id)
    if party is None:
        return None
    film = await c.tx.films.get(c.club.id, party.film_id)
    assert film is not None
    shown = result or await _result(c, o.poll_id)
    card = await party_reply(c, party, tone=Tone.NOTICE)
    scheduled: Line = line(f"{film.label} is the night's film: watch party #{party.id}, ", Time(party.starts_at), ".")
    return replace(
        card,
        title=f"{heading(night, o, c.tz)}: {film.label} won poll #{o.poll_id}",
        lines=(scheduled, *card.lines),
        fields=(*shown.fields, *card.fields),
    )


async def poll_closed_early(c: Ctx, poll_id: int) -> Reply | None:
    """An organizer closed a club night's poll before its deadline: schedule its winner now
    (the night's closing step, due later, is dropped). None when the poll is no night's."""
    for night in await c.tx.nights.list(c.club.id, active_only=True):
        if night.status is not NightStatus.ACTIVE:
            continue
        for o in await c.tx.nights.occurrences(c.club.id, night.id):
            if o.poll_id == poll_id and o.state is OccurrenceState.POLL_OPEN:
                await c.tx.reminders.delete_pending(c.club.id, NIGHT_KINDS, o.id)
                return await finish_poll(c, night, o, None)
    return None
