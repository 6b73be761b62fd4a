"""Club nights as members read them: which night a command means, the coming nights and where
each stands, and the night's card (`night show`, and the answer to `night schedule`/`edit`)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from docclub.core.context import Ctx
from docclub.core.errors import Conflict, NotFound, UsageError
from docclub.core.models import Night, NightOccurrence, NightStatus, OccurrenceState, RsvpAnswer
from docclub.core.night_cycle import by_day, local_day, poll_closes, poll_opens, rule_nights
from docclub.core.night_parties import day_label
from docclub.core.night_plans import SCHEDULE_USAGE
from docclub.core.night_rules import read_rule
from docclub.core.replies import Cmd, Field, Line, Reply, Time, Tone, cmd, line, span_words
from docclub.core.text import ref_number
from docclub.core.when import read_in_club

SHOW_COUNT = 6  # the coming nights `night show` lists


def night_title(night: Night) -> str:
    return f"Club night #{night.id}: {read_rule(night.plan.rule).described}, {night.plan.clock}"


async def resolve_night(c: Ctx, ref: str | None, usage: Cmd | None = None) -> Night:
    """`#id`, or the club's only active night when `ref` is empty (several: the command's
    `usage` shows where the #number goes)."""
    if ref:
        number = ref_number(ref)
        if number is None:
            raise UsageError(
                line(f"Club nights are named by their #number, not {ref[:30]!r}. See them with: ", cmd("night list"))
            )
        night = await c.tx.nights.get(c.club.id, number)
        if night is None:
            raise NotFound(line(f"There is no club night #{number}. See them with: ", cmd("night list")))
        return night
    active = await c.tx.nights.list(c.club.id, active_only=True)
    if not active:
        raise NotFound(line("This club has no club nights. An organizer can set one: ", SCHEDULE_USAGE))
    if len(active) > 1:
        listed = ", ".join(f"#{n.id}" for n in active)
        raise UsageError(
            f"This club has several club nights ({listed}); say which one, like #{active[0].id}.", usage=usage
        )
    return active[0]


def require_active(night: Night) -> None:
    if night.status is not NightStatus.ACTIVE:
        raise Conflict(line(f"Club night #{night.id} was cancelled. Set a new one with: ", SCHEDULE_USAGE))


async def coming(c: Ctx, night: Night, count: int) -> list[NightOccurrence]:
    """The night's next `count` occurrences, soonest first (the one on now included): those
    written (planned, under way, moved, skipped) and the rule's next times not written yet
    (shown with id 0)."""
    written = await c.tx.nights.occurrences(c.club.id, night.id)
    days = by_day(written, c.tz)
    horizon = c.now - timedelta(minutes=night.plan.duration_minutes)
    out: list[NightOccurrence] = []
    for at in rule_nights(night, c.tz, horizon):
        if len(out) >= count:
            break
        found = days.get(local_day(at, c.tz))
        out.append(found or NightOccurrence(c.club.id, 0, night.id, at, at, OccurrenceState.PLANNED))
    out += [o for o in written if o.original_at <= horizon < o.starts_at]  # moved later than their rule time
    return sorted(out, key=lambda o: o.starts_at)[:count]


async def occurrence_on(c: Ctx, night: Night, words: str, usage: Cmd) -> NightOccurrence:
    """The night's occurrence on the day `words` name (read with the night's time, so "4 dec",
    "fri", "2026-12-04" all work): one written for that day, else the rule's night that day,
    written now."""
    text = " ".join(words.split())
    if not text:
        raise UsageError("Which night? Give its date, like 4 dec or 2026-12-04.", usage=usage)
    zone = ZoneInfo(c.tz)
    reading = read_in_club(f"{text} {night.plan.clock}", c.club.config, c.now, allow_past=True)
    day = reading.at.astimezone(zone).date()
    written = await c.tx.nights.occurrences(c.club.id, night.id)
    for o in written:
        if o.starts_at.astimezone(zone).date() == day and o.state is not OccurrenceState.SKIPPED:
            return o
    for o in written:
        if o.original_at.astimezone(zone).date() == day:
            return o
    start = datetime.combine(day, time(0, 0), tzinfo=zone)
    for at in rule_nights(night, c.tz, start.astimezone(UTC) - timedelta(seconds=1)):
        if at.astimezone(zone).date() == day:
            if at + timedelta(minutes=night.plan.duration_minutes) <= c.now:
                raise Conflict(f"The club night of {day_label(at, c.tz)} is over.")
            return await c.tx.nights.add_occurrence(c.club.id, night.id, at, at, OccurrenceState.PLANNED)
        break
    soon = [day_label(o.starts_at, c.tz) for o in await coming(c, night, 4) if o.state is not OccurrenceState.SKIPPED][
        :3
    ]
    raise NotFound(
        f"There is no club night #{night.id} on {day:%a} {day.day} {day:%b %Y}. "
        f"The next ones: {', '.join(soon) or 'none'}."
    )


def state_line(c: Ctx, night: Night, o: NightOccurrence, films: dict[int, str]) -> Line:
    moved = o.starts_at != o.original_at
    head: tuple[str | Time, ...] = (Time(o.starts_at), " — ")
    if o.state is OccurrenceState.SKIPPED:
        return line(Time(o.original_at), " — skipped")
    note = f" (moved from {day_label(o.original_at, c.tz)})" if moved else ""
    if o.state is OccurrenceState.SCHEDULED and o.party_id is not None:
        return line(*head, f"{films.get(o.party_id, 'a film')}: watch party #{o.party_id}{note}")
    if o.state is OccurrenceState.POLL_OPEN and o.poll_id is not None:
        return line(*head, f"poll #{o.poll_id} is open until ", Time(poll_closes(night, o, c.tz)), note)
    if o.state is OccurrenceState.NO_FILM:
        return line(*head, f"no film{note}")
    opens = poll_opens(night, o, c.tz)
    if opens <= c.now:
        return line(*head, "film by poll, opening now", note)
    return line(*head, "film by poll, opening ", Time(opens), note)


async def night_card(
    c: Ctx,
    night: Night,
    *,
    title: str | None = None,
    tone: Tone = Tone.INFO,
    first: NightOccurrence | None = None,
) -> Reply:
    """A night as members see it: its rule, place, poll settings, the coming nights and where
    each stands, and who goes to every night. `first`: the night just planned (schedule, edit)."""
    plan = night.plan
    nights = await coming(c, night, SHOW_COUNT) if night.status is NightStatus.ACTIVE else []
    party_ids = [o.party_id for o in nights if o.party_id is not None]
    films: dict[int, str] = {}
    for party_id in party_ids:
        party = await c.tx.parties.get(c.club.id, party_id)
        film = await c.tx.films.get(c.club.id, party.film_id) if party else None
        if film is not None:
            films[party_id] = film.label
    standing = await c.tx.nights.rsvps(c.club.id, night.id)
    going = [r for r in standing if r.answer is RsvpAnswer.YES]
    poll_text = (
        f"opens {span_words(plan.poll_minutes * 60)} before, closes {span_words(plan.close_minutes * 60)} "
        f"before; {plan.method.value}, the top {plan.top} suggestions"
    )
    fields = [
        Field("When", (line(f"{read_rule(plan.rule).described}, {plan.clock} ({c.tz})"),)),
        Field("Duration", (line(span_words(plan.duration_minutes * 60)),), inline=True),
    ]
    if plan.where:
        fields.append(Field("Where", (line(plan.where),), inline=True))
    fields.append(Field("Poll", (line(poll_text),)))
    if nights:
        fields.append(Field("Coming nights", tuple(state_line(c, night, o, films) for o in nights)))
    if going:
        names = ", ".join(r.display_name for r in going[:20])
        fields.append(Field(f"Going to every night ({len(going)})", (line(names),)))
    lines: list[Line] = []
    if night.status is NightStatus.CANCELLED:
        lines.append(line("Cancelled", *((" ", Time(night.ended_at)) if night.ended_at else ()), "."))
    else:
        if first is not None:
            opens = poll_opens(night, first, c.tz)
            when: tuple[str | Time, ...] = ("now",) if opens <= c.now else ("by itself ", Time(opens))
            lines.append(
                line(
                    "The first poll opens ",
                    *when,
                    f", for the night of {day_label(first.starts_at, c.tz)}; the winner is scheduled "
                    "when it closes, with reminders as for any party.",
                )
            )
        lines.append(
            line(
                "Every night: ",
                cmd("rsvp night", answer=None),
                " · calendar: ",
                cmd("night ics", night=f"#{night.id}"),
            )
        )
    return Reply(
        title=title or night_title(night),
        lines=tuple(lines),
        fields=tuple(fields),
        tone=tone,
        subject=("night", night.id),
    )
