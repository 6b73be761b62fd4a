"""A club built by a script of chat lines, served by the process's HTTP server on 127.0.0.1."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from docclub.bootstrap import runtime, serve_http
from docclub.config import Settings
from docclub.console import ConsoleSession
from docclub.core.clubs import Docclub
from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock
from docclub.web.server import HttpServer

SCRIPT_TITLE = "<script>alert('x')</script> Diaries"

# A club's month, as its members typed it; `@ <time>` lines move the clock (UTC).
EVENING = f"""
config set timezone Europe/Berlin
suggest "Beyond Utopia" (2023) --where Prime Video --cw torture, trafficking
alice> suggest Navalny (2022) --where Max
bob> suggest "Fire of Love" (2022) --where Disney+ --cw volcanic eruptions, death
carol> suggest "{SCRIPT_TITLE}" (2020)
dave> suggest Honeyland (2019)
erin> suggest "Free Solo" (2018)
party schedule "Beyond Utopia" 2026-11-26 20:00 --where Zoom
alice> rsvp #1 yes
bob> rsvp #1 maybe
@ 2026-11-26T22:30
bob> rate "Beyond Utopia" 7 Hard to watch.
alice> rate "Beyond Utopia" 9
carol> rate "Beyond Utopia" 9
dave> rate "Beyond Utopia" 3 Not for me.
party schedule Navalny 2026-11-28 20:00 --where Living room
@ 2026-11-28T22:30
alice> rate Navalny 8
bob> rate Navalny 10
@ 2026-12-11T12:00
party schedule "Fire of Love" 2026-12-12 20:00 --where https://meet.example.org/club
alice> rsvp #3 yes
bob> rsvp #3 yes
carol> rsvp #3 no
dave> rsvp #3 maybe
poll open "{SCRIPT_TITLE}", Honeyland --method approval
alice> vote #1 "{SCRIPT_TITLE}", Honeyland
bob> vote #1 Honeyland
poll open "Free Solo", Honeyland --method ranked --anonymous
erin> vote #2 Free Solo, Honeyland
"""


@dataclass
class ClubSite:
    app: Docclub
    store: SqliteStore
    clock: FakeClock
    session: ConsoleSession
    server: HttpServer
    url: str  # the club page's address, from `club link`

    @property
    def base(self) -> str:
        return self.server.local_url

    async def say(self, line: str) -> str:
        return await self.session.handle(line)


async def play(site_session: ConsoleSession, clock: FakeClock, script: str) -> None:
    for raw in script.strip().splitlines():
        if raw.startswith("@ "):
            await clock.set(datetime.fromisoformat(raw[2:]).replace(tzinfo=UTC))
            continue
        out = await site_session.handle(raw)
        assert "went wrong" not in out and "I don't know" not in out, (raw, out)


def link_in(text: str) -> str:
    found = re.search(r"http://127\.0\.0\.1:\d+/club/\d+/[A-Za-z0-9_-]+/", text)
    assert found, text
    return found.group(0)


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[ClubSite]:
    """The club, in a runtime built as `docclub run` builds it, serving on a free port."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        docclub_database_url=f"sqlite:///{tmp_path / 'club.db'}",
        docclub_http_host="127.0.0.1",
        docclub_http_port=0,
    )
    clock = FakeClock()
    async with runtime(settings, clock=clock) as rt:
        assert await serve_http(rt, required=True)
        session = ConsoleSession(rt.app, "club", tmp_path)
        await play(session, clock, EVENING)
        url = link_in(await session.handle("club link"))
        assert isinstance(rt.store, SqliteStore)
        yield ClubSite(rt.app, rt.store, clock, session, rt.http, url)
