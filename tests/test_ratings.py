"""Ratings: the club's scale, blind until you rate, stats, history and leaderboard."""

from __future__ import annotations

import pytest

from docclub.console import actor_for
from docclub.core.errors import InvalidInput
from docclub.core.models import RatingScale
from docclub.core.ratings import parse_score, show_score
from tests.conftest import Club


@pytest.mark.parametrize(("text", "stored"), [("1", 1), ("10", 10), ("7/10", 7)])
def test_ten_point_scores_are_stored_as_given(text: str, stored: int) -> None:
    assert parse_score(text, RatingScale.TEN) == stored


@pytest.mark.parametrize("text", ["0", "11", "-1", "7.5", "9.7", "ten", "", "1e1", "NaN", "inf", "-inf"])
def test_ten_point_scale_refuses_what_is_not_a_whole_number_from_1_to_10(text: str) -> None:
    with pytest.raises(InvalidInput, match="this club rates from 1 to 10 in whole numbers"):
        parse_score(text, RatingScale.TEN)


@pytest.mark.parametrize(("text", "stored"), [("0.5", 1), ("3.5", 7), ("5", 10), ("4½", 9), ("★★★", 6),
                                              ("★★½", 5), ("2,5", 5), (".5", 1)])
def test_stars_are_stored_as_half_stars(text: str, stored: int) -> None:
    assert parse_score(text, RatingScale.STARS) == stored


@pytest.mark.parametrize("text", ["0", "5.5", "3.25", "2.25", "6", "★★★★★★", "many", "NaN", "inf", "1e1", "-3"])
def test_stars_refuse_what_is_not_a_half_star_from_half_to_five(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"this club rates from 0\.5 to 5 stars in half stars"):
        parse_score(text, RatingScale.STARS)


def test_scores_show_on_the_clubs_scale() -> None:
    assert show_score(7, RatingScale.TEN) == "7/10"
    assert show_score(6.5, RatingScale.TEN) == "6.5/10"
    assert show_score(7, RatingScale.STARS) == "3.5★"
    assert show_score(10, RatingScale.STARS) == "5★"


async def test_blind_ratings_hide_scores_until_member_rates(club: Club) -> None:
    await club.say("suggest Navalny (2022)")
    await club.say("alice> rate Navalny 9 Astonishing phone call scene")
    await club.say("bob> rate Navalny 4")
    blind = await club.say("carol> ratings Navalny")
    assert "2 members have rated it. Ratings stay hidden until you rate it yourself" in blind
    assert "9/10" not in blind and "Astonishing" not in blind
    card = await club.say("carol> film Navalny")
    assert "Ratings: 2 ratings; rate it to see the scores." in card
    assert "Navalny" not in (await club.say("carol> leaderboard")).split("Hidden until you rate them")[0]
    await club.say("carol> rate Navalny 8")
    seen = await club.say("carol> ratings Navalny")
    assert "Mean: 7/10" in seen
    assert "Median: 8/10" in seen
    assert "alice (9/10): [spoiler: Astonishing phone call scene]" in seen


async def test_most_divisive_scores_are_those_furthest_from_the_mean(club: Club) -> None:
    await club.say("suggest Navalny (2022)")
    for name, score in (("a", 8), ("b", 8), ("c", 8), ("d", 2)):
        await club.say(f"{name}> rate Navalny {score}")
    out = await club.say("a> ratings Navalny")
    divisive = out.split("Most divisive:")[1].splitlines()[1]
    assert divisive.strip() == "d: 2/10 (−4.5 from the mean)"


async def test_changing_a_rating_replaces_it(club: Club) -> None:
    await club.say("suggest Navalny (2022)")
    await club.say("alice> rate Navalny 5")
    out = await club.say("alice> rate Navalny 7 Better on a second look")
    assert out.startswith("Updated your rating of Navalny (2022): 7/10.")
    snap = await club.snapshot()
    assert [(r.user_id, r.score, r.review) for r in snap.ratings] == [("alice", 7, "Better on a second look")]


async def test_rating_marks_the_film_seen_without_a_club_screening(club: Club) -> None:
    await club.say("suggest Navalny (2022)")
    await club.say("alice> rate Navalny 6")
    assert "Seen by: 1 member" in await club.say("film Navalny")


async def test_stars_club_rates_and_reports_in_stars(club: Club) -> None:
    await club.say("config set rating_scale stars")
    await club.say("suggest Navalny (2022)")
    await club.say("alice> rate Navalny 4.5")
    await club.say("bob> rate Navalny 3")
    assert "Mean: 3.75★" in await club.say("alice> ratings Navalny")
    assert "Navalny (2022) — 3.75★ (2 ratings)" in await club.say("alice> leaderboard")


async def test_leaderboard_orders_by_mean_then_count(club: Club) -> None:
    for title in ("Navalny", "Fire of Love", "Honeyland"):
        await club.say(f"suggest {title}")
    await club.say("a> rate Navalny 8")
    await club.say("a> rate Fire of Love 9")
    await club.say("b> rate Honeyland 8")
    await club.say("c> rate Honeyland 8")
    await club.say("a> rate Honeyland 8")
    lines = (await club.say("a> leaderboard")).splitlines()
    assert lines[1].startswith("1. #2 Fire of Love")
    assert lines[2].startswith("2. #3 Honeyland")  # 8 from three ratings beats 8 from one
    assert lines[3].startswith("3. #1 Navalny")


async def test_my_ratings_lists_only_mine(club: Club) -> None:
    await club.say("suggest Navalny")
    await club.say("suggest Honeyland")
    await club.say("alice> rate Navalny 8")
    await club.say("bob> rate Honeyland 3")
    out = await club.say("alice> my ratings")
    assert "#1 Navalny: 8/10" in out and "Honeyland" not in out


async def test_rating_again_without_a_review_keeps_the_review(club: Club) -> None:
    await club.say("suggest Navalny (2022)")
    await club.say("alice> rate Navalny 9 Made me cry")
    out = await club.say("alice> rate Navalny 8")
    assert "Your review stays (shown as a spoiler): [spoiler: Made me cry]" in out
    assert [(r.score, r.review) for r in (await club.snapshot()).ratings] == [(8, "Made me cry")]


async def test_removing_a_review_is_explicit(club: Club) -> None:
    await club.say("suggest Navalny (2022)")
    await club.say("alice> rate Navalny 9 Made me cry")
    assert "Your review was removed." in await club.say("alice> rate Navalny 9 --no-review")
    assert [(r.score, r.review) for r in (await club.snapshot()).ratings] == [(9, None)]
    both = await club.say("alice> rate Navalny 9 Great --no-review")
    assert both.startswith("Give a new review or remove yours, not both.")
    assert both.endswith("Usage: rate <film> <score> [review] [--no-review]")


async def _three_raters(club: Club) -> None:
    for title in ("Navalny", "Fire of Love", "Honeyland"):
        await club.say(f"suggest {title}")
    await club.say("alice> rate Navalny 9 Astonishing")
    await club.say("bob> rate Navalny 4")
    await club.say("carol> rate Navalny 8")
    await club.say("alice> rate Fire of Love 3")
    await club.say("bob> rate Honeyland 10")


async def test_leaderboard_shows_a_member_only_the_means_of_films_they_rated(club: Club) -> None:
    await _three_raters(club)
    carol = await club.say("carol> leaderboard")
    assert "1. #1 Navalny — 7/10 (3 ratings)" in carol
    hidden = carol.split("Hidden until you rate them:")[1]
    assert "#2 Fire of Love — 1 rating" in hidden and "#3 Honeyland — 1 rating" in hidden
    assert "3/10" not in carol and "10/10" not in carol
    dave = await club.say("dave> leaderboard")
    assert "/10" not in dave
    assert "You haven't rated any film the club has rated, so every score is hidden." in dave
    assert "#1 Navalny — 3 ratings" in dave


async def test_no_score_shows_to_a_member_who_has_not_rated(club: Club) -> None:
    await _three_raters(club)
    for line in ("film Navalny", "ratings Navalny", "leaderboard", "my ratings", "film Honeyland"):
        out = await club.say(f"dave> {line}")
        assert "/10" not in out and "Astonishing" not in out, line
    card = await club.say("alice> film Navalny")  # a card may be posted to the channel: no scores at all
    assert "Ratings: 3 ratings; see the scores with: ratings #1" in card and "/10" not in card


async def test_scores_shown_to_a_rater_are_for_them_only(club: Club) -> None:
    await _three_raters(club)
    reveal = await club.app.ratings.show(club.session.key, actor_for("alice"), "Navalny")
    board = await club.app.ratings.leaderboard(club.session.key, actor_for("alice"))
    assert reveal.ephemeral and board.ephemeral


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("rate Navalny -3", "The score '-3' is out of range: this club rates from 1 to 10"),
        ("rate Navalny NaN", "The score 'NaN' isn't a number: this club rates from 1 to 10"),
        ("rate Navalny inf", "The score 'inf' isn't a number"),
        ("rate Navalny 1e1", "The score '1e1' isn't a number"),
        ("rate Navalny 9.7", "The score '9.7' has a fraction: this club rates from 1 to 10 in whole numbers"),
        ("rate Fire of Love 11 Too long", "The score '11' is out of range"),
        ("rate 9 Navalny", "Put the film first, then the score: rate Navalny 9"),
        ("rate 9 Fire of Love", 'Put the film first, then the score: rate "Fire of Love" 9'),
        ("rate Navalny", "Give a score."),
    ],
)
async def test_a_bad_score_is_explained_with_the_scale_and_usage(club: Club, line: str, message: str) -> None:
    await club.say("suggest Navalny")
    await club.say("suggest Fire of Love")
    out = await club.say(f"alice> {line}")
    assert out.startswith(message), out
    assert out.endswith("Usage: rate <film> <score> [review] [--no-review]")
    assert (await club.snapshot()).ratings == []


async def test_a_quarter_star_is_refused_on_the_star_scale(club: Club) -> None:
    await club.say("config set rating_scale stars")
    await club.say("suggest Navalny")
    out = await club.say("alice> rate Navalny 2.25")
    assert out.startswith("The score '2.25' is not a half star: this club rates from 0.5 to 5 stars in half stars")


async def test_a_members_csv_export_holds_only_their_own_scores(club: Club) -> None:
    await _three_raters(club)
    dave = await club.app.backup.export_csv(club.session.key, actor_for("dave"))
    assert dave.attachment is None  # no ratings of his own: told so, not given an empty file
    assert "nothing to export" in str(dave.lines[0])
    bob = await club.app.backup.export_csv(club.session.key, actor_for("bob"))
    assert bob.attachment is not None
    text = bob.attachment.data.decode()
    assert "Navalny" in text and "Honeyland" in text and "Fire of Love" not in text and "Astonishing" not in text
