"""Recurring club nights, as organizers and members use them: `night schedule`, `night list`,
`night show`, `night skip`, `night move`, `night edit`, `night cancel`, `night ics` and
`rsvp night`. The cycle each night runs on its own is in night_cycle.py; the rule words in
night_rules.py; the calendar in night_calendar.py."""

from __future__ import annotations

import builtins
from dataclasses import replace
from itertools import islice
from zoneinfo import ZoneInfo

from docclub.core.context import App, Ctx
from docclub.core.errors import Conflict, UsageError
from docclub.core.models import (
    Actor,
    ClubKey,
    FilmStatus,
    NewReminder,
    NightPlan,
    NightRsvp,
    NightStatus,
    OccurrenceState,
    PartyStatus,
    PollStatus,
    ReminderKind,
    Rsvp,
    RsvpAnswer,
)
from docclub.core.night_calendar import night_calendar
from docclub.core.night_card import coming, night_card, night_title, occurrence_on, require_active, resolve_night
from docclub.core.night_cycle import plan_next, poll_closes, poll_opens, rule_nights
from docclub.core.night_parties import NIGHT_KINDS, day_label
from docclub.core.night_plans import SCHEDULE_USAGE, NightChanges
from docclub.core.night_rules import first_night_on_or_after, nights_after, read_clock, read_rule
from docclub.core.party_reminders import replan_reminders
from docclub.core.polls import close_poll
from docclub.core.replies import (
    Attachment,
    Line,
    Reply,
    Time,
    Tone,
    UserRef,
    cmd,
    line,
    span_words,
    synopsis,
)
from docclub.core.when import read_in_club

MAX_NIGHTS = 10  # active nights a club may keep


class Nights:
    """Club nights: set once, then each night polls, picks and schedules its film itself."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def schedule(self, key: ClubKey, actor: Actor, changes: NightChanges) -> Reply:
        async def work(c: Ctx) -> Reply:
            c.require_organizer("set club nights")
            if not changes.rule or not changes.clock:
                raise UsageError("Which nights, and at what time?", usage=SCHEDULE_USAGE)
            if len(await c.tx.nights.list(c.club.id, active_only=True)) >= MAX_NIGHTS:
                raise Conflict(
                    line(
                        f"A club keeps at most {MAX_NIGHTS} club nights. Cancel one first: ",
                        cmd("night cancel", night="#1"),
                    )
                )
            start = NightPlan(rule=changes.rule, clock="20:00", first_on=c.now.date())
            plan = changes.apply(start, SCHEDULE_USAGE)
            today = c.now.astimezone(ZoneInfo(c.tz)).date()
            plan = replace(plan, first_on=first_night_on_or_after(read_rule(plan.rule), today, read_clock(plan.clock)))
            await _refuse_a_second_night_at_the_same_time(c, plan)
            night = await c.tx.nights.add(c.club.id, plan, c.actor.user_id, c.now)
            first = await plan_next(c, night, c.now)
            return await night_card(c, night, title=f"Set: {night_title(night)}", tone=Tone.OK, first=first)

        reply = await self.app.write(key, actor, work)
        self.app.on_reminders_changed()
        return reply

    async def list(self, key: ClubKey, actor: Actor) -> Reply:
        async def work(c: Ctx) -> Reply:
            nights = await c.tx.nights.list(c.club.id)
            active = [n for n in nights if n.status is NightStatus.ACTIVE]
            if not active:
                ended = f" ({len(nights)} cancelled)" if nights else ""
                return Reply(
                    title="Club nights",
                    lines=(line(f"No club nights{ended}. An organizer can set one: ", SCHEDULE_USAGE),),
                )
            lines: builtins.list[Line] = []
            for night in active:
                nxt = [o for o in await coming(c, night, 3) if o.state is not OccurrenceState.SKIPPED]
                after = (" — next ", Time(nxt[0].starts_at)) if nxt else ()
                where = f" · {night.plan.where}" if night.plan.where else ""
                lines.append(line(night_title(night), where, *after))
            lines.append(line("Details: ", cmd("night show", night=f"#{active[0].id}")))
            return Reply(title="Club nights", lines=tuple(lines))

        return await self.app.read(key, actor, work)

    async def show(self, key: ClubKey, actor: Actor, ref: str | None) -> Reply:
        async def work(c: Ctx) -> Reply:
            return await night_card(c, await resolve_night(c, ref, synopsis("night show")))

        return await self.app.read(key, actor, work)

    async def skip(self, key: ClubKey, actor: Actor, ref: str | None, day: str) -> Reply:
        usage = synopsis("night skip")

        async def work(c: Ctx) -> Reply:
            c.require_organizer("skip club nights")
            night = await resolve_night(c, ref, usage)
            require_active(night)
            o = await occurrence_on(c, night, day, usage)
            if o.state is OccurrenceState.SKIPPED:
                raise Conflict(f"The club night of {day_label(o.original_at, c.tz)} is already skipped.")
            notes: builtins.list[Line] = []
            notify: builtins.list[UserRef] = []
            if o.state is OccurrenceState.POLL_OPEN and o.poll_id is not None:
                poll = await c.tx.polls.get(c.club.id, o.poll_id)
                if poll is not None and poll.status is PollStatus.OPEN:
                    await close_poll(c, poll, cancel=True)
                    notes.append(line(f"Its poll #{poll.id} is cancelled; the films stay in the running."))
            if o.party_id is not None:
                party = await c.tx.parties.get(c.club.id, o.party_id)
                if party is not None and party.status is PartyStatus.SCHEDULED:
                    cancelled = replace(party, status=PartyStatus.CANCELLED)
                    await c.tx.parties.update(cancelled)
                    await replan_reminders(c, cancelled)
                    film = await c.tx.films.get(c.club.id, party.film_id)
                    if film is not None and film.status is FilmStatus.SCHEDULED:
                        await c.tx.films.set_status(c.club.id, film.id, FilmStatus.SHORTLISTED)
                    rsvps = await c.tx.parties.rsvps(c.club.id, party.id)
                    notify += [UserRef(r.user_id, r.display_name) for r in rsvps if r.answer is not RsvpAnswer.NO]
                    notes.append(line(f"Its watch party #{party.id} is cancelled; no reminders will go out for it."))
            was_next = o.state is OccurrenceState.PLANNED and any(
                r.kind is ReminderKind.NIGHT_POLL_OPEN and r.state.value == "pending"
                for r in await c.tx.reminders.list(c.club.id, o.id)
            )
            await c.tx.reminders.delete_pending(c.club.id, NIGHT_KINDS, o.id)
            await c.tx.nights.update_occurrence(replace(o, state=OccurrenceState.SKIPPED))
            if was_next:
                await plan_next(c, night, o.original_at)
            standing = await c.tx.nights.rsvps(c.club.id, night.id)
            known = {u.user_id for u in notify}
            notify += [
                UserRef(r.user_id, r.display_name)
                for r in standing
                if r.answer is not RsvpAnswer.NO and r.user_id not in known
            ]
            nxt = [n for n in await coming(c, night, 3) if n.state is not OccurrenceState.SKIPPED]
            return Reply(
                title=f"Skipped: the club night of {day_label(o.original_at, c.tz)}",
                lines=(
                    line("Club night #", str(night.id), " will not meet on ", Time(o.starts_at), "."),
                    *notes,
                    *((line("The next one: ", Time(nxt[0].starts_at), "."),) if nxt else ()),
                ),
                tone=Tone.NOTICE,
                notify=tuple(notify),
                subject=("night", night.id),
            )

        reply = await self.app.write(key, actor, work)
        self.app.on_reminders_changed()
        return reply

    async def move(self, key: ClubKey, actor: Actor, ref: str | None, day: str, when: str) -> Reply:
        usage = synopsis("night move")

        async def work(c: Ctx) -> Reply:
            c.require_organizer("move club nights")
            night = await resolve_night(c, ref, usage)
            require_active(night)
            o = await occurrence_on(c, night, day, usage)
            if o.state is OccurrenceState.SKIPPED:
                raise Conflict(
                    f"The club night of {day_label(o.original_at, c.tz)} is skipped; there is nothing to move."
                )
            if not when.strip():
                raise UsageError("Move it to when?", usage=usage)
            reading = read_in_club(when, c.club.config, c.now)
            moved = replace(o, starts_at=reading.at)
            notes: builtins.list[Line] = [line(note) for note in reading.notes]
            notify: tuple[UserRef, ...] = ()
            if o.state is OccurrenceState.PLANNED:
                if poll_closes(night, moved, c.tz) <= c.now:
                    raise Conflict(
                        line(
                            f"The night of {day_label(o.original_at, c.tz)} can't move to ",
                            Time(moved.starts_at),
                            f": its poll would have to close {span_words(night.plan.close_minutes * 60)} before, "
                            "which has passed. Pick a later time, or schedule a film that night yourself: ",
                            cmd("party schedule", film=None, when=None),
                        )
                    )
                kinds = (ReminderKind.NIGHT_POLL_OPEN.value,)
                if await c.tx.reminders.delete_pending(c.club.id, kinds, o.id):
                    due = max(poll_opens(night, moved, c.tz), c.now)
                    await c.tx.reminders.add([NewReminder(c.club.id, ReminderKind.NIGHT_POLL_OPEN, o.id, due)])
                notes.append(line("Its poll opens ", Time(max(poll_opens(night, moved, c.tz), c.now)), "."))
            elif o.state is OccurrenceState.POLL_OPEN and o.poll_id is not None:
                closes = poll_closes(night, o, c.tz)
                if moved.starts_at <= closes:
                    raise Conflict(
                        line(
                            f"The night of {day_label(o.original_at, c.tz)} can't move to ",
                            Time(moved.starts_at),
                            f": its poll #{o.poll_id} closes later, ",
                            Time(closes),
                            ". Pick a time after that, or close the poll first: ",
                            cmd("poll close", poll=f"#{o.poll_id}", schedule=None),
                        )
                    )
                notes.append(line(f"Its poll #{o.poll_id} still closes ", Time(closes), "."))
            elif o.party_id is not None:
                party = await c.tx.parties.get(c.club.id, o.party_id)
                if party is not None and party.status is PartyStatus.SCHEDULED:
                    shifted = replace(party, starts_at=moved.starts_at)
                    await c.tx.parties.update(shifted)
                    await replan_reminders(c, shifted)
                    rsvps = await c.tx.parties.rsvps(c.club.id, party.id)
                    notify = tuple(UserRef(r.user_id, r.display_name) for r in rsvps if r.answer is not RsvpAnswer.NO)
                    notes.append(line(f"Its watch party #{party.id} moves with it; RSVPs stand and reminders follow."))
            await c.tx.nights.update_occurrence(moved)
            return Reply(
                title=f"Moved: the club night of {day_label(o.original_at, c.tz)}",
                lines=(line("Was ", Time(o.starts_at), "; now ", Time(moved.starts_at), "."), *notes),
                tone=Tone.NOTICE,
                notify=notify,
                subject=("night", night.id),
            )

        reply = await self.app.write(key, actor, work)
        self.app.on_reminders_changed()
        return reply

    async def cancel(self, key: ClubKey, actor: Actor, ref: str | None) -> Reply:
        async def work(c: Ctx) -> Reply:
            c.require_organizer("cancel club nights")
            night = await resolve_night(c, ref, synopsis("night cancel"))
            require_active(night)
            ended = replace(night, status=NightStatus.CANCELLED, ended_at=c.now)
            await c.tx.nights.update(ended)
            staying: builtins.list[int] = []
            for o in await c.tx.nights.occurrences(c.club.id, night.id):
                await c.tx.reminders.delete_pending(c.club.id, NIGHT_KINDS, o.id)
                if o.state is OccurrenceState.POLL_OPEN and o.poll_id is not None:
                    poll = await c.tx.polls.get(c.club.id, o.poll_id)
                    if poll is not None and poll.status is PollStatus.OPEN:
                        await close_poll(c, poll, cancel=True)
                    await c.tx.nights.update_occurrence(replace(o, state=OccurrenceState.NO_FILM))
                elif o.state is OccurrenceState.PLANNED:
                    await c.tx.nights.update_occurrence(replace(o, state=OccurrenceState.NO_FILM))
                if o.party_id is not None:
                    party = await c.tx.parties.get(c.club.id, o.party_id)
                    if party is not None and party.status is PartyStatus.SCHEDULED:
                        staying.append(party.id)
            lines = [line("No more polls or parties will be set up for it.")]
            if staying:
                listed = ", ".join(f"#{p}" for p in staying)
                lines.append(
                    line(
                        f"Watch parties already scheduled stay ({listed}); cancel one with: ",
                        cmd("party cancel", party=f"#{staying[0]}"),
                    )
                )
            return Reply(
                title=f"Cancelled: {night_title(night)}",
                lines=tuple(lines),
                tone=Tone.NOTICE,
                subject=("night", night.id),
            )

        reply = await self.app.write(key, actor, work)
        self.app.on_reminders_changed()
        return reply

    async def edit(self, key: ClubKey, actor: Actor, ref: str | None, changes: NightChanges) -> Reply:
        """Change the rule, time, place, length or poll settings. Nights to come follow; a poll
        already open and parties already scheduled keep theirs, except that parties still to
        come take a new place and length."""

        async def work(c: Ctx) -> Reply:
            c.require_organizer("change club nights")
            night = await resolve_night(c, ref, synopsis("night edit"))
            require_active(night)
            plan = changes.apply(night.plan, synopsis("night edit"))
            if plan == night.plan:
                raise UsageError("What should change? Give a rule, a time or an option.", usage=synopsis("night edit"))
            if plan.rule != night.plan.rule or plan.clock != night.plan.clock:
                today = c.now.astimezone(ZoneInfo(c.tz)).date()
                plan = replace(
                    plan, first_on=first_night_on_or_after(read_rule(plan.rule), today, read_clock(plan.clock))
                )
            edited = replace(night, plan=plan)
            await c.tx.nights.update(edited)
            for o in await c.tx.nights.occurrences(c.club.id, night.id):
                if o.state is OccurrenceState.PLANNED:
                    await c.tx.reminders.delete_pending(c.club.id, NIGHT_KINDS, o.id)
                elif o.party_id is not None and o.starts_at > c.now:
                    party = await c.tx.parties.get(c.club.id, o.party_id)
                    if party is not None and party.status is PartyStatus.SCHEDULED:
                        updated = replace(party, where=plan.where, duration_minutes=plan.duration_minutes)
                        if updated != party:
                            await c.tx.parties.update(updated)
                            await replan_reminders(c, updated)
            # Nights only planned are forgotten: the new plan writes them again from the rule.
            # Skipped ones stay (matched by their day), and so do moved ones unless the rule changed.
            await c.tx.nights.forget_planned(c.club.id, night.id, moved_too=plan.rule != night.plan.rule)
            first = await plan_next(c, edited, c.now)
            return await night_card(c, edited, title=f"Changed: {night_title(edited)}", tone=Tone.OK, first=first)

        reply = await self.app.write(key, actor, work)
        self.app.on_reminders_changed()
        return reply

    async def rsvp(self, key: ClubKey, actor: Actor, ref: str | None, answer: str) -> Reply:
        """A standing answer for every coming night: parties already scheduled for the night
        take it now, later ones when they are scheduled, until the member changes it."""
        try:
            choice = RsvpAnswer((answer or "").strip().lower())
        except ValueError:
            raise UsageError(f"Answer yes, maybe or no (not {answer[:20]!r}).", usage=synopsis("rsvp night")) from None

        async def work(c: Ctx) -> Reply:
            night = await resolve_night(c, ref, synopsis("rsvp night"))
            require_active(night)
            await c.tx.nights.put_rsvp(
                NightRsvp(c.club.id, night.id, c.actor.user_id, c.actor.display_name, choice, c.now)
            )
            applied: builtins.list[int] = []
            for o in await c.tx.nights.occurrences(c.club.id, night.id):
                party = await c.tx.parties.get(c.club.id, o.party_id) if o.party_id is not None else None
                if party is None or party.status is not PartyStatus.SCHEDULED or party.starts_at <= c.now:
                    continue
                mine = next(
                    (r for r in await c.tx.parties.rsvps(c.club.id, party.id) if r.user_id == c.actor.user_id), None
                )
                dm = mine.dm_offset_minutes if mine is not None and choice is not RsvpAnswer.NO else None
                await c.tx.parties.put_rsvp(
                    Rsvp(c.club.id, party.id, c.actor.user_id, c.actor.display_name, choice, c.now, dm)
                )
                if mine is not None and mine.dm_offset_minutes is not None and dm is None:
                    await replan_reminders(c, party)
                applied.append(party.id)
            said = {
                RsvpAnswer.YES: "You're going to",
                RsvpAnswer.MAYBE: "You might come to",
                RsvpAnswer.NO: "You can't make",
            }
            lines = [
                line(
                    f"{said[choice]} every club night #{night.id} "
                    f"({read_rule(night.plan.rule).described}), until you change it."
                )
            ]
            if applied:
                lines.append(line("That holds for " + ", ".join(f"watch party #{p}" for p in applied) + " too."))
            lines.append(line("For one night only: ", cmd("rsvp", party=None, answer=None)))
            return Reply(lines=tuple(lines), tone=Tone.OK, ephemeral=True)

        return await self.app.write(key, actor, work)

    async def ics(self, key: ClubKey, actor: Actor, ref: str | None) -> Reply:
        async def work(c: Ctx) -> Reply:
            night = await resolve_night(c, ref, synopsis("night ics"))
            data = await night_calendar(c, [night])
            return Reply(
                lines=(line(f"Calendar file for {night_title(night)}: every night, the skipped and moved ones too."),),
                attachment=Attachment(f"docclub-night-{night.id}.ics", "text/calendar", data),
                ephemeral=True,
            )

        return await self.app.read(key, actor, work)


async def _refuse_a_second_night_at_the_same_time(c: Ctx, plan: NightPlan) -> None:
    """Two club nights meeting at the same time (the same rule set twice) would open two polls
    for one evening: the second is refused, pointing at the first."""
    rule, clock = read_rule(plan.rule), read_clock(plan.clock)
    coming_times = set(islice(nights_after(rule, plan.first_on, clock, c.tz, c.now), 3))
    for other in await c.tx.nights.list(c.club.id, active_only=True):
        if coming_times & set(islice(rule_nights(other, c.tz, c.now), 3)):
            raise Conflict(
                line(
                    f"Club night #{other.id} already meets then "
                    f"({read_rule(other.plan.rule).described}, {other.plan.clock}). "
                    "Change its time, place or poll with: ",
                    cmd("night edit", night=f"#{other.id}"),
                )
            )
