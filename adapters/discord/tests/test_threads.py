"""The post-party nudge and its discussion prompts go into a thread on the party's card.

The card is the latest message showing the party with its RSVP buttons in the announcement
channel (the schedule answer, then each reminder); without one there, or when Discord refuses
the thread, the nudge is posted in the channel as before.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from docclub_discord.notifier import DiscordNotifier
from docclub_discord.testing import CHANNEL_ID, MANAGE_EVENTS, SYSTEM_CHANNEL_ID, Harness, Member, harness

from docclub.core.models import ClubKey
from docclub.scheduler import Scheduler

ALICE = Member(500000000000000011, "alice")
KEY = ClubKey("discord", "800000000000000001")


async def _party(h: Harness, *, announce_here: bool = True, reminders: str = "1h") -> dict[str, Any]:
    if announce_here:
        await h.slash(h.owner, "club set", setting="announce_channel", value=f"<#{CHANNEL_ID}>")
    await h.slash(h.owner, "club set", setting="reminders", value=reminders)
    await h.slash(h.owner, "film suggest", title="Navalny (2022)")
    answer = await h.slash(h.owner, "party schedule", film="#1", when="2026-11-25 20:00", duration="2h")
    await h.slash(ALICE, "rsvp", party="#1", answer="yes")
    return h.message(answer)


async def _run_until(h: Harness, hours: float, notifier: DiscordNotifier | None = None) -> None:
    """Deliver each reminder at its due time, up to `hours` from now."""
    scheduler = Scheduler(h.app, h.store, h.clock, {"discord": notifier or DiscordNotifier(h.bot)})
    end = h.clock.now() + timedelta(hours=hours)
    while (due := await h.store.read(lambda tx: tx.reminders.next_due_at())) is not None and due <= end:
        await h.clock.set(max(due, h.clock.now()))
        await scheduler.run_due()
    await h.clock.set(end)


def _nudge_posts(h: Harness) -> list[tuple[int, dict[str, Any]]]:
    out = []
    for rec in h.fake.requests("POST", r"/channels/\d+/messages"):
        embeds = rec.body.get("embeds") or []
        if embeds and str(embeds[0].get("title", "")).startswith("Thanks for watching"):
            out.append((int(rec.path.split("/")[2]), rec.body))
    return out


async def test_the_nudge_starts_a_thread_on_the_latest_party_card(discord_club: Harness) -> None:
    h = discord_club
    schedule_card = await _party(h)
    await _run_until(h, 11)  # the 1 h reminder at 19:00, the nudge at 22:00
    [card_id] = [
        mid for mid, m in h.fake.messages.items() if m["embeds"] and m["embeds"][0]["title"].startswith("Reminder")
    ]
    assert card_id != int(str(schedule_card["id"]))
    [started] = h.fake.requests("POST", rf"/channels/{CHANNEL_ID}/messages/\d+/threads")
    assert started.path == f"/channels/{CHANNEL_ID}/messages/{card_id}/threads"
    assert started.body["name"] == "Talking about Navalny (2022)"
    [(channel, nudge)] = _nudge_posts(h)
    assert channel == card_id and h.fake.threads[channel] == CHANNEL_ID  # in the thread, not the channel
    description = nudge["embeds"][0]["description"]
    assert "Some questions to talk about:" in description
    assert nudge["content"] == f"<@{ALICE.user_id}>"  # those who came are pinged into the thread


async def test_without_reminders_the_thread_hangs_from_the_schedule_answer(discord_club: Harness) -> None:
    h = discord_club
    card = await _party(h, reminders="none")
    await _run_until(h, 11)
    assert h.fake.requests("POST", rf"/channels/{CHANNEL_ID}/messages/{card['id']}/threads")
    assert [channel for channel, _ in _nudge_posts(h)] == [int(str(card["id"]))]


async def test_a_repeated_nudge_reuses_the_thread(discord_club: Harness) -> None:
    h = discord_club
    await _party(h, reminders="none")
    notifier = DiscordNotifier(h.bot)
    await _run_until(h, 11, notifier)
    [(thread, nudge)] = _nudge_posts(h)
    # The scheduler delivering the same nudge again (a crash before it was marked sent):
    from docclub.core.replies import Action, ActionKind, Reply

    again = Reply(
        title="Thanks for watching Navalny (2022)!",
        actions=(Action(ActionKind.RATE, "1", "Rate it"),),
        subject=("party", 1),
    )
    await notifier.announce(KEY, f"<#{CHANNEL_ID}>", again, key=str(nudge["nonce"]))
    assert [c for c, _ in _nudge_posts(h)] == [thread, thread]
    assert len(h.fake.requests("POST", r"/channels/\d+/messages/\d+/threads")) == 2  # the second one refused
    assert len([m for m in h.fake.messages.values() if m["channel_id"] == str(thread)]) == 1  # shown once


async def test_the_nudge_falls_back_to_the_channel_when_the_card_is_gone(discord_club: Harness) -> None:
    h = discord_club
    card = await _party(h, reminders="none")
    del h.fake.messages[int(str(card["id"]))]  # deleted by a moderator
    await _run_until(h, 11)
    assert [channel for channel, _ in _nudge_posts(h)] == [CHANNEL_ID]


async def test_a_card_in_another_channel_gets_no_thread(discord_club: Harness) -> None:
    h = discord_club
    await _party(h, announce_here=False, reminders="none")  # announcements go to the system channel
    await _run_until(h, 11)
    assert not h.fake.requests("POST", r"/channels/\d+/messages/\d+/threads")
    assert [channel for channel, _ in _nudge_posts(h)] == [SYSTEM_CHANNEL_ID]


async def test_the_card_and_the_scheduled_event_share_the_party_ref(tmp_path: Path) -> None:
    async with harness(tmp_path, app_permissions=MANAGE_EVENTS) as h:
        card = await _party(h, reminders="none")
        ref = await h.app.parties.platform_ref(KEY, 1)
        assert ref is not None and ref.startswith(f"msg:{CHANNEL_ID}/{card['id']} event:")
        await h.slash(h.owner, "party move", party="#1", when="2026-11-25 21:00")
        latest = h.message(await h.slash(h.owner, "party move", party="#1", when="2026-11-25 21:30"))
        events = h.fake.requests("PATCH", r"/guilds/\d+/scheduled-events/\d+")
        assert [e.body["scheduled_start_time"][11:16] for e in events] == ["21:00", "21:30"]  # the event follows
        ref = await h.app.parties.platform_ref(KEY, 1)
        assert ref is not None and ref.startswith(f"msg:{CHANNEL_ID}/{latest['id']} event:")


async def test_party_show_in_another_channel_does_not_replace_the_card(discord_club: Harness) -> None:
    h = discord_club
    card = await _party(h, reminders="none")  # scheduled in the announcement channel: the card
    h.interactions.channel_id = SYSTEM_CHANNEL_ID
    elsewhere = h.message(await h.slash(ALICE, "party show", party="#1"))
    assert elsewhere["channel_id"] == str(SYSTEM_CHANNEL_ID)
    assert await h.app.parties.platform_ref(KEY, 1) == f"msg:{CHANNEL_ID}/{card['id']}"
    await _run_until(h, 11)
    assert h.fake.requests("POST", rf"/channels/{CHANNEL_ID}/messages/{card['id']}/threads")
    assert [channel for channel, _ in _nudge_posts(h)] == [int(str(card["id"]))]  # in the card's thread
