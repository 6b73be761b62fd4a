"""Discord adapter for docclub: slash commands, persistent buttons, reminders, scheduled events."""

from docclub_discord.adapter import DiscordAdapter
from docclub_discord.bot import Bot, BotOptions
from docclub_discord.notifier import DiscordNotifier

__all__ = ["Bot", "BotOptions", "DiscordAdapter", "DiscordNotifier", "adapter"]

adapter = DiscordAdapter()
