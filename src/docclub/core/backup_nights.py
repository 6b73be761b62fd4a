"""The club nights of a backup (`nights`, `night_occurrences`, `night_rsvps`, `night_steps`),
checked as the rest of a backup is: each value by the rule of the command that makes it, and
every reference pointing inside the backup. Backups made before club nights have none."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict

from docclub.core.backup_values import (
    a_duration,
    a_name,
    a_platform_ref,
    a_text,
    a_time,
    a_user_id,
    an_id,
    an_int,
    choice,
    optional,
    rule,
    shown,
)
from docclub.core.models import (
    ClubSnapshot,
    Night,
    NightOccurrence,
    NightPlan,
    NightRsvp,
    NightStatus,
    OccurrenceState,
    PollMethod,
    RsvpAnswer,
)
from docclub.core.night_rules import clock_words, read_clock, read_rule
from docclub.core.text import SHORT_MAX
from docclub.core.voting import MAX_FILMS

__all__ = ["NightIn", "NightRsvpIn", "NightStepIn", "OccurrenceIn", "night_problem", "nights_into", "nights_to_json"]

STEPS = ("night_poll_open", "night_poll_close")

Id = Annotated[int, rule(an_id)]
Time = Annotated[datetime, rule(a_time)]


def a_rule(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{shown(value)} is not a club night rule")
    return read_rule(value).words


def a_clock(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{shown(value)} is not a time of day")
    return clock_words(read_clock(value))


def a_date(value: Any) -> date:
    try:
        return date.fromisoformat(value) if isinstance(value, str) else date.fromisoformat("")
    except ValueError:
        raise ValueError(f"{shown(value)} is not a date (like 2026-12-04)") from None


def a_lead(value: Any) -> int:
    return an_int(value, "a number of minutes", 0, 28 * 1440)


def a_step(value: Any) -> str:
    if value not in STEPS:
        raise ValueError(f"{shown(value)} is not a club night's step (night_poll_open or night_poll_close)")
    return str(value)


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NightIn(_Part):
    id: Id
    rule: Annotated[str, rule(a_rule)]
    clock: Annotated[str, rule(a_clock)]
    first_on: Annotated[date, rule(a_date)]
    where: Annotated[str | None, rule(optional(a_text("place", SHORT_MAX)))]
    duration_minutes: Annotated[int, rule(a_duration)]
    poll_minutes: Annotated[int, rule(a_lead)]
    close_minutes: Annotated[int, rule(a_lead)]
    method: Annotated[PollMethod, rule(choice(PollMethod, "a poll method"))]
    top: Annotated[int, rule(lambda v: an_int(v, "a number of films", 2, MAX_FILMS))]
    status: Annotated[NightStatus, rule(choice(NightStatus, "a club night status"))]
    created_by: Annotated[str, rule(a_user_id)]
    created_at: Time
    ended_at: Annotated[datetime | None, rule(optional(a_time))]
    platform_ref: Annotated[str | None, rule(optional(a_platform_ref))] = None


class OccurrenceIn(_Part):
    id: Id
    night_id: Id
    original_at: Time
    starts_at: Time
    state: Annotated[OccurrenceState, rule(choice(OccurrenceState, "a club night's state"))]
    poll_id: Annotated[int | None, rule(optional(an_id))]
    party_id: Annotated[int | None, rule(optional(an_id))]


class NightRsvpIn(_Part):
    night_id: Id
    user_id: Annotated[str, rule(a_user_id)]
    display_name: Annotated[str, rule(a_name)]
    answer: Annotated[RsvpAnswer, rule(choice(RsvpAnswer, "an answer"))]
    answered_at: Time


class NightStepIn(_Part):
    kind: Annotated[str, rule(a_step)]
    occurrence_id: Id
    due_at: Time


def _twice(rows: Iterable[Any], key: Callable[[Any], Any], name: str, problem: str) -> tuple[str, str] | None:
    seen: set[Any] = set()
    for i, row in enumerate(rows):
        k = key(row)
        if k in seen:
            return f"{name}[{i}]", problem
        seen.add(k)
    return None


def night_problem(
    nights: Sequence[NightIn],
    occurrences: Sequence[OccurrenceIn],
    rsvps: Sequence[NightRsvpIn],
    steps: Sequence[NightStepIn],
    polls: set[int],
    parties: set[int],
) -> tuple[str, str] | None:
    """The first (path, problem) of the backup's club nights — an id twice, or a reference to
    something the backup does not hold — or None."""
    for found in (
        _twice(nights, lambda n: n.id, "nights", "a second club night with this id."),
        _twice(occurrences, lambda o: o.id, "night_occurrences", "a second occurrence with this id."),
        _twice(
            occurrences,
            lambda o: (o.night_id, o.original_at),
            "night_occurrences",
            "a second occurrence of this night at this time.",
        ),
        _twice(rsvps, lambda r: (r.night_id, r.user_id), "night_rsvps", "a second answer of this member."),
    ):
        if found is not None:
            return found
    night_ids = {n.id for n in nights}
    for i, o in enumerate(occurrences):
        if o.night_id not in night_ids:
            return f"night_occurrences[{i}].night_id", f"night #{o.night_id} is not in the backup."
        if o.poll_id is not None and o.poll_id not in polls:
            return f"night_occurrences[{i}].poll_id", f"poll #{o.poll_id} is not in the backup."
        if o.party_id is not None and o.party_id not in parties:
            return f"night_occurrences[{i}].party_id", f"party #{o.party_id} is not in the backup."
    for i, r in enumerate(rsvps):
        if r.night_id not in night_ids:
            return f"night_rsvps[{i}].night_id", f"night #{r.night_id} is not in the backup."
    occurrence_ids = {o.id for o in occurrences}
    for i, step in enumerate(steps):
        if step.occurrence_id not in occurrence_ids:
            return f"night_steps[{i}].occurrence_id", f"occurrence #{step.occurrence_id} is not in the backup."
    return None


def _t(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).isoformat(timespec="milliseconds")


def nights_to_json(snap: ClubSnapshot) -> dict[str, Any]:
    """The club nights of a snapshot as a backup's sections."""
    return {
        "nights": [
            {
                "id": n.id,
                "rule": n.plan.rule,
                "clock": n.plan.clock,
                "first_on": n.plan.first_on.isoformat(),
                "where": n.plan.where,
                "duration_minutes": n.plan.duration_minutes,
                "poll_minutes": n.plan.poll_minutes,
                "close_minutes": n.plan.close_minutes,
                "method": n.plan.method.value,
                "top": n.plan.top,
                "status": n.status.value,
                "created_by": n.created_by,
                "created_at": _t(n.created_at),
                "ended_at": _t(n.ended_at),
                "platform_ref": n.platform_ref,
            }
            for n in snap.nights
        ],
        "night_occurrences": [
            {
                "id": o.id,
                "night_id": o.night_id,
                "original_at": _t(o.original_at),
                "starts_at": _t(o.starts_at),
                "state": o.state.value,
                "poll_id": o.poll_id,
                "party_id": o.party_id,
            }
            for o in snap.night_occurrences
        ],
        "night_rsvps": [
            {
                "night_id": r.night_id,
                "user_id": r.user_id,
                "display_name": r.display_name,
                "answer": r.answer.value,
                "answered_at": _t(r.answered_at),
            }
            for r in snap.night_rsvps
        ],
        # The club night steps still to come, so a restored club carries on where it was.
        "night_steps": [
            {"kind": kind, "occurrence_id": target, "due_at": _t(due)} for kind, target, due in snap.night_steps
        ],
    }


def nights_into(snap: ClubSnapshot, b: Any, cid: int) -> None:
    """A checked backup's club nights (`b`: a `BackupIn`) into the snapshot of club `cid`."""
    snap.nights = [
        Night(
            id=n.id,
            club_id=cid,
            plan=NightPlan(
                rule=n.rule,
                clock=n.clock,
                first_on=n.first_on,
                where=n.where,
                duration_minutes=n.duration_minutes,
                poll_minutes=n.poll_minutes,
                close_minutes=n.close_minutes,
                method=n.method,
                top=n.top,
            ),
            status=n.status,
            created_by=n.created_by,
            created_at=n.created_at,
            ended_at=n.ended_at,
            platform_ref=n.platform_ref,
        )
        for n in b.nights
    ]
    snap.night_occurrences = [
        NightOccurrence(cid, o.id, o.night_id, o.original_at, o.starts_at, o.state, o.poll_id, o.party_id)
        for o in b.night_occurrences
    ]
    snap.night_rsvps = [
        NightRsvp(cid, r.night_id, r.user_id, r.display_name, r.answer, r.answered_at) for r in b.night_rsvps
    ]
    snap.night_steps = [(s.kind, s.occurrence_id, s.due_at) for s in b.night_steps]
