"""Club nights as a platform's own calendar shows them (Discord's scheduled events).

An adapter asks for the nights of a club whose poll has opened (`NightEvents.of_club`) and
keeps one event per such night: "Club night — film by poll" while its poll is open, taken over
by the watch party once the film is chosen, taken down when the night is skipped, gets no
film, or the rule is cancelled. Nights whose poll has not opened yet have no event: their
film, and so their name, is not known. Where each event is kept is the adapter's business:
the night's `platform_ref`, changed with `update_platform_ref` in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from docclub.core.context import App
from docclub.core.models import ClubKey, NightStatus, OccurrenceState
from docclub.core.night_card import night_title
from docclub.core.ports import ClubTx

# States a night reaches once its poll has opened (or its film was chosen without one).
_SHOWN = {OccurrenceState.POLL_OPEN, OccurrenceState.SCHEDULED}
_GONE = {OccurrenceState.SKIPPED, OccurrenceState.NO_FILM}


@dataclass(frozen=True, slots=True)
class NightEvent:
    """One night of a rule, as a calendar event."""

    occurrence_id: int
    starts_at: datetime
    ends_at: datetime
    where: str | None
    name: str
    description: str
    showing: bool  # its poll is open; False: skipped, no film after all, rule cancelled: take it down
    party_id: int | None  # its film was chosen: this watch party's own event stands for the night


@dataclass(frozen=True, slots=True)
class ClubNightEvents:
    """A night's events still to come (or under way), and the adapter's handle for them."""

    night_id: int
    platform_ref: str | None
    events: tuple[NightEvent, ...]


class NightEvents:
    """The nights a platform calendar should show; read without creating a club."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def of_club(self, key: ClubKey) -> list[ClubNightEvents]:
        """Every night of the club with a night whose poll has opened and which has not ended;
        [] for an unknown club or one without nights."""
        now = self.app.clock.now()

        async def work(tx: ClubTx) -> list[ClubNightEvents]:
            club = await tx.clubs.get(key)
            if club is None:
                return []
            found = []
            for night in await tx.nights.list(club.id):
                length = timedelta(minutes=night.plan.duration_minutes)
                events = []
                for o in await tx.nights.occurrences(club.id, night.id):
                    if o.starts_at + length <= now or o.state not in _SHOWN | _GONE:
                        continue
                    where = f" in {night.plan.where}" if night.plan.where else ""
                    events.append(
                        NightEvent(
                            occurrence_id=o.id,
                            starts_at=o.starts_at,
                            ends_at=o.starts_at + length,
                            where=night.plan.where,
                            name="Club night — film by poll",
                            description=(
                                f"{night_title(night)}{where}. The club votes for the film; "
                                "the winner is scheduled when the poll closes."
                            ),
                            showing=o.state is OccurrenceState.POLL_OPEN and night.status is NightStatus.ACTIVE,
                            party_id=o.party_id,
                        )
                    )
                if events or night.platform_ref:
                    found.append(ClubNightEvents(night.id, night.platform_ref, tuple(events)))
            return found

        return await self.app.store.read(work)

    async def update_platform_ref(
        self, key: ClubKey, night_id: int, change: Callable[[str | None], str | None]
    ) -> str | None:
        """Replace the night's handle with `change(current)` in one transaction (two processes
        changing different parts keep each other's); the new handle, None for an unknown night."""

        async def work(tx: ClubTx) -> str | None:
            club = await tx.clubs.get(key)
            night = await tx.nights.get(club.id, night_id) if club else None
            if night is None:
                return None
            ref = change(night.platform_ref)
            if ref != night.platform_ref:
                await tx.nights.update(replace(night, platform_ref=ref))
            return ref

        return await self.app.store.write(work)
