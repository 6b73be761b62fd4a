"""The console prints each reminder once: a repeat of a key (a delivery retried after a
restart) is dropped, a new key is printed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from docclub.console import ConsoleNotifier
from docclub.core.models import ClubKey
from docclub.core.replies import Reply, Time, Tone, line

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

CLUB = ClubKey("console", "club")
REMINDER = Reply(title="Navalny (2022) starts in 1 hour", lines=(line("Bring snacks."),), tone=Tone.INFO)


async def test_the_console_prints_each_reminder_key_once() -> None:
    printed: list[str] = []
    notifier = ConsoleNotifier(printed.append, lambda club: "UTC", lambda: NOW)

    for key in ("party:1:60", "party:1:60", "party:1:0"):
        await notifier.announce(CLUB, "#watch", REMINDER, key=key)
    for key in ("dm:1:alice", "dm:1:alice", "dm:1:bob"):
        await notifier.direct(CLUB, key.rsplit(":", 1)[1], REMINDER, key=key)

    assert [p.split("\n", 1)[0] for p in printed] == [
        "[announcement in #watch]",
        "[announcement in #watch]",
        "[direct message to alice]",
        "[direct message to bob]",
    ]
    assert all("Navalny (2022) starts in 1 hour" in p for p in printed)


async def test_an_announced_time_shows_how_far_off_it_is() -> None:
    printed: list[str] = []
    notifier = ConsoleNotifier(printed.append, lambda club: "UTC", lambda: NOW)
    closes = NOW + timedelta(days=2)
    card = Reply(lines=(line("Closes ", Time(closes), " (", Time(closes, "relative"), ")"),), tone=Tone.INFO)
    await notifier.announce(CLUB, None, card, key="poll:1:open")
    assert printed == ["[announcement]\nCloses Wed 02 Dec 2026 09:00 UTC (in 2 days)"]
