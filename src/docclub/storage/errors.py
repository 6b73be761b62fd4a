"""What opening a store can fail with, for the command line to say in one line."""

from __future__ import annotations


class StoreUnavailable(Exception):
    """The database can't be opened: a path that can't be written, a server that doesn't
    answer, a file locked by another process for longer than the busy timeout."""
