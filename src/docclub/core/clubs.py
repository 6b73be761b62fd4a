"""The club facade: the one entry point adapters call.

`Docclub` opens one store transaction per command, makes sure the club and the member
exist, and hands a `Ctx` to the feature's use case. It assembles the feature groups:
`app.films`, `app.polls`, `app.parties`, `app.ratings`, `app.discussion`, `app.settings`,
`app.backup`, `app.overview`, `app.catalog_films`; each is given the facade as a `context.App` and never imports
this module. Here too: how a command's refusal or failure reaches a member (`safely`).
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

from docclub.core.backup import Backup
from docclub.core.catalog import FilmCatalog, NoCatalog
from docclub.core.catalog_films import CatalogFilms
from docclub.core.club_pages import ClubPages
from docclub.core.context import Ctx
from docclub.core.discussion import Discussion
from docclub.core.errors import DocclubError, NotAllowed
from docclub.core.films import Films
from docclub.core.models import Actor, Club, ClubConfig, ClubKey, FilmStatus
from docclub.core.night_events import NightEvents
from docclub.core.nights import Nights
from docclub.core.overview import Overview
from docclub.core.parties import Parties
from docclub.core.polls import Polls
from docclub.core.ports import Clock, ClubStore, ClubTx
from docclub.core.ratings import Ratings
from docclub.core.replies import (
    EXAMPLE_FILM,
    Cmd,
    Line,
    Reply,
    Tone,
    quote_film,
    text_reply,
    went_wrong,
)
from docclub.core.settings import Settings
from docclub.core.text import clean_name

log = logging.getLogger("docclub")
T = TypeVar("T")

# How long a member row this process wrote is trusted to still hold the member's name. Only a
# backup restored by another process (`docclub import`) removes rows behind its back; the
# member's commands after this long write their row again.
MEMBER_TRUSTED = timedelta(minutes=10)
MEMBERS_REMEMBERED = 100_000


class Docclub:
    """The club bot's core. Adapters call its feature groups; every method returns a `Reply`
    or raises a `DocclubError` whose message a member can read."""

    def __init__(
        self, store: ClubStore, clock: Clock, *, default_timezone: str = "UTC", catalog: FilmCatalog | None = None
    ) -> None:
        self.store = store
        self.clock = clock
        self.default_timezone = default_timezone
        self.catalog: FilmCatalog = catalog if catalog is not None else NoCatalog()
        self.films: Films = Films(self)
        self.catalog_films: CatalogFilms = CatalogFilms(self)  # pick, film refresh, Letterboxd import
        self.polls: Polls = Polls(self)
        self.parties: Parties = Parties(self)
        self.nights: Nights = Nights(self)
        self.night_events: NightEvents = NightEvents(self)  # nights on a platform's calendar
        self.ratings: Ratings = Ratings(self)
        self.discussion: Discussion = Discussion(self)
        self.settings = Settings(self)
        self.backup: Backup = Backup(self)
        self.overview: Overview = Overview(self)  # a member's club at a glance (Slack's App Home)
        self.club_page: ClubPages = ClubPages(self)  # the club's web page, its address and feed
        # Called after a committed change that a scheduler should know of (new reminders).
        self.on_reminders_changed: Callable[[], None] = lambda: None
        # Called with (command, outcome, seconds) after every answer: ok, refused or error.
        self.on_command: Callable[[str, str, float], None] = lambda command, outcome, seconds: None
        # Each club as this process's latest transaction on it left it: adapters render a
        # command's answer in its timezone without reading the club again.
        self._seen: dict[ClubKey, Club] = {}
        # (club id, user id) -> (name, when) of the member row this process's own committed
        # commands last wrote: a member's next commands within MEMBER_TRUSTED write it no more.
        self._members: dict[tuple[int, str], tuple[str, datetime]] = {}

    async def _club(self, tx: ClubTx, key: ClubKey, actor: Actor | None, now: datetime) -> tuple[Club, str | None]:
        """The club (created the first time) and, when the member's row was written, their name."""
        club = await tx.clubs.get(key)
        if club is None:
            club = await tx.clubs.create(
                key, f"{key.platform} club {key.space_id}", ClubConfig(timezone=self.default_timezone), now
            )
        if actor is None:
            return club, None
        name = clean_name(actor.display_name)
        known = self._members.get((club.id, actor.user_id))
        if known is not None and known[0] == name and timedelta(0) <= now - known[1] < MEMBER_TRUSTED:
            return club, None
        await tx.clubs.upsert_member(club.id, actor.user_id, name, now)
        return club, name

    def _member_written(self, club: Club, actor: Actor, name: str | None, now: datetime) -> None:
        """After the commit that wrote the member's row (a refused command's was rolled back)."""
        if name is None:
            return
        if len(self._members) >= MEMBERS_REMEMBERED:
            self._members.clear()
        self._members[(club.id, actor.user_id)] = (name, now)

    async def write(self, key: ClubKey, actor: Actor, work: Callable[[Ctx], Awaitable[T]]) -> T:
        """Run `work` in one committed transaction; a DocclubError leaves the store unchanged."""
        now = self.clock.now()

        async def run(tx: ClubTx) -> tuple[T, Club, str | None]:
            club, name = await self._club(tx, key, actor, now)
            return await work(Ctx(tx, club, actor, now)), club, name

        result, club, name = await self.store.write(run)
        self._member_written(club, actor, name, now)
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
            club, _ = await self._club(tx, key, actor, now)
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

    async def answer(self, key: ClubKey, action: Awaitable[Reply], *, command: str = "other") -> Reply:
        """`safely`, with the examples in the reply naming a film of this club (the newest one
        in the running, else the newest) instead of a placeholder. `command` names it for
        `on_command` (a command word of the grammar, never member text)."""
        started = time.perf_counter()
        outcome = "ok"

        async def observed() -> Reply:
            nonlocal outcome
            try:
                return await action
            except DocclubError:
                outcome = "refused"
                raise
            except Exception:
                outcome = "error"
                raise

        reply = await safely(observed())
        self.on_command(command, outcome, time.perf_counter() - started)
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
        found = await self.store.read(lambda tx: tx.clubs.get(key))
        club = found if found is not None else (await self.store.write(lambda tx: self._club(tx, key, None, now)))[0]
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
        """After a command that changed the club's settings or restored it from a backup:
        `club_seen` reads it again, and members' next commands write their rows again."""
        self._seen.pop(key, None)
        self._members.clear()


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
        return text_reply(went_wrong(ref, nothing_changed=True), tone=Tone.ERROR, ephemeral=True)


__all__ = ["Docclub", "refusal", "safely", "text_reply", "with_rights"]
