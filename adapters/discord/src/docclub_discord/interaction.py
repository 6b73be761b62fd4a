"""The interaction every command, button and form receives, and the platform's name in club keys.
Its own module, importing nothing of docclub_discord, so that any module may name them."""

import discord

__all__ = ["PLATFORM", "Interaction"]

PLATFORM = "discord"  # the platform of every club key and actor made here
Interaction = discord.Interaction[discord.Client]
