from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from docclub_slack.testing import SlackHarness, slash_body

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


@pytest.fixture
def poll_open_body(slack: SlackHarness) -> str:
    """The body of one `/docclub poll open #1, #2` by the admin, the same bytes each time: what
    the tests of replayed and repeated requests send again."""
    return slash_body(
        "poll open #1, #2",
        user_id="UADMIN",
        user_name="Ana",
        team_id=slack.fake.team_id,
        response_url=slack.fake.response_url(99),
        trigger_id="99.99.trigger",
    )
