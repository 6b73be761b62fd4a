"""Discord adapter for docclub: slash commands, persistent buttons, reminders, scheduled events."""

from docclub_discord.adapter import DiscordAdapter, compose
from docclub_discord.bot import Bot
from docclub_discord.notifier import DiscordNotifier
from docclub_discord.options import BotOptions

__all__ = ["Bot", "BotOptions", "DiscordAdapter", "DiscordNotifier", "adapter", "compose"]

adapter = DiscordAdapter()
"""The `Adapter` that `docclub run` starts when DISCORD_TOKEN is set."""
