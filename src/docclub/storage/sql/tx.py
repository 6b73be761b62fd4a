"""The composed transaction: one `Conn`, every part of the store on it."""

from __future__ import annotations

from docclub.storage.sql.clubs import SqlClubs
from docclub.storage.sql.films import SqlFilms
from docclub.storage.sql.installations import SqlInstallations
from docclub.storage.sql.lookups import SqlLookups
from docclub.storage.sql.nights import SqlNights
from docclub.storage.sql.parties import SqlParties
from docclub.storage.sql.platform import SqlPlatformState
from docclub.storage.sql.polls import SqlPolls
from docclub.storage.sql.prompts import SqlPrompts
from docclub.storage.sql.ratings import SqlRatings
from docclub.storage.sql.reminders import SqlReminders
from docclub.storage.sql.rows import Conn
from docclub.storage.sql.snapshots import SqlSnapshots


class SqlTx:
    """`ClubTx` over any `Conn`. Runs inside a transaction the backend opened; a backend that
    does something more when reminders change (PostgreSQL's NOTIFY) passes its own part."""

    def __init__(self, conn: Conn, reminders: SqlReminders | None = None) -> None:
        self.conn = conn
        self.clubs = SqlClubs(conn)
        self.films = SqlFilms(conn)
        self.polls = SqlPolls(conn)
        self.parties = SqlParties(conn)
        self.ratings = SqlRatings(conn)
        self.prompts = SqlPrompts(conn)
        self.reminders = reminders if reminders is not None else SqlReminders(conn)
        self.platform = SqlPlatformState(conn)
        self.lookups = SqlLookups(conn)
        self.nights = SqlNights(conn)
        self.installations = SqlInstallations(conn)
        self.snapshots = SqlSnapshots(
            conn, self.clubs, self.films, self.polls, self.parties, self.ratings, self.prompts, self.nights
        )
