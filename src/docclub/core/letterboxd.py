"""Reading a Letterboxd list or watchlist export (CSV), so a club can start from a list it keeps.

A list export (a list's "Export list" link) starts with a few lines about the list and then
has a table `Position, Name, Year, URL, Description`; a watchlist export (from the account's
data export) is a table `Date, Name, Year, Letterboxd URI`. Both are read: the films are the
rows under the first header that has `Name` and `Year`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from docclub.core.errors import InvalidInput

MAX_BYTES = 2_000_000  # a list of 10,000 films is about 1 MB
MAX_FILMS = 500


@dataclass(frozen=True, slots=True)
class ListedFilm:
    """One film of a Letterboxd list: its row number in the file, title, year and address."""

    row: int
    title: str
    year: int | None
    url: str | None
    note: str | None


def read_letterboxd_list(data: bytes | str) -> list[ListedFilm]:
    """The films of a Letterboxd list or watchlist export, in the list's order.

    Raises InvalidInput, saying what is wrong, for a file that is not such an export, is too
    large, or lists more than MAX_FILMS films. Rows without a name are skipped.
    """
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise InvalidInput(f"That file is over {MAX_BYTES // 1_000_000} MB; a Letterboxd list export is smaller.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput("That file isn't text (UTF-8); export the list from Letterboxd again.") from None
    else:
        text = data.removeprefix("\ufeff")
    if "\x00" in text:
        raise InvalidInput("That file isn't a Letterboxd list export (it holds binary data).")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header_at = next((i for i, row in enumerate(rows) if _columns(row).keys() >= {"name", "year"}), None)
    if header_at is None:
        raise InvalidInput(
            "That file isn't a Letterboxd list export: no row of column names with Name and Year. "
            "On Letterboxd, open the list and choose Export list (or export your data for the watchlist)."
        )
    columns = _columns(rows[header_at])
    films: list[ListedFilm] = []
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        title = _cell(row, columns.get("name"))
        if not title:
            continue
        if len(films) == MAX_FILMS:
            raise InvalidInput(f"That list has more than {MAX_FILMS} films; import at most {MAX_FILMS} at a time.")
        year_text = _cell(row, columns.get("year"))
        year = int(year_text) if year_text.isdigit() and len(year_text) == 4 else None
        url = _cell(row, columns.get("url", columns.get("letterboxd uri")))
        note = _cell(row, columns.get("description"))
        films.append(ListedFilm(number, title, year, url or None, note or None))
    return films


def _columns(row: list[str]) -> dict[str, int]:
    return {cell.strip().lower(): i for i, cell in enumerate(row) if cell.strip()}


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


__all__ = ["MAX_FILMS", "ListedFilm", "read_letterboxd_list"]
