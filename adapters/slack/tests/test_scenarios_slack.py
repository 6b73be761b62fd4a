"""Every transcript in tests/scenarios runs through the Slack adapter: signed `/docclub` slash
commands against the real HTTP server, reminders through the Slack notifier, Block Kit read back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docclub_slack.testing import SlackDriver, SlackHarness

from docclub.testing import FakeClock, transcript

SCENARIOS = sorted((Path(__file__).parents[3] / "tests" / "scenarios").glob("*.txt"))


def same_as_console(expected: list[str], actual: list[str]) -> bool:
    """Slack shows the same words as the console. Allowed differences: indentation (Slack
    renders a field's values on their own lines) and nothing else."""

    def norm(lines: list[str]) -> list[str]:
        return [re.sub(r"^\s+", "", ln) for ln in lines]

    return norm(expected) == norm(actual)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
async def test_scenario_through_slack(path: Path, tmp_path: Path) -> None:
    script = transcript.load(path)
    clock = FakeClock(script.start)
    async with SlackHarness(tmp_path / "club.db", clock=clock) as harness:
        driver = SlackDriver(harness, clock)
        mismatches = await transcript.run(script, driver, compare=same_as_console)
    assert not mismatches, "\n\n".join(str(m) for m in mismatches)


def test_compare_still_fails_on_a_wrong_answer() -> None:
    assert not same_as_console(["Winner: #1 Beyond Utopia (2023)"], ["Winner: #2 Navalny (2022)"])
    assert not same_as_console(["a", "b"], ["a"])
