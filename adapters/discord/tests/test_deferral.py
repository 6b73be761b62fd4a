"""A burst (the store's queue deep): every interaction is acknowledged at once with a deferral,
its work starts after that, and its answer arrives through the interaction's webhook."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from docclub_discord.testing import HANG_GUARD, FakeDiscord, Harness, Member, harness
from docclub_discord.testing.harness import Answer

MEMBERS = [Member(500000000000000100 + i, f"member{i}") for i in range(3)]
DEFERRED = 5  # DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE: "thinking…"


class HeldStore:
    """The real store, whose writes wait while it is held (a queue that does not move)."""

    def __init__(self, store: Any, fake: FakeDiscord) -> None:
        self.store = store
        self.fake = fake
        self.moving = asyncio.Event()
        self.moving.set()
        self.waiting = 0
        self.arrived = asyncio.Event()  # set when a write comes
        self.callbacks_seen: list[int] = []  # callbacks Discord had received when each write came

    async def write(self, work: Callable[[Any], Awaitable[Any]]) -> Any:
        self.callbacks_seen.append(sum(1 for r in self.fake.received if r.path.endswith("/callback")))
        self.waiting += 1
        self.arrived.set()
        try:
            await self.moving.wait()
        finally:
            self.waiting -= 1
        return await self.store.write(work)

    async def until_waiting(self, n: int) -> None:
        """Until `n` writes wait (the time limit only guards against a hang)."""
        async with asyncio.timeout(HANG_GUARD):
            while self.waiting < n:
                self.arrived.clear()
                await self.arrived.wait()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


def _callback_types(h: Harness, payloads: list[dict[str, Any]]) -> list[int | None]:
    types: list[int | None] = []
    for p in payloads:
        got = h.fake.for_interaction(int(p["id"]), p["token"])
        types.append(int(got[0].body["type"]) if got else None)
    return types


async def test_a_burst_defers_the_interactions_waiting_for_the_store_and_answers_them_through_followups(
    tmp_path: Path,
) -> None:
    fake = FakeDiscord()
    await fake.start()
    held: list[HeldStore] = []

    def hold(store: Any) -> HeldStore:
        held.append(HeldStore(store, fake))
        return held[0]

    try:
        async with harness(tmp_path, fake=fake, wrap_store=hold, defer_after=10.0, busy_after=2) as h:
            store = held[0]
            await h.slash(h.owner, "film suggest", title="Navalny (2022)")
            await h.slash(h.owner, "film suggest", title="Honeyland (2019)")
            await h.slash(h.owner, "poll open", films="#1, #2")
            store.moving.clear()
            votes = [h.interactions.command(m, "vote", {"films": "#2"}) for m in MEMBERS]

            # Two votes wait for the store, within their 10 s: nothing is said to Discord yet.
            for p in votes[:2]:
                h.gateway.parse_interaction_create(p)
            await store.until_waiting(2)
            assert _callback_types(h, votes) == [None, None, None]

            # A third makes it a burst: it and the two waiting are deferred now, privately.
            h.gateway.parse_interaction_create(votes[2])
            await fake.wait_for(lambda: None not in _callback_types(h, votes))
            assert _callback_types(h, votes) == [DEFERRED] * 3
            assert all(h.fake.for_interaction(int(p["id"]), p["token"])[0].body["data"]["flags"] & 64 for p in votes)

            # The third's work began only once its deferral was out.
            await store.until_waiting(3)
            assert store.callbacks_seen[-1] == store.callbacks_seen[-2] + 3

            store.moving.set()
            for p in votes:
                async with asyncio.timeout(HANG_GUARD):
                    await h.bot.wait_handled(int(p["id"]))
                answer = Answer(int(p["id"]), h.fake.for_interaction(int(p["id"]), p["token"]))
                edit = answer.requests[1]
                assert edit.method == "PATCH" and edit.path.endswith("/messages/@original")
                assert "Your vote in poll #1: Honeyland" in answer.text()
            assert h.bot.in_flight == 0
            assert gc.isenabled()  # paused while the burst's deferrals went out, and no longer
    finally:
        await fake.stop()


async def test_below_the_busy_mark_a_vote_is_answered_in_its_acknowledgement(tmp_path: Path) -> None:
    async with harness(tmp_path, defer_after=10.0, busy_after=2) as h:
        await h.slash(h.owner, "film suggest", title="Navalny (2022)")
        await h.slash(h.owner, "film suggest", title="Honeyland (2019)")
        await h.slash(h.owner, "poll open", films="#1, #2")
        answer = await h.slash(MEMBERS[0], "vote", films="#1")
        assert answer.callback_type == 4 and len(answer.requests) == 1
        assert "Your vote in poll #1: Navalny" in answer.text() and answer.ephemeral
