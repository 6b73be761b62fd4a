"""The club page's charts as geometry: bars and points in an SVG viewBox, drawn server-side.

The templates turn these into inline SVG (so the page needs no script and no image requests);
every label is text the template escapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from docclub.core.club_page import FilmPoint
from docclub.core.models import RatingScale

__all__ = [
    "Bar",
    "BarChart",
    "LineChart",
    "Point",
    "distribution_chart",
    "months_chart",
    "over_time_chart",
    "score_label",
    "standing_width",
]

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # under the bar
    count: int
    title: str  # the tooltip and what a screen reader says
    mid: float  # the x of the bar's middle, for its texts
    count_y: float  # where its count stands, above it


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    base: float  # the y of the bars' baseline
    bars: tuple[Bar, ...]
    summary: str


@dataclass(frozen=True, slots=True)
class Point:
    x: float
    y: float
    title: str


@dataclass(frozen=True, slots=True)
class LineChart:
    width: int
    height: int
    points: tuple[Point, ...]
    path: str  # the polyline through the points
    grid: tuple[tuple[float, str], ...]  # y, label
    summary: str


def score_label(score: int, scale: RatingScale) -> str:
    """A 1–10 stored score as the club's scale writes it: 7, or 3.5★."""
    if scale is RatingScale.STARS:
        stars = score / 2
        return f"{stars:g}★"
    return str(score)


def mean_label(mean: float, scale: RatingScale) -> str:
    return f"{mean / 2:.1f}★" if scale is RatingScale.STARS else f"{mean:.1f}"


def _bars(counts: Sequence[int], labels: Sequence[str], titles: Sequence[str], width: int, height: int) -> list[Bar]:
    slot = width / max(1, len(counts))
    tallest = max(counts, default=0) or 1
    top = 14  # room for the tallest bar's count
    room = height - 16 - top  # and for the labels below the baseline
    out = []
    for i, n in enumerate(counts):
        h = room * n / tallest
        x, y = round(i * slot + slot * 0.15, 2), round(top + room - h, 2)
        mid = round(i * slot + slot / 2, 2)
        out.append(Bar(x, y, round(slot * 0.7, 2), round(h, 2), labels[i], n, titles[i], mid, round(max(y - 3, 9), 2)))
    return out


def distribution_chart(distribution: Sequence[int], scale: RatingScale) -> BarChart:
    """A film's ratings by score: ten bars."""
    labels = [score_label(s, scale) for s in range(1, 11)]
    titles = [f"{label}: {n} rating{'s' if n != 1 else ''}" for label, n in zip(labels, distribution, strict=True)]
    bars = _bars(distribution, labels, titles, 220, 76)
    summary = "Ratings by score: " + ", ".join(titles)
    return BarChart(220, 76, 60, tuple(bars), summary)


def months_chart(per_month: Sequence[tuple[date, int]]) -> BarChart:
    """Watch parties held per month, the last twelve months."""
    labels = [MONTHS[m.month - 1] for m, _ in per_month]
    titles = [f"{MONTHS[m.month - 1]} {m.year}: {n} film{'s' if n != 1 else ''}" for m, n in per_month]
    bars = _bars([n for _, n in per_month], labels, titles, 480, 140)
    return BarChart(480, 140, 124, tuple(bars), "Films watched per month: " + ", ".join(titles))


def over_time_chart(points: Sequence[FilmPoint], scale: RatingScale, zone: ZoneInfo) -> LineChart:
    """Each revealed film's mean score, in the order the club watched them."""
    width, height, left, top, bottom = 600, 180, 30, 10, 20
    inner_w, inner_h = width - left - 10, height - top - bottom
    step = inner_w / max(1, len(points) - 1)

    def y_of(score: float) -> float:
        return round(top + inner_h * (10 - score) / 9, 2)

    out: list[Point] = []
    for i, p in enumerate(points):
        x = round(left + (i * step if len(points) > 1 else inner_w / 2), 2)
        when = _short_date(p.at, zone)
        out.append(Point(x, y_of(p.mean), f"{p.label} ({when}): {mean_label(p.mean, scale)}"))
    grid = tuple((y_of(s), score_label(s, scale)) for s in (2, 4, 6, 8, 10))
    path = " ".join(f"{pt.x},{pt.y}" for pt in out)
    summary = "Club ratings over time: " + "; ".join(pt.title for pt in out)
    return LineChart(width, height, tuple(out), path, grid, summary)


def standing_width(votes: int, most: int, full: int = 100) -> float:
    """A poll standing's bar length, out of `full`; a film without votes keeps a sliver."""
    return round(max(1.5, full * votes / most) if most else 1.5, 2)


def _short_date(at: datetime, zone: ZoneInfo) -> str:
    local = at.astimezone(zone)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"
