"""Reply helpers adapters share."""

from __future__ import annotations

import pytest

from docclub.core.replies import pack_lines, span_words


def test_pack_lines_breaks_only_between_lines() -> None:
    assert pack_lines(["aaaa", "bbbb", "cc"], 9) == ["aaaa\nbbbb", "cc"]


def test_pack_lines_cuts_a_line_longer_than_the_limit_with_an_ellipsis() -> None:
    assert pack_lines(["x" * 12, "y"], 5) == ["xxxx…", "y"]


def test_pack_lines_of_nothing_is_nothing() -> None:
    assert pack_lines([], 10) == []


def test_relative_times_read_naturally() -> None:
    from datetime import UTC, datetime, timedelta

    from docclub.core.replies import relative

    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert relative(now + timedelta(seconds=10), now) == "now"
    assert relative(now + timedelta(seconds=50), now) == "in under a minute"
    assert relative(now + timedelta(minutes=5), now) == "in 5 min"
    assert relative(now + timedelta(minutes=90), now) == "in 1 h 30 min"
    assert relative(now - timedelta(hours=2), now) == "2 h ago"
    assert relative(now + timedelta(days=2, hours=13), now) == "in 2 days 13 h"
    assert relative(now + timedelta(days=1, minutes=20), now) == "in 1 day"
    assert relative(now + timedelta(days=9, hours=13), now) == "in 10 days"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (0, "0 min"),
        (45 * 60, "45 min"),
        (60 * 60, "1 h"),
        (90 * 60, "1 h 30 min"),
        (90 * 60 + 29, "1 h 30 min"),  # to the nearest minute
        (23 * 3600 + 59 * 60, "23 h 59 min"),
        (24 * 3600, "1 day"),
        (24 * 3600 + 29 * 60, "1 day"),  # from a day, to the nearest hour
        (30 * 3600, "1 day 6 h"),
        (2 * 86400, "2 days"),
        (6 * 86400 + 23 * 3600, "6 days 23 h"),
        (9 * 86400 + 13 * 3600, "10 days"),  # from a week, to the nearest day
        (-90 * 60, "1 h 30 min"),
    ],
)
def test_spans_are_worded_one_way(seconds: float, words: str) -> None:
    assert span_words(seconds) == words
