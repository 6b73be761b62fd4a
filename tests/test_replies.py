"""Reply helpers adapters share."""

from __future__ import annotations

from docclub.core.replies import pack_lines


def test_pack_lines_breaks_only_between_lines() -> None:
    assert pack_lines(["aaaa", "bbbb", "cc"], 9) == ["aaaa\nbbbb", "cc"]


def test_pack_lines_cuts_a_line_longer_than_the_limit_with_an_ellipsis() -> None:
    assert pack_lines(["x" * 12, "y"], 5) == ["xxxx…", "y"]


def test_pack_lines_of_nothing_is_nothing() -> None:
    assert pack_lines([], 10) == []
