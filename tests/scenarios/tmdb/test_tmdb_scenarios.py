"""Transcripts of a club with TMDB behind `suggest`, through the console, against the fake TMDB.
(Without a key is every other transcript in tests/scenarios: they run with no catalog.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock, transcript
from docclub.testing.tmdb import FakeTmdb
from docclub.tmdb import StoreCache, TmdbCatalog, TmdbClient

KEY = "7e57c1ab7e57c1ab7e57c1ab7e57c1ab"
SCENARIOS = sorted(Path(__file__).parent.glob("*.txt"))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
async def test_scenario_with_tmdb(path: Path, tmp_path: Path) -> None:
    script = transcript.load(path)
    made: list[TmdbCatalog] = []

    def catalog(store: SqliteStore, clock: FakeClock) -> TmdbCatalog:
        made.append(TmdbCatalog(TmdbClient(KEY, clock, base_url=tmdb.url), StoreCache(store, clock), clock))
        return made[0]

    async with FakeTmdb(key=KEY) as tmdb:
        if path.stem == "tmdb_down":
            tmdb.fail(503, times=1000)
        driver, close = await transcript.console_driver(tmp_path / "club.db", script.start, tmp_path, catalog=catalog)
        try:
            mismatches = await transcript.run(script, driver)
        finally:
            await made[0].close()
            await close()  # type: ignore[misc]
    assert not mismatches, "\n\n".join(str(m) for m in mismatches)
