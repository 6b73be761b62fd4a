"""The `Adapter` that `docclub run` starts when DISCORD_TOKEN is set, and the one place where
the Bot is put together (`compose`)."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from docclub.config import Settings
from docclub.core.clubs import Docclub
from docclub.core.ports import Clock, Notifier
from docclub_discord.attendance import Attendance
from docclub_discord.bot import Bot
from docclub_discord.cards import LiveCards
from docclub_discord.client import client_for
from docclub_discord.commands import commands_for
from docclub_discord.doctor import check
from docclub_discord.install import invite_url
from docclub_discord.notifier import DiscordNotifier
from docclub_discord.options import BotOptions
from docclub_discord.views import Buttons

if TYPE_CHECKING:
    from docclub.bootstrap import Runtime
    from docclub.doctor import ClubConfigs, Finding

log = logging.getLogger("docclub.discord")


__all__ = ["DiscordAdapter", "compose", "options_from"]


def compose(app: Docclub, clock: Clock, options: BotOptions | None = None) -> Bot:
    """One Bot with everything it uses: its client (which tells `Attendance` of voice states), its
    command tree with every feature's commands, its persistent buttons registered with the
    client, and its live cards. The buttons and the commands answer through the Bot, so they
    are made after it and given to it."""
    options = options or BotOptions()
    attendance = Attendance(app, clock)
    client = client_for(options, attendance)
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
    bot = Bot(app, clock, options, client, tree, attendance)
    bot.buttons = Buttons(bot)
    bot.cards = LiveCards(app, client, clock, options, bot.buttons)
    for command in commands_for(bot):
        tree.add_command(command)
    client.add_dynamic_items(*bot.buttons.dynamic_items)
    return bot


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
        bot = compose(runtime.app, runtime.clock, options_from(runtime.settings))
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
        return await check(settings, club_config)

    async def stop(self) -> None:
        if self.bot is not None:
            await self.bot.close()
            self.bot = None
