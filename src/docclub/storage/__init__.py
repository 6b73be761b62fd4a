"""ClubStore implementations: SQLite (the embedded default) and PostgreSQL."""

from docclub.storage.errors import StoreUnavailable
from docclub.storage.open import open_store

__all__ = ["StoreUnavailable", "open_store"]
