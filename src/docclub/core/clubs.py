"""The club facade: one entry point adapters call, and the club's settings.

`Docclub` opens one store transaction per command, makes sure the club and the member
exist, and hands a `Ctx` to the feature's use case. Feature groups hang off it:
`app.films`, `app.polls`, `app.parties`, `app.ratings`, `app.discussion`, `app.settings`,
`app.backup`, `app.overview`.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo, available_timezones

from docclub.core.errors import DocclubError, InvalidInput, NotAllowed, UsageError
from docclub.core.models import Actor, Club, ClubConfig, ClubKey, FilmStatus, RatingScale
from docclub.core.ports import Clock, ClubStore, ClubTx
from docclub.core.replies import (
    EXAMPLE_FILM,
    Cmd,
    Field,
    Line,
    Reply,
    Tone,
    cmd,
    line,
    quote_film,
    span_words,
    text_reply,
)
from docclub.core.text import NAME_MAX, SHORT_MAX, clean
from docclub.core.when import DATE_ORDERS, date_order_for, find_language, warm_up

if TYPE_CHECKING:
    from docclub.core.backup import Backup
    from docclub.core.discussion import Discussion
    from docclub.core.films import Films
    from docclub.core.overview import Overview
    from docclub.core.parties import Parties
    from docclub.core.polls import Polls
    from docclub.core.ratings import Ratings

log = logging.getLogger("docclub")
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


class Docclub:
    """The club bot's core. Adapters call its feature groups; every method returns a `Reply`
    or raises a `DocclubError` whose message a member can read."""

    def __init__(self, store: ClubStore, clock: Clock, *, default_timezone: str = "UTC") -> None:
        from docclub.core.backup import Backup
        from docclub.core.discussion import Discussion
        from docclub.core.films import Films
        from docclub.core.overview import Overview
        from docclub.core.parties import Parties
        from docclub.core.polls import Polls
        from docclub.core.ratings import Ratings

        self.store = store
        self.clock = clock
        self.default_timezone = default_timezone
        self.films: Films = Films(self)
        self.polls: Polls = Polls(self)
        self.parties: Parties = Parties(self)
        self.ratings: Ratings = Ratings(self)
        self.discussion: Discussion = Discussion(self)
        self.settings = Settings(self)
        self.backup: Backup = Backup(self)
        self.overview: Overview = Overview(self)  # a member's club at a glance (Slack's App Home)
        # Called after a committed change that a scheduler should know of (new reminders).
        self.on_reminders_changed: Callable[[], None] = lambda: None
        # Each club as this process's latest transaction on it left it: adapters render a
        # command's answer in its timezone without reading the club again.
        self._seen: dict[ClubKey, Club] = {}

    async def _club(self, tx: ClubTx, key: ClubKey, actor: Actor | None, now: datetime) -> Club:
        club = await tx.clubs.get(key)
        if club is None:
            club = await tx.clubs.create(
                key, f"{key.platform} club {key.space_id}", ClubConfig(timezone=self.default_timezone), now
            )
        if actor is not None:
            await tx.clubs.upsert_member(club.id, actor.user_id, clean_name(actor.display_name), now)
        return club

    async def write(self, key: ClubKey, actor: Actor, work: Callable[[Ctx], Awaitable[T]]) -> T:
        """Run `work` in one committed transaction; a DocclubError leaves the store unchanged."""
        now = self.clock.now()

        async def run(tx: ClubTx) -> tuple[T, Club]:
            club = await self._club(tx, key, actor, now)
            return await work(Ctx(tx, club, actor, now)), club

        result, club = await self.store.write(run)
        self._note(key, club)
        return result

    async def read(self, key: ClubKey, actor: Actor, work: Callable[[Ctx], Awaitable[T]]) -> T:
        """Run `work` on a consistent read; a club seen for the first time is created first."""
        now = self.clock.now()

        async def run(tx: ClubTx) -> tuple[T, Club] | None:
            club = await tx.clubs.get(key)
            if club is None:
                return None
            return await work(Ctx(tx, club, actor, now)), club

        async def first_time(tx: ClubTx) -> tuple[T, Club]:
            club = await self._club(tx, key, actor, now)
            return await work(Ctx(tx, club, actor, now)), club

        found = await self.store.read(run)
        if found is None:
            found = await self.store.write(first_time)
        self._note(key, found[1])
        return found[0]

    async def platform_value(self, key: str) -> str | None:
        """A value an adapter keeps for itself, not for a club (None when never set)."""
        return await self.store.read(lambda tx: tx.platform.value(key))

    async def set_platform_value(self, key: str, value: str) -> None:
        now = self.clock.now()
        await self.store.write(lambda tx: tx.platform.set_value(key, value, now))

    async def answer(self, key: ClubKey, action: Awaitable[Reply]) -> Reply:
        """`safely`, with the examples in the reply naming a film of this club (the newest one
        in the running, else the newest) instead of a placeholder."""
        reply = await safely(action)
        if not any(_has_example(ln) for ln in reply.lines):
            return reply

        async def newest(tx: ClubTx) -> str | None:
            club = await tx.clubs.get(key)
            if club is None:
                return None
            films = await tx.films.list(club.id, (FilmStatus.SUGGESTED, FilmStatus.SHORTLISTED))
            films = films or await tx.films.list(club.id)
            if not films:
                return None
            film = max(films, key=lambda f: f.id)
            # A short plain title reads best; anything else is named by its number.
            return film.title if len(film.title) <= 40 and quote_film(film.title).count('"') <= 2 else f"#{film.id}"

        try:
            ref = await self.store.read(newest)
        except Exception:  # an example is a nicety: never fail an answer over it
            log.exception("no example film for %s", key)
            return reply
        if ref is None:
            return reply
        return replace(reply, lines=tuple(_fill_example(ln, ref) for ln in reply.lines))

    async def club(self, key: ClubKey) -> Club:
        """The club at `key` as stored now, created with defaults the first time."""
        now = self.clock.now()
        club = await self.store.read(lambda tx: tx.clubs.get(key))
        if club is None:
            club = await self.store.write(lambda tx: self._club(tx, key, None, now))
        self._note(key, club)
        return club

    async def club_seen(self, key: ClubKey) -> Club:
        """The club as this process's latest command on it saw it (its settings, for rendering
        that command's answer), without a read; `club` when no command has seen it yet."""
        seen = self._seen.get(key)
        return seen if seen is not None else await self.club(key)

    def _note(self, key: ClubKey, club: Club | None) -> None:
        if club is not None:
            self._seen[key] = club

    def forget_club(self, key: ClubKey) -> None:
        """After a command that changed the club's settings: `club_seen` reads it again."""
        self._seen.pop(key, None)


async def with_rights(actor: Actor, run: Callable[[Actor], Awaitable[T]], rights: Callable[[], Awaitable[bool]]) -> T:
    """Run `run` as `actor`; when it is refused (`NotAllowed`) and the platform may know the
    member as an organizer, ask it (`rights`, only now) and run again as an organizer.

    Adapters use this so that knowing who may organize never waits on a platform call for
    the commands every member uses. A refused command changed nothing, so running it again
    is safe."""
    try:
        return await run(actor)
    except NotAllowed:
        if actor.is_organizer or not await rights():
            raise
    return await run(replace(actor, is_organizer=True))


def clean_name(name: str) -> str:
    try:
        return clean(name, "display name", NAME_MAX)
    except DocclubError:
        return "member"


def _has_example(ln: Line) -> bool:
    return any(isinstance(p, Cmd) and any(v is EXAMPLE_FILM for _, v in p.args) for p in ln)


def _fill_example(ln: Line, ref: str) -> Line:
    return tuple(p.with_film(ref) if isinstance(p, Cmd) else p for p in ln)


def refusal(exc: DocclubError) -> Reply:
    """What a member sees of a refusal: the message, then the command's usage line."""
    usage = exc.usage_line()
    return Reply(lines=(exc.line, usage) if usage else (exc.line,), tone=Tone.ERROR, ephemeral=True)


async def safely(action: Awaitable[Reply]) -> Reply:
    """Run a command for a member: refusals become clear replies; anything unexpected is logged
    with a reference id and the member sees only that id, never a traceback."""
    try:
        return await action
    except DocclubError as exc:
        return refusal(exc)
    except Exception:
        ref = secrets.token_hex(4)
        log.exception("unexpected error (ref %s)", ref)
        return Reply(
            lines=(
                (
                    f"Something went wrong on our side (ref {ref}). Nothing was changed; "
                    "please try again, and tell an organizer the ref if it keeps happening.",
                ),
            ),
            tone=Tone.ERROR,
            ephemeral=True,
        )


# ---- settings ----

SETTING_HELP: dict[str, str] = {
    "timezone": "the club's timezone, e.g. Europe/Berlin (times are read and shown in it)",
    "rating_scale": "10 (whole numbers 1–10) or stars (0.5–5 in half stars)",
    "reminders": "when to remind before a party, e.g. 24h,1h,0 (0 = at the start)",
    "announce_channel": "where reminders and announcements go, e.g. #watch-party (or none)",
    "organizer_role": "the role whose members are organizers, e.g. @Organizers (or none)",
    "organizers": "members who are organizers, comma-separated (e.g. alice, bob or <@U123>)",
    "members_add_to_polls": "yes or no: may members add films to an open poll",
    "date_order": "how dates like 12/05 are read: dmy (5 Dec), mdy (Dec 5), ymd, or auto (from the timezone)",
    "language": "the language members write times in, e.g. en, fr, de (replies stay English)",
}


MAX_REMINDERS = 6
MAX_ORGANIZERS = 50
SETTING_MAX = SHORT_MAX * 5  # the longest value `config set` takes


def _parse_offsets(value: str) -> tuple[int, ...]:
    from docclub.core.when import parse_offset

    return check_reminder_offsets([parse_offset(part) for part in value.replace(" ", "").split(",") if part])


def check_reminder_offsets(offsets: list[int]) -> tuple[int, ...]:
    """The club's reminder times (minutes before a party): at most 6 distinct, each 0 to 7 days."""
    from docclub.core.when import check_offset

    out = {check_offset(minutes) for minutes in offsets}
    if len(out) > MAX_REMINDERS:
        raise InvalidInput(
            f"At most {MAX_REMINDERS} reminder times, please.",
            usage=cmd("config set", key="reminders", value="24h,1h,0"),
        )
    return tuple(sorted(out, reverse=True))


def check_organizers(ids: list[str]) -> tuple[str, ...]:
    """The club's own organizers (user ids): at most 50."""
    out = tuple(dict.fromkeys(ids))
    if len(out) > MAX_ORGANIZERS:
        raise InvalidInput(
            f"At most {MAX_ORGANIZERS} organizers, please.",
            usage=cmd("config set", key="organizers", value="alice, bob"),
        )
    return out


def check_timezone(name: str) -> str:
    """A timezone name exactly as the tz database spells it (what `config set timezone` stores)."""
    found = _find_timezone(name)
    if found != name:
        raise InvalidInput(f"{name!r} is not a timezone name as the tz database spells it; did you mean {found}?")
    return found


def _strip_mention(value: str) -> str:
    value = value.strip()
    if value.startswith("<@") and value.endswith(">"):
        value = value[2:-1].lstrip("!&")
    return value.lstrip("@#")


def describe_offset(minutes: int) -> str:
    return "at the start" if minutes == 0 else f"{span_words(minutes * 60)} before"


class Settings:
    """`config show` and `config set` (organizers)."""

    def __init__(self, app: Docclub) -> None:
        self.app = app

    async def show(self, key: ClubKey, actor: Actor) -> Reply:
        return await self.app.read(key, actor, self._show)

    async def _show(self, c: Ctx) -> Reply:
        cfg = c.club.config
        names = await c.tx.clubs.member_names(c.club.id)
        organizers = ", ".join(names.get(u, u) for u in cfg.organizers) or "none besides admins"
        scale = "1–10" if cfg.rating_scale is RatingScale.TEN else "0.5–5 stars"
        return Reply(
            title="Club settings",
            fields=(
                Field("timezone", (line(cfg.timezone),), inline=True),
                Field("rating_scale", (line(scale),), inline=True),
                Field("reminders", (line(", ".join(describe_offset(m) for m in cfg.reminder_offsets) or "none"),)),
                Field("announce_channel", (line(cfg.announce_channel or "not set"),), inline=True),
                Field("organizer_role", (line(cfg.organizer_role or "not set"),), inline=True),
                Field("organizers", (line(organizers),)),
                Field("members_add_to_polls", (line("yes" if cfg.members_add_to_polls else "no"),), inline=True),
                Field("date_order", (line(_date_order_shown(cfg)),), inline=True),
                Field("language", (line(cfg.language),), inline=True),
                Field("Organizers change these with", (line(cmd("config set", key=None, value=None)),)),
            ),
        )

    async def set(self, key: ClubKey, actor: Actor, name: str, value: str) -> Reply:
        async def work(c: Ctx) -> Reply:
            c.require_organizer("change the club's settings")
            config = self.parse(c.club.config, name, value)
            await c.tx.clubs.set_config(c.club.id, config)
            shown = await self._show(Ctx(c.tx, replace(c.club, config=config), c.actor, c.now))
            return replace(shown, title=f"Updated {name.strip().lower()}", tone=Tone.OK)

        try:
            return await self.app.write(key, actor, work)
        finally:
            self.app.forget_club(key)

    @staticmethod
    def parse(config: ClubConfig, name: str, value: str) -> ClubConfig:
        """The config with one setting changed, or InvalidInput saying what is accepted."""
        name = name.strip().lower().replace("-", "_")
        value = clean(value, "value", SETTING_MAX)
        if name == "timezone":
            tz = _find_timezone(value)
            return replace(config, timezone=tz)
        if name in ("rating_scale", "scale"):
            v = value.lower()
            if v in ("10", "1-10", "1–10", "ten"):
                return replace(config, rating_scale=RatingScale.TEN)
            if v in ("stars", "5", "star", "0.5-5"):
                return replace(config, rating_scale=RatingScale.STARS)
            raise InvalidInput(
                "The rating scale is either 10 (1–10) or stars (0.5–5).",
                usage=cmd("config set", key="rating_scale", value="10|stars"),
            )
        if name in ("reminders", "reminder_offsets"):
            if value.lower() in ("none", "off"):
                return replace(config, reminder_offsets=())
            return replace(config, reminder_offsets=_parse_offsets(value))
        if name in ("announce_channel", "channel"):
            return replace(config, announce_channel=None if value.lower() == "none" else value)
        if name == "organizer_role":
            return replace(config, organizer_role=None if value.lower() == "none" else _strip_mention(value))
        if name == "organizers":
            if value.lower() == "none":
                return replace(config, organizers=())
            return replace(
                config, organizers=check_organizers([_strip_mention(v) for v in value.split(",") if v.strip()])
            )
        if name == "members_add_to_polls":
            v = value.lower()
            if v in ("yes", "on", "true", "1"):
                return replace(config, members_add_to_polls=True)
            if v in ("no", "off", "false", "0"):
                return replace(config, members_add_to_polls=False)
            raise InvalidInput("Say yes or no.", usage=cmd("config set", key="members_add_to_polls", value="yes|no"))
        if name == "date_order":
            v = value.lower().replace("/", "").replace("-", "")
            if v in ("auto", "default", "none"):
                return replace(config, date_order=None)
            if v not in DATE_ORDERS:
                raise InvalidInput(
                    "The date order is dmy (12/05 is 12 May), mdy (12/05 is 5 December), ymd, or auto.",
                    usage=cmd("config set", key="date_order", value="dmy|mdy|ymd|auto"),
                )
            return replace(config, date_order=v)
        if name == "language":
            code = find_language(value)
            if code is None:
                raise InvalidInput(
                    f"{value[:20]!r} is not a language I can read times in. Use a code like en, fr, de, es, "
                    "it, pt, nl or ja.",
                    usage=cmd("config set", key="language", value="fr"),
                )
            warm_up((code,))  # so that the club's next time is read without the language's load time
            return replace(config, language=code)
        known = ", ".join(SETTING_HELP)
        raise InvalidInput(
            f"There is no setting called {name!r}. Settings: {known}.", usage=cmd("config set", key=None, value=None)
        )


def _date_order_shown(config: ClubConfig) -> str:
    if config.date_order:
        return config.date_order
    return f"{date_order_for(config.timezone)} (from the timezone)"


_TZ_CACHE: dict[str, str] = {}


def _find_timezone(value: str) -> str:
    if not _TZ_CACHE:
        _TZ_CACHE.update({tz.lower(): tz for tz in available_timezones()})
    found = _TZ_CACHE.get(value.strip().lower().replace(" ", "_"))
    if found is None:
        raise InvalidInput(
            f"{value!r} is not a timezone I know. Use a name from the tz database, "
            "like Europe/Berlin, America/New_York or UTC.",
            usage=cmd("config set", key="timezone", value="Europe/Berlin"),
        )
    ZoneInfo(found)
    return found


def refuse_unknown(what: str, usage: Cmd) -> UsageError:
    return UsageError(f"I don't know {what!r}.", usage=usage)


__all__ = ["Ctx", "Docclub", "Settings", "is_organizer", "refusal", "safely", "text_reply", "with_rights"]
