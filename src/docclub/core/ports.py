"""Ports: the only ways the core reaches the world. Small Protocols; adapters implement them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from docclub.core.models import (
    Attendance,
    Ballot,
    Club,
    ClubConfig,
    ClubKey,
    ClubSnapshot,
    Film,
    FilmScore,
    FilmStatus,
    MemberRating,
    NewFilm,
    NewReminder,
    Party,
    Poll,
    PollMethod,
    Prompt,
    RatedFilm,
    Rating,
    Reminder,
    ReminderState,
    Rsvp,
)
from docclub.core.replies import Reply

T = TypeVar("T")


class Clock(Protocol):
    """Time. Production uses the system clock; tests use `docclub.testing.FakeClock`."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait this long on this clock (a FakeClock wakes sleepers when advanced)."""
        ...


class DeliveryFailed(Exception):
    """A notifier could not deliver (platform down, channel gone). The scheduler retries,
    unless `permanent`: retrying cannot help (a member who accepts no direct messages)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Notifier(Protocol):
    """Delivers reminders and announcements on one platform."""

    async def announce(self, club: ClubKey, channel: str | None, reply: Reply, *, key: str) -> None:
        """Post to the club's announcement channel (`channel`, or the adapter's default).

        `key` is stable for one reminder; where the platform can, a repeated delivery with
        the same key is not shown twice (Discord nonces). Raise DeliveryFailed to be retried.
        """
        ...

    async def direct(self, club: ClubKey, user_id: str, reply: Reply, *, key: str) -> None:
        """Send a direct message to one member (same `key` contract as `announce`)."""
        ...


class ClubTx(Protocol):
    """One transaction's view of the store. Everything done through one `ClubTx` commits
    together or not at all. All ids are scoped by club where a club is given."""

    # clubs and members
    async def get_club(self, key: ClubKey) -> Club | None: ...
    async def get_club_by_id(self, club_id: int) -> Club | None: ...
    async def create_club(self, key: ClubKey, name: str, config: ClubConfig, at: datetime) -> Club: ...
    async def set_club_config(self, club_id: int, config: ClubConfig) -> None: ...
    async def upsert_member(self, club_id: int, user_id: str, display_name: str, at: datetime) -> None: ...
    async def member_names(self, club_id: int) -> dict[str, str]: ...

    # films
    async def add_film(self, club_id: int, film: NewFilm, by: str, by_name: str, at: datetime) -> Film: ...
    async def get_film(self, club_id: int, film_id: int) -> Film | None: ...
    async def films_by_id(self, club_id: int, film_ids: Sequence[int]) -> dict[int, Film]:
        """The club's films among `film_ids`, by id (ids that name no film are left out). Costs
        what the ids cost, not what the club holds: a poll's films, a ballot's choices."""
        ...

    async def list_films(self, club_id: int, statuses: Sequence[FilmStatus] | None = None) -> list[Film]: ...
    async def set_film_status(self, club_id: int, film_id: int, status: FilmStatus) -> None: ...
    async def delete_film(self, club_id: int, film_id: int) -> None: ...
    async def films_like_title(self, club_id: int, key: str, limit: int) -> list[Film]:
        """Candidates for a duplicate of a title whose `title_key` is `key`: the club's films,
        not withdrawn, whose key equals it or shares its first or its last four characters;
        equal keys first, then the nearest in length; at most `limit`. Found through an index,
        never by reading every film. An empty list when none."""
        ...

    async def mark_seen(self, club_id: int, film_id: int, user_id: str, at: datetime) -> bool:
        """True when newly marked."""
        ...

    async def seen_by(self, club_id: int, film_id: int) -> list[str]: ...

    # polls and ballots
    async def add_poll(
        self,
        club_id: int,
        method: PollMethod,
        anonymous: bool,
        film_ids: Sequence[int],
        by: str,
        at: datetime,
        closes_at: datetime | None,
    ) -> Poll: ...
    async def get_poll(self, club_id: int, poll_id: int) -> Poll | None: ...
    async def list_polls(self, club_id: int, open_only: bool = False) -> list[Poll]: ...
    async def set_poll_films(self, club_id: int, poll_id: int, film_ids: Sequence[int]) -> None: ...
    async def set_poll_ref(self, club_id: int, poll_id: int, ref: str | None) -> None:
        """Keep an adapter's handle for the poll (where it is shown); no-op for an unknown poll."""
        ...

    async def close_poll(
        self, club_id: int, poll_id: int, status: str, at: datetime, winner_film_id: int | None
    ) -> None: ...
    async def put_ballot(self, ballot: Ballot) -> None:
        """Insert or replace the member's one ballot in the poll."""
        ...

    async def delete_ballot(self, club_id: int, poll_id: int, user_id: str) -> bool:
        """Remove the member's ballot from the poll; False when they had none."""
        ...

    async def list_ballots(self, club_id: int, poll_id: int) -> list[Ballot]: ...
    async def film_vote_counts(self, club_id: int) -> dict[int, int]:
        """Votes each film received across the club's closed and open polls."""
        ...

    # watch parties and RSVPs
    async def add_party(
        self,
        club_id: int,
        film_id: int,
        starts_at: datetime,
        duration_minutes: int,
        where: str | None,
        by: str,
        at: datetime,
        series_id: int | None = None,
    ) -> Party: ...
    async def get_party(self, club_id: int, party_id: int) -> Party | None: ...
    async def list_parties(
        self, club_id: int, film_id: int | None = None, statuses: Sequence[str] | None = None
    ) -> list[Party]: ...
    async def update_party(self, party: Party) -> None: ...
    async def put_rsvp(self, rsvp: Rsvp) -> None: ...
    async def list_rsvps(self, club_id: int, party_id: int) -> list[Rsvp]: ...
    async def record_attendance(self, attendance: Attendance) -> bool:
        """Record that a member joined the party; True when newly recorded (a member who
        leaves and joins again keeps their first record)."""
        ...

    async def list_attendance(self, club_id: int, party_id: int) -> list[Attendance]:
        """Who joined the party, in the order they first joined."""
        ...

    # ratings
    async def put_rating(self, rating: Rating) -> None:
        """Insert or replace the member's rating of the film."""
        ...

    async def get_rating(self, club_id: int, film_id: int, user_id: str) -> Rating | None: ...
    async def list_ratings(self, club_id: int, film_id: int) -> list[Rating]: ...
    async def count_ratings(self, club_id: int, film_id: int) -> int: ...
    async def member_ratings(self, club_id: int, user_id: str) -> list[MemberRating]: ...
    async def leaderboard(
        self, club_id: int, min_ratings: int, limit: int, rated_by: str | None = None
    ) -> list[FilmScore]:
        """The best-rated films (mean, then count, then id), at most `limit`, each with at least
        `min_ratings` ratings; with `rated_by`, only films that member has rated. [] when none."""
        ...

    async def rated_films_not_rated_by(self, club_id: int, user_id: str) -> list[RatedFilm]:
        """Films with at least one rating that `user_id` has not rated, most ratings first,
        with their rating count and no scores. [] when none."""
        ...

    # discussion prompts
    async def add_prompt(self, club_id: int, film_id: int, text: str, by_name: str, at: datetime) -> Prompt: ...
    async def film_prompts(self, club_id: int, film_id: int) -> list[Prompt]: ...
    async def recent_prompt_keys(self, club_id: int, limit: int) -> list[str]: ...
    async def record_prompts_shown(self, club_id: int, film_id: int, keys: Sequence[str], at: datetime) -> None: ...

    # reminders
    async def add_reminders(self, reminders: Sequence[NewReminder]) -> None: ...
    async def delete_pending_reminders(self, club_id: int, kinds: Sequence[str], target_id: int) -> int: ...
    async def next_due_at(self, platforms: Sequence[str] | None = None) -> datetime | None:
        """The earliest due time of a pending reminder, or lease end of a claimed one
        (of clubs on `platforms`, when given)."""
        ...

    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int, platforms: Sequence[str] | None = None
    ) -> list[Reminder]:
        """Claim due reminders (pending, or claimed with an expired lease) until `lease_until`,
        earliest first, of clubs on `platforms` when given."""
        ...

    async def finish_reminder(self, reminder_id: int, state: ReminderState, at: datetime) -> None: ...
    async def retry_reminder(self, reminder_id: int, due_at: datetime, attempts: int) -> None: ...
    async def list_reminders(self, club_id: int, target_id: int | None = None) -> list[Reminder]: ...
    async def later_reminder_due(self, reminder: Reminder, now: datetime) -> bool:
        """Whether another reminder of the same kind, club, target and member, with a smaller
        offset, due after `reminder` and by `now`, is pending, claimed or sent (so `reminder`
        is covered by it). False when there is none."""
        ...

    # idempotency (platform retries and repeated interactions)
    async def remember_event(self, key: str, at: datetime) -> bool:
        """False when `key` was already remembered: the caller must not apply it again."""
        ...

    async def forget_events_before(self, cutoff: datetime) -> int:
        """How many remembered events, remembered before `cutoff`, were forgotten."""
        ...

    # values a platform adapter keeps for itself, not for a club (a hash of the commands synced)
    async def platform_value(self, key: str) -> str | None:
        """The value last set for `key`; None when never set."""
        ...

    async def set_platform_value(self, key: str, value: str, at: datetime) -> None: ...

    # export / import (ids are per club, so a snapshot moves between stores unchanged)
    async def export_club(self, club_id: int) -> ClubSnapshot: ...
    async def import_club(self, snapshot: ClubSnapshot) -> Club:
        """Replace everything of the snapshot's club (matched by its key) with the snapshot."""
        ...


class ClubStore(Protocol):
    """Durable club storage. `write` runs `work` in one transaction and returns only after it
    committed (acknowledged means durable); a DocclubError raised by `work` rolls it back."""

    async def write(self, work: Callable[[ClubTx], Awaitable[T]]) -> T: ...
    async def read(self, work: Callable[[ClubTx], Awaitable[T]]) -> T: ...
    async def close(self) -> None: ...
