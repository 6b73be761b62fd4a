"""Reply helpers adapters share."""

from __future__ import annotations

from docclub.core.replies import pack_lines


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
