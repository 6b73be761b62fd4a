"""The backup file, checked field by field before anything is imported.

A backup is refused unless every value would have been accepted by the command that makes it:
the same length, character, range and link rules (the checks below call the commands' own
functions, so the two cannot drift apart), plus what only a whole backup can get wrong —
unique ids and references that point inside the backup (a party's film, a ballot's choices, a
poll's winner). The first problem found is reported with the path to the field:
"This backup is damaged: films[3].year: 'abc' is not a year".

pydantic checks the shape (objects, lists, required and unknown keys) and tracks the path;
every value goes through a rule of ours (`backup_values`), so the messages are ours too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Annotated, Any

import pydantic_core
from pydantic import BaseModel, ConfigDict, ValidationError

from docclub.core.backup_nights import NightIn, NightRsvpIn, NightStepIn, OccurrenceIn, night_problem
from docclub.core.backup_values import (
    a_bool,
    a_date_order,
    a_dm_offset,
    a_duration,
    a_film_list,
    a_film_text,
    a_language,
    a_name,
    a_platform_ref,
    a_prompt,
    a_prompt_key,
    a_region,
    a_reminder_list,
    a_reveal_days,
    a_setting,
    a_text,
    a_time,
    a_timezone,
    a_user_id,
    a_year,
    an_id,
    an_int,
    an_organizer_list,
    choice,
    list_of,
    optional,
    rule,
    sentence,
    shown,
)
from docclub.core.catalog import CatalogFilm, film_from_dict
from docclub.core.errors import InvalidInput
from docclub.core.film_rules import check_link, check_pitch, check_tags, check_title, check_warnings, check_where
from docclub.core.models import (
    FilmStatus,
    PartyStatus,
    PollMethod,
    PollStatus,
    RatingScale,
    RsvpAnswer,
)
from docclub.core.replies import cmd, line
from docclub.core.text import REVIEW_MAX, SHORT_MAX, TITLE_MAX
from docclub.core.voting import MAX_FILMS

FORMAT = "docclub-backup"
VERSION = 1
MAX_BACKUP_BYTES = 50 * 1024 * 1024


class BackupDamaged(InvalidInput):
    """A backup that is not what `export json` writes: says where and what is wrong."""

    def __init__(self, path: str, problem: str) -> None:
        # "films[3].year: 'abc' is not a year." but "club.platform is missing."
        where = "" if not path else f"{path} " if problem.startswith("is ") else f"{path}: "
        super().__init__(f"This backup is damaged: {where}{problem} Nothing was imported.")
        self.path = path
        self.problem = problem


# ---- the shape ----

Id = Annotated[int, rule(an_id)]
UserId = Annotated[str, rule(a_user_id)]
Name = Annotated[str, rule(a_name)]
Time = Annotated[datetime, rule(a_time)]
MaybeTime = Annotated[datetime | None, rule(optional(a_time))]


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ConfigIn(Part):
    timezone: Annotated[str, rule(a_timezone)] = "UTC"
    rating_scale: Annotated[RatingScale, rule(choice(RatingScale, "a rating scale"))] = RatingScale.TEN
    reminder_offsets: Annotated[tuple[int, ...], rule(a_reminder_list)] = (24 * 60, 60, 0)
    announce_channel: Annotated[str | None, rule(optional(a_setting))] = None
    organizer_role: Annotated[str | None, rule(optional(a_setting))] = None
    organizers: Annotated[tuple[str, ...], rule(an_organizer_list)] = ()
    members_add_to_polls: Annotated[bool, rule(a_bool)] = False
    date_order: Annotated[str | None, rule(optional(a_date_order))] = None
    language: Annotated[str, rule(a_language)] = "en"
    region: Annotated[str | None, rule(optional(a_region))] = None
    page_reveal_days: Annotated[int, rule(a_reveal_days)] = 14


class ClubIn(Part):
    platform: Annotated[str, rule(a_text("platform", SHORT_MAX))]
    space_id: Annotated[str, rule(a_text("space id", SHORT_MAX))]
    name: Annotated[str, rule(a_text("club name", TITLE_MAX))]
    config: ConfigIn
    created_at: Time


class MemberIn(Part):
    user_id: UserId
    display_name: Name


class FilmIn(Part):
    id: Id
    title: Annotated[str, rule(a_text("title", TITLE_MAX))]  # and `check_title` beside its year, below
    year: Annotated[int | None, rule(optional(a_year))]
    link: Annotated[str | None, rule(optional(a_film_text(check_link, "link")))]
    where: Annotated[str | None, rule(optional(a_film_text(check_where, "where")))]
    warnings: Annotated[tuple[str, ...], rule(a_film_list(check_warnings, "warnings"))]
    tags: Annotated[tuple[str, ...], rule(a_film_list(check_tags, "tags"))]
    pitch: Annotated[str | None, rule(optional(a_film_text(check_pitch, "pitch")))]
    status: Annotated[FilmStatus, rule(choice(FilmStatus, "a film status"))]
    suggested_by: UserId
    suggested_by_name: Name
    created_at: Time
    details: Annotated[CatalogFilm | None, rule(optional(film_from_dict))] = None


class SeenIn(Part):
    film_id: Id
    user_id: UserId
    at: Time


class PollIn(Part):
    id: Id
    method: Annotated[PollMethod, rule(choice(PollMethod, "a poll method"))]
    anonymous: Annotated[bool, rule(a_bool)]
    status: Annotated[PollStatus, rule(choice(PollStatus, "a poll status"))]
    film_ids: Annotated[tuple[int, ...], rule(list_of(an_id, "film ids"))]
    created_by: UserId
    created_at: Time
    closes_at: MaybeTime
    closed_at: MaybeTime
    winner_film_id: Annotated[int | None, rule(optional(an_id))]
    # Where the poll is shown (backups made before polls kept it have none).
    platform_ref: Annotated[str | None, rule(optional(a_platform_ref))] = None


class BallotIn(Part):
    poll_id: Id
    user_id: UserId
    display_name: Name
    choices: Annotated[tuple[int, ...], rule(list_of(an_id, "film ids"))]
    cast_at: Time


class PartyIn(Part):
    id: Id
    film_id: Id
    starts_at: Time
    duration_minutes: Annotated[int, rule(a_duration)]
    where: Annotated[str | None, rule(optional(a_text("place", SHORT_MAX)))]
    status: Annotated[PartyStatus, rule(choice(PartyStatus, "a party status"))]
    created_by: UserId
    created_at: Time
    series_id: Annotated[int | None, rule(optional(an_id))]
    platform_ref: Annotated[str | None, rule(optional(a_platform_ref))]


class RsvpIn(Part):
    party_id: Id
    user_id: UserId
    display_name: Name
    answer: Annotated[RsvpAnswer, rule(choice(RsvpAnswer, "an answer"))]
    answered_at: Time
    dm_offset_minutes: Annotated[int | None, rule(optional(a_dm_offset))]


class AttendanceIn(Part):
    party_id: Id
    user_id: UserId
    display_name: Name
    joined_at: Time


class RatingIn(Part):
    film_id: Id
    user_id: UserId
    display_name: Name
    score: Annotated[int, rule(lambda v: an_int(v, "a score", 1, 10))]
    review: Annotated[str | None, rule(optional(a_text("review", REVIEW_MAX, multiline=True)))]
    rated_at: Time


class PromptIn(Part):
    film_id: Id
    key: Annotated[str, rule(a_prompt_key)]
    text: Annotated[str, rule(a_prompt)]
    added_by_name: Annotated[str | None, rule(optional(lambda v: a_name(v) if v != "" else v))]


class BackupIn(Part):
    format: str
    version: int
    club: ClubIn
    members: list[MemberIn] = []
    films: list[FilmIn]
    seen: list[SeenIn]
    polls: list[PollIn]
    ballots: list[BallotIn]
    parties: list[PartyIn]
    rsvps: list[RsvpIn]
    attendance: list[AttendanceIn] = []  # backups made before attendance was recorded have none
    ratings: list[RatingIn]
    prompts: list[PromptIn]
    # Backups made before club nights have none of these.
    nights: list[NightIn] = []
    night_occurrences: list[OccurrenceIn] = []
    night_rsvps: list[NightRsvpIn] = []
    night_steps: list[NightStepIn] = []


# ---- reading ----


def _path(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _explain(error: Any) -> str:
    kind = error["type"]
    if kind == "backup":
        return str(error["ctx"]["problem"])
    value = error.get("input")
    if kind == "missing":
        return "is missing."
    if kind == "extra_forbidden":
        return "is not part of a docclub backup."
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{shown(value)} is not an object ({{…}})."
    if kind == "list_type":
        return f"{shown(value)} is not a list ([…])."
    return sentence(str(error.get("msg", kind)))


def too_large(size: int) -> InvalidInput:
    return InvalidInput(
        f"That file is {size / 1e6:,.1f} MB; a docclub backup is at most "
        f"{MAX_BACKUP_BYTES // 1_000_000} MB. Nothing was imported."
    )


def parse_json(raw: bytes) -> Any:
    """The JSON in `raw`, refusing files too large or too deeply nested to be a backup."""
    if len(raw) > MAX_BACKUP_BYTES:
        raise too_large(len(raw))
    try:
        # pydantic's parser stops at 200 levels of nesting (a backup has 4) instead of
        # recursing until Python's stack runs out, and refuses lone surrogates.
        return pydantic_core.from_json(raw, cache_strings=False)
    except ValueError as exc:
        problem = str(exc)
        if "recursion limit" in problem:
            problem = "it nests deeper than a docclub backup ever does"
        raise InvalidInput(f"That file is not valid JSON ({problem[:120]}). Nothing was imported.") from None


def read_backup(data: Any) -> BackupIn:
    """The backup in `data` (parsed JSON), every field checked; BackupDamaged names the first problem."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(
            line(
                "That file is not a docclub backup (made with: ", cmd("export", what="json"), "). Nothing was imported."
            )
        )
    if data.get("version") != VERSION:
        raise InvalidInput(
            f"That backup is format version {shown(data.get('version'))}; this docclub reads {VERSION}. "
            "Nothing was imported."
        )
    try:
        backup = BackupIn.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise BackupDamaged(_path(first["loc"]), _explain(first)) from None
    check_references(backup)
    return backup


def check_references(b: BackupIn) -> None:
    """Ids are unique, and everything points at something inside the backup."""

    def unique(rows: Iterable[Any], key: Callable[[Any], Any], name: str, problem: str) -> None:
        seen: set[Any] = set()
        for i, row in enumerate(rows):
            k = key(row)
            if k in seen:
                raise BackupDamaged(f"{name}[{i}]", problem)
            seen.add(k)

    unique(b.members, lambda m: m.user_id, "members", "this member is listed twice.")
    unique(b.films, lambda f: f.id, "films", "a second film with this id.")
    unique(b.polls, lambda p: p.id, "polls", "a second poll with this id.")
    unique(b.parties, lambda p: p.id, "parties", "a second party with this id.")
    unique(b.seen, lambda s: (s.film_id, s.user_id), "seen", "this member has seen this film twice.")
    unique(b.ballots, lambda x: (x.poll_id, x.user_id), "ballots", "a second ballot of this member in this poll.")
    unique(b.rsvps, lambda r: (r.party_id, r.user_id), "rsvps", "a second RSVP of this member to this party.")
    unique(b.attendance, lambda a: (a.party_id, a.user_id), "attendance", "this member joined this party twice.")
    unique(b.ratings, lambda r: (r.film_id, r.user_id), "ratings", "a second rating of this member for this film.")
    unique(b.prompts, lambda p: p.key, "prompts", "a second prompt with this key.")

    for i, f in enumerate(b.films):
        try:
            check_title(f.title, f.year)
        except InvalidInput as exc:
            raise BackupDamaged(f"films[{i}].title", sentence(exc.message)) from None

    films = {f.id for f in b.films}
    polls = {p.id: p for p in b.polls}
    parties = {p.id for p in b.parties}

    def film_exists(film_id: int, path: str) -> None:
        if film_id not in films:
            raise BackupDamaged(path, f"film #{film_id} is not in the backup's films.")

    for i, p in enumerate(b.polls):
        if not 1 <= len(p.film_ids) <= MAX_FILMS:
            raise BackupDamaged(f"polls[{i}].film_ids", f"a poll offers 1 to {MAX_FILMS} films, not {len(p.film_ids)}.")
        if len(set(p.film_ids)) != len(p.film_ids):
            raise BackupDamaged(f"polls[{i}].film_ids", "a film appears twice.")
        if p.status is PollStatus.OPEN:
            # Films of closed polls may since have been deleted; an open poll's films cannot be.
            for j, film_id in enumerate(p.film_ids):
                film_exists(film_id, f"polls[{i}].film_ids[{j}]")
        if p.winner_film_id is not None and p.winner_film_id not in p.film_ids:
            raise BackupDamaged(
                f"polls[{i}].winner_film_id", f"film #{p.winner_film_id} is not one of the poll's films."
            )
    for i, x in enumerate(b.ballots):
        poll = polls.get(x.poll_id)
        if poll is None:
            raise BackupDamaged(f"ballots[{i}].poll_id", f"poll #{x.poll_id} is not in the backup's polls.")
        if not x.choices or len(set(x.choices)) != len(x.choices):
            raise BackupDamaged(f"ballots[{i}].choices", "a ballot names one or more different films.")
        if poll.method is PollMethod.SINGLE and len(x.choices) != 1:
            raise BackupDamaged(f"ballots[{i}].choices", "a single-choice ballot names exactly one film.")
        for j, film_id in enumerate(x.choices):
            if film_id not in poll.film_ids:
                raise BackupDamaged(f"ballots[{i}].choices[{j}]", f"film #{film_id} is not in poll #{poll.id}.")
    for i, s in enumerate(b.seen):
        film_exists(s.film_id, f"seen[{i}].film_id")
    for i, party in enumerate(b.parties):
        film_exists(party.film_id, f"parties[{i}].film_id")
    by_party: list[tuple[str, list[Any]]] = [("rsvps", b.rsvps), ("attendance", b.attendance)]
    for name, rows in by_party:
        for i, row in enumerate(rows):
            if row.party_id not in parties:
                raise BackupDamaged(f"{name}[{i}].party_id", f"party #{row.party_id} is not in the backup's parties.")
    by_film: list[tuple[str, list[Any]]] = [("ratings", b.ratings), ("prompts", b.prompts)]
    for name, rows in by_film:
        for i, row in enumerate(rows):
            film_exists(row.film_id, f"{name}[{i}].film_id")
    problem = night_problem(b.nights, b.night_occurrences, b.night_rsvps, b.night_steps, set(polls), parties)
    if problem is not None:
        raise BackupDamaged(*problem)


__all__ = ["FORMAT", "MAX_BACKUP_BYTES", "VERSION", "BackupDamaged", "BackupIn", "parse_json", "read_backup"]
