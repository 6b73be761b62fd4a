"""Club pages kept between loads, for as long as nothing they show can have changed.

A club page is a function of two things: what the store holds and the time. So a page is kept
with both: the store's data version its read saw (`StoredClubs.data_version`: any commit, by
this process or another, makes a new one) and the moment time alone would change it (a party
starting or ending, scores showing, a new month). A later load gets the kept page only when its
own read sees the same data version before that moment. A vote, a rating, an RSVP, a moved party
or a changed setting is a commit, so the load after it builds the page again: a kept page never
shows a standing or a score the store has moved past, and never shows a score earlier than the
reveal rule allows (it was built before the rule allowed it, and it is dropped when it does).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

__all__ = ["KeptPages", "next_month"]

P = TypeVar("P")

MAX_CLUBS = 32  # clubs whose pages are kept; a big club's page is some hundred kilobytes of values
PER_CLUB = 4  # data versions kept per club: enough for each of a store's reading connections


def next_month(now: datetime, zone: ZoneInfo) -> datetime:
    """A moment shortly before the next month starts in `zone` (a month's or a year's charts
    move on then): an hour early, so no clock change near midnight makes it late."""
    local = now.astimezone(zone)
    year, month = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
    return datetime(year, month, 1, tzinfo=zone).astimezone(UTC) - timedelta(hours=1)


class KeptPages(Generic[P]):
    """The latest pages built, a few per club (one per data version: a store may give each of
    its connections its own), for a number of clubs, each until the moment it goes stale.

    Used from the store's reader threads: every step holds the lock."""

    def __init__(self, clubs: int = MAX_CLUBS, per_club: int = PER_CLUB) -> None:
        self.clubs, self.per_club = clubs, per_club
        self._pages: OrderedDict[int, list[tuple[object, datetime, P]]] = OrderedDict()
        self._lock = threading.Lock()
        self.built = 0  # pages kept (for tests and benchmarks)
        self.reused = 0  # loads answered with a kept page

    def get(self, club_id: int, version: object, now: datetime) -> P | None:
        """The page kept for this club at this data version, unless time has moved past it."""
        with self._lock:
            kept = self._pages.get(club_id, [])
            for i, (seen, until, page) in enumerate(kept):
                if seen != version:
                    continue
                if now >= until:
                    del kept[i]
                    return None
                self._pages.move_to_end(club_id)
                self.reused += 1
                return page
            return None

    def put(self, club_id: int, version: object, until: datetime, page: P) -> None:
        """Keep `page`, read at `version`, until `until` (the club's oldest kept page makes room)."""
        with self._lock:
            self.built += 1
            kept = [k for k in self._pages.pop(club_id, []) if k[0] != version]
            self._pages[club_id] = [(version, until, page), *kept][: self.per_club]
            while len(self._pages) > self.clubs:
                self._pages.popitem(last=False)
