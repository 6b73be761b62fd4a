"""The reminders a watch party plans: the club's channel reminders, members' own direct
messages and the post-party nudge, planned again whenever the party or an RSVP changes."""

from __future__ import annotations

from datetime import datetime, timedelta

from docclub.core.context import Ctx
from docclub.core.models import (
    Club,
    NewReminder,
    Party,
    PartyStatus,
    Reminder,
    ReminderKind,
    Rsvp,
    RsvpAnswer,
)

PARTY_KINDS = (ReminderKind.PARTY_BEFORE.value, ReminderKind.PARTY_DM.value, ReminderKind.PARTY_AFTER.value)


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
