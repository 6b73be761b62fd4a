"""Ports: the only ways the core reaches the world. Small Protocols; adapters implement them.

Over 400 lines: the store's contract, one small Protocol per part of its transaction, every
method saying in one line what comes back when nothing is found; it is read as one.
"""

from __future__ import annotations

import builtins
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from docclub.core.catalog import CatalogFilm
from docclub.core.models import (
    Attendance,
    Ballot,
    Club,
    ClubConfig,
    ClubKey,
    ClubSnapshot,
    Film,
    FilmBrief,
    FilmScore,
    FilmStatus,
    MemberRating,
    NewFilm,
    NewReminder,
    Night,
    NightOccurrence,
    NightPlan,
    NightRsvp,
    OccurrenceState,
    Party,
    PartyBrief,
    Poll,
    PollMethod,
    Prompt,
    RatedFilm,
    Rating,
    Reminder,
    ReminderState,
    Rsvp,
    RsvpAnswer,
)
from docclub.core.replies import Reply

T = TypeVar("T")


class Clock(Protocol):
    """Time. Production uses the system clock; tests use `docclub.testing.FakeClock`."""

    def now(self) -> datetime:
        """The current time, timezone-aware UTC."""

    async def sleep(self, seconds: float) -> None:
        """Wait this long on this clock (a FakeClock wakes sleepers when advanced)."""


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

    async def direct(self, club: ClubKey, user_id: str, reply: Reply, *, key: str) -> None:
        """Send a direct message to one member (same `key` contract as `announce`)."""


class StoredClubs(Protocol):
    """The clubs and their members."""

    async def get(self, key: ClubKey) -> Club | None:
        """The club on this platform space; None when there is none."""

    async def get_by_id(self, club_id: int) -> Club | None:
        """The club with this id; None when there is none."""

    async def create(self, key: ClubKey, name: str, config: ClubConfig, at: datetime) -> Club:
        """A new club (the key must be free)."""

    async def set_config(self, club_id: int, config: ClubConfig) -> None:
        """Replace the club's settings; no-op for an unknown club."""

    async def delete(self, key: ClubKey) -> bool:
        """Delete the club and everything it holds, for good; False when there is none."""

    async def upsert_member(self, club_id: int, user_id: str, display_name: str, at: datetime) -> None:
        """Add the member, or keep their latest display name."""

    async def member_names(self, club_id: int) -> dict[str, str]:
        """Display names by user id; {} when the club has no members."""

    async def link_hashes(self, club_id: int) -> list[str]:
        """The hex SHA-256 hashes of the club page's working tokens, oldest first; [] when none."""

    async def add_link_hash(self, club_id: int, token_hash: str, at: datetime, keep: int) -> None:
        """Add a working token's hash; beyond the `keep` newest, the oldest stop working."""

    async def clear_links(self, club_id: int) -> int:
        """Revoke every token of the club page; how many there were (0 when none)."""

    async def data_version(self) -> object:
        """What this read (`store.read`) sees of the whole store, as a value to compare: when a
        later read gets an equal value, nothing was committed in between, by this process or any
        other, and it sees the same data. A different value says only that something may have
        changed. Costs no table read."""


class StoredFilms(Protocol):
    """The club's films and who has seen them."""

    async def add(self, club_id: int, film: NewFilm, by: str, by_name: str, at: datetime) -> Film:
        """A new suggested film with the club's next film id."""

    async def get(self, club_id: int, film_id: int) -> Film | None:
        """The club's film with this id; None when there is none."""

    async def by_id(self, club_id: int, film_ids: Sequence[int]) -> dict[int, Film]:
        """The club's films among `film_ids`, by id (ids that name no film are left out). Costs
        what the ids cost, not what the club holds: a poll's films, a ballot's choices."""

    async def list(self, club_id: int, statuses: Sequence[FilmStatus] | None = None) -> builtins.list[Film]:
        """The club's films (with any of `statuses`, when given) by id; [] when none."""

    async def briefs(self, club_id: int) -> builtins.list[FilmBrief]:
        """Every film of the club by id, only what a list of them shows; [] when none."""

    async def set_status(self, club_id: int, film_id: int, status: FilmStatus) -> None:
        """Change the film's status; no-op for an unknown film."""

    async def delete(self, club_id: int, film_id: int) -> None:
        """Remove the film with its ratings and seen marks; no-op for an unknown film."""

    async def like_title(self, club_id: int, key: str, limit: int) -> builtins.list[Film]:
        """Candidates for a duplicate of a title whose `title_key` is `key`: the club's films,
        not withdrawn, whose key equals it or shares its first or its last four characters;
        equal keys first, then the nearest in length; at most `limit`. Found through an index,
        never by reading every film. An empty list when none."""

    async def mark_seen(self, club_id: int, film_id: int, user_id: str, at: datetime) -> bool:
        """True when newly marked; False when the member had already seen it."""

    async def seen_by(self, club_id: int, film_id: int) -> builtins.list[str]:
        """Who has seen the film, in the order they marked it; [] when nobody."""

    async def set_details(self, club_id: int, film_id: int, details: CatalogFilm | None) -> None:
        """Replace what the catalog said of the film; no-op for an unknown film."""


class StoredPolls(Protocol):
    """The club's polls and the ballots cast in them."""

    async def add(
        self,
        club_id: int,
        method: PollMethod,
        anonymous: bool,
        film_ids: Sequence[int],
        by: str,
        at: datetime,
        closes_at: datetime | None,
    ) -> Poll:
        """A new open poll with the club's next poll id."""

    async def get(self, club_id: int, poll_id: int) -> Poll | None:
        """The club's poll with this id; None when there is none."""

    async def list(self, club_id: int, open_only: bool = False) -> builtins.list[Poll]:
        """The club's polls (only open ones, when asked) by id; [] when none."""

    async def set_films(self, club_id: int, poll_id: int, film_ids: Sequence[int]) -> None:
        """Replace the poll's films, in order; no-op for an unknown poll."""

    async def set_ref(self, club_id: int, poll_id: int, ref: str | None) -> None:
        """Keep an adapter's handle for the poll (where it is shown); no-op for an unknown poll."""

    async def close(self, club_id: int, poll_id: int, status: str, at: datetime, winner_film_id: int | None) -> None:
        """Close the poll with its outcome; no-op for an unknown poll."""

    async def put_ballot(self, ballot: Ballot) -> None:
        """Insert or replace the member's one ballot in the poll."""

    async def delete_ballot(self, club_id: int, poll_id: int, user_id: str) -> bool:
        """Remove the member's ballot from the poll; False when they had none."""

    async def ballots(self, club_id: int, poll_id: int) -> builtins.list[Ballot]:
        """The poll's ballots in the order cast; [] when none."""

    async def vote_counts(self, club_id: int) -> dict[int, int]:
        """Votes each film received across the club's closed and open polls; {} when none."""


class StoredParties(Protocol):
    """The club's watch parties, their RSVPs and who joined."""

    async def add(
        self,
        club_id: int,
        film_id: int,
        starts_at: datetime,
        duration_minutes: int,
        where: str | None,
        by: str,
        at: datetime,
        series_id: int | None = None,
    ) -> Party:
        """A new scheduled party with the club's next party id."""

    async def get(self, club_id: int, party_id: int) -> Party | None:
        """The club's party with this id; None when there is none."""

    async def list(
        self, club_id: int, film_id: int | None = None, statuses: Sequence[str] | None = None
    ) -> builtins.list[Party]:
        """The club's parties (of `film_id`, with any of `statuses`, when given) by start; [] when none."""

    async def briefs(self, club_id: int) -> builtins.list[PartyBrief]:
        """Every party of the club by start (then id), only what a list of them shows; [] when none."""

    async def update(self, party: Party) -> None:
        """Store the party's changed fields; no-op for an unknown party."""

    async def put_rsvp(self, rsvp: Rsvp) -> None:
        """Insert or replace the member's answer for the party."""

    async def rsvps(self, club_id: int, party_id: int) -> builtins.list[Rsvp]:
        """The party's RSVPs in the order answered; [] when none."""

    async def rsvp_counts(self, club_id: int, party_ids: Sequence[int]) -> dict[int, dict[RsvpAnswer, int]]:
        """How many gave each answer, by party among `party_ids` (answers nobody gave left out,
        parties nobody answered too); costs what the ids cost. {} when none."""

    async def record_attendance(self, attendance: Attendance) -> bool:
        """Record that a member joined the party; True when newly recorded (a member who
        leaves and joins again keeps their first record)."""

    async def attendance(self, club_id: int, party_id: int) -> builtins.list[Attendance]:
        """Who joined the party, in the order they first joined; [] when nobody."""


class StoredRatings(Protocol):
    """Members' ratings of the club's films."""

    async def put(self, rating: Rating) -> None:
        """Insert or replace the member's rating of the film."""

    async def get(self, club_id: int, film_id: int, user_id: str) -> Rating | None:
        """The member's rating of the film; None when they have not rated it."""

    async def list(self, club_id: int, film_id: int) -> builtins.list[Rating]:
        """The film's ratings in the order rated; [] when none."""

    async def count(self, club_id: int, film_id: int) -> int:
        """How many members rated the film; 0 when none."""

    async def counts(self, club_id: int) -> dict[int, tuple[int, ...]]:
        """Each rated film's ratings by score 1–10 (kept with every rating: costs films, not ratings); {} when none."""

    async def of_member(self, club_id: int, user_id: str) -> builtins.list[MemberRating]:
        """The member's ratings, newest first; [] when none."""

    async def leaderboard(
        self, club_id: int, min_ratings: int, limit: int, rated_by: str | None = None
    ) -> builtins.list[FilmScore]:
        """The best-rated films (mean, then count, then id), at most `limit`, each with at least
        `min_ratings` ratings; with `rated_by`, only films that member has rated. [] when none."""

    async def films_not_rated_by(self, club_id: int, user_id: str) -> builtins.list[RatedFilm]:
        """Films with at least one rating that `user_id` has not rated, most ratings first,
        with their rating count and no scores. [] when none."""


class StoredPrompts(Protocol):
    """Discussion prompts members add to films, and which prompts were shown lately."""

    async def add(self, club_id: int, film_id: int, text: str, by_name: str, at: datetime) -> Prompt:
        """A new prompt for the film (key `film:<id>`)."""

    async def of_film(self, club_id: int, film_id: int) -> list[Prompt]:
        """The film's prompts in the order added; [] when none."""

    async def recent_keys(self, club_id: int, limit: int) -> list[str]:
        """Keys of the prompts shown last, newest first, at most `limit`; [] when none."""

    async def record_shown(self, club_id: int, film_id: int, keys: Sequence[str], at: datetime) -> None:
        """Note that these prompts were just shown (a re-shown prompt moves up)."""


class StoredReminders(Protocol):
    """Reminders waiting to be delivered, claimed with leases by the scheduler."""

    async def add(self, reminders: Sequence[NewReminder]) -> None:
        """Store the reminders, pending."""

    async def delete_pending(self, club_id: int, kinds: Sequence[str], target_id: int) -> int:
        """Remove the target's pending reminders of these kinds; how many (0 when none)."""

    async def next_due_at(self, platforms: Sequence[str] | None = None) -> datetime | None:
        """The earliest due time of a pending reminder, or lease end of a claimed one
        (of clubs on `platforms`, when given); None when there is neither."""

    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int, platforms: Sequence[str] | None = None
    ) -> builtins.list[Reminder]:
        """Claim due reminders (pending, or claimed with an expired lease) until `lease_until`,
        earliest first, of clubs on `platforms` when given; [] when none is due."""

    async def finish(self, reminder_id: int, state: ReminderState, at: datetime) -> None:
        """Mark the reminder sent, failed or dropped; no-op for an unknown id."""

    async def retry(self, reminder_id: int, due_at: datetime, attempts: int) -> None:
        """Make the reminder pending again at `due_at`; no-op for an unknown id."""

    async def list(self, club_id: int, target_id: int | None = None) -> builtins.list[Reminder]:
        """The club's reminders (of `target_id`, when given), earliest first; [] when none."""

    async def later_due(self, reminder: Reminder, now: datetime) -> bool:
        """Whether another reminder of the same kind, club, target and member, with a smaller
        offset, due after `reminder` and by `now`, is pending, claimed or sent (so `reminder`
        is covered by it). False when there is none."""


class PlatformState(Protocol):
    """What platform adapters keep for themselves, not for a club: the events already
    applied (platform retries, repeated interactions) and values such as a hash of the
    commands synced."""

    async def remember_event(self, key: str, at: datetime) -> bool:
        """False when `key` was already remembered: the caller must not apply it again."""

    async def forget_events_before(self, cutoff: datetime) -> int:
        """How many remembered events, remembered before `cutoff`, were forgotten (0 when none)."""

    async def value(self, key: str) -> str | None:
        """The value last set for `key`; None when never set."""

    async def set_value(self, key: str, value: str, at: datetime) -> None:
        """Set (or replace) the value of `key`."""


class StoredLookups(Protocol):
    """Film catalog answers kept until they expire (shared by every club), and each member's
    suggestion waiting for them to pick among several films of its title."""

    async def get(self, key: str, now: datetime) -> str | None:
        """The answer kept under `key` if it has not expired by `now`; None otherwise."""

    async def put(self, key: str, value: str, expires_at: datetime, now: datetime) -> None:
        """Keep `value` under `key` (replacing any) until `expires_at`; drop answers expired by `now`."""

    async def pick(self, club_id: int, user_id: str, now: datetime) -> str | None:
        """The member's waiting suggestion if it has not expired by `now`; None otherwise."""

    async def set_pick(self, club_id: int, user_id: str, payload: str | None, expires_at: datetime) -> None:
        """Keep the member's waiting suggestion (replacing any) until `expires_at`; None drops it."""


class StoredInstallations(Protocol):
    """Where docclub is installed, on platforms that install it per space (Slack workspaces):
    the adapter's credentials, sealed (the store never sees them in the clear), by club key.
    Not tied to a club: a space installs before its first command creates the club."""

    async def save(self, key: ClubKey, sealed: str, at: datetime) -> None:
        """Keep the space's sealed credentials, replacing any; it is installed again."""

    async def sealed(self, key: ClubKey) -> str | None:
        """The space's sealed credentials; None when never installed or removed since."""

    async def remove(self, key: ClubKey, at: datetime) -> bool:
        """Drop the space's credentials, noting when (uninstalled); False when none were kept."""

    async def removed_before(self, cutoff: datetime) -> list[ClubKey]:
        """Spaces whose credentials were removed before `cutoff`, oldest first; [] when none."""

    async def forget(self, key: ClubKey) -> bool:
        """Forget the space's installation altogether; False when there was none."""


class Snapshots(Protocol):
    """A whole club at once (ids are per club, so a snapshot moves between stores unchanged)."""

    async def export(self, club_id: int) -> ClubSnapshot:
        """Everything the club holds; raises LookupError for an unknown club."""

    async def restore(self, snapshot: ClubSnapshot) -> Club:
        """Replace everything of the snapshot's club (matched by its key) with the snapshot,
        creating the club when the store has none with that key."""


class StoredNights(Protocol):
    """Recurring club nights, their occurrences and members' standing RSVPs. Night and
    occurrence ids count from 1 in each club."""

    async def add(self, club_id: int, plan: NightPlan, by: str, at: datetime) -> Night:
        """A new active night with the club's next night id."""
        ...

    async def get(self, club_id: int, night_id: int) -> Night | None:
        """The night, whatever its status; None when the club has no such night."""
        ...

    async def list(self, club_id: int, active_only: bool = False) -> builtins.list[Night]:
        """The club's nights by id; [] when none."""
        ...

    async def update(self, night: Night) -> None:
        """Store the night's plan, status, end and platform handle; no-op for an unknown night."""
        ...

    async def add_occurrence(
        self, club_id: int, night_id: int, original_at: datetime, starts_at: datetime, state: OccurrenceState
    ) -> NightOccurrence:
        """A new occurrence with the club's next occurrence id. A night has at most one per
        `original_at`: a second is refused by the store (the transaction fails)."""
        ...

    async def get_occurrence(self, club_id: int, occurrence_id: int) -> NightOccurrence | None:
        """The occurrence with this id; None when there is none."""
        ...

    async def occurrences(self, club_id: int, night_id: int) -> builtins.list[NightOccurrence]:
        """The night's written occurrences by `original_at`; [] when none."""
        ...

    async def update_occurrence(self, occurrence: NightOccurrence) -> None:
        """Store its time, state, poll and party; no-op for an unknown occurrence."""
        ...

    async def forget_planned(self, club_id: int, night_id: int, *, moved_too: bool = False) -> builtins.list[int]:
        """Delete the night's occurrences that are only planned (and not moved, unless
        `moved_too`); their ids ([] when none)."""
        ...

    async def put_rsvp(self, rsvp: NightRsvp) -> None:
        """Insert or replace the member's standing answer for the night."""
        ...

    async def rsvps(self, club_id: int, night_id: int) -> builtins.list[NightRsvp]:
        """Standing answers, the earliest answered first; [] when none."""
        ...


class ClubTx(Protocol):
    """One transaction's view of the store, in parts. Everything done through one `ClubTx`
    commits together or not at all. All ids are scoped by club where a club is given."""

    @property
    def clubs(self) -> StoredClubs: ...
    @property
    def films(self) -> StoredFilms: ...
    @property
    def polls(self) -> StoredPolls: ...
    @property
    def parties(self) -> StoredParties: ...
    @property
    def ratings(self) -> StoredRatings: ...
    @property
    def prompts(self) -> StoredPrompts: ...
    @property
    def reminders(self) -> StoredReminders: ...
    @property
    def platform(self) -> PlatformState: ...
    @property
    def lookups(self) -> StoredLookups: ...
    @property
    def installations(self) -> StoredInstallations: ...
    @property
    def snapshots(self) -> Snapshots: ...
    @property
    def nights(self) -> StoredNights: ...


class ClubStore(Protocol):
    """Durable club storage. `write` runs `work` in one transaction and returns only after it
    committed (acknowledged means durable); a DocclubError raised by `work` rolls it back."""

    async def write(self, work: Callable[[ClubTx], Awaitable[T]]) -> T: ...
    async def read(self, work: Callable[[ClubTx], Awaitable[T]]) -> T: ...
    async def close(self) -> None: ...
