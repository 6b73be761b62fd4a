"""ClubStore implementations: SQLite (the embedded default) and PostgreSQL."""

from docclub.storage.open import open_store

__all__ = ["open_store"]
