"""Reading Letterboxd list and watchlist exports."""

from __future__ import annotations

from pathlib import Path

import pytest

from docclub.core.errors import InvalidInput
from docclub.core.letterboxd import MAX_FILMS, ListedFilm, read_letterboxd_list

DATA = Path(__file__).parent / "data"


def test_a_list_export_gives_its_films_in_order_after_the_list_header() -> None:
    films = read_letterboxd_list((DATA / "letterboxd_club_picks.csv").read_bytes())
    assert [(f.title, f.year) for f in films] == [
        ("Beyond Utopia", 2023),
        ("Navalny", 2022),
        ("Amy", 2015),
        ("Free Solo", 2018),
        ("این فیلم نیست", 2011),
        ("Grizzly Man 🐻", 2005),
        ("Navalny", 2022),
    ]
    assert films[1] == ListedFilm(7, "Navalny", 2022, "https://boxd.it/nAv1", "Watch before the election, please")


def test_a_watchlist_export_is_read_too() -> None:
    films = read_letterboxd_list((DATA / "letterboxd_watchlist.csv").read_text())
    assert [(f.title, f.year, f.url) for f in films] == [
        ("Fire of Love", 2022, "https://boxd.it/fIr3"),
        ("Honeyland", 2019, "https://boxd.it/hOn3"),
    ]


def test_a_missing_or_odd_year_is_no_year() -> None:
    films = read_letterboxd_list("Position,Name,Year\n1,Shoah,\n2,Koyaanisqatsi,c1982\n")
    assert [(f.title, f.year) for f in films] == [("Shoah", None), ("Koyaanisqatsi", None)]


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"Title,Rating\nAmy,5\n", "no row of column names with Name and Year"),
        (b"\xff\xfe\x00N\x00a", "isn't text"),
        ("Name,Year\n\x00\x01,2020\n", "binary data"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused_saying_how_to_get_one(data: bytes | str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        read_letterboxd_list(data)


def test_too_many_films_are_refused() -> None:
    rows = "".join(f"{i},Film {i},2000\n" for i in range(MAX_FILMS + 1))
    with pytest.raises(InvalidInput, match=f"more than {MAX_FILMS} films"):
        read_letterboxd_list("Position,Name,Year\n" + rows)
