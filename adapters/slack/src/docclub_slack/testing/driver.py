"""Scenario transcripts through Slack: each line a signed `/docclub` command."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from docclub.console import OWNER, split_prefix
from docclub.testing.clock import FakeClock
from docclub_slack.testing.harness import SlackHarness
from docclub_slack.testing.text import blocks_to_text

__all__ = ["SlackDriver"]


class SlackDriver:
    """A `TranscriptDriver` that sends each line as a signed `/docclub` slash command.

    Console names become Slack users (`alice` -> `UALICE`); the console's own user is a workspace
    admin called Organizer. What Slack was told is turned back into text with `blocks_to_text`."""

    def __init__(self, harness: SlackHarness, clock: Any) -> None:
        assert isinstance(clock, FakeClock)
        self.h = harness
        self.clock = clock
        self.names: dict[str, str] = {}
        self.user("Organizer", admin=True)

    def user(self, name: str, *, admin: bool = False) -> str:
        user_id = "U" + re.sub(r"[^A-Z0-9]", "", name.upper())
        if user_id not in self.h.fake.users:
            self.h.user(user_id, name, admin=admin)
            self.names[user_id] = name
        return user_id

    async def send(self, line: str) -> str:
        actor, text = split_prefix(line)
        user_id = self.user("Organizer" if actor == OWNER else actor.display_name)
        answer = await self.h.command(text, user_id)
        return "\n".join(answer.shown(self.names))

    async def advance(self, seconds: float) -> str:
        scheduler = self.h.runtime.scheduler
        target = self.clock.now() + timedelta(seconds=seconds)
        before = len(self.h.fake.calls)
        while True:
            nxt = await scheduler.store.read(lambda tx: tx.reminders.next_due_at(scheduler.platforms))
            if nxt is None or nxt > target:
                break
            if nxt > self.clock.now():
                await self.clock.set(nxt)
            await scheduler.run_due()
        await self.clock.set(target)
        out: list[str] = []
        for c in self.h.fake.calls[before:]:
            if c.method != "chat.postMessage":
                continue
            channel = str(c.args.get("channel"))
            blocks = c.args.get("blocks")
            blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
            label = (
                f"[direct message to {self.names.get(channel[1:], channel[1:]).lower()}]"
                if channel.startswith("D")
                else "[announcement]"
            )
            out.append(label + "\n" + blocks_to_text(blocks or [], self.names))
        return "\n\n".join(out)
