"""What a feature module works with: `Ctx` (one transaction, the club, who acts, when) and
`App`, the little of the club facade that feature modules use.

Feature modules (`films`, `polls`, `parties`, `ratings`, `discussion`, `settings`, `backup`,
`overview`, …) import this module and never `clubs`: `clubs.Docclub` satisfies `App` and
assembles the features, so the dependencies point one way. Nothing here imports a feature.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from docclub.core.catalog import FilmCatalog
from docclub.core.errors import NotAllowed
from docclub.core.models import Actor, Club, ClubKey
from docclub.core.ports import Clock, ClubStore, ClubTx

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Ctx:
    """What a use case works with: one transaction, the club, who acts, and when."""

    tx: ClubTx
    club: Club
    actor: Actor
    now: datetime

    @property
    def tz(self) -> str:
        return self.club.config.timezone

    @property
    def is_organizer(self) -> bool:
        return is_organizer(self.club, self.actor)

    def require_organizer(self, doing: str) -> None:
        if not self.is_organizer:
            raise NotAllowed(f"Only the club's organizers can {doing}. Ask an organizer to do it.")


def is_organizer(club: Club, actor: Actor) -> bool:
    """Organizer by the platform's say (admin, Manage Server, the console owner) or the club's list."""
    return actor.is_organizer or actor.user_id in club.config.organizers


class App(Protocol):
    """What feature modules use of the club facade (`clubs.Docclub` is the one implementation)."""

    store: ClubStore  # for the few adapter look-ups that must not create a club (platform refs)
    clock: Clock
    catalog: FilmCatalog  # where films are looked up (NoCatalog without a TMDB key)
    # Called after a committed change that a scheduler should know of (new or moved reminders).
    on_reminders_changed: Callable[[], None]

    async def write(self, key: ClubKey, actor: Actor, work: Callable[[Ctx], Awaitable[T]]) -> T:
        """Run `work` in one committed transaction; a DocclubError leaves the store unchanged."""
        ...

    async def read(self, key: ClubKey, actor: Actor, work: Callable[[Ctx], Awaitable[T]]) -> T:
        """Run `work` on a consistent read; a club seen for the first time is created first."""
        ...

    def forget_club(self, key: ClubKey) -> None:
        """After a command that changed the club's settings: the next answer reads them again."""
        ...


__all__ = ["App", "Ctx", "is_organizer"]
