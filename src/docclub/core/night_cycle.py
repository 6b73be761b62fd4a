"""The club night cycle: each occurrence opens its poll, closes it and schedules the winner.

Every step is a reminder row whose target is the occurrence, written in the same transaction as
the step before it: `night_poll_open` (written when the night is set, then by each opening for
the next occurrence) and `night_poll_close` (written when the poll opens). The scheduler claims
each under a lease like any reminder, so a step runs once across processes and restarts. A step
run a second time (a process died after committing it and before marking it sent) finds its
occurrence already moved on and only says again what it said, under the same delivery key.

From the party on, nothing is special: its reminders, RSVPs, nudge and prompts are a party's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from docclub.core.context import Ctx
from docclub.core.models import (
    NewReminder,
    Night,
    NightOccurrence,
    NightStatus,
    OccurrenceState,
    PollStatus,
    Reminder,
    ReminderKind,
)
from docclub.core.night_parties import (
    NIGHT_BY,
    NIGHT_KINDS,
    apply_standing_rsvps,
    finish_poll,
    heading,
    party_that_night,
    schedule_winner,
    winner_reply,
)
from docclub.core.night_rules import nights_after, read_clock, read_rule
from docclub.core.party_cards import party_reply
from docclub.core.poll_cards import poll_reply
from docclub.core.polls import close_poll, top_suggestions
from docclub.core.replies import Reply, Time, Tone, cmd, line
from docclub.core.voting import tally

_LOOKAHEAD = 400  # occurrences looked through for the next one to plan (all skipped: give up)


def rule_nights(night: Night, tz: str, after: datetime) -> Iterator[datetime]:
    """The night's times by its rule, after `after`, until the night was cancelled (UTC)."""
    plan = night.plan
    for at in nights_after(read_rule(plan.rule), plan.first_on, read_clock(plan.clock), tz, after):
        if night.ended_at is not None and at >= night.ended_at:
            return
        yield at


def local_day(at: datetime, tz: str) -> date:
    return at.astimezone(ZoneInfo(tz)).date()


def by_day(occurrences: list[NightOccurrence], tz: str) -> dict[date, NightOccurrence]:
    """Written occurrences by the local day the rule put them on. A night is matched by its day,
    not its instant, so a skip or a move still holds after the night's time is edited."""
    return {local_day(o.original_at, tz): o for o in occurrences}


def _before(at: datetime, minutes: int, tz: str) -> datetime:
    """`minutes` before `at` on the club's wall clock: a poll set to open 7 days before a 20:00
    night opens at 20:00 local a week earlier, even when the clocks changed in between."""
    return (at.astimezone(ZoneInfo(tz)) - timedelta(minutes=minutes)).astimezone(UTC)


def poll_opens(night: Night, occurrence: NightOccurrence, tz: str) -> datetime:
    return _before(occurrence.starts_at, night.plan.poll_minutes, tz)


def poll_closes(night: Night, occurrence: NightOccurrence, tz: str) -> datetime:
    return _before(occurrence.starts_at, night.plan.close_minutes, tz)


async def plan_next(c: Ctx, night: Night, after: datetime) -> NightOccurrence | None:
    """Write the first occurrence after `after` (a rule time) whose poll is still to open, and
    its `night_poll_open` step; None when the night has ended. Occurrences skipped, moved away
    or already under way are passed over; one too close for a poll is written as having no
    film (an organizer can still schedule a party that night)."""
    if night.status is not NightStatus.ACTIVE:
        return None
    written = by_day(await c.tx.nights.occurrences(c.club.id, night.id), c.tz)
    for i, original in enumerate(rule_nights(night, c.tz, after)):
        if i >= _LOOKAHEAD:
            return None
        found = written.get(local_day(original, c.tz))
        if found is not None and found.state is not OccurrenceState.PLANNED:
            continue
        if found is None:
            found = await c.tx.nights.add_occurrence(c.club.id, night.id, original, original, OccurrenceState.PLANNED)
        if poll_closes(night, found, c.tz) <= c.now:
            await c.tx.nights.update_occurrence(replace(found, state=OccurrenceState.NO_FILM))
            continue
        await c.tx.reminders.delete_pending(c.club.id, NIGHT_KINDS, found.id)
        due = max(poll_opens(night, found, c.tz), c.now)
        await c.tx.reminders.add([NewReminder(c.club.id, ReminderKind.NIGHT_POLL_OPEN, found.id, due)])
        return found
    return None


async def step_message(c: Ctx, reminder: Reminder) -> Reply | None:
    """Run a club night's step (inside the scheduler's transaction) and say what happened;
    None when there is nothing to say (the night was skipped, cancelled or is over)."""
    occurrence = await c.tx.nights.get_occurrence(c.club.id, reminder.target_id)
    night = await c.tx.nights.get(c.club.id, occurrence.night_id) if occurrence else None
    if occurrence is None or night is None:
        return None
    if reminder.kind is ReminderKind.NIGHT_POLL_OPEN:
        return await _open_step(c, night, occurrence)
    return await _close_step(c, night, occurrence)


async def _open_step(c: Ctx, night: Night, o: NightOccurrence) -> Reply | None:
    if o.state is OccurrenceState.POLL_OPEN and o.poll_id is not None:
        return await _poll_opened(c, night, o)  # said again: this step ran before a restart
    if o.state is not OccurrenceState.PLANNED or night.status is not NightStatus.ACTIVE:
        return None
    await plan_next(c, night, o.original_at)  # the chain goes on, whatever this night brings
    title = heading(night, o, c.tz)
    already = await party_that_night(c, o)
    if already is not None:
        if already.series_id is None:
            await c.tx.parties.update(replace(already, series_id=night.id))
        await apply_standing_rsvps(c, night, already)
        await c.tx.nights.update_occurrence(replace(o, state=OccurrenceState.SCHEDULED, party_id=already.id))
        reply = await party_reply(c, already, tone=Tone.NOTICE)
        return replace(
            reply,
            title=f"{title}: {reply.title}",
            lines=(line("A film is already scheduled that night, so no poll opens."), *reply.lines),
        )
    closes_at = poll_closes(night, o, c.tz)
    if closes_at <= c.now:
        await c.tx.nights.update_occurrence(replace(o, state=OccurrenceState.NO_FILM))
        return Reply(
            title=f"{title}: no poll this time",
            lines=(
                line("Its poll would have closed ", Time(closes_at), " already, so no film was chosen for it."),
                line("An organizer can still schedule one: ", cmd("party schedule", film=None, when=None)),
            ),
            tone=Tone.NOTICE,
        )
    films = await top_suggestions(c, night.plan.top)
    if len(films) == 1:
        party = await schedule_winner(c, night, o, films[0].id)
        reply = await party_reply(c, party, tone=Tone.NOTICE)
        return replace(
            reply,
            title=f"{title}: {reply.title}",
            lines=(line(f"Only {films[0].label} is in the running, so no poll: it is the night's film."), *reply.lines),
        )
    if not films:
        await c.tx.nights.update_occurrence(replace(o, state=OccurrenceState.NO_FILM))
        return Reply(
            title=f"{title}: no films to vote on",
            lines=(
                line("No suggestions are in the running, so no poll opens for this night."),
                line("Suggest films for the next one with: ", cmd("suggest", title="<title>", year=None)),
            ),
            tone=Tone.NOTICE,
        )
    poll = await c.tx.polls.add(c.club.id, night.plan.method, False, [f.id for f in films], NIGHT_BY, c.now, closes_at)
    await c.tx.reminders.add([NewReminder(c.club.id, ReminderKind.NIGHT_POLL_CLOSE, o.id, closes_at)])
    opened = replace(o, state=OccurrenceState.POLL_OPEN, poll_id=poll.id)
    await c.tx.nights.update_occurrence(opened)
    return await _poll_opened(c, night, opened)


async def _poll_opened(c: Ctx, night: Night, o: NightOccurrence) -> Reply | None:
    assert o.poll_id is not None
    poll = await c.tx.polls.get(c.club.id, o.poll_id)
    if poll is None:
        return None
    films = await c.tx.films.by_id(c.club.id, poll.film_ids)
    ballots = await c.tx.polls.ballots(c.club.id, poll.id)
    shown = poll_reply(
        poll, films, ballots, tally(poll.method, poll.film_ids, [b.choices for b in ballots]), opened=True
    )
    when = line(
        "Vote for the film of the club night, ",
        Time(o.starts_at),
        _where(night),
        ". The winner is scheduled when the poll closes.",
    )
    return replace(
        shown,
        title=f"{heading(night, o, c.tz)}: poll #{poll.id} is open",
        lines=(when, *shown.lines),
        tone=Tone.NOTICE,
    )


def _where(night: Night) -> str:
    return f" ({night.plan.where})" if night.plan.where else ""


async def _close_step(c: Ctx, night: Night, o: NightOccurrence) -> Reply | None:
    if o.state is OccurrenceState.SCHEDULED and o.poll_id is not None and o.party_id is not None:
        return await winner_reply(c, night, o, None)  # said again: this step ran before a restart
    if o.state is not OccurrenceState.POLL_OPEN or o.poll_id is None:
        return None
    poll = await c.tx.polls.get(c.club.id, o.poll_id)
    if poll is None or poll.status is PollStatus.CANCELLED:
        await c.tx.nights.update_occurrence(replace(o, state=OccurrenceState.NO_FILM))
        return None
    result = await close_poll(c, poll) if poll.status is PollStatus.OPEN else None
    return await finish_poll(c, night, o, result)
