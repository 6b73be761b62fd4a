"""The club's nouns. Plain frozen dataclasses; times are timezone-aware UTC datetimes.

Over 400 lines: every noun the core and the store exchange, a few lines each, kept in one file
so both read them in one place; split it by aggregate (clubs, films, polls, parties, nights)
when it grows further.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from docclub.core.catalog import CatalogFilm


@dataclass(frozen=True, slots=True)
class ClubKey:
    """Where a club lives: a Discord guild, a Slack workspace, or a named console club."""

    platform: str
    space_id: str

    def __str__(self) -> str:
        return f"{self.platform}:{self.space_id}"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting. Adapters fill this in; the core never asks a platform who someone is.

    `is_organizer` is what the platform knows (Discord Manage Server, Slack admin, the console's
    own user); the club's own organizer list is checked by the core in addition.
    """

    platform: str
    user_id: str
    display_name: str
    is_organizer: bool = False


class RatingScale(StrEnum):
    TEN = "10"  # 1–10
    STARS = "stars"  # 0.5–5 stars in half steps, stored as 1–10


DEFAULT_REMINDER_OFFSETS: tuple[int, ...] = (24 * 60, 60, 0)  # minutes before the start


@dataclass(frozen=True, slots=True)
class ClubConfig:
    timezone: str = "UTC"
    rating_scale: RatingScale = RatingScale.TEN
    reminder_offsets: tuple[int, ...] = DEFAULT_REMINDER_OFFSETS
    announce_channel: str | None = None
    organizer_role: str | None = None
    organizers: tuple[str, ...] = ()  # user ids made organizers in the club
    members_add_to_polls: bool = False
    # How numeric dates are read ("dmy", "mdy", "ymd"); None: from the timezone's country.
    date_order: str | None = None
    language: str = "en"  # the language members write times in (a dateparser language code)
    # Where members watch (ISO 3166-1 country code), for streaming offers; None: the timezone's country.
    region: str | None = None
    # The club page shows a film's scores only once its party ended this many days ago.
    page_reveal_days: int = 14


def config_to_dict(config: ClubConfig) -> dict[str, object]:
    """The config as plain JSON data (stored, exported)."""
    return {
        "timezone": config.timezone,
        "rating_scale": config.rating_scale.value,
        "reminder_offsets": list(config.reminder_offsets),
        "announce_channel": config.announce_channel,
        "organizer_role": config.organizer_role,
        "organizers": list(config.organizers),
        "members_add_to_polls": config.members_add_to_polls,
        "date_order": config.date_order,
        "language": config.language,
        "region": config.region,
        "page_reveal_days": config.page_reveal_days,
    }


def config_from_dict(raw: dict[str, Any]) -> ClubConfig:
    """Read a config written by `config_to_dict`; missing keys take their defaults."""
    return ClubConfig(
        timezone=str(raw.get("timezone", "UTC")),
        rating_scale=RatingScale(raw.get("rating_scale", "10")),
        reminder_offsets=tuple(int(x) for x in raw.get("reminder_offsets", DEFAULT_REMINDER_OFFSETS)),
        announce_channel=raw.get("announce_channel"),
        organizer_role=raw.get("organizer_role"),
        organizers=tuple(str(x) for x in raw.get("organizers", ())),
        members_add_to_polls=bool(raw.get("members_add_to_polls", False)),
        date_order=raw.get("date_order"),
        language=str(raw.get("language") or "en"),
        region=raw.get("region") or None,
        page_reveal_days=int(raw.get("page_reveal_days", 14)),
    )


@dataclass(frozen=True, slots=True)
class Club:
    id: int
    key: ClubKey
    name: str
    config: ClubConfig
    created_at: datetime


class FilmStatus(StrEnum):
    SUGGESTED = "suggested"
    SHORTLISTED = "shortlisted"
    SCHEDULED = "scheduled"
    WATCHED = "watched"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class Film:
    id: int
    club_id: int
    title: str
    year: int | None
    link: str | None
    where: str | None
    warnings: tuple[str, ...]
    tags: tuple[str, ...]
    pitch: str | None
    status: FilmStatus
    suggested_by: str  # user id
    suggested_by_name: str
    created_at: datetime
    details: CatalogFilm | None = None  # what the film catalog (TMDB) said of it; None: as typed

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


@dataclass(frozen=True, slots=True)
class FilmBrief:
    """A film as lists of many films show it (the club page): no details, pitch or warnings."""

    id: int
    title: str
    year: int | None
    status: FilmStatus
    suggested_by_name: str

    @property
    def label(self) -> str:
        return f"{self.title} ({self.year})" if self.year else self.title


@dataclass(frozen=True, slots=True)
class NewFilm:
    title: str
    year: int | None = None
    link: str | None = None
    where: str | None = None
    warnings: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    pitch: str | None = None
    details: CatalogFilm | None = None


class PollMethod(StrEnum):
    SINGLE = "single"
    APPROVAL = "approval"
    RANKED = "ranked"


class PollStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Poll:
    id: int
    club_id: int
    method: PollMethod
    anonymous: bool
    status: PollStatus
    film_ids: tuple[int, ...]  # in poll order; this order breaks ties (README)
    created_by: str
    created_at: datetime
    closes_at: datetime | None = None
    closed_at: datetime | None = None
    winner_film_id: int | None = None
    platform_ref: str | None = None  # adapter's handle: the messages that show the poll


@dataclass(frozen=True, slots=True)
class Ballot:
    club_id: int
    poll_id: int
    user_id: str
    display_name: str
    choices: tuple[int, ...]  # film ids; ranked ballots in order of preference
    cast_at: datetime


class PartyStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Party:
    id: int
    club_id: int
    film_id: int
    starts_at: datetime
    duration_minutes: int
    where: str | None
    status: PartyStatus
    created_by: str
    created_at: datetime
    series_id: int | None = None  # recurring club nights share a series
    platform_ref: str | None = None  # adapter's handle (message id, scheduled event id)
    # Bumped by the store whenever the time, length, place or status changes: the calendar
    # feed's SEQUENCE, so subscribed calendars take the change. Bookkeeping: not compared.
    revision: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class PartyBrief:
    """A party as lists of many parties show it (the club page): when, where, how it stands."""

    id: int
    film_id: int
    starts_at: datetime
    ends_at: datetime
    where: str | None
    status: PartyStatus


class RsvpAnswer(StrEnum):
    YES = "yes"
    MAYBE = "maybe"
    NO = "no"


@dataclass(frozen=True, slots=True)
class Rsvp:
    club_id: int
    party_id: int
    user_id: str
    display_name: str
    answer: RsvpAnswer
    answered_at: datetime
    dm_offset_minutes: int | None = None  # a personal direct-message reminder, if opted in


@dataclass(frozen=True, slots=True)
class Attendance:
    """A member who actually joined a party's voice channel while it was on (first join kept)."""

    club_id: int
    party_id: int
    user_id: str
    display_name: str
    joined_at: datetime


@dataclass(frozen=True, slots=True)
class Rating:
    club_id: int
    film_id: int
    user_id: str
    display_name: str
    score: int  # 1–10 whatever the club's scale
    review: str | None
    rated_at: datetime


@dataclass(frozen=True, slots=True)
class Prompt:
    """A discussion prompt: from the built-in bank (`key` like "bank:access-1") or a member's."""

    key: str
    text: str
    added_by_name: str | None = None


class ReminderKind(StrEnum):
    PARTY_BEFORE = "party_before"  # channel reminder at a club offset
    PARTY_DM = "party_dm"  # a member's own direct-message reminder
    PARTY_AFTER = "party_after"  # post-party nudge: rate it, discuss it
    POLL_CLOSE = "poll_close"  # a poll's deadline
    NIGHT_POLL_OPEN = "night_poll_open"  # a club night's poll opens (target: the occurrence)
    NIGHT_POLL_CLOSE = "night_poll_close"  # it closes and its winner is scheduled (target: the occurrence)


class ReminderState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    DROPPED = "dropped"


@dataclass(frozen=True, slots=True)
class Reminder:
    id: int
    club_id: int
    kind: ReminderKind
    target_id: int  # party id or poll id
    due_at: datetime
    state: ReminderState
    attempts: int = 0
    offset_minutes: int | None = None
    user_id: str | None = None  # for direct-message reminders
    lease_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class NewReminder:
    club_id: int
    kind: ReminderKind
    target_id: int
    due_at: datetime
    offset_minutes: int | None = None
    user_id: str | None = None


class NightStatus(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class NightPlan:
    """What an organizer sets for a recurring club night (`night schedule`, `night edit`)."""

    rule: str  # the rule's words as stored: "first friday" (core/night_rules.py reads them)
    clock: str  # the time of day in the club's timezone, "20:00"
    first_on: date  # the first night's local date; "every other" weeks count from it
    where: str | None = None
    duration_minutes: int = 120
    poll_minutes: int = 7 * 1440  # the poll opens this long before the night
    close_minutes: int = 1440  # and closes this long before it
    method: PollMethod = PollMethod.SINGLE
    top: int = 4


@dataclass(frozen=True, slots=True)
class Night:
    """A recurring club night: each occurrence opens a poll, closes it and schedules the winner."""

    id: int
    club_id: int
    plan: NightPlan
    status: NightStatus
    created_by: str
    created_at: datetime
    ended_at: datetime | None = None  # cancelled: no night from this instant on
    platform_ref: str | None = None  # adapter's handle (a recurring scheduled event)


class OccurrenceState(StrEnum):
    PLANNED = "planned"  # its poll opens at `starts_at - poll_minutes`
    POLL_OPEN = "poll_open"  # its poll is open (`poll_id`)
    SCHEDULED = "scheduled"  # its film is chosen: watch party `party_id`
    SKIPPED = "skipped"  # an organizer took it off (`night skip`)
    NO_FILM = "no_film"  # no poll could open, or it closed without a winner


@dataclass(frozen=True, slots=True)
class NightOccurrence:
    """One night of a rule. Written when its first step is planned, or when an organizer
    skips or moves it; `original_at` is when the rule puts it, `starts_at` when it is."""

    club_id: int
    id: int
    night_id: int
    original_at: datetime
    starts_at: datetime
    state: OccurrenceState
    poll_id: int | None = None
    party_id: int | None = None


@dataclass(frozen=True, slots=True)
class NightRsvp:
    """A member's standing answer for every coming night (`rsvp night yes`)."""

    club_id: int
    night_id: int
    user_id: str
    display_name: str
    answer: RsvpAnswer
    answered_at: datetime


@dataclass(frozen=True, slots=True)
class FilmScore:
    """A film's aggregate on the leaderboard."""

    film_id: int
    title: str
    year: int | None
    count: int
    mean: float


@dataclass(frozen=True, slots=True)
class RatedFilm:
    """A film others have rated, without its scores (what a member who hasn't rated may know)."""

    film_id: int
    title: str
    year: int | None
    count: int


@dataclass(frozen=True, slots=True)
class MemberRating:
    """One line of a member's history."""

    film_id: int
    title: str
    year: int | None
    score: int
    review: str | None
    rated_at: datetime


@dataclass(slots=True)
class ClubSnapshot:
    """Everything of one club, for export and import."""

    club: Club
    films: list[Film] = field(default_factory=list)
    seen: list[tuple[int, str, datetime]] = field(default_factory=list)  # film id, user, when
    polls: list[Poll] = field(default_factory=list)
    ballots: list[Ballot] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)
    rsvps: list[Rsvp] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    prompts: list[tuple[int, Prompt]] = field(default_factory=list)  # film id, prompt
    members: dict[str, str] = field(default_factory=dict)  # user id -> display name
    nights: list[Night] = field(default_factory=list)
    night_occurrences: list[NightOccurrence] = field(default_factory=list)
    night_rsvps: list[NightRsvp] = field(default_factory=list)
    # Club-night steps still to come (kind, occurrence id, due): a restored club carries on.
    night_steps: list[tuple[str, int, datetime]] = field(default_factory=list)
