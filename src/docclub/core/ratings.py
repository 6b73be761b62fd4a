"""Ratings: rate on the club's scale, blind until you rate, stats, history, leaderboard."""

from __future__ import annotations

import re
import statistics

from docclub.core.context import App, Ctx
from docclub.core.errors import Conflict, InvalidInput, UsageError
from docclub.core.film_lookup import resolve_film
from docclub.core.models import Actor, ClubKey, Film, FilmStatus, Rating, RatingScale
from docclub.core.replies import (
    EXAMPLE_FILM,
    Cmd,
    Field,
    Line,
    Reply,
    Spoiler,
    Time,
    Tone,
    UserRef,
    cmd,
    line,
    synopsis,
)
from docclub.core.text import REVIEW_MAX, clean, plural

RATE_USAGE = synopsis("rate")
HIDDEN_SHOWN = 10  # films listed on the leaderboard as "rate it to see"
RATE_EXAMPLE = cmd("rate", film=EXAMPLE_FILM, score="8", review="Harrowing, and it earns it")
_STAR_CHARS = re.compile(r"^(★+)(½)?$")


def scale_text(scale: RatingScale) -> str:
    """The club's scale in words, for refusals and hints."""
    if scale is RatingScale.TEN:
        return "this club rates from 1 to 10 in whole numbers, like 8"
    return "this club rates from 0.5 to 5 stars in half stars, like 3.5 or ★★★½"


def parse_score(text: str, scale: RatingScale) -> int:
    """A member's score on the club's scale -> the stored 1–10 integer.

    Refuses, naming the club's scale, anything the scale cannot hold exactly: a score out of
    range, a fraction on the 1–10 scale (9.7 is not rounded to 10), a quarter star, NaN, inf, 1e1.
    """
    raw = text.strip().lower().replace(",", ".")
    shown = text.strip()[:20]
    if scale is RatingScale.TEN:
        raw = raw.removesuffix("/10")
        if re.fullmatch(r"\d{1,2}", raw) and 1 <= int(raw) <= 10:
            return int(raw)
        if re.fullmatch(r"\d{1,2}\.\d+", raw) and 1 <= float(raw) <= 10:
            why = "has a fraction"
        elif re.fullmatch(r"-?\d+(\.\d+)?", raw):
            why = "is out of range"
        else:
            why = "isn't a number"
        raise InvalidInput(f"The score {shown!r} {why}: {scale_text(scale)}.", usage=RATE_USAGE)
    stars = _STAR_CHARS.match(raw)
    if stars:
        value = len(stars.group(1)) + (0.5 if stars.group(2) else 0.0)
    else:
        raw = raw.removesuffix("/5").removesuffix("stars").removesuffix("star").strip().replace("½", ".5")
        if raw.startswith("."):
            raw = "0" + raw
        if not re.fullmatch(r"-?\d+(\.\d+)?", raw):
            raise InvalidInput(f"The score {shown!r} isn't a number: {scale_text(scale)}.", usage=RATE_USAGE)
        value = float(raw)
    if not 0.5 <= value <= 5:
        raise InvalidInput(f"The score {shown!r} is out of range: {scale_text(scale)}.", usage=RATE_USAGE)
    if value * 2 != int(value * 2):
        raise InvalidInput(f"The score {shown!r} is not a half star: {scale_text(scale)}.", usage=RATE_USAGE)
    return int(value * 2)


def score_text(score: int, scale: RatingScale) -> str:
    """A stored score as a member would type it on the club's scale ("8", "3.5"), for forms."""
    return str(score) if scale is RatingScale.TEN else f"{score / 2:g}"


def show_score(score: float, scale: RatingScale) -> str:
    """A stored score (or a mean of them) on the club's scale."""
    if scale is RatingScale.TEN:
        return f"{score:.1f}/10" if score != int(score) else f"{int(score)}/10"
    stars = score / 2
    return (f"{stars:.2f}".rstrip("0").rstrip(".")) + "★"


async def rating_summary(c: Ctx, film: Film) -> tuple[Line, ...]:
    """For a film card, which may be posted where anyone reads it: how many have rated, never
    a score (not even the asker's), and how the asker sees them."""
    count = await c.tx.ratings.count(c.club.id, film.id)
    if count == 0:
        return (line("No ratings yet."),)
    mine = await c.tx.ratings.get(c.club.id, film.id, c.actor.user_id)
    if mine is None:
        return (line(f"{plural(count, 'rating')}; rate it to see the scores."),)
    return (line(f"{plural(count, 'rating')}; see the scores with: ", cmd("ratings", film=f"#{film.id}")),)


class Ratings:
    def __init__(self, app: App) -> None:
        self.app = app

    async def rate(
        self,
        key: ClubKey,
        actor: Actor,
        ref: str,
        score: str,
        review: str | None = None,
        *,
        remove_review: bool = False,
    ) -> Reply:
        """Rate a film. A new score keeps the member's review unless a new review is given;
        `remove_review` removes it (and may not come with a new one)."""
        if not score.strip():
            raise UsageError("Give a score.", usage=RATE_USAGE)
        text = clean(review, "review", REVIEW_MAX, multiline=True) if review and review.strip() else None
        if text and remove_review:
            raise UsageError("Give a new review or remove yours, not both.", usage=RATE_USAGE)

        async def work(c: Ctx) -> Reply:
            film = await resolve_film(c, ref)
            if film.status is FilmStatus.WITHDRAWN:
                raise Conflict(f"{film.label} was withdrawn; it can't be rated.")
            value = parse_score(score, c.club.config.rating_scale)
            before = await c.tx.ratings.get(c.club.id, film.id, c.actor.user_id)
            kept = before.review if before and text is None and not remove_review else None
            saved = text or kept
            await c.tx.ratings.put(
                Rating(c.club.id, film.id, c.actor.user_id, c.actor.display_name, value, saved, c.now)
            )
            await c.tx.films.mark_seen(c.club.id, film.id, c.actor.user_id, c.now)
            verb = "Updated your rating of" if before else "You rated"
            scale = c.club.config.rating_scale
            lines = [line(f"{verb} {film.label}: {show_score(value, scale)}.")]
            if text:
                lines.append(line("Review (shown as a spoiler): ", Spoiler(text)))
            elif kept:
                lines.append(line("Your review stays (shown as a spoiler): ", Spoiler(kept)))
                remove = Cmd("rate", (("film", f"#{film.id}"), ("score", score.strip()[:10]), ("no-review", "")))
                lines.append(line("To remove it: ", remove))
            elif remove_review and before and before.review:
                lines.append(line("Your review was removed."))
            lines.append(line("See how the club rated it: ", cmd("ratings", film=f"#{film.id}")))
            return Reply(lines=tuple(lines), tone=Tone.OK, ephemeral=True, subject=("film", film.id))

        return await self.app.write(key, actor, work)

    async def current(self, key: ClubKey, actor: Actor, film_id: int) -> Rating | None:
        """The member's own rating of film `film_id`, or None when they haven't rated it (or
        there is no such film). Rating forms show it so a member edits what they wrote."""

        async def work(c: Ctx) -> Rating | None:
            return await c.tx.ratings.get(c.club.id, film_id, c.actor.user_id)

        return await self.app.read(key, actor, work)

    async def show(self, key: ClubKey, actor: Actor, ref: str) -> Reply:
        async def work(c: Ctx) -> Reply:
            film = await resolve_film(c, ref)
            return await reveal_ratings(c, film)

        return await self.app.read(key, actor, work)

    async def mine(self, key: ClubKey, actor: Actor) -> Reply:
        async def work(c: Ctx) -> Reply:
            rows = await c.tx.ratings.of_member(c.club.id, c.actor.user_id)
            scale = c.club.config.rating_scale
            if not rows:
                return Reply(
                    title="Your ratings",
                    lines=(line("You haven't rated anything yet. For example: ", RATE_EXAMPLE),),
                    ephemeral=True,
                )
            lines = [
                line(
                    f"#{r.film_id} {r.title}{f' ({r.year})' if r.year else ''}: {show_score(r.score, scale)} · ",
                    Time(r.rated_at, "date"),
                )
                for r in rows[:50]
            ]
            mean = statistics.fmean(r.score for r in rows)
            footer: Line = line(
                f"{len(rows)} film{'s' if len(rows) != 1 else ''}, your mean {show_score(mean, scale)}."
            )
            if len(rows) > 50:
                footer += line(" Showing the latest 50; ", cmd("export", what="csv"), " has them all.")
            return Reply(title="Your ratings", lines=tuple(lines), footer=footer, ephemeral=True)

        return await self.app.read(key, actor, work)

    async def leaderboard(self, key: ClubKey, actor: Actor, limit: int = 10) -> Reply:
        """The club's best-rated films, blind as everything else: a member sees the means of
        the films they have rated, ranked; films the club rated that they haven't are listed
        with how many rated them and "rate it to see". Shown to the asker only."""

        async def work(c: Ctx) -> Reply:
            rows = await c.tx.ratings.leaderboard(c.club.id, 1, limit, rated_by=c.actor.user_id)
            hidden = await c.tx.ratings.films_not_rated_by(c.club.id, c.actor.user_id)
            scale = c.club.config.rating_scale
            if not rows and not hidden:
                return Reply(title="Club leaderboard", lines=(line("Nothing has been rated yet."),), ephemeral=True)
            lines: list[Line] = []
            if rows:
                lines.extend(
                    line(
                        f"{i}. #{r.film_id} {r.title}{f' ({r.year})' if r.year else ''} — "
                        f"{show_score(r.mean, scale)} ({plural(r.count, 'rating')})"
                    )
                    for i, r in enumerate(rows, 1)
                )
            else:
                lines.append(line("You haven't rated any film the club has rated, so every score is hidden."))
            fields: tuple[Field, ...] = ()
            if hidden:
                shown = [
                    line(f"#{h.film_id} {h.title}{f' ({h.year})' if h.year else ''} — {plural(h.count, 'rating')}")
                    for h in hidden[:HIDDEN_SHOWN]
                ]
                if len(hidden) > HIDDEN_SHOWN:
                    shown.append(line(f"… and {len(hidden) - HIDDEN_SHOWN} more"))
                fields = (Field("Hidden until you rate them", tuple(shown)),)
            return Reply(
                title="Club leaderboard",
                lines=tuple(lines),
                fields=fields,
                footer=(
                    "The films you have rated, by mean score, then by number of ratings."
                    if rows
                    else line("A film's scores stay hidden until you rate it: ", cmd("rate", film=None, score=None))
                ),
                ephemeral=True,
            )

        return await self.app.read(key, actor, work)


async def reveal_ratings(c: Ctx, film: Film) -> Reply:
    """Blind until you rate: before, only how many have rated; after, mean, median,
    distribution, the most divisive scores and the reviews (as spoilers)."""
    ratings = await c.tx.ratings.list(c.club.id, film.id)
    scale = c.club.config.rating_scale
    title = f"Ratings of {film.label}"
    n = len(ratings)
    mine = next((r for r in ratings if r.user_id == c.actor.user_id), None)
    if n == 0:
        return Reply(
            title=title,
            lines=(line("No one has rated it yet. Be the first: ", cmd("rate", film=f"#{film.id}", score=None)),),
        )
    if mine is None:
        who = "member has" if n == 1 else "members have"
        return Reply(
            title=title,
            lines=(
                line(
                    f"{n} {who} rated it. Ratings stay hidden until you rate it yourself: ",
                    cmd("rate", film=f"#{film.id}", score=None, review=None),
                ),
            ),
            ephemeral=True,
        )
    scores = [r.score for r in ratings]
    mean = statistics.fmean(scores)
    median = statistics.median(scores)
    fields = [
        Field("Mean", (line(show_score(mean, scale)),), inline=True),
        Field("Median", (line(show_score(median, scale)),), inline=True),
        Field("Ratings", (line(str(n)),), inline=True),
        Field("Distribution", _distribution(scores, scale)),
    ]
    if n >= 3:
        spread = sorted(ratings, key=lambda r: (-abs(r.score - mean), r.rated_at))
        divisive = [r for r in spread if abs(r.score - mean) >= 1.5][:3]
        unit = 2 if scale is RatingScale.STARS else 1  # distance shown on the club's scale
        if divisive:
            fields.append(
                Field(
                    "Most divisive",
                    tuple(
                        line(
                            UserRef(r.user_id, r.display_name),
                            f": {show_score(r.score, scale)} "
                            f"({'+' if r.score > mean else '−'}{abs(r.score - mean) / unit:.1f} from the mean)",
                        )
                        for r in divisive
                    ),
                )
            )
    reviews = [r for r in ratings if r.review]
    if reviews:
        fields.append(
            Field(
                "Reviews",
                tuple(
                    line(
                        UserRef(r.user_id, r.display_name),
                        f" ({show_score(r.score, scale)}): ",
                        Spoiler(r.review or ""),
                    )
                    for r in reviews[-10:]
                ),
            )
        )
    return Reply(
        title=title,
        fields=tuple(fields),
        subject=("film", film.id),
        footer=f"Your rating: {show_score(mine.score, scale)}",
        ephemeral=True,  # the scores are for a member who has rated: never posted to the channel
    )


def _distribution(scores: list[int], scale: RatingScale) -> tuple[Line, ...]:
    counts = {s: scores.count(s) for s in range(1, 11)}
    top = max(counts.values())
    rows: list[Line] = []
    for s in range(10, 0, -1):
        label = f"{s / 2:>3}★" if scale is RatingScale.STARS else f"{s:>2}"
        bar = "█" * round(8 * counts[s] / top) if counts[s] else ""
        if counts[s] or (min(scores) <= s <= max(scores)):
            rows.append(line(f"{label} {bar} {counts[s]}".rstrip()))
    return tuple(rows)
