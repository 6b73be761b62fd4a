"""Counting ballots: single choice, approval, instant-runoff, and the one tie rule.

The property tests at the end check our counts against the reference library pref_voting.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pref_voting.grade_methods import approval
from pref_voting.grade_profiles import GradeProfile
from pref_voting.iterative_methods import instant_runoff, instant_runoff_put
from pref_voting.profiles import Profile
from pref_voting.profiles_with_ties import ProfileWithTies
from pref_voting.scoring_methods import plurality

from docclub.core.models import PollMethod
from docclub.core.voting import TIE_RULE, Round, standings, tally

SINGLE, APPROVAL, RANKED = PollMethod.SINGLE, PollMethod.APPROVAL, PollMethod.RANKED


# Single choice and approval


def test_single_choice_counts_only_the_first_film_on_each_ballot() -> None:
    result = tally(SINGLE, [1, 2, 3], [[1, 2], [2], [2, 1], [3, 2]])

    assert result.rounds == (Round(counts=((1, 1), (2, 2), (3, 1)), eliminated=(), exhausted=0),)
    assert result.winner == 2
    assert result.ballots == 4
    assert result.tied == ()
    assert result.tie_break is None


def test_approval_counts_every_film_on_a_ballot_once() -> None:
    result = tally(APPROVAL, [1, 2, 3], [[1, 2], [2, 3], [2], [1, 3, 1]])

    assert result.rounds[0].counts == ((1, 2), (2, 3), (3, 2))
    assert len(result.rounds) == 1
    assert result.winner == 2


def test_single_choice_tie_for_the_win_goes_to_the_earliest_film_in_the_poll() -> None:
    result = tally(SINGLE, [5, 3, 9], [[9], [3], [5]])

    assert result.winner == 5
    assert result.tied == (5, 3, 9)
    assert result.tie_break == (
        "Tie between #5, #3 and #9 at 1 vote: #5 wins (earliest in the poll order)."
    )
    assert result.rounds[0].tie_break == result.tie_break


def test_approval_tie_for_the_win_goes_to_the_earlier_film_in_the_poll() -> None:
    result = tally(APPROVAL, [8, 4, 6], [[4, 8], [8, 4, 6], [6]])

    assert result.winner == 8
    assert result.tied == (8, 4, 6)
    assert result.tie_break is not None
    assert "#8 wins" in result.tie_break


# Instant-runoff


def test_ranked_redistributes_eliminated_films_votes_over_several_rounds() -> None:
    ballots = [[10]] * 5 + [[20, 30]] * 4 + [[30, 20]] * 3 + [[40, 30]] * 2

    result = tally(RANKED, [10, 20, 30, 40], ballots)

    assert result.rounds == (
        Round(counts=((10, 5), (20, 4), (30, 3), (40, 2)), eliminated=(40,), exhausted=0),
        Round(counts=((10, 5), (20, 4), (30, 5)), eliminated=(20,), exhausted=0),
        Round(counts=((10, 5), (30, 9)), eliminated=(), exhausted=0),
    )
    assert result.winner == 30  # behind in the first round, ahead once preferences move


def test_ranked_stops_as_soon_as_a_film_has_a_majority() -> None:
    result = tally(RANKED, [1, 2, 3], [[1], [1], [1], [2], [3]])

    assert len(result.rounds) == 1
    assert result.rounds[0].eliminated == ()
    assert result.winner == 1


def test_ranked_majority_is_of_ballots_not_yet_exhausted() -> None:
    ballots = [[1]] * 4 + [[2]] * 3 + [[3]] * 2  # the two #3 ballots name nothing else

    result = tally(RANKED, [1, 2, 3], ballots)

    assert [r.exhausted for r in result.rounds] == [0, 2]
    assert result.rounds[-1].counts == ((1, 4), (2, 3))
    assert result.winner == 1  # 4 of the 7 live ballots, though not 4 of all 9


def test_ranked_exhausted_ballots_accumulate_across_rounds() -> None:
    ballots = [[1]] * 7 + [[2]] * 4 + [[3]] * 2 + [[4]] * 3 + [[5, 4]]

    result = tally(RANKED, [1, 2, 3, 4, 5], ballots)

    assert [r.eliminated for r in result.rounds] == [(5,), (3,), (4,), ()]
    assert [r.exhausted for r in result.rounds] == [0, 0, 2, 6]
    assert result.winner == 1


def test_ranked_elimination_tie_eliminates_the_film_weaker_in_an_earlier_round() -> None:
    # #3 comes before #2 in the poll, so only the look-back can eliminate #3 first.
    ballots = [[1]] * 5 + [[2]] * 3 + [[3]] * 2 + [[4, 3]]

    result = tally(RANKED, [1, 3, 2, 4], ballots)

    second = result.rounds[1]
    assert second.counts == ((1, 5), (3, 3), (2, 3))
    assert second.eliminated == (3,)
    assert second.tie_break == (
        "Tie between #3 and #2 at 3 votes: #3 was eliminated (fewer votes in round 1)."
    )


def test_ranked_elimination_tie_with_no_earlier_difference_eliminates_the_later_film() -> None:
    ballots = [[1]] * 3 + [[2]] * 2 + [[3, 2]] + [[4, 3]]

    result = tally(RANKED, [1, 2, 3, 4], ballots)

    first = result.rounds[0]
    assert first.eliminated == (4,)
    assert first.tie_break == (
        "Tie between #3 and #4 at 1 vote: #4 was eliminated (later in the poll order)."
    )


def test_ranked_elimination_tie_looks_back_past_rounds_where_the_films_were_level() -> None:
    ballots = [[1]] * 6 + [[3]] * 2 + [[2]] * 3 + [[4, 3]] + [[5, 3], [5, 2]]

    result = tally(RANKED, [1, 3, 2, 4, 5], ballots)

    assert [dict(r.counts).get(3) for r in result.rounds[:3]] == [2, 3, 4]
    assert [dict(r.counts).get(2) for r in result.rounds[:3]] == [3, 3, 4]
    assert result.rounds[2].eliminated == (3,)
    assert result.rounds[2].tie_break == (
        "Tie between #3 and #2 at 4 votes: #3 was eliminated (fewer votes in round 1)."
    )


def test_ranked_eliminates_zero_vote_films_one_per_round() -> None:
    result = tally(RANKED, [1, 2, 3, 4], [[1], [1], [2], [2]])

    assert [r.eliminated for r in result.rounds] == [(4,), (3,), ()]
    assert result.rounds[0].tie_break == (
        "Tie between #3 and #4 at 0 votes: #4 was eliminated (later in the poll order)."
    )
    assert result.rounds[1].tie_break is None


def test_ranked_final_tie_goes_to_the_earlier_film_when_rounds_never_differed() -> None:
    result = tally(RANKED, [1, 2, 3, 4], [[1], [1], [2], [2]])

    assert result.winner == 1
    assert result.tied == (1, 2)
    assert result.tie_break == (
        "Tie between #1 and #2 at 2 votes: #1 wins (earlier in the poll order)."
    )
    assert result.rounds[-1].tie_break == result.tie_break
    assert result.rounds[-1].eliminated == ()


def test_ranked_final_tie_goes_to_the_film_ahead_in_an_earlier_round() -> None:
    ballots = [[1]] * 2 + [[2]] * 3 + [[3, 1]]

    result = tally(RANKED, [1, 2, 3], ballots)

    assert result.rounds[-1].counts == ((1, 3), (2, 3))
    assert result.winner == 2
    assert result.tied == (1, 2)
    assert result.tie_break == "Tie between #1 and #2 at 3 votes: #2 wins (more votes in round 1)."


def test_ranked_win_without_a_tie_reports_no_tie_break() -> None:
    ballots = [[10]] * 5 + [[20, 30]] * 4 + [[30, 20]] * 3 + [[40, 30]] * 2

    result = tally(RANKED, [10, 20, 30, 40], ballots)

    assert result.tied == ()
    assert result.tie_break is None
    assert all(r.tie_break is None for r in result.rounds)


def test_ranked_three_way_tie_narrows_by_earlier_rounds_then_poll_order() -> None:
    # #5's two votes go one each to #3 and #4, leaving all four level in round 2;
    # in round 1 #3 and #4 were both a vote behind.
    ballots = [[1]] * 4 + [[2]] * 4 + [[3]] * 3 + [[4]] * 3 + [[5, 3], [5, 4]]

    result = tally(RANKED, [1, 2, 3, 4, 5], ballots)

    assert result.rounds[1].counts == ((1, 4), (2, 4), (3, 4), (4, 4))
    assert result.rounds[1].eliminated == (4,)
    assert result.rounds[1].tie_break == (
        "Tie between #1, #2, #3 and #4 at 4 votes: #3 and #4 had the fewest votes in round 1; "
        "#4 was eliminated (later in the poll order)."
    )


# Edge cases


@pytest.mark.parametrize("method", list(PollMethod))
def test_no_ballots_means_no_winner(method: PollMethod) -> None:
    result = tally(method, [1, 2, 3], [])

    assert result.winner is None
    assert result.ballots == 0
    assert result.tied == ()
    assert result.tie_break is None
    assert result.rounds == (Round(counts=((1, 0), (2, 0), (3, 0)), eliminated=(), exhausted=0),)


@pytest.mark.parametrize("method", list(PollMethod))
def test_ballots_naming_no_candidate_are_not_counted(method: PollMethod) -> None:
    result = tally(method, [1, 2], [[], [99], [77, 88]])

    assert result.ballots == 0
    assert result.winner is None


@pytest.mark.parametrize("method", list(PollMethod))
def test_unknown_and_repeated_ballot_entries_are_ignored(method: PollMethod) -> None:
    clean = [[1, 2, 3], [2, 3], [3, 1], [3, 2], [2]]
    dirty = [[99, 1, 1, 2, 3, 2], [2, 2, 3, -5], [0, 3, 1, 3], [3, 3, 3, 2, 99], [2, 42], [], [7]]

    assert tally(method, [1, 2, 3], dirty) == tally(method, [1, 2, 3], clean)


def test_single_choice_skips_unknown_films_to_the_first_candidate() -> None:
    result = tally(SINGLE, [1, 2], [[99, 2, 1]])

    assert result.rounds[0].counts == ((1, 0), (2, 1))


def test_a_film_listed_twice_among_candidates_is_one_candidate() -> None:
    result = tally(RANKED, [1, 2, 1], [[1], [2], [2]])

    assert result.candidates == (1, 2)
    assert result.rounds[0].counts == ((1, 1), (2, 2))
    assert result.winner == 2


def test_standings_list_highest_first_and_ties_in_poll_order() -> None:
    result = tally(APPROVAL, [2, 1, 3, 4], [[3, 4], [4, 2], [3], [1]])

    assert standings(result) == [(3, 2), (4, 2), (2, 1), (1, 1)]


def test_standings_put_the_winner_first_among_films_level_with_it() -> None:
    result = tally(RANKED, [1, 2, 3], [[1]] * 2 + [[2]] * 3 + [[3, 1]])

    assert standings(result) == [(2, 3), (1, 3)]


def test_tie_rule_is_documented_for_members() -> None:
    assert "poll order" in TIE_RULE
    assert "earlier rounds" in TIE_RULE


# Agreement with pref_voting


@st.composite
def ranked_polls(draw: st.DrawFn) -> tuple[list[int], list[list[int]]]:
    """3–6 films with arbitrary ids, 1–40 full or truncated rankings of them."""
    size = draw(st.integers(min_value=3, max_value=6))
    films = draw(st.lists(st.integers(1, 500), min_size=size, max_size=size, unique=True))
    full = draw(st.booleans())
    ranking = st.permutations(films).flatmap(
        lambda order: (
            st.just(order)
            if full
            else st.integers(1, len(order)).map(lambda length: order[:length])
        )
    )
    ballots = draw(st.lists(ranking, min_size=1, max_size=40))
    return films, ballots


@st.composite
def approval_polls(draw: st.DrawFn) -> tuple[list[int], list[list[int]]]:
    """3–6 films, 1–40 ballots each approving a non-empty subset of them."""
    size = draw(st.integers(min_value=3, max_value=6))
    films = draw(st.lists(st.integers(1, 500), min_size=size, max_size=size, unique=True))
    subset = st.lists(st.sampled_from(films), min_size=1, max_size=size, unique=True)
    return films, draw(st.lists(subset, min_size=1, max_size=40))


def _with_ties(films: list[int], ballots: list[list[int]]) -> ProfileWithTies:
    return ProfileWithTies(
        [{film: rank for rank, film in enumerate(ballot, start=1)} for ballot in ballots],
        candidates=films,
    )


def _earliest(films: list[int], among: list[int]) -> int:
    return next(film for film in films if film in among)


def test_ranked_drops_one_film_tied_for_last_where_pref_voting_drops_them_all() -> None:
    # #3 and #4 tie for last. pref_voting's instant_runoff drops both at once, so #3 never
    # collects #4's transfers and #1 wins; our rule drops #4 alone and #3 goes on to win.
    films = [1, 2, 3, 4]
    ballots = [[1]] * 4 + [[2, 3]] * 3 + [[3]] * 2 + [[4, 3]] * 2

    assert instant_runoff(_with_ties(films, ballots)) == [1]
    assert tally(RANKED, films, ballots).winner == 3
    assert instant_runoff_put(_with_ties(films, ballots)) == [1, 3]


@settings(max_examples=200, deadline=None)
@given(ranked_polls())
def test_ranked_winner_is_an_instant_runoff_winner_of_pref_voting(
    poll: tuple[list[int], list[list[int]]],
) -> None:
    films, ballots = poll
    ours = tally(RANKED, films, ballots)
    winner = ours.winner
    assert winner is not None

    # pref_voting's plain instant_runoff drops every film tied for last at once; we drop one
    # at a time, which can change the winner. Its parallel-universe variant (PUT) returns every
    # film that wins under some one-at-a-time elimination order, which must include ours.
    possible = instant_runoff_put(_with_ties(films, ballots))
    assert winner in possible
    if len(possible) == 1:
        assert winner == possible[0]
    if all(r.tie_break is None for r in ours.rounds):
        # no tie on the way, so no difference in method: the plain version must agree exactly
        assert instant_runoff(_with_ties(films, ballots)) == [winner]
    if all(len(ballot) == len(films) for ballot in ballots):
        index = {film: i for i, film in enumerate(films)}
        profile = Profile([[index[film] for film in ballot] for ballot in ballots])
        assert index[winner] in instant_runoff_put(profile)


@settings(max_examples=200, deadline=None)
@given(ranked_polls())
def test_single_choice_matches_pref_voting_plurality(
    poll: tuple[list[int], list[list[int]]],
) -> None:
    films, ballots = poll
    ours = tally(SINGLE, films, ballots)

    first_choices = _with_ties(films, [ballot[:1] for ballot in ballots])
    assert dict(ours.rounds[0].counts) == first_choices.plurality_scores()
    leaders = plurality(first_choices)
    assert ours.winner == _earliest(films, leaders)
    assert ours.tied == (tuple(f for f in films if f in leaders) if len(leaders) > 1 else ())


@settings(max_examples=200, deadline=None)
@given(approval_polls())
def test_approval_matches_pref_voting_approval(
    poll: tuple[list[int], list[list[int]]],
) -> None:
    films, ballots = poll
    ours = tally(APPROVAL, films, ballots)

    grades = GradeProfile(
        [dict.fromkeys(ballot, 1) for ballot in ballots], grades=[0, 1], candidates=films
    )
    reference = {film: int(score or 0) for film, score in grades.approval_scores().items()}
    assert dict(ours.rounds[0].counts) == reference
    assert ours.winner == _earliest(films, approval(grades))


def test_ranked_tie_for_the_win_looks_back_from_the_most_recent_round() -> None:
    # Round 4 ends #3 and #4 level at 5. Round 3 (#3 5, #4 4) decides for #3; looking back from
    # the oldest round instead (#3 2, #4 4) would wrongly give the win to #4.
    ballots = [[5, 3, 1, 4, 2], [5, 2, 3, 1, 4], [2, 3, 4, 1], [3, 2], [4, 3, 1], [3, 1, 5], [1, 2], [4, 5, 2],
               [4], [4, 2, 5, 3], [1, 4, 3, 5, 2]]  # fmt: skip

    result = tally(RANKED, [1, 2, 3, 4, 5], ballots)

    assert [dict(r.counts) for r in result.rounds] == [
        {1: 2, 2: 1, 3: 2, 4: 4, 5: 2},
        {1: 2, 3: 3, 4: 4, 5: 2},
        {1: 2, 3: 5, 4: 4},
        {3: 5, 4: 5},
    ]
    assert result.winner == 3
    assert result.tie_break == "Tie between #3 and #4 at 5 votes: #3 wins (more votes in round 3)."
