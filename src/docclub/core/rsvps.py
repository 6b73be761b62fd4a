"""RSVPs: a member's answer to a watch party, and the direct-message reminder they may ask for."""

from __future__ import annotations

from docclub.core.context import Ctx
from docclub.core.models import Party, ReminderKind, Rsvp, RsvpAnswer
from docclub.core.party_reminders import reminders_for
from docclub.core.replies import Reply, Time, Tone, line, span_words
from docclub.core.when import parse_offset


async def answer_rsvp(c: Ctx, party: Party, choice: RsvpAnswer, remind: str | None) -> Reply:
    """Record the member's answer to `party` and plan their own reminder again: `remind` is how
    long before the start ("2h"), "off", or None to keep the one they had (a no ends it)."""
    remind_off = remind is not None and remind.strip().lower() in ("off", "none", "no")
    dm = parse_offset(remind) if remind and not remind_off else None
    previous = next((r for r in await c.tx.parties.rsvps(c.club.id, party.id) if r.user_id == c.actor.user_id), None)
    had_dm = previous is not None and previous.dm_offset_minutes is not None
    if dm is None and had_dm and not remind_off and choice is not RsvpAnswer.NO:
        assert previous is not None
        dm = previous.dm_offset_minutes
    if choice is RsvpAnswer.NO:
        dm = None
    await c.tx.parties.put_rsvp(Rsvp(c.club.id, party.id, c.actor.user_id, c.actor.display_name, choice, c.now, dm))
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
