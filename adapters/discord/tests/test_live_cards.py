"""Poll messages stay current wherever and whenever a vote comes in: the messages are kept in
the store (every process, every restart), edited through the interaction's webhook where the
bot can't view the channel, flushed on stop, and dropped once, with one warning, when Discord
refuses them."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

import pytest
from docclub_discord.testing import (
    APP_ID,
    CHANNEL_ID,
    GUILD_ID,
    HANG_GUARD,
    FakeDiscord,
    Harness,
    Member,
    buttons,
    harness,
)

from docclub.core.models import ClubKey

ALICE = Member(500000000000000011, "alice")
BO = Member(500000000000000012, "bo")
KEY = ClubKey("discord", str(GUILD_ID))


async def _open_poll(h: Harness) -> dict[str, Any]:
    await h.slash(h.owner, "film suggest", title="Beyond Utopia (2023)")
    await h.slash(h.owner, "film suggest", title="Navalny (2022)")
    return h.message(await h.slash(h.owner, "poll open", films="#1, #2"))


def _edits(h: Harness, message: dict[str, Any], via: str = r"/channels/\d+|/webhooks/\d+/[^/]+") -> list[Any]:
    return h.fake.requests("PATCH", rf"({via})/messages/{message['id']}")


def _shown(h: Harness, message: dict[str, Any]) -> str:
    now = h.fake.messages[int(message["id"])]
    return "\n".join(str(e.get("description", "")) for e in now["embeds"])


@pytest.fixture
async def fake() -> Any:
    fake = FakeDiscord()
    await fake.start()
    yield fake
    await fake.stop()


async def test_a_vote_in_another_process_updates_the_poll_message(tmp_path: Path, fake: FakeDiscord) -> None:
    async with harness(tmp_path, fake=fake) as first, harness(tmp_path, fake=fake) as second:
        message = await _open_poll(first)
        await second.slash(ALICE, "vote", films="Navalny")  # a slash command, not a click on it
        await fake.wait_for(lambda: bool(_edits(second, message)))
        assert "1 ballot" in _shown(second, message)


async def test_a_vote_after_a_restart_updates_the_poll_message_posted_before_it(
    tmp_path: Path, fake: FakeDiscord
) -> None:
    async with harness(tmp_path, fake=fake) as before:
        message = await _open_poll(before)
    async with harness(tmp_path, fake=fake) as after:  # a new client on the same database
        await after.slash(ALICE, "vote", films="#2")
        await fake.wait_for(lambda: bool(_edits(after, message)))
        assert "1 ballot" in _shown(after, message)
        assert [b["custom_id"] for b in buttons(fake.messages[int(message["id"])])] == [
            "docclub:vote:1:1",
            "docclub:vote:1:2",
        ]


async def test_a_poll_closed_just_before_the_stop_shows_as_closed(tmp_path: Path, fake: FakeDiscord) -> None:
    async with harness(tmp_path, fake=fake) as h:
        message = await _open_poll(h)
        await h.click(ALICE, message, "docclub:vote:1:2")
        await fake.wait_for(lambda: len(_edits(h, message)) == 1)  # the first vote edits at once
        await h.slash(h.owner, "poll close")  # within the 2 s interval: the edit waits
        assert len(_edits(h, message)) == 1
    # stopped: the waiting edit went out before the client closed
    assert len(_edits(h, message)) == 2
    closed = fake.messages[int(message["id"])]
    assert not buttons(closed)
    assert "Navalny (2022)" in _shown(h, message) and "closed" in closed["embeds"][0]["title"].lower()


async def test_poll_edits_go_through_the_interaction_webhook_where_the_bot_cannot_view_the_channel(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    async with harness(tmp_path, fake=fake) as h:
        message = await _open_poll(h)
        fake.hidden_channels.add(CHANNEL_ID)  # commands work there; the bot's own channel calls don't
        await h.slash(ALICE, "vote", films="#2")
        await fake.wait_for(lambda: bool(_edits(h, message)))
        [edit] = _edits(h, message)
        assert edit.path.startswith(f"/webhooks/{APP_ID}/")
        assert "1 ballot" in _shown(h, message)

        await h.clock.advance(minutes=16)  # the interaction's token has expired
        with caplog.at_level(logging.WARNING, logger="docclub.discord"):
            await h.slash(BO, "vote", films="#1")
            await fake.wait_for(lambda: bool(_edits(h, message, r"/channels/\d+")))
            await h.clock.advance(5)
            await h.slash(h.owner, "vote", films="#1")
            await h.clock.advance(5)
        refused = [r for r in caplog.records if f"message {message['id']}" in r.getMessage()]
        assert len(refused) == 1 and "no longer kept current" in refused[0].getMessage()
        assert len(_edits(h, message, r"/channels/\d+")) == 1  # not tried again
        assert await h.app.polls.platform_ref(KEY, 1) is None


async def test_the_defer_timer_counts_from_when_the_interaction_was_made(tmp_path: Path) -> None:
    async with harness(tmp_path, defer_after=2.0) as h:
        h.interactions.lag = 0.5  # reached us half a second after the member pressed enter
        quick = await h.slash(ALICE, "film suggest", title="Navalny (2022)")
        assert quick.callback_type == 4
        h.interactions.lag = 2.5  # a slow gateway: only half a second of Discord's 3 s is left
        late = await h.slash(ALICE, "film suggest", title="Honeyland (2019)")
        assert late.callback_type == 5  # "thinking…" at once, whatever the store does
        assert "Honeyland" in late.text()


async def test_the_party_card_shows_rsvps_from_any_process_after_a_restart(tmp_path: Path, fake: FakeDiscord) -> None:
    async with harness(tmp_path, fake=fake) as before:
        await before.slash(before.owner, "club set", setting="announce_channel", value=f"<#{CHANNEL_ID}>")
        await before.slash(before.owner, "film suggest", title="Navalny (2022)")
        card = before.message(await before.slash(before.owner, "party schedule", film="#1", when="2026-12-05 20:00"))
        await before.click(ALICE, card, "docclub:rsvp:1:yes")  # the first change edits at once
        await fake.wait_for(lambda: "Going (1): alice" in "\n".join(_fields(fake, card)))
    async with harness(tmp_path, fake=fake) as after:  # a new client on the same database
        await after.slash(BO, "rsvp", answer="yes", party="#1")  # a slash command, not the card's button
        await fake.wait_for(lambda: "Going (2): alice, bo" in "\n".join(_fields(fake, card)))
        assert [b["custom_id"] for b in buttons(fake.messages[int(card["id"])])][:1] == ["docclub:rsvp:1:yes"]


def _fields(fake: FakeDiscord, message: dict[str, Any]) -> list[str]:
    now = fake.messages[int(message["id"])]
    return [f"{f['name']}: {f['value']}" for e in now["embeds"] for f in e.get("fields") or []]


async def test_a_stop_waits_for_waiting_edits_only_a_few_seconds(
    tmp_path: Path, fake: FakeDiscord, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="docclub.discord")
    hung = asyncio.Event()
    try:
        async with asyncio.timeout(HANG_GUARD):
            async with harness(tmp_path, fake=fake, stop_flush_seconds=0.2) as h:
                message = await _open_poll(h)
                await h.click(ALICE, message, "docclub:vote:1:2")
                await fake.wait_for(lambda: len(_edits(h, message)) == 1)
                await h.slash(h.owner, "poll close")  # this edit waits for its interval…
                fake.stall_edits = hung  # …and Discord stops answering edits
            # stopped all the same, after the bound
        assert len(_edits(h, message)) == 2  # the flush was tried
        assert any("stopped before every" in r.getMessage() for r in caplog.records)
    finally:
        hung.set()
