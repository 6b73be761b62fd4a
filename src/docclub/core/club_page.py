"""The club page: what the club's web page shows, read in one transaction (`app.club_page`,
in club_pages.py).

Everything here is plain data for a renderer; the web layer draws it and reads nothing else.
No score is shown that chat would still hide: a film's scores appear only once its latest
party ended more than the club's `page_reveal_days` ago; until then only how many have rated.
Member text (titles, names, places) is kept as written; the renderer escapes it.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from docclub.core.kept_pages import next_month
from docclub.core.models import (
    Club,
    FilmBrief,
    FilmStatus,
    PartyBrief,
    PartyStatus,
    Poll,
    PollMethod,
    RatingScale,
    RsvpAnswer,
)
from docclub.core.ports import ClubTx
from docclub.core.voting import standings, tally

__all__ = ["ClubPage", "OpenPoll", "UpcomingParty", "WatchedFilm", "YearInReview", "build_page", "page_name"]

MAX_PARTIES = 12
MAX_WATCHED = 24  # films with a chart each, the latest; the page says how many more
MAX_POINTS = 120  # films on the ratings-over-time chart, the latest
MONTHS = 12  # films per month, up to this month
MIN_LOVED = 2  # ratings a film needs to be the year's most loved
MIN_DIVISIVE = 3  # …or its most divisive
SCORES = range(1, 11)  # the store's scale
NO_RATINGS = (0,) * 10
DAY = timedelta(days=1)  # more than any timezone's offset from UTC changes within a year's ends


@dataclass(frozen=True, slots=True)
class UpcomingParty:
    id: int
    film: str
    starts_at: datetime
    ends_at: datetime
    where: str | None
    streaming: str | None
    warnings: tuple[str, ...]
    going: int
    maybe: int
    not_going: int
    on_now: bool


@dataclass(frozen=True, slots=True)
class Standing:
    film: str
    votes: int
    leading: bool


@dataclass(frozen=True, slots=True)
class OpenPoll:
    id: int
    method: PollMethod
    anonymous: bool
    closes_at: datetime | None
    ballots: int
    films: tuple[str, ...]
    standings: tuple[Standing, ...] | None  # None while the poll is anonymous


@dataclass(frozen=True, slots=True)
class WatchedFilm:
    id: int
    label: str
    suggested_by: str
    watched_at: datetime | None  # the end of its latest party
    ratings: int
    distribution: tuple[int, ...] | None  # ratings by score 1–10; None until revealed
    mean: float | None  # on the 1–10 store scale; None until revealed
    reveals_on: datetime | None  # when its scores will show, if it is waiting for that


@dataclass(frozen=True, slots=True)
class FilmPoint:
    label: str
    at: datetime
    mean: float


@dataclass(frozen=True, slots=True)
class YearInReview:
    year: int
    films: int
    parties: int
    ratings: int
    most_loved: tuple[str, float] | None  # label, mean (1–10)
    most_divisive: tuple[str, float] | None  # label, standard deviation (1–10 points)
    suggested: tuple[tuple[str, tuple[str, ...]], ...]  # member, films of theirs watched


@dataclass(frozen=True, slots=True)
class ClubPage:
    name: str
    timezone: str
    scale: RatingScale
    reveal_days: int
    now: datetime  # when it was read
    stale_at: datetime  # when time alone changes it: a party starts or ends, scores show, a month begins
    parties: tuple[UpcomingParty, ...]
    polls: tuple[OpenPoll, ...]
    watched: tuple[WatchedFilm, ...]
    more_watched: int
    over_time: tuple[FilmPoint, ...]  # revealed films' means, in the order they were watched
    per_month: tuple[tuple[date, int], ...]  # first day of the month, parties held
    year: YearInReview | None


def _mean(d: Sequence[int]) -> float:
    points: int = sum(map(operator.mul, SCORES, d))
    return points / max(1, sum(d))


def _spread(d: Sequence[int]) -> float:
    m = _mean(d)
    return math.sqrt(sum(n * (i + 1 - m) ** 2 for i, n in enumerate(d)) / max(1, sum(d)))


def page_name(club: Club) -> str:
    """The club's name as its page and calendar show it: the stored name, unless it is still
    the one docclub made up from the club's address (`console club film-nights`), which says
    nothing to a member: then the console club's own name, or just "Documentary club"."""
    key = club.key
    if club.name != f"{key.platform} club {key.space_id}":
        return club.name
    if key.platform == "console" and key.space_id.strip() and key.space_id != "club":
        return key.space_id[:1].upper() + key.space_id[1:]
    return "Documentary club"


async def _upcoming(tx: ClubTx, club: Club, parties: list[PartyBrief], now: datetime) -> list[UpcomingParty]:
    coming = [p for p in parties if p.status is PartyStatus.SCHEDULED and p.ends_at > now][:MAX_PARTIES]
    if not coming:
        return []
    # Only these few films are read whole (their streaming place and warnings), with one query.
    films = await tx.films.by_id(club.id, [p.film_id for p in coming])
    answers = await tx.parties.rsvp_counts(club.id, [p.id for p in coming])
    out: list[UpcomingParty] = []
    for p in coming:
        film = films.get(p.film_id)
        if film is None:
            continue
        counts = answers.get(p.id, {})
        out.append(
            UpcomingParty(
                id=p.id,
                film=film.label,
                starts_at=p.starts_at,
                ends_at=p.ends_at,
                where=p.where,
                streaming=film.where,
                warnings=film.warnings,
                going=counts.get(RsvpAnswer.YES, 0),
                maybe=counts.get(RsvpAnswer.MAYBE, 0),
                not_going=counts.get(RsvpAnswer.NO, 0),
                on_now=p.starts_at <= now,
            )
        )
    return out


async def _open_poll(tx: ClubTx, club: Club, poll: Poll, films: dict[int, FilmBrief]) -> OpenPoll:
    ballots = await tx.polls.ballots(club.id, poll.id)
    name = {f: films[f].label if f in films else f"#{f}" for f in poll.film_ids}
    shown: tuple[Standing, ...] | None = None
    if not poll.anonymous:
        result = tally(poll.method, poll.film_ids, [b.choices for b in ballots])
        # Ranked choice: first choices, as `poll show` counts them; the leader is who would win now.
        first = dict(result.rounds[0].counts) if result.rounds else {}
        rows = standings(result) if result.rounds else [(f, 0) for f in poll.film_ids]
        order = [f for f, _ in rows] + [f for f in poll.film_ids if f not in dict(rows)]
        votes = first if poll.method is PollMethod.RANKED else dict(rows)
        shown = tuple(Standing(name[f], votes.get(f, 0), result.ballots > 0 and f == result.winner) for f in order)
    return OpenPoll(
        id=poll.id,
        method=poll.method,
        anonymous=poll.anonymous,
        closes_at=poll.closes_at,
        ballots=len(ballots),
        films=tuple(name[f] for f in poll.film_ids),
        standings=shown,
    )


def _year_in_review(
    watched: list[WatchedFilm], held: list[PartyBrief], zone: ZoneInfo, now: datetime
) -> YearInReview | None:
    def year_of(at: datetime) -> int:
        return at.astimezone(zone).year

    dated = [(f, year_of(f.watched_at)) for f in watched if f.watched_at is not None]
    years = {y for _, y in dated}
    if not years:
        return None
    year = year_of(now) if year_of(now) in years else max(years)
    films = [f for f, y in dated if y == year]
    begins = datetime(year, 1, 1, tzinfo=zone).astimezone(UTC)
    surely = (begins + DAY, datetime(year + 1, 1, 1, tzinfo=zone).astimezone(UTC) - DAY)

    def in_year(at: datetime) -> bool:
        # Most parties are a day or more from the year's ends in any timezone: no conversion.
        if surely[0] <= at < surely[1]:
            return True
        return at >= begins - 2 * DAY and year_of(at) == year

    revealed = [f for f in films if f.distribution is not None]
    loved = [f for f in revealed if f.ratings >= MIN_LOVED]
    divisive = [f for f in revealed if f.ratings >= MIN_DIVISIVE]
    most_loved = max(loved, key=lambda f: (f.mean or 0, f.ratings), default=None)
    most_divisive = max(divisive, key=lambda f: (_spread(f.distribution or ()), f.ratings), default=None)
    by_member: dict[str, list[str]] = {}
    for f in sorted(films, key=lambda f: f.watched_at or now):
        by_member.setdefault(f.suggested_by, []).append(f.label)
    return YearInReview(
        year=year,
        films=len(films),
        parties=sum(1 for p in held if in_year(p.ends_at)),
        ratings=sum(f.ratings for f in films),
        most_loved=(most_loved.label, most_loved.mean or 0.0) if most_loved else None,
        most_divisive=(most_divisive.label, _spread(most_divisive.distribution or ()))
        if most_divisive and _spread(most_divisive.distribution or ()) > 0
        else None,
        suggested=tuple(sorted(((m, tuple(ls)) for m, ls in by_member.items()), key=lambda x: (-len(x[1]), x[0]))),
    )


def _months(held: list[PartyBrief], zone: ZoneInfo, now: datetime) -> tuple[tuple[date, int], ...]:
    local = now.astimezone(zone)
    months: list[date] = []
    y, m = local.year, local.month
    for _ in range(MONTHS):
        months.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    months.reverse()
    counts = dict.fromkeys(months, 0)
    since = datetime(months[0].year, months[0].month, 1, tzinfo=zone).astimezone(UTC) - DAY
    for p in held:
        if p.starts_at < since:  # a day before the first month anywhere: not on the chart
            continue
        start = p.starts_at.astimezone(zone)
        month = date(start.year, start.month, 1)
        if month in counts:
            counts[month] += 1
    return tuple(counts.items())


def _stale_at(kept: list[PartyBrief], reveal_days: timedelta, zone: ZoneInfo, now: datetime) -> datetime:
    """The first moment after `now` when the page changes with no write: every moment it compares
    with `now` is among these (a party's start and end, when its film's scores show, the month)."""
    soonest = next_month(now, zone)
    for p in kept:
        for at in (p.starts_at, p.ends_at, p.ends_at + reveal_days):
            if now < at < soonest:
                soonest = at
    return soonest


async def build_page(tx: ClubTx, club: Club, now: datetime) -> ClubPage:
    """The club page as of `now`, from one consistent read.

    Reads what lists show of every film and party (`briefs`), each film's counts by score,
    and whole films only for the few parties coming up: a few queries, whatever the club's
    size, and never a rating."""
    zone = ZoneInfo(club.config.timezone)
    films = {f.id: f for f in await tx.films.briefs(club.id)}
    parties = await tx.parties.briefs(club.id)
    counts = await tx.ratings.counts(club.id)
    reveal_days = timedelta(days=club.config.page_reveal_days)
    reveal_before = now - reveal_days
    # A film's latest party that was not cancelled: its scores wait for that one to be long over.
    kept = [p for p in parties if p.status is not PartyStatus.CANCELLED]
    latest: dict[int, PartyBrief] = {}
    for p in kept:
        last = latest.get(p.film_id)
        if last is None or p.ends_at >= last.ends_at:
            latest[p.film_id] = p
    held = [p for p in kept if p.ends_at <= now and p.film_id in films]
    watched: list[WatchedFilm] = []
    for film in films.values():
        last = latest.get(film.id)
        ended = last is not None and last.ends_at <= now
        if film.status is not FilmStatus.WATCHED and not ended:
            continue
        dist: tuple[int, ...] = counts.get(film.id, NO_RATINGS)
        rated = sum(dist)
        revealed = last is not None and last.ends_at <= reveal_before
        watched.append(
            WatchedFilm(
                id=film.id,
                label=film.label,
                suggested_by=film.suggested_by_name,
                watched_at=last.ends_at if last is not None and ended else None,
                ratings=rated,
                distribution=dist if revealed else None,
                mean=_mean(dist) if revealed and rated > 0 else None,
                reveals_on=None if revealed or last is None else last.ends_at + reveal_days,
            )
        )
    watched.sort(key=lambda f: (f.watched_at or datetime.min.replace(tzinfo=now.tzinfo), f.id), reverse=True)
    over_time = tuple(
        FilmPoint(f.label, f.watched_at, f.mean)
        for f in sorted(watched, key=lambda f: (f.watched_at or now, f.id))
        if f.mean is not None and f.watched_at is not None
    )[-MAX_POINTS:]
    polls = [await _open_poll(tx, club, p, films) for p in await tx.polls.list(club.id, open_only=True)]
    return ClubPage(
        name=page_name(club),
        timezone=club.config.timezone,
        scale=club.config.rating_scale,
        reveal_days=club.config.page_reveal_days,
        now=now,
        stale_at=_stale_at(kept, reveal_days, zone, now),
        parties=tuple(await _upcoming(tx, club, parties, now)),
        polls=tuple(polls),
        watched=tuple(watched[:MAX_WATCHED]),
        more_watched=max(0, len(watched) - MAX_WATCHED),
        over_time=over_time,
        per_month=_months(held, zone, now),
        year=_year_in_review(watched, held, zone, now),
    )
