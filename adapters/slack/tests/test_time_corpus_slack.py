"""The corpus of times members write, through Slack's real command path: signed `/docclub` slash
commands (`config set …`, `party schedule #1 <phrase>`) against the running HTTP server and the
fake Slack Web API. Every third phrase of the corpus (from the second) runs here; all of it
runs through the shared text grammar in tests/test_time_corpus.py."""

from __future__ import annotations

from pathlib import Path

from docclub_slack.testing import SlackDriver, SlackHarness

from docclub.testing import FakeClock, time_corpus

CORPUS = time_corpus.load(Path(__file__).parents[3] / "tests" / "data" / "time_phrases.csv")
SLICE = CORPUS[1::3]  # a third of the corpus; the other adapter runs another third


async def test_a_slice_of_the_time_corpus_through_slack_slash_commands(tmp_path: Path) -> None:
    clock = FakeClock(min(c.now for c in SLICE))
    async with SlackHarness(tmp_path / "club.db", clock=clock) as harness:
        driver = SlackDriver(harness, clock)
        await driver.send("suggest Fire of Love (2022)")
        problems = await time_corpus.run(SLICE, driver.send, clock.set)
    assert not problems, "\n\n".join(problems[:10])
    assert len(SLICE) >= 200
