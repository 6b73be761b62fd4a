"""Counting poll ballots: single choice, approval and ranked choice (instant-runoff).

Pure functions over film ids. `tally` turns ballots into a `Tally` that records every round,
so results can show members the counts and, for ranked choice, who was eliminated when and
why. Ties are settled by the one deterministic rule in `TIE_RULE`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from docclub.core.models import PollMethod

__all__ = ["MAX_FILMS", "TIE_RULE", "Round", "Tally", "standings", "tally"]

MAX_FILMS = 20  # the films one poll offers, at most

TIE_RULE = (
    "Ties are settled by one fixed rule, so the same ballots always give the same result, "
    "and the results say whenever it was used. In a ranked-choice poll one film is eliminated "
    "per round, even when several have no votes at all. When films share the fewest votes, we "
    "look back through the earlier rounds, most recent first, and eliminate the film that had "
    "fewer votes in the latest round where the tied films differed; if they were level in every "
    "earlier round, the film latest in the poll order (the one added last) is eliminated. When "
    "films are level for the win (in a single-choice or approval poll, or the last two films of "
    "a ranked-choice poll), ranked choice first looks back through the rounds the same way, and "
    "the film with more votes in the latest round where they differed wins; otherwise the film "
    "earliest in the poll order wins, as it has been in the running longest."
)


@dataclass(frozen=True, slots=True)
class Round:
    """One counting round.

    `counts` holds (film_id, votes) for every candidate still in, in candidate order;
    `eliminated` the films knocked out at the end of the round (empty in the final round);
    `exhausted` the ballots with no remaining preference so far (ranked choice only);
    `tie_break` a member-readable sentence when a tie was broken in this round.
    """

    counts: tuple[tuple[int, int], ...]
    eliminated: tuple[int, ...]
    exhausted: int
    tie_break: str | None = None


@dataclass(frozen=True, slots=True)
class Tally:
    """The full result of counting a poll.

    `ballots` counts the ballots that named at least one candidate; blank ballots and ballots
    naming only films outside the poll are not counted. Single-choice and approval tallies have
    exactly one round. `winner` is None only when no ballot was counted. `tied` lists the films
    that were level for the win before the tie rule (empty if there was no such tie), and
    `tie_break` explains how the tie rule then picked the winner.
    """

    method: PollMethod
    candidates: tuple[int, ...]
    ballots: int
    rounds: tuple[Round, ...]
    winner: int | None
    tied: tuple[int, ...]
    tie_break: str | None


def tally(method: PollMethod, candidates: Sequence[int], ballots: Sequence[Sequence[int]]) -> Tally:
    """Count `ballots` for the films in `candidates` by `method`.

    `candidates` is the poll order: films earlier in it have been in the running longest, which
    the tie rule uses. Ballot entries that are not candidates are ignored, as are repeats of a
    film already on the ballot. Single choice counts each ballot's first film, approval counts
    every film on it once, ranked choice runs an instant-runoff. See `TIE_RULE` for ties.
    """
    method = PollMethod(method)  # also accepts the stored string value
    order = tuple(dict.fromkeys(candidates))  # a film listed twice keeps its first place
    known = set(order)
    cleaned = [_clean(ballot, known) for ballot in ballots]
    counted = [ballot for ballot in cleaned if ballot]
    if method is PollMethod.RANKED:
        return _instant_runoff(order, counted)
    if method is PollMethod.SINGLE:
        counted = [ballot[:1] for ballot in counted]
    return _one_round(method, order, counted)


def standings(t: Tally) -> list[tuple[int, int]]:
    """Final-round (film_id, votes), highest first.

    Films level on votes keep candidate order, except that the winner comes first among the
    films level with it, so the list never shows a film above the winner with the same votes.
    """
    if not t.rounds:
        return []
    position = {film: index for index, film in enumerate(t.candidates)}

    def key(entry: tuple[int, int]) -> tuple[int, bool, int]:
        film, votes = entry
        return (-votes, film != t.winner, position[film])

    return sorted(t.rounds[-1].counts, key=key)


def _clean(ballot: Sequence[int], known: set[int]) -> tuple[int, ...]:
    """The ballot's candidates in its order, without strangers or repeats."""
    return tuple(dict.fromkeys(film for film in ballot if film in known))


def _one_round(method: PollMethod, order: tuple[int, ...], ballots: list[tuple[int, ...]]) -> Tally:
    """Single choice and approval: every film on a (trimmed) ballot gets one vote."""
    votes = dict.fromkeys(order, 0)
    for ballot in ballots:
        for film in ballot:
            votes[film] += 1
    counts = tuple(votes.items())
    winner: int | None = None
    tied: tuple[int, ...] = ()
    explanation: str | None = None
    if ballots:
        top = max(votes.values())
        leaders = [film for film in order if votes[film] == top]
        winner = leaders[0]
        if len(leaders) > 1:
            tied = tuple(leaders)
            closest = "earlier" if len(leaders) == 2 else "earliest"
            explanation = (
                f"Tie between {_films(leaders)} at {_votes(top)}: #{winner} wins ({closest} in the poll order)."
            )
    only = Round(counts=counts, eliminated=(), exhausted=0, tie_break=explanation)
    return Tally(
        method=method,
        candidates=order,
        ballots=len(ballots),
        rounds=(only,),
        winner=winner,
        tied=tied,
        tie_break=explanation,
    )


def _instant_runoff(order: tuple[int, ...], ballots: list[tuple[int, ...]]) -> Tally:
    """Ranked choice: count top remaining preferences, drop one last-placed film a round."""
    remaining = list(order)
    history: list[dict[int, int]] = []
    rounds: list[Round] = []
    while True:
        votes = dict.fromkeys(remaining, 0)
        exhausted = 0
        still_in = set(remaining)
        for ballot in ballots:
            top = next((film for film in ballot if film in still_in), None)
            if top is None:
                exhausted += 1
            else:
                votes[top] += 1
        history.append(votes)
        counts = tuple(votes.items())
        active = len(ballots) - exhausted

        if not ballots or not remaining:
            rounds.append(Round(counts=counts, eliminated=(), exhausted=exhausted))
            return _ranked_result(order, ballots, rounds, winner=None)

        top_votes = max(votes.values())
        leaders = [film for film in remaining if votes[film] == top_votes]
        if len(remaining) == 1 or (len(leaders) == 1 and 2 * top_votes > active):
            rounds.append(Round(counts=counts, eliminated=(), exhausted=exhausted))
            return _ranked_result(order, ballots, rounds, winner=leaders[0])
        if len(remaining) == 2 and len(leaders) == 2:
            winner, explanation = _settle_win(leaders, top_votes, history)
            rounds.append(Round(counts=counts, eliminated=(), exhausted=exhausted, tie_break=explanation))
            return _ranked_result(order, ballots, rounds, winner=winner, tied=tuple(leaders), tie_break=explanation)

        fewest = min(votes.values())
        last = [film for film in remaining if votes[film] == fewest]
        loser, note = _settle_elimination(last, fewest, history)
        rounds.append(Round(counts=counts, eliminated=(loser,), exhausted=exhausted, tie_break=note))
        remaining.remove(loser)


def _ranked_result(
    order: tuple[int, ...],
    ballots: list[tuple[int, ...]],
    rounds: list[Round],
    *,
    winner: int | None,
    tied: tuple[int, ...] = (),
    tie_break: str | None = None,
) -> Tally:
    return Tally(
        method=PollMethod.RANKED,
        candidates=order,
        ballots=len(ballots),
        rounds=tuple(rounds),
        winner=winner,
        tied=tied,
        tie_break=tie_break,
    )


def _look_back(tied: Sequence[int], history: Sequence[Mapping[int, int]]) -> tuple[list[int], list[int]]:
    """Narrow `tied` (in poll order) to the films weakest in earlier rounds, most recent first.

    Returns the films still level after looking back, and the 1-based rounds that narrowed
    them down. The last entry of `history` is the current round and is skipped.
    """
    weakest = list(tied)
    deciding: list[int] = []
    for index in range(len(history) - 2, -1, -1):
        if len(weakest) == 1:
            break
        earlier = history[index]
        fewest = min(earlier[film] for film in weakest)
        narrowed = [film for film in weakest if earlier[film] == fewest]
        if len(narrowed) < len(weakest):
            weakest = narrowed
            deciding.append(index + 1)
    return weakest, deciding


def _settle_elimination(last: list[int], votes: int, history: Sequence[Mapping[int, int]]) -> tuple[int, str | None]:
    """Which of the last-placed films is eliminated, and the sentence saying why."""
    if len(last) == 1:
        return last[0], None
    weakest, deciding = _look_back(last, history)
    loser = weakest[-1]  # still level: the film latest in the poll order goes
    opening = f"Tie between {_films(last)} at {_votes(votes)}: "
    fewer = "fewer" if len(last) == 2 else "fewest"
    if len(weakest) == 1:
        return loser, f"{opening}#{loser} was eliminated ({fewer} votes in {_rounds(deciding)})."
    if deciding:
        return loser, (
            f"{opening}{_films(weakest)} had the fewest votes in {_rounds(deciding)}; "
            f"#{loser} was eliminated (later in the poll order)."
        )
    return loser, f"{opening}#{loser} was eliminated (later in the poll order)."


def _settle_win(leaders: list[int], votes: int, history: Sequence[Mapping[int, int]]) -> tuple[int, str]:
    """Which of the two films level in the final round wins, and the sentence saying why."""
    weakest, deciding = _look_back(leaders, history)
    opening = f"Tie between {_films(leaders)} at {_votes(votes)}: "
    if len(weakest) == 1:
        winner = next(film for film in leaders if film != weakest[0])
        return winner, f"{opening}#{winner} wins (more votes in {_rounds(deciding)})."
    winner = leaders[0]
    return winner, f"{opening}#{winner} wins (earlier in the poll order)."


def _films(films: Sequence[int]) -> str:
    """'#3', '#3 and #5', '#3, #5 and #7'."""
    names = [f"#{film}" for film in films]
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _votes(count: int) -> str:
    return f"{count} vote" if count == 1 else f"{count} votes"


def _rounds(numbers: Sequence[int]) -> str:
    """'round 2', or 'round 3, then round 1' when looking back took several steps."""
    return ", then ".join(f"round {number}" for number in numbers)
