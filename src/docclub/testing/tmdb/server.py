"""FakeTmdb: a local aiohttp server answering the three TMDB v3 routes docclub uses.

    async with FakeTmdb(key="test-key") as tmdb:
        settings = Settings(tmdb_api_key="test-key", tmdb_api_url=tmdb.url)

It checks the key (a v3 `api_key` parameter or a v4 `Authorization: Bearer` token) and answers
401 as TMDB does when it is wrong. Faults on demand: `fail(429, retry_after="5")`, `malformed()`,
`hang()` (requests wait until `release()`), each for the next `times` requests. Every request
received is kept in `requests` for tests to check what was asked.
"""

from __future__ import annotations

import asyncio
import copy
import unicodedata
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from aiohttp import web

from docclub.testing.tmdb.films import CONFIGURATION, MOVIES, details, search_result


@dataclass(frozen=True, slots=True)
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class _Fault:
    kind: str  # status | malformed | hang
    times: int
    status: int = 500
    retry_after: str | None = None
    body: bytes = b""


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


@dataclass
class FakeTmdb:
    key: str = "fake-tmdb-key"
    # Each fake its own copy: a test that changes a film changes it for itself alone.
    movies: dict[int, dict[str, Any]] = field(default_factory=lambda: copy.deepcopy(MOVIES))
    requests: list[Received] = field(default_factory=list)
    port: int = 0
    _faults: list[_Fault] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _released: asyncio.Event = field(default_factory=asyncio.Event)
    _arrived: asyncio.Condition = field(default_factory=asyncio.Condition)
    _waiting: int = 0

    @property
    def url(self) -> str:
        """The base URL to give as TMDB_API_URL."""
        return f"http://127.0.0.1:{self.port}/3"

    async def start(self, port: int = 0) -> FakeTmdb:
        app = web.Application()
        app.router.add_get("/3/configuration", self._configuration)
        app.router.add_get("/3/search/movie", self._search)
        app.router.add_get("/3/movie/{id}", self._movie)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        self.release()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTmdb:
        return await self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    # ---- faults ----

    def fail(self, status: int, *, times: int = 1, retry_after: str | None = None) -> None:
        """Answer the next `times` requests with `status` (and TMDB's error body)."""
        self._faults.append(_Fault("status", times, status=status, retry_after=retry_after))

    def malformed(self, body: bytes = b"<html>Bad gateway</html>", *, times: int = 1) -> None:
        """Answer the next `times` requests 200 with `body` (not TMDB's JSON)."""
        self._faults.append(_Fault("malformed", times, body=body))

    def hang(self, *, times: int = 1_000_000) -> None:
        """Hold the next `times` requests until `release()`."""
        self._released.clear()
        self._faults.append(_Fault("hang", times))

    def release(self) -> None:
        self._released.set()
        self._faults = [f for f in self._faults if f.kind != "hang"]

    async def waiting(self, count: int = 1) -> None:
        """Return once `count` requests are being held by `hang()`."""
        async with self._arrived:
            await self._arrived.wait_for(lambda: self._waiting >= count)

    def asked(self, path: str) -> list[Received]:
        """The requests received for `path` (e.g. "/3/search/movie")."""
        return [r for r in self.requests if r.path == path]

    # ---- routes ----

    async def _answer(self, request: web.Request, make: Any) -> web.StreamResponse:
        self.requests.append(Received(request.path, dict(request.query), dict(request.headers)))
        bearer = request.headers.get("Authorization", "")
        if request.query.get("api_key") != self.key and bearer != f"Bearer {self.key}":
            return _error(401, 7, "Invalid API key: You must be granted a valid key.")
        fault = self._faults[0] if self._faults else None
        if fault is not None:
            fault.times -= 1
            if fault.times <= 0:
                self._faults.pop(0)
            if fault.kind == "hang":
                async with self._arrived:
                    self._waiting += 1
                    self._arrived.notify_all()
                try:
                    await self._released.wait()
                finally:
                    self._waiting -= 1
            elif fault.kind == "malformed":
                return web.Response(body=fault.body, content_type="text/html")
            elif fault.status == 429:
                response = _error(429, 25, "Your request count (41) is over the allowed limit of (40).")
                if fault.retry_after is not None:
                    response.headers["Retry-After"] = fault.retry_after
                return response
            else:
                return _error(fault.status, 11, "Internal error: Something went wrong, contact TMDb.")
        answer = make(request)
        if answer is None:
            return _error(404, 34, "The resource you requested could not be found.")
        return web.json_response(answer)

    async def _configuration(self, request: web.Request) -> web.StreamResponse:
        return await self._answer(request, lambda r: CONFIGURATION)

    async def _search(self, request: web.Request) -> web.StreamResponse:
        def search(r: web.Request) -> dict[str, Any]:
            words = _fold(r.query.get("query", "")).split()
            year = r.query.get("year") or r.query.get("primary_release_year")
            found = [
                m
                for m in self.movies.values()
                if words
                and any(all(w in _fold(t).split() for w in words) for t in (m["title"], m["original_title"]))
                and (not year or m["release_date"].startswith(year))
            ]
            results = [search_result(m) for m in found]
            return {"page": 1, "results": results, "total_pages": 1, "total_results": len(results)}

        return await self._answer(request, search)

    async def _movie(self, request: web.Request) -> web.StreamResponse:
        def movie(r: web.Request) -> dict[str, Any] | None:
            try:
                found = self.movies.get(int(r.match_info["id"]))
            except ValueError:
                return None
            append = set(r.query.get("append_to_response", "").split(","))
            return details(found, append) if found is not None else None

        return await self._answer(request, movie)


def _error(status: int, code: int, message: str) -> web.Response:
    return web.json_response({"success": False, "status_code": code, "status_message": message}, status=status)
