"""Fixtures: a docclub Bot logged in to a fake Discord on 127.0.0.1, on a real SQLite file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from docclub_discord.testing import Harness, harness


@pytest.fixture
async def discord_club(tmp_path: Path) -> AsyncIterator[Harness]:
    async with harness(tmp_path) as h:
        yield h
