"""The `Adapter` that `docclub run` starts when DISCORD_TOKEN is set."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord

from docclub.config import Settings
from docclub.core.ports import Notifier
from docclub_discord.bot import Bot, BotOptions
from docclub_discord.install import invite_url
from docclub_discord.notifier import DiscordNotifier

if TYPE_CHECKING:
    from docclub.bootstrap import Runtime
    from docclub.doctor import ClubConfigs, Finding

log = logging.getLogger("docclub.discord")


def options_from(settings: Settings) -> BotOptions:
    return BotOptions(
        guild_ids=tuple(settings.guild_ids),
        shard_count=settings.discord_shard_count,
        shard_ids=tuple(settings.shard_ids),
        api_url=settings.discord_api_url,
    )


class DiscordAdapter:
    name = "discord"

    def __init__(self) -> None:
        self.bot: Bot | None = None

    def enabled(self, settings: Settings) -> bool:
        return settings.discord_token is not None and bool(settings.discord_token.get_secret_value())

    async def start(self, runtime: Runtime) -> Notifier:
        """Log in, sync slash commands, and connect to the gateway in the background."""
        token = runtime.settings.discord_token
        if token is None:
            raise RuntimeError("DISCORD_TOKEN is not set")
        bot = Bot(runtime.app, runtime.clock, options_from(runtime.settings))
        synced = await bot.login(token.get_secret_value())
        runtime.tasks.append(asyncio.create_task(bot.client.connect(), name="docclub-discord-gateway"))
        self.bot = bot
        where = f"to {len(bot.options.guild_ids)} guild(s)" if bot.options.guild_ids else "globally"
        log.info(
            "discord: logged in as %s; commands %s",
            bot.client.user,
            f"synced {where}" if synced else f"unchanged, already synced {where}",
        )
        await self._invite_if_alone(bot)
        return DiscordNotifier(bot)

    async def _invite_if_alone(self, bot: Bot) -> None:
        """In no server yet: say once, in the log, how to invite the bot."""
        try:
            in_some = bool(await bot.client.http.get_guilds(1))
        except discord.HTTPException:
            return
        if not in_some and bot.client.application_id is not None:
            log.info("discord: docclub is in no server yet; invite it with %s", invite_url(bot.client.application_id))

    async def doctor(self, settings: Settings, club_config: ClubConfigs) -> list[Finding]:
        from docclub_discord.doctor import check

        return await check(settings, club_config)

    async def stop(self) -> None:
        if self.bot is not None:
            await self.bot.close()
            self.bot = None
