"""The corpus of times members write, through Discord's real command path: `/club set` for the
club's timezone, date order and language, and `/party schedule` for each phrase, against the
fake Discord. Every third phrase of the corpus (from the first) runs here; all of it runs
through the shared text grammar in tests/test_time_corpus.py."""

from __future__ import annotations

from pathlib import Path

from docclub_discord.notifier import DiscordNotifier
from docclub_discord.testing import DiscordDriver, harness

from docclub.scheduler import Scheduler
from docclub.testing import time_corpus

CORPUS = time_corpus.load(Path(__file__).parents[3] / "tests" / "data" / "time_phrases.csv")
SLICE = CORPUS[::3]  # a third of the corpus; the other adapter runs another third


async def test_a_slice_of_the_time_corpus_through_discord_slash_commands(tmp_path: Path) -> None:
    start = min(c.now for c in SLICE)
    async with harness(tmp_path, start=start) as h:
        driver = DiscordDriver(h, Scheduler(h.app, h.store, h.clock, {"discord": DiscordNotifier(h.bot)}))
        await driver.send("suggest Fire of Love (2022)")
        problems = await time_corpus.run(SLICE, driver.send, h.clock.set)
    assert not problems, "\n\n".join(problems[:10])
    assert len(SLICE) >= 200
