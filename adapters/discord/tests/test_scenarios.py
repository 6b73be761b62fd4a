"""Every transcript in tests/scenarios runs through the Discord adapter, compared exactly.

The driver maps each text line to the slash command a member would use and turns what the
fake Discord received back into the console's plain text (see `DiscordDriver`), so the same
expected text checks both adapters; a wrong answer, a lost field or a broken spoiler fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docclub_discord.notifier import DiscordNotifier
from docclub_discord.testing import DiscordDriver, harness

from docclub.scheduler import Scheduler
from docclub.testing import transcript

SCENARIOS = sorted((Path(__file__).parents[3] / "tests" / "scenarios").glob("*.txt"))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
async def test_scenario_through_discord(path: Path, tmp_path: Path) -> None:
    script = transcript.load(path)
    async with harness(tmp_path, start=script.start) as h:
        scheduler = Scheduler(h.app, h.store, h.clock, {"discord": DiscordNotifier(h.bot)})
        driver = DiscordDriver(h, scheduler)
        mismatches = await transcript.run(script, driver)
    assert not mismatches, "\n\n".join(str(m) for m in mismatches)
