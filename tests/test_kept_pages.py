"""Kept club pages: by club and data version, until their moment, a few per club, some clubs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from docclub.core.kept_pages import KeptPages, next_month

T0 = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_a_page_is_given_back_only_for_its_club_and_version_and_before_its_moment() -> None:
    kept: KeptPages[str] = KeptPages()
    kept.put(1, "v1", T0 + timedelta(hours=1), "page")
    assert kept.get(1, "v1", T0) == "page"
    assert kept.get(1, "v2", T0) is None and kept.get(2, "v1", T0) is None
    assert kept.get(1, "v1", T0 + timedelta(hours=1)) is None
    assert kept.get(1, "v1", T0) is None  # dropped once stale


def test_a_club_keeps_a_few_versions_and_the_least_recently_loaded_clubs_go() -> None:
    kept: KeptPages[str] = KeptPages(clubs=2, per_club=2)
    later = T0 + timedelta(hours=1)
    for version in ("a", "b", "c"):
        kept.put(1, version, later, version)
    assert [kept.get(1, v, T0) for v in ("a", "b", "c")] == [None, "b", "c"]
    kept.put(2, "x", later, "two")
    assert kept.get(1, "c", T0) == "c"  # club 1 loaded last
    kept.put(3, "y", later, "three")
    assert kept.get(2, "x", T0) is None and kept.get(1, "c", T0) == "c" and kept.get(3, "y", T0) == "three"


def test_the_next_month_comes_an_hour_early_in_the_clubs_timezone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    assert next_month(T0, berlin) == datetime(2026, 11, 30, 23, 0, tzinfo=UTC) - timedelta(hours=1)
    new_years_eve = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)  # already January in Tokyo
    tokyo_february = datetime(2027, 1, 31, 15, 0, tzinfo=UTC)
    assert next_month(new_years_eve, ZoneInfo("Asia/Tokyo")) == tokyo_february - timedelta(hours=1)
    assert next_month(new_years_eve, berlin) == datetime(2026, 12, 31, 23, 0, tzinfo=UTC) - timedelta(hours=1)
