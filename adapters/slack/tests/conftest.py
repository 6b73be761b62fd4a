from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from docclub_slack.testing import SlackHarness

from docclub.testing import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def slack(tmp_path: Path, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    async with SlackHarness(tmp_path / "club.db", clock=clock) as harness:
        harness.user("UADMIN", "Ana", admin=True)
        harness.user("UALICE", "alice")
        harness.user("UBOB", "bob")
        yield harness
