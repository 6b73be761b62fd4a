"""Discord specifics: deferring slow answers, autocomplete, command sync, intents, shards,
scheduled events, the suggest form, and the notifier's channels, nonces and failures."""

from __future__ import annotations

from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest
from docclub_discord import adapter
from docclub_discord.adapter import compose, options_from
from docclub_discord.client import DocclubClient, ShardedDocclubClient, intents
from docclub_discord.notifier import DiscordNotifier
from docclub_discord.options import BotOptions
from docclub_discord.testing import (
    APP_ID,
    GUILD_ID,
    MANAGE_EVENTS,
    SYSTEM_CHANNEL_ID,
    FakeDiscord,
    Harness,
    Member,
    harness,
)

from docclub.config import Settings
from docclub.core.models import Actor, ClubKey, NewFilm
from docclub.core.ports import DeliveryFailed
from docclub.core.replies import text_reply

ALICE = Member(500000000000000011, "alice")
KEY = ClubKey("discord", str(GUILD_ID))


async def test_a_slow_answer_is_deferred_then_completed(tmp_path: Path) -> None:
    async with harness(tmp_path, defer_after=0.0) as h:
        answer = await h.slash(ALICE, "film suggest", title="Navalny (2022)")
        assert answer.callback_type == 5  # "thinking…" first
        edit = answer.requests[1]
        assert edit.method == "PATCH" and edit.path.endswith("/messages/@original")
        assert "Navalny" in answer.text()


async def test_a_burst_past_the_busy_mark_is_deferred_at_once_then_completed(tmp_path: Path) -> None:
    # Ten seconds of budget, but more interactions in flight than `busy_after`: no waiting.
    async with harness(tmp_path, defer_after=10.0, busy_after=0) as h:
        answer = await h.slash(ALICE, "film suggest", title="Navalny (2022)")
        assert answer.callback_type == 5
        assert "Navalny" in answer.text()
    (tmp_path / "quiet").mkdir()
    async with harness(tmp_path / "quiet", defer_after=10.0) as h:
        assert (await h.slash(ALICE, "film suggest", title="Navalny (2022)")).callback_type == 4


async def test_a_deferred_refusal_is_replaced_by_a_private_message(tmp_path: Path) -> None:
    async with harness(tmp_path, defer_after=0.0) as h:
        answer = await h.slash(ALICE, "film info", film="#9")
        assert [r.method for r in answer.requests] == ["POST", "DELETE", "POST"]
        assert answer.requests[2].body["flags"] & 64
        assert "There is no film #9" in answer.text()


async def test_autocomplete_offers_at_most_25_films_by_number(discord_club: Harness) -> None:
    h = discord_club
    actor = Actor("discord", str(ALICE.user_id), "alice")
    for i in range(30):
        await h.app.films.suggest(KEY, actor, NewFilm(title=f"Film {i:02d} {sha256(bytes([i])).hexdigest()[:12]}"))
    choices = await h.autocomplete(ALICE, "film info", "film", film="")
    assert len(choices) == 25
    assert all(c["value"].startswith("#") and len(c["name"]) <= 100 for c in choices)
    listed = await h.autocomplete(ALICE, "poll open", "films", films="#1, film 2")
    assert listed and all(c["value"].startswith("#1, #") for c in listed)


async def test_commands_sync_globally_by_default(discord_club: Harness) -> None:
    synced = discord_club.fake.requests("PUT", rf"/applications/{APP_ID}/commands")
    assert len(synced) == 1
    names = {c["name"] for c in synced[0].body}
    assert names == {
        "film",
        "poll",
        "vote",
        "party",
        "rsvp",
        "night",
        "rate",
        "ratings",
        "leaderboard",
        "prompts",
        "club",
        "help",
    }


async def test_commands_sync_instantly_to_configured_guilds(tmp_path: Path) -> None:
    async with harness(tmp_path, guild_ids=(GUILD_ID,)) as h:
        assert h.fake.requests("PUT", rf"/applications/{APP_ID}/guilds/{GUILD_ID}/commands")
        assert not h.fake.requests("PUT", rf"/applications/{APP_ID}/commands")


def test_only_unprivileged_intents_are_asked_for() -> None:
    wanted = intents()
    assert wanted.guilds and wanted.voice_states
    assert not (wanted.message_content or wanted.members or wanted.presences)


def test_shard_settings_choose_the_auto_sharded_client() -> None:
    settings = Settings(discord_token="x", discord_shard_count=4, discord_shard_ids="0,2")  # type: ignore[arg-type]
    options = options_from(settings)
    assert options.shard_count == 4 and options.shard_ids == (0, 2)
    from docclub.testing import FakeClock

    bot = compose(None, FakeClock(), options)  # type: ignore[arg-type]
    assert isinstance(bot.client, ShardedDocclubClient)
    assert bot.client.shard_count == 4 and bot.client.shard_ids == [0, 2]
    assert isinstance(compose(None, FakeClock(), BotOptions()).client, DocclubClient)  # type: ignore[arg-type]


def test_the_adapter_is_enabled_by_a_token() -> None:
    assert adapter.enabled(Settings(discord_token="x"))  # type: ignore[arg-type]
    assert not adapter.enabled(Settings(_env_file=None, discord_token=None))  # type: ignore[call-arg]


async def test_suggest_without_a_title_opens_a_form(discord_club: Harness) -> None:
    h = discord_club
    opened = await h.slash(ALICE, "film suggest")
    assert opened.callback_type == 9
    form = opened.callback.body["data"]
    ids = [row["components"][0]["custom_id"] for row in form["components"]]
    assert len(ids) == 5
    values = dict(zip(ids, ["Fire of Love (2022)", "Disney+", "", "volcanoes", "Two volcanologists"], strict=True))
    done = await h.submit(ALICE, form["custom_id"], values)
    assert "Suggested #1 Fire of Love (2022)" in done.text()


async def test_a_scheduled_event_follows_the_party(tmp_path: Path) -> None:
    async with harness(tmp_path, app_permissions=MANAGE_EVENTS) as h:
        await h.slash(h.owner, "film suggest", title="Navalny (2022)")
        await h.slash(h.owner, "party schedule", film="#1", when="2026-11-28 20:00", where="voice lounge")
        created = h.fake.requests("POST", rf"/guilds/{GUILD_ID}/scheduled-events")
        assert len(created) == 1
        assert created[0].body["name"] == "Watch party: Navalny (2022)"
        assert created[0].body["scheduled_start_time"].startswith("2026-11-28T20:00")
        await h.slash(h.owner, "party move", party="#1", when="2026-11-29 19:00")
        moved = h.fake.requests("PATCH", rf"/guilds/{GUILD_ID}/scheduled-events/\d+")
        assert moved[-1].body["scheduled_start_time"].startswith("2026-11-29T19:00")
        await h.slash(h.owner, "party cancel", party="#1")
        assert h.fake.requests("PATCH", rf"/guilds/{GUILD_ID}/scheduled-events/\d+")[-1].body["status"] == 4


async def test_no_scheduled_event_without_manage_events(discord_club: Harness) -> None:
    h = discord_club
    await h.slash(h.owner, "film suggest", title="Navalny (2022)")
    await h.slash(h.owner, "party schedule", film="#1", when="2026-11-28 20:00")
    assert not h.fake.requests("POST", rf"/guilds/{GUILD_ID}/scheduled-events")


async def test_announcements_go_to_the_configured_channel_once_per_key(discord_club: Harness) -> None:
    h = discord_club
    notifier = DiscordNotifier(h.bot)
    channel = 812345678901234567
    reply = text_reply("Party tonight")
    await notifier.announce(KEY, f"<#{channel}>", reply, key="reminder-7")
    await notifier.announce(KEY, f"<#{channel}>", reply, key="reminder-7")  # a repeat after a crash
    posts = h.fake.requests("POST", rf"/channels/{channel}/messages")
    assert [p.body["nonce"] for p in posts] == ["reminder-7", "reminder-7"]
    assert all(p.body["enforce_nonce"] for p in posts)
    assert len([m for m in h.fake.messages.values() if m["channel_id"] == str(channel)]) == 1


async def test_without_a_channel_announcements_use_the_system_channel(discord_club: Harness) -> None:
    h = discord_club
    await DiscordNotifier(h.bot).announce(KEY, None, text_reply("hello"), key="k1")
    assert h.fake.requests("POST", rf"/channels/{SYSTEM_CHANNEL_ID}/messages")


async def test_a_refused_post_raises_delivery_failed(discord_club: Harness) -> None:
    h = discord_club
    h.fake.fail_channel_posts = 1
    with pytest.raises(DeliveryFailed):
        await DiscordNotifier(h.bot).announce(KEY, "812345678901234567", text_reply("hi"), key="k2")


async def test_direct_reminders_open_a_dm(discord_club: Harness) -> None:
    h = discord_club
    await DiscordNotifier(h.bot).direct(KEY, str(ALICE.user_id), text_reply("in 2 hours"), key="k3")
    opened = h.fake.requests("POST", "/users/@me/channels")
    assert str(opened[0].body["recipient_id"]) == str(ALICE.user_id)
    dm_channel = next(iter(h.fake.dm_channels))
    assert h.fake.requests("POST", rf"/channels/{dm_channel}/messages")[0].body["content"] == "in 2 hours"


async def test_help_answers_in_direct_messages(discord_club: Harness) -> None:
    h = discord_club
    answer = await h.feed(h.interactions.direct(ALICE, "help", {}))
    text = answer.text()
    assert answer.callback_type == 4 and answer.ephemeral
    assert "/poll open" in text and "/party schedule" in text
    assert "works inside a server" not in text
    assert "in direct messages only /help answers" in text
    about = await h.feed(h.interactions.direct(ALICE, "help", {"command": "rate"}))
    assert "/rate film: score:" in about.text()


async def test_options_carry_the_limits_the_club_checks(discord_club: Harness) -> None:
    [synced] = discord_club.fake.requests("PUT", rf"/applications/{APP_ID}/commands")
    commands = {c["name"]: c for c in synced.body}

    def option(command: str, sub: str | None, name: str) -> dict[str, Any]:
        options = commands[command]["options"]
        if sub is not None:
            options = next(o for o in options if o["name"] == sub)["options"]
        found: dict[str, Any] = next(o for o in options if o["name"] == name)
        return found

    assert option("film", "suggest", "title")["max_length"] == 210
    assert option("film", "suggest", "pitch")["max_length"] == 500
    assert (option("film", "suggest", "year")["min_value"], option("film", "suggest", "year")["max_value"]) == (
        1870,
        2100,
    )
    assert option("rate", None, "review")["max_length"] == 1000
    assert option("party", "schedule", "where")["max_length"] == 100
    assert option("prompts", "add", "question")["max_length"] == 300
    assert option("poll", "open", "top")["max_value"] == 25
    every_text = [
        o
        for c in synced.body
        for o in (c.get("options") or [])
        for o in ([o] if o["type"] != 1 else o.get("options") or [])
        if o["type"] == 3 and "choices" not in o
    ]
    assert every_text and all("max_length" in o for o in every_text)  # every free-text option is bounded


async def test_commands_are_synced_only_when_their_definition_changed(tmp_path: Path) -> None:
    fake = FakeDiscord()
    await fake.start()
    try:
        async with harness(tmp_path, fake=fake):
            pass
        async with harness(tmp_path, fake=fake):  # a restart, same commands: no sync
            pass
        assert len(fake.requests("PUT", rf"/applications/{APP_ID}/commands")) == 1
        async with harness(tmp_path, fake=fake, guild_ids=(GUILD_ID,)):  # now to one guild: synced there
            pass
        assert len(fake.requests("PUT", rf"/applications/{APP_ID}/guilds/{GUILD_ID}/commands")) == 1
    finally:
        await fake.stop()


async def test_help_lists_every_slash_command_with_an_example(discord_club: Harness) -> None:
    from discord import app_commands
    from docclub_discord.commands import EXAMPLES

    names = []
    for c in discord_club.bot.tree.get_commands():
        subs = c.commands if isinstance(c, app_commands.Group) else [c]
        names += [s.qualified_name for s in subs]
    assert sorted(names) == sorted(EXAMPLES)  # no command without an example, no stale example
    shown = (await discord_club.slash(discord_club.owner, "help")).text()
    for name, example in EXAMPLES.items():
        assert f"/{name}" in shown and example in shown.replace("\\_", "_"), name  # Discord escapes _
    one = (await discord_club.slash(discord_club.owner, "help", command="poll")).text()
    assert EXAMPLES["poll close"] in one


async def test_a_slow_leaderboard_is_deferred_privately(tmp_path: Path) -> None:
    async with harness(tmp_path, defer_after=0.0) as h:
        answer = await h.slash(ALICE, "leaderboard")
        assert answer.callback_type == 5
        assert answer.callback.body["data"]["flags"] & 64  # "thinking…" shown to the asker only
