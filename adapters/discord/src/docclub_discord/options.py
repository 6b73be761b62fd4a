"""How one Discord bot runs: guilds to sync to, shards, and its time budgets."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BotOptions"]


@dataclass(frozen=True, slots=True)
class BotOptions:
    guild_ids: tuple[int, ...] = ()  # sync commands to these guilds only (instant), else globally
    shard_count: int | None = None
    shard_ids: tuple[int, ...] = ()
    defer_after: float = 2.0  # seconds a core call may take before the interaction is deferred
    busy_after: int = 64  # interactions at work past which all are deferred at once (`deferral`)
    poll_edit_interval: float = 2.0  # at most one edit of a poll message per this many seconds
    stop_flush_seconds: float = 5.0  # on stop, how long edits still waiting may take to go out
    api_url: str | None = None  # DISCORD_API_URL: where REST calls go (None: discord.py's default)
