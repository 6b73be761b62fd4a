"""A fake The Movie Database for tests and demos: `FakeTmdb` (server) and its films.

Run it on its own for trying docclub at a terminal:
`python -m docclub.testing.tmdb --port 8765 --key demo`, then start the console with
`TMDB_API_KEY=demo TMDB_API_URL=http://127.0.0.1:8765/3`.
"""

from docclub.testing.tmdb.films import MOVIES
from docclub.testing.tmdb.server import FakeTmdb, Received

__all__ = ["MOVIES", "FakeTmdb", "Received"]
