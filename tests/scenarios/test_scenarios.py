"""Every transcript in tests/scenarios runs through the console adapter."""

from __future__ import annotations

from pathlib import Path

import pytest

from docclub.testing import transcript

SCENARIOS = sorted(Path(__file__).parent.glob("*.txt"))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
async def test_scenario_through_console(path: Path, tmp_path: Path) -> None:
    script = transcript.load(path)
    driver, close = await transcript.console_driver(tmp_path / "club.db", script.start, tmp_path)
    try:
        mismatches = await transcript.run(script, driver)
    finally:
        await close()  # type: ignore[misc]
    assert not mismatches, "\n\n".join(str(m) for m in mismatches)
