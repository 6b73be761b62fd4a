"""The film catalog on The Movie Database (TMDB): the core's `FilmCatalog` port, over HTTP."""

from docclub.tmdb.catalog import LookupCache, MemoryCache, StoreCache, TmdbCatalog
from docclub.tmdb.client import DEFAULT_API_URL, TmdbClient, TmdbNotFound, TmdbUnavailable, is_read_token

__all__ = [
    "DEFAULT_API_URL",
    "LookupCache",
    "MemoryCache",
    "StoreCache",
    "TmdbCatalog",
    "TmdbClient",
    "TmdbNotFound",
    "TmdbUnavailable",
    "is_read_token",
]
