"""Polls: open with listed films or the top suggestions, vote, show standings, close."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from docclub.core.ballots import VOTE_USAGE, BallotForm, cast_ballot, film_in_poll
from docclub.core.context import App, Ctx
from docclub.core.errors import Conflict, InvalidInput, NotAllowed, NotFound, UsageError
from docclub.core.film_lookup import OPEN_STATUSES, resolve_film
from docclub.core.models import (
    Actor,
    ClubKey,
    Film,
    FilmStatus,
    NewReminder,
    Poll,
    PollMethod,
    PollStatus,
    ReminderKind,
)
from docclub.core.night_parties import poll_closed_early
from docclub.core.parties import schedule_party
from docclub.core.poll_cards import poll_reply
from docclub.core.ports import ClubTx
from docclub.core.replies import (
    Cmd,
    Reply,
    Time,
    Tone,
    cmd,
    line,
    synopsis,
)
from docclub.core.streaming import refresh_streaming
from docclub.core.text import ref_number
from docclub.core.voting import MAX_FILMS, tally
from docclub.core.when import read_in_club

OPEN_USAGE = synopsis("poll open")
SHOW_USAGE = synopsis("poll show")
ADD_USAGE = synopsis("poll add")
CLOSE_USAGE = synopsis("poll close")
CANCEL_USAGE = synopsis("poll cancel")
CLEAR_USAGE = synopsis("vote clear")
DEFAULT_TOP = 4


async def resolve_poll(c: Ctx, ref: str | None, *, open_only: bool = False, usage: Cmd = SHOW_USAGE) -> Poll:
    """`#id`, or the only open poll when `ref` is empty. `usage` is the asking command's own."""
    if ref:
        number = ref_number(ref)
        if number is None:
            raise UsageError(f"Polls are named by their #number, not {ref[:40]!r}.", usage=usage)
        poll = await c.tx.polls.get(c.club.id, number)
        if poll is None:
            raise NotFound(f"There is no poll #{number} in this club.")
        if open_only and poll.status is not PollStatus.OPEN:
            raise Conflict(f"Poll #{poll.id} is {poll.status.value}; it no longer takes votes.")
        return poll
    open_polls = await c.tx.polls.list(c.club.id, open_only=True)
    if not open_polls:
        if open_only:
            raise NotFound(line("There is no open poll. An organizer or member can open one: ", OPEN_USAGE))
        every = await c.tx.polls.list(c.club.id)
        if not every:
            raise NotFound(line("This club has no polls yet. Open one: ", OPEN_USAGE))
        return every[-1]
    if len(open_polls) > 1:
        listed = ", ".join(f"#{p.id}" for p in open_polls)
        raise UsageError(f"Several polls are open ({listed}); say which one.", usage=usage)
    return open_polls[0]


async def top_suggestions(c: Ctx, n: int) -> list[Film]:
    """Films still in the running, best first: those that lost earlier polls (by the votes
    they got), then shortlisted films, then suggestions by votes received and age. Films that
    won a poll are waiting for their watch party and are not offered again."""
    films = await c.tx.films.list(c.club.id, OPEN_STATUSES)
    votes = await c.tx.polls.vote_counts(c.club.id)
    runners_up: set[int] = set()
    winners: set[int] = set()
    for poll in await c.tx.polls.list(c.club.id):
        if poll.status is PollStatus.CLOSED:
            runners_up.update(f for f in poll.film_ids if f != poll.winner_film_id)
            if poll.winner_film_id is not None:
                winners.add(poll.winner_film_id)
    in_open = {f for p in await c.tx.polls.list(c.club.id, open_only=True) for f in p.film_ids}
    films = [f for f in films if f.id not in in_open and f.id not in winners]
    films.sort(
        key=lambda f: (f.id not in runners_up, f.status is not FilmStatus.SHORTLISTED, -votes.get(f.id, 0), f.id)
    )
    return films[:n]


class Polls:
    def __init__(self, app: App) -> None:
        self.app = app

    async def open(
        self,
        key: ClubKey,
        actor: Actor,
        *,
        method: str = "single",
        film_refs: list[str] | None = None,
        closes: str | None = None,
        anonymous: bool = False,
        top: int | None = None,
    ) -> Reply:
        try:
            poll_method = PollMethod((method or "single").strip().lower())
        except ValueError:
            raise UsageError(
                f"There is no poll method {method!r}; use single, approval or ranked.", usage=OPEN_USAGE
            ) from None
        if top is not None and not 2 <= top <= MAX_FILMS:
            raise InvalidInput(f"--top takes a number from 2 to {MAX_FILMS}.", usage=OPEN_USAGE)

        async def work(c: Ctx) -> Reply:
            closes_at: datetime | None = None
            notes: tuple[str, ...] = ()
            if closes:
                reading = read_in_club(closes, c.club.config, c.now)
                closes_at, notes = reading.at, reading.notes
            if film_refs:
                films: list[Film] = []
                for ref in film_refs:
                    film = await resolve_film(c, ref, include_withdrawn=False)
                    if film.status not in OPEN_STATUSES:
                        raise Conflict(
                            f"{film.label} is {film.status.value}; polls offer suggested or shortlisted films."
                        )
                    if film not in films:
                        films.append(film)
            else:
                films = await top_suggestions(c, top or DEFAULT_TOP)
            if len(films) < 2:
                raise Conflict(
                    line(
                        "A poll needs at least two films in the running. Suggest more with: ",
                        cmd("suggest", title="Title", year=None),
                    ),
                    usage=OPEN_USAGE,
                )
            if len(films) > MAX_FILMS:
                raise InvalidInput(f"A poll can offer at most {MAX_FILMS} films.", usage=OPEN_USAGE)
            poll = await c.tx.polls.add(
                c.club.id, poll_method, anonymous, [f.id for f in films], c.actor.user_id, c.now, closes_at
            )
            if closes_at is not None:
                await c.tx.reminders.add([NewReminder(c.club.id, ReminderKind.POLL_CLOSE, poll.id, closes_at)])
            shown = await self._show(c, poll, opened=True)
            offered.extend(poll.film_ids)
            return replace(shown, lines=(*shown.lines, *(line(note) for note in notes)))

        offered: list[int] = []
        reply = await self.app.write(key, actor, work)
        if closes:
            self.app.on_reminders_changed()
        await refresh_streaming(self.app, key, actor, offered)
        return reply

    async def show(self, key: ClubKey, actor: Actor, ref: str | None = None) -> Reply:
        async def work(c: Ctx) -> Reply:
            return await self._show(c, await resolve_poll(c, ref, usage=SHOW_USAGE))

        return await self.app.read(key, actor, work)

    async def _show(self, c: Ctx, poll: Poll, *, opened: bool = False) -> Reply:
        films = await c.tx.films.by_id(c.club.id, poll.film_ids)
        ballots = await c.tx.polls.ballots(c.club.id, poll.id)
        result = tally(poll.method, poll.film_ids, [b.choices for b in ballots])
        return poll_reply(poll, films, ballots, result, opened=opened)

    async def vote(self, key: ClubKey, actor: Actor, poll_ref: str | None, film_refs: list[str]) -> Reply:
        async def work(c: Ctx) -> Reply:
            poll = await resolve_poll(c, poll_ref, open_only=True, usage=VOTE_USAGE)
            if not film_refs:
                raise UsageError("Name the film(s) you vote for.", usage=VOTE_USAGE)
            named: dict[int, Film] = {}
            for ref in film_refs:
                film = await film_in_poll(c, poll, ref)
                if film.id in named:
                    raise InvalidInput(f"You named {film.label} twice.", usage=VOTE_USAGE)
                named[film.id] = film
            if poll.method is PollMethod.SINGLE and len(named) > 1:
                raise InvalidInput(
                    f"Poll #{poll.id} is single choice: vote for one film.",
                    usage=cmd("vote", poll=f"#{poll.id}", films="<film>"),
                )
            return await cast_ballot(c, poll, tuple(named), named)

        return await self.app.write(key, actor, work)

    async def clear(self, key: ClubKey, actor: Actor, poll_ref: str | None = None) -> Reply:
        """Withdraw the member's ballot from an open poll (`#id`, or the only open one)."""

        async def work(c: Ctx) -> Reply:
            poll = await resolve_poll(c, poll_ref, open_only=True, usage=CLEAR_USAGE)
            had = await c.tx.polls.delete_ballot(c.club.id, poll.id, c.actor.user_id)
            text = (
                f"Withdrew your ballot from poll #{poll.id}."
                if had
                else f"You have no ballot in poll #{poll.id}; nothing to withdraw."
            )
            return Reply(
                lines=(
                    line(text),
                    line("You can vote again until the poll closes: ", cmd("vote", poll=f"#{poll.id}", films="<film>")),
                ),
                tone=Tone.OK,
                ephemeral=True,
                subject=("poll", poll.id),
            )

        return await self.app.write(key, actor, work)

    async def ballot(self, key: ClubKey, actor: Actor, poll_ref: str | None = None) -> BallotForm:
        """The member's ballot in an open poll (`#id`, or the only open one): the poll's method,
        its films and what the member chose so far. Refuses, as `vote` does, a poll that is
        closed, unknown, or ambiguous (several open), so an adapter shows no form it can't use."""

        async def work(c: Ctx) -> BallotForm:
            poll = await resolve_poll(c, poll_ref, open_only=True, usage=VOTE_USAGE)
            films = await c.tx.films.by_id(c.club.id, poll.film_ids)
            mine = next(
                (b.choices for b in await c.tx.polls.ballots(c.club.id, poll.id) if b.user_id == c.actor.user_id), ()
            )
            return BallotForm(
                poll_id=poll.id,
                method=poll.method,
                films=tuple((f, films[f].label if f in films else f"#{f}") for f in poll.film_ids),
                mine=tuple(f for f in mine if f in poll.film_ids),
            )

        return await self.app.read(key, actor, work)

    async def toggle(self, key: ClubKey, actor: Actor, poll_id: int, film_id: int) -> Reply:
        """A button press: single choice picks the film; approval adds or removes it;
        ranked appends it to the member's order (or removes it if already ranked)."""

        async def work(c: Ctx) -> Reply:
            poll = await resolve_poll(c, f"#{poll_id}", open_only=True, usage=VOTE_USAGE)
            if film_id not in poll.film_ids:
                raise NotFound(f"Film #{film_id} is not in poll #{poll.id}.")
            mine = next((b for b in await c.tx.polls.ballots(c.club.id, poll.id) if b.user_id == c.actor.user_id), None)
            current = mine.choices if mine else ()
            if poll.method is PollMethod.SINGLE:
                choices: tuple[int, ...] = (film_id,)
            elif film_id in current:
                choices = tuple(f for f in current if f != film_id)
            else:
                choices = (*current, film_id)
            return await cast_ballot(c, poll, choices)

        return await self.app.write(key, actor, work)

    async def add_film(self, key: ClubKey, actor: Actor, poll_ref: str | None, film_ref: str) -> Reply:
        async def work(c: Ctx) -> Reply:
            poll = await resolve_poll(c, poll_ref, open_only=True, usage=ADD_USAGE)
            if not (c.club.config.members_add_to_polls or c.is_organizer):
                raise NotAllowed(
                    line(
                        "In this club only organizers add films to an open poll (an organizer can allow it: ",
                        cmd("config set", key="members_add_to_polls", value="yes"),
                        ").",
                    )
                )
            film = await resolve_film(c, film_ref, include_withdrawn=False)
            if film.id in poll.film_ids:
                raise Conflict(f"{film.label} is already in poll #{poll.id}.")
            if film.status not in OPEN_STATUSES:
                raise Conflict(f"{film.label} is {film.status.value}; polls offer suggested or shortlisted films.")
            if len(poll.film_ids) >= MAX_FILMS:
                raise Conflict(f"Poll #{poll.id} already offers {MAX_FILMS} films.")
            await c.tx.polls.set_films(c.club.id, poll.id, [*poll.film_ids, film.id])
            updated = await c.tx.polls.get(c.club.id, poll.id)
            assert updated is not None
            return await self._show(c, updated)

        return await self.app.write(key, actor, work)

    async def close(
        self,
        key: ClubKey,
        actor: Actor,
        ref: str | None = None,
        *,
        cancel: bool = False,
        schedule_at: str | None = None,
    ) -> Reply:
        async def work(c: Ctx) -> Reply:
            c.require_organizer("cancel polls" if cancel else "close polls")
            poll = await resolve_poll(c, ref, open_only=True, usage=CANCEL_USAGE if cancel else CLOSE_USAGE)
            reply = await close_poll(c, poll, cancel=cancel)
            night_party = None if cancel else await poll_closed_early(c, poll.id)
            if night_party is not None and schedule_at:  # a club night's winner goes to that night
                msg = f"Poll #{poll.id} is a club night's: its winner is scheduled for that night. Close it with: "
                raise Conflict(line(msg, cmd("poll close", poll=f"#{poll.id}")))
            if night_party is not None:
                return night_party
            if schedule_at and not cancel:
                winner = await c.tx.polls.get(c.club.id, poll.id)
                if winner is None or winner.winner_film_id is None:
                    said = f"Poll #{poll.id} has no ballots, so it has no winner to schedule. Nothing was changed: "
                    close = cmd("poll close", poll=f"#{poll.id}")
                    raise Conflict(line(said, "the poll is still open. Close it without a watch party with: ", close))
                party = await schedule_party(c, f"#{winner.winner_film_id}", schedule_at, None, None)
                assert party.subject is not None
                party_id = party.subject[1]
                return replace(
                    reply,
                    lines=(
                        *reply.lines,
                        line(
                            f"Scheduled watch party #{party_id}: ",
                            Time(_party_time(party)),
                            ". RSVP with: ",
                            cmd("rsvp", party=f"#{party_id}", answer=None),
                        ),
                    ),
                    actions=party.actions,
                    subject=party.subject,
                )
            if not cancel:
                closed = await c.tx.polls.get(c.club.id, poll.id)
                if closed is not None and closed.winner_film_id is not None:
                    schedule = cmd("party schedule", film=f"#{closed.winner_film_id}", when="<when>")
                    next_step = line("Next: schedule its watch party with: ", schedule)
                    return replace(reply, lines=(*reply.lines, next_step))
            return reply

        result = await self.app.write(key, actor, work)
        self.app.on_reminders_changed()
        return result

    async def choices(self, key: ClubKey, actor: Actor, *, open_only: bool = True) -> list[tuple[int, str]]:
        async def work(c: Ctx) -> list[tuple[int, str]]:
            polls = await c.tx.polls.list(c.club.id, open_only=open_only)
            return [(p.id, f"Poll #{p.id} ({p.method.value}, {len(p.film_ids)} films)") for p in polls[-25:]]

        return await self.app.read(key, actor, work)

    async def platform_ref(self, key: ClubKey, poll_id: int) -> str | None:
        """Where an adapter shows the poll (its handle, set with `update_platform_ref`); None
        when unset or when the club or poll is unknown."""

        async def work(tx: ClubTx) -> str | None:
            club = await tx.clubs.get(key)
            poll = await tx.polls.get(club.id, poll_id) if club else None
            return poll.platform_ref if poll else None

        return await self.app.store.read(work)

    async def update_platform_ref(
        self, key: ClubKey, poll_id: int, change: Callable[[str | None], str | None]
    ) -> str | None:
        """Replace the poll's handle with `change(current)` in one transaction, so processes
        adding messages at once keep each other's; returns the new handle (None: unknown poll)."""

        async def work(tx: ClubTx) -> str | None:
            club = await tx.clubs.get(key)
            poll = await tx.polls.get(club.id, poll_id) if club else None
            if club is None or poll is None:
                return None
            ref = change(poll.platform_ref)
            if ref != poll.platform_ref:
                await tx.polls.set_ref(club.id, poll_id, ref)
            return ref

        return await self.app.store.write(work)


def _party_time(party: Reply) -> datetime:
    for f in party.fields:
        for piece in f.lines[0]:
            if isinstance(piece, Time):
                return piece.at
    raise AssertionError("a party reply shows its time")


async def close_poll(c: Ctx, poll: Poll, *, cancel: bool = False) -> Reply:
    """Close (or cancel) `poll` now: count it, record the winner, shortlist it. Films that did not
    win stay in the running and are offered first by the next poll of top suggestions."""
    films = await c.tx.films.by_id(c.club.id, poll.film_ids)
    ballots = await c.tx.polls.ballots(c.club.id, poll.id)
    result = tally(poll.method, poll.film_ids, [b.choices for b in ballots])
    winner = None if cancel else result.winner
    status = PollStatus.CANCELLED if cancel else PollStatus.CLOSED
    await c.tx.polls.close(c.club.id, poll.id, status.value, c.now, winner)
    await c.tx.reminders.delete_pending(c.club.id, (ReminderKind.POLL_CLOSE.value,), poll.id)
    if winner is not None and films[winner].status is FilmStatus.SUGGESTED:
        await c.tx.films.set_status(c.club.id, winner, FilmStatus.SHORTLISTED)
    closed = replace(poll, status=status, closed_at=c.now, winner_film_id=winner)
    return poll_reply(closed, films, ballots, result)
