"""What an organizer tells a club night (`night schedule`, `night edit`), read and checked."""

from __future__ import annotations

from dataclasses import replace

from docclub.core.errors import InvalidInput
from docclub.core.models import NightPlan, PollMethod
from docclub.core.night_rules import clock_words, read_clock, read_lead, read_rule
from docclub.core.replies import Cmd, cmd, span_words
from docclub.core.text import SHORT_MAX, clean
from docclub.core.voting import MAX_FILMS
from docclub.core.when import parse_duration

__all__ = ["SCHEDULE_USAGE", "NightChanges"]

SCHEDULE_USAGE = cmd("night schedule", rule='"first friday"', time="20:00", where="#cinema", poll="7d", closes="1d")


class NightChanges:
    """What `night schedule` and `night edit` were told, still as the member's words."""

    def __init__(
        self,
        *,
        rule: str | None = None,
        clock: str | None = None,
        where: str | None = None,
        poll: str | None = None,
        closes: str | None = None,
        method: str | None = None,
        top: str | None = None,
        duration: str | None = None,
    ) -> None:
        self.rule, self.clock, self.where, self.poll, self.closes = rule, clock, where, poll, closes
        self.method, self.top, self.duration = method, top, duration

    def apply(self, plan: NightPlan, usage: Cmd = SCHEDULE_USAGE) -> NightPlan:
        """`plan` with these changes, each checked; InvalidInput names the first bad one."""
        changed = plan
        if self.rule is not None:
            changed = replace(changed, rule=read_rule(self.rule).words)
        if self.clock is not None:
            changed = replace(changed, clock=clock_words(read_clock(self.clock)))
        if self.where is not None:
            where = self.where.strip()
            changed = replace(
                changed, where=None if where.lower() in ("", "none", "-") else clean(where, "place", SHORT_MAX)
            )
        if self.poll is not None:
            changed = replace(changed, poll_minutes=read_lead(self.poll, "poll"))
        if self.closes is not None:
            changed = replace(changed, close_minutes=read_lead(self.closes, "closes"))
        if self.method is not None:
            try:
                changed = replace(changed, method=PollMethod(self.method.strip().lower()))
            except ValueError:
                raise InvalidInput(
                    f"There is no poll method {self.method[:20]!r}; use single, approval or ranked.",
                    usage=SCHEDULE_USAGE,
                ) from None
        if self.top is not None:
            if not self.top.strip().isdigit() or not 2 <= int(self.top) <= MAX_FILMS:
                raise InvalidInput(f"--top takes a number of films from 2 to {MAX_FILMS}.", usage=SCHEDULE_USAGE)
            changed = replace(changed, top=int(self.top))
        if self.duration is not None:
            changed = replace(changed, duration_minutes=parse_duration(self.duration))
        if changed.close_minutes >= changed.poll_minutes:
            raise InvalidInput(
                f"The poll has to open before it closes: --poll {span_words(changed.poll_minutes * 60)} before the "
                f"night, --closes {span_words(changed.close_minutes * 60)} before it. Try --poll 7d --closes 1d.",
                usage=SCHEDULE_USAGE,
            )
        return changed
