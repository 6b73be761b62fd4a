"""The console prints each reminder once: a repeat of a key (a delivery retried after a
restart) is dropped, a new key is printed."""

from __future__ import annotations

from docclub.console import ConsoleNotifier
from docclub.core.models import ClubKey
from docclub.core.replies import Reply, Tone, line

CLUB = ClubKey("console", "club")
REMINDER = Reply(title="Navalny (2022) starts in 1 hour", lines=(line("Bring snacks."),), tone=Tone.INFO)


async def test_the_console_prints_each_reminder_key_once() -> None:
    printed: list[str] = []
    notifier = ConsoleNotifier(printed.append, lambda club: "UTC")

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
