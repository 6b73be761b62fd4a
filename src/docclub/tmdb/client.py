"""The Movie Database's v3 API over aiohttp: authentication, a short timeout, rest after 429.

We call TMDB with aiohttp directly rather than through tmdbsimple: tmdbsimple is synchronous
(requests), so every lookup would hold a thread and could not be cut off cleanly at our
timeout, and it has no hook for TMDB's Retry-After. We use three endpoints; aiohttp is already
what docclub speaks HTTP with.

The key is a secret. A v3 API key travels as the `api_key` query parameter, a v4 read access
token as `Authorization: Bearer`; neither is ever put in a log line or an exception message
(the request's URL is never logged).
"""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import datetime, timedelta
from typing import Any

import aiohttp

from docclub.core.ports import Clock

log = logging.getLogger("docclub.tmdb")

DEFAULT_API_URL = "https://api.themoviedb.org/3"
TIMEOUT_SECONDS = 2.5  # a lookup must leave room in Discord's and Slack's 3 s
REST_AFTER_429 = 10.0  # seconds, when TMDB does not say (Retry-After)
REST_AT_MOST = 120.0


class TmdbUnavailable(Exception):
    """TMDB could not be asked or gave no usable answer. The message is safe to log."""


class TmdbNotFound(Exception):
    """TMDB answered that there is no such resource (404)."""


def is_read_token(key: str) -> bool:
    """A v4 read access token (a JWT: three dot-separated parts) rather than a v3 API key."""
    return key.count(".") == 2


class TmdbClient:
    """GETs from TMDB. One aiohttp session, opened on first use; `close` it at shutdown.

    Every request is raced against `clock.sleep(timeout)`, so tests drive the timeout with a
    FakeClock. After a 429 the client rests (answers TmdbUnavailable without asking) until
    Retry-After has passed. Failures are logged once when they start and once when TMDB answers
    again, never per request.
    """

    def __init__(
        self,
        key: str,
        clock: Clock,
        *,
        base_url: str = DEFAULT_API_URL,
        timeout: float = TIMEOUT_SECONDS,
        max_parallel: int = 4,
    ) -> None:
        self._key = key
        self._clock = clock
        self._base = base_url.rstrip("/")
        self._timeout = timeout
        self._parallel = asyncio.Semaphore(max_parallel)
        self._session: aiohttp.ClientSession | None = None
        self._resting_until: datetime | None = None
        self._failing = False

    def __repr__(self) -> str:  # never the key
        return f"TmdbClient({self._base!r})"

    async def get(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        """The JSON object at `path` (e.g. "/search/movie"). Raises TmdbNotFound on 404 and
        TmdbUnavailable on anything else that is not a JSON object answered in time."""
        now = self._clock.now()
        if self._resting_until is not None and now < self._resting_until:
            raise self._failed(TmdbUnavailable("resting after TMDB's rate limit"))
        try:
            body = await self._timed(self._fetch(path, dict(params or {})))
        except TmdbNotFound:
            self._recovered()
            raise
        except TmdbUnavailable as exc:
            raise self._failed(exc) from None
        self._recovered()
        return body

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _timed(self, fetch: Any) -> dict[str, Any]:
        request = asyncio.ensure_future(fetch)
        timer = asyncio.ensure_future(self._clock.sleep(self._timeout))
        try:
            await asyncio.wait({request, timer}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()
        if not request.done():
            request.cancel()
            await asyncio.gather(request, return_exceptions=True)
            raise TmdbUnavailable(f"no answer within {self._timeout:g} s")
        result: dict[str, Any] = request.result()
        return result

    async def _fetch(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        headers = {"Accept": "application/json"}
        if is_read_token(self._key):
            headers["Authorization"] = f"Bearer {self._key}"
        else:
            params["api_key"] = self._key
        if self._session is None or self._session.closed:
            # A backstop in real time; the clock race above is the timeout that counts.
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout * 4))
        async with self._parallel:
            try:
                async with self._session.get(self._base + path, params=params, headers=headers) as response:
                    status = response.status
                    retry_after = response.headers.get("Retry-After")
                    raw = await response.read()
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                # Only the exception's kind: its text may hold the URL, and so the key.
                raise TmdbUnavailable(f"could not reach TMDB ({type(exc).__name__})") from None
        if status == 429:
            rest = _seconds(retry_after)
            self._resting_until = self._clock.now() + timedelta(seconds=rest)
            raise TmdbUnavailable(f"rate limited (429); resting {rest:g} s")
        if status == 404:
            raise TmdbNotFound(path)
        if status in (401, 403):
            raise TmdbUnavailable(f"TMDB refused the key ({status}); check TMDB_API_KEY")
        if status != 200:
            raise TmdbUnavailable(f"TMDB answered {status}")
        try:
            body = json.loads(raw)
        except ValueError:
            raise TmdbUnavailable("TMDB's answer was not JSON") from None
        if not isinstance(body, dict):
            raise TmdbUnavailable("TMDB's answer was not a JSON object")
        return body

    def _failed(self, exc: TmdbUnavailable) -> TmdbUnavailable:
        if not self._failing:
            self._failing = True
            log.warning("TMDB lookups failing: %s. Films are suggested as typed until it answers.", exc)
        else:
            log.debug("TMDB lookup failed: %s", exc)
        return exc

    def _recovered(self) -> None:
        if self._failing:
            self._failing = False
            log.info("TMDB answers again")


def _seconds(retry_after: str | None) -> float:
    try:
        value = float(retry_after) if retry_after else REST_AFTER_429
    except ValueError:
        value = REST_AFTER_429
    return min(max(value, 1.0), REST_AT_MOST)
