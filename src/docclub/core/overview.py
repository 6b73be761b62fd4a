"""A member's overview of the club: what is coming up, what is open, what they still have to do.

Adapters show it where a platform has a personal page (Slack's App Home). One consistent read:
the cards are the same `Reply`s `party show` and `poll show` give, with their RSVP and vote
actions, so every adapter renders them as it renders those commands.
"""

from __future__ import annotations

from dataclasses import dataclass

from docclub.core.context import App, Ctx
from docclub.core.models import Actor, ClubKey, FilmStatus, PartyStatus
from docclub.core.party_cards import party_reply
from docclub.core.poll_cards import poll_reply
from docclub.core.replies import Reply
from docclub.core.voting import tally

MAX_PARTIES = 5
MAX_POLLS = 3
MAX_TO_RATE = 20


@dataclass(frozen=True, slots=True)
class MemberOverview:
    """The club at a glance for one member. Each list is capped; `more_*` counts what was left out."""

    parties: tuple[Reply, ...]  # upcoming watch parties, soonest first, with RSVP actions
    polls: tuple[Reply, ...]  # open polls, oldest first, with vote actions
    to_rate: tuple[tuple[int, str], ...]  # (film id, label): watched films the member hasn't rated, newest first
    more_parties: int = 0
    more_polls: int = 0
    more_to_rate: int = 0


class Overview:
    """`app.overview`: what a member's personal page shows."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def for_member(self, key: ClubKey, actor: Actor) -> MemberOverview:
        """Upcoming parties (RSVP actions), open polls (vote actions; standings hidden while an
        anonymous poll is open, as `poll show` does) and the watched films `actor` hasn't rated."""

        async def work(c: Ctx) -> MemberOverview:
            parties = await c.tx.parties.list(c.club.id, statuses=(PartyStatus.SCHEDULED.value,))
            polls = await c.tx.polls.list(c.club.id, open_only=True)
            films = {f.id: f for f in await c.tx.films.list(c.club.id)}
            party_cards = tuple([await party_reply(c, p) for p in parties[:MAX_PARTIES]])
            poll_cards: list[Reply] = []
            for poll in polls[:MAX_POLLS]:
                ballots = await c.tx.polls.ballots(c.club.id, poll.id)
                result = tally(poll.method, poll.film_ids, [b.choices for b in ballots])
                in_poll = {f: films[f] for f in poll.film_ids if f in films}
                poll_cards.append(poll_reply(poll, in_poll, ballots, result))
            rated = {r.film_id for r in await c.tx.ratings.of_member(c.club.id, c.actor.user_id)}
            unrated = [
                (f.id, f.label)
                for f in sorted(films.values(), key=lambda f: -f.id)
                if f.status is FilmStatus.WATCHED and f.id not in rated
            ]
            return MemberOverview(
                parties=party_cards,
                polls=tuple(poll_cards),
                to_rate=tuple(unrated[:MAX_TO_RATE]),
                more_parties=max(0, len(parties) - MAX_PARTIES),
                more_polls=max(0, len(polls) - MAX_POLLS),
                more_to_rate=max(0, len(unrated) - MAX_TO_RATE),
            )

        return await self.app.read(key, actor, work)


__all__ = ["MemberOverview", "Overview"]
