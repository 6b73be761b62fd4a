"""What a due reminder says and does, for the scheduler (inside its write): a poll closes at
its deadline and its result is announced; before a party, how long until it starts and who
is coming; after it, the party is done, its film watched, and members are asked to rate it
and given discussion prompts."""

from __future__ import annotations

from dataclasses import replace

from docclub.core.context import Ctx
from docclub.core.discussion import prompts_for
from docclub.core.models import (
    Film,
    FilmStatus,
    Party,
    PartyStatus,
    PollStatus,
    Reminder,
    ReminderKind,
    Rsvp,
    RsvpAnswer,
)
from docclub.core.night_cycle import step_message
from docclub.core.party_cards import party_fields, rsvp_actions
from docclub.core.poll_cards import poll_reply
from docclub.core.polls import close_poll
from docclub.core.replies import (
    Action,
    ActionKind,
    Reply,
    Tone,
    UserRef,
    cmd,
    line,
    relative,
)
from docclub.core.voting import tally


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


async def reminder_effects(c: Ctx, reminder: Reminder) -> None:
    """What a due reminder changes in the club even when its message is dropped (it came
    due too long ago, while the bot was down): a poll closes at its deadline, and a party
    that has ended is done, its film watched. Without this a missed post-party nudge
    would leave the party "upcoming" for ever."""

    if reminder.kind in (ReminderKind.NIGHT_POLL_OPEN, ReminderKind.NIGHT_POLL_CLOSE):
        await step_message(c, reminder)  # the cycle goes on even when its message is not sent
    elif reminder.kind is ReminderKind.POLL_CLOSE:
        poll = await c.tx.polls.get(c.club.id, reminder.target_id)
        if poll is not None and poll.status is PollStatus.OPEN:
            await close_poll(c, poll)
    elif reminder.kind is ReminderKind.PARTY_AFTER:
        party = await c.tx.parties.get(c.club.id, reminder.target_id)
        film = await c.tx.films.get(c.club.id, party.film_id) if party else None
        if party is not None and film is not None and party.status is not PartyStatus.CANCELLED:
            await _party_ended(c, party, film, await c.tx.parties.rsvps(c.club.id, party.id))


async def reminder_message(c: Ctx, reminder: Reminder) -> Reply | None:
    """The message for a due reminder, or None when it no longer applies. The post-party
    nudge also marks the party done and the film watched."""

    if reminder.kind in (ReminderKind.NIGHT_POLL_OPEN, ReminderKind.NIGHT_POLL_CLOSE):
        return await step_message(c, reminder)
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
            result = poll_reply(poll, films, ballots, tally(poll.method, poll.film_ids, [b.choices for b in ballots]))
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
    fields = party_fields(film, party, rsvps, with_no=False)  # a reminder names who is coming
    return Reply(
        title=headline,
        fields=tuple(fields),
        tone=Tone.NOTICE,
        actions=rsvp_actions(party),
        subject=("party", party.id),
        notify=coming if reminder.kind is ReminderKind.PARTY_BEFORE else (),
    )
