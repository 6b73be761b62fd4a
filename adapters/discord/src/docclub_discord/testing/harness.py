"""A logged-in docclub Bot on a real SQLite file, a FakeClock and the fake Discord: deliver
interactions, voice states and GUILD_CREATE as the gateway would, and read what Discord was
told in answer."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import discord

from docclub.core.catalog import FilmCatalog
from docclub.core.clubs import Docclub
from docclub.storage.sqlite import SqliteStore
from docclub.testing.clock import FakeClock
from docclub_discord.adapter import compose
from docclub_discord.bot import Bot
from docclub_discord.options import BotOptions
from docclub_discord.testing.ids import GUILD_ID, HANG_GUARD, MANAGE_GUILD, ORDINARY, STAGE_CHANNEL_ID
from docclub_discord.testing.interactions import Interactions, Member
from docclub_discord.testing.server import FakeDiscord, Received
from docclub_discord.testing.text import flatten

__all__ = ["Answer", "Harness", "harness"]


@dataclass
class Answer:
    """What Discord received in answer to one interaction."""

    interaction_id: int
    requests: list[Received]

    @property
    def callback(self) -> Received:
        return self.requests[0]

    @property
    def callback_type(self) -> int:
        return int(self.callback.body["type"])

    def messages(self) -> list[dict[str, Any]]:
        """Message bodies: the callback's, then follow-ups and edits of the original."""
        out: list[dict[str, Any]] = []
        for r in self.requests:
            if r.method == "DELETE":
                continue
            data = r.message_data()
            if data or r.method != "POST" or not r.path.endswith("/callback"):
                out.append(data)
        return [m for m in out if m]

    @property
    def ephemeral(self) -> bool:
        return any((m.get("flags") or 0) & 64 for m in self.messages())

    def text(self) -> str:
        """Everything shown, flattened: content, embed titles, descriptions, fields, footers, buttons."""
        parts: list[str] = []
        for m in self.messages():
            parts.extend(flatten(m))
        return "\n".join(parts)


@dataclass
class Harness:
    """A logged-in docclub Bot on a real SQLite file, a FakeClock, and the fake Discord."""

    fake: FakeDiscord
    bot: Bot
    app: Docclub
    store: Any  # the store port, or a test's double around it
    clock: FakeClock
    interactions: Interactions
    db_path: Path
    owner: Member = field(default_factory=lambda: Member(500000000000000001, "Organizer", ORDINARY | MANAGE_GUILD))
    voice_members: list[Member] = field(default_factory=list)  # members the gateway has told of

    @property
    def gateway(self) -> Any:
        """The client's parser of gateway events, fed here with raw payloads (typed loosely)."""
        return self.bot.client._connection

    async def feed(self, payload: dict[str, Any]) -> Answer:
        """Deliver one interaction as the gateway would and wait until it is answered."""
        iid = int(payload["id"])
        self.gateway.parse_interaction_create(payload)
        async with asyncio.timeout(HANG_GUARD):
            if payload["type"] == 4:
                await self.fake.wait_for(lambda: bool(self.fake.for_interaction(iid, payload["token"])))
            else:
                await self.bot.wait_handled(iid)
        return Answer(iid, self.fake.for_interaction(iid, payload["token"]))

    async def slash(self, member: Member, path: str, **options: Any) -> Answer:
        return await self.feed(self.interactions.command(member, path, options))

    async def autocomplete(self, member: Member, path: str, focused: str, **options: Any) -> list[dict[str, Any]]:
        answer = await self.feed(self.interactions.command(member, path, options, focused=focused))
        choices: list[dict[str, Any]] = answer.callback.body["data"]["choices"]
        return choices

    async def click(self, member: Member, message: dict[str, Any], custom_id: str) -> Answer:
        return await self.feed(self.interactions.click(member, message, custom_id))

    async def choose(self, member: Member, message: dict[str, Any], custom_id: str, *values: str) -> Answer:
        return await self.feed(self.interactions.choose(member, message, custom_id, list(values)))

    async def submit(self, member: Member, custom_id: str, values: dict[str, str]) -> Answer:
        return await self.feed(self.interactions.submit(member, custom_id, values))

    def guild_available(self, *, in_voice: dict[int, int] | None = None) -> None:
        """GUILD_CREATE as the gateway sends it: the text, system, voice (`VOICE_CHANNEL_ID`)
        and stage (`STAGE_CHANNEL_ID`) channels, and who is in voice now ({user id: channel})."""
        in_voice = in_voice or {}
        base = self.fake._guild(None, str(GUILD_ID))

        members = {m.user_id: m for m in self.voice_members}
        self.gateway.parse_guild_create(
            {
                **base,
                "unavailable": False,
                "joined_at": "2026-01-01T00:00:00+00:00",
                "large": False,
                "member_count": len(in_voice) + 1,
                "roles": [
                    {
                        "id": str(GUILD_ID),
                        "name": "@everyone",
                        "permissions": "0",
                        "position": 0,
                        "color": 0,
                        "hoist": False,
                        "managed": False,
                        "mentionable": False,
                        "flags": 0,
                    }
                ],
                "channels": [self.fake.channel_payload(cid) for cid in self.fake.channels],
                "members": [members[u].payload() for u in in_voice],
                "voice_states": [self._voice_state(members[u], c) for u, c in in_voice.items()],
                "threads": [],
                "stage_instances": [],
                "guild_scheduled_events": [],
                "presences": [],
                "soundboard_sounds": [],
            }
        )

    def _voice_state(self, member: Member, channel_id: int | None) -> dict[str, Any]:
        return {
            "guild_id": str(GUILD_ID),
            "channel_id": None if channel_id is None else str(channel_id),
            "user_id": str(member.user_id),
            "member": member.payload(),
            "session_id": f"session-{member.user_id}",
            "deaf": False,
            "mute": False,
            "self_deaf": False,
            "self_mute": False,
            "self_video": False,
            "self_stream": False,
            "suppress": channel_id == STAGE_CHANNEL_ID,
            "request_to_speak_timestamp": None,
        }

    async def voice(self, member: Member, channel_id: int | None, *, self_mute: bool = False) -> None:
        """VOICE_STATE_UPDATE: `member` is now in `channel_id` (None: left voice); returns when
        the bot has handled it. Call `guild_available` first, as the gateway does."""
        if member not in self.voice_members:
            self.voice_members.append(member)
        payload = {**self._voice_state(member, channel_id), "self_mute": self_mute}
        self.gateway.parse_voice_state_update(payload)
        handlers = [t for t in asyncio.all_tasks() if t.get_name() == "discord.py: on_voice_state_update"]
        async with asyncio.timeout(HANG_GUARD):
            await asyncio.gather(*handlers)

    def message(self, answer: Answer) -> dict[str, Any]:
        """The message an interaction's response created, as the fake now holds it (after edits)."""
        token = answer.callback.path.split("/")[3]
        return self.fake.messages[self.fake._hook_messages[token]]


@contextlib.asynccontextmanager
async def harness(
    tmp_path: Path,
    *,
    start: datetime | None = None,
    app_permissions: int = 0,
    fake: FakeDiscord | None = None,
    db_name: str = "club.db",
    wrap_store: Callable[[Any], Any] | None = None,
    catalog: Callable[[SqliteStore, FakeClock], FilmCatalog] | None = None,
    **options: Any,
) -> AsyncIterator[Harness]:
    """A Bot logged in to a fake Discord (started here unless given), on `tmp_path/db_name`;
    `wrap_store` puts a test double of the store port around the real store; `catalog` makes
    the film catalog (e.g. TMDB on a fake) from the store and clock."""
    clock = FakeClock(start)
    own_fake = fake is None
    fake = fake or FakeDiscord()
    fake.now = clock.now
    if own_fake:
        await fake.start()
    saved_base = discord.http.Route.BASE
    store = await SqliteStore.open(tmp_path / db_name)
    app = Docclub(wrap_store(store) if wrap_store else store, clock, catalog=catalog(store, clock) if catalog else None)
    bot = compose(app, clock, BotOptions(**{"api_url": fake.base, **options}))  # DISCORD_API_URL's job
    try:
        await bot.login("fake-token")
        yield Harness(fake, bot, app, store, clock, Interactions(fake, app_permissions), tmp_path / db_name)
    finally:
        await bot.close()
        await store.close()
        discord.http.Route.BASE = saved_base
        if own_fake:
            await fake.stop()
