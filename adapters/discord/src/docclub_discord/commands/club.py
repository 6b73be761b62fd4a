"""/club: the club's settings, backups and the club page's address."""

# No `from __future__ import annotations`: discord.py reads these annotations at runtime.

from discord import app_commands

from docclub.core.club_config import SETTING_HELP
from docclub_discord.commands.base import Choice, ValueText, does
from docclub_discord.interaction import Interaction
from docclub_discord.responder import Responder

__all__ = ["ClubCommands"]

SETTINGS = [Choice(name=n, value=n) for n in SETTING_HELP]  # every club setting the core knows


class ClubCommands(
    app_commands.Group, name="club", description="The club's settings, backups and page", guild_only=True
):
    def __init__(self, bot: Responder) -> None:
        super().__init__()
        self.bot = bot

    @app_commands.command(name="config", description="The club's settings", extras=does("config show"))
    async def config(self, interaction: Interaction) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.settings.show(k, a))

    @app_commands.command(
        name="set", description="Change a setting (organizers)", extras=does("config set", key="setting")
    )
    @app_commands.describe(
        setting="Which setting", value="The new value: Europe/Berlin, stars, 24h,1h,0, #channel, @Role, yes/no, or none"
    )
    @app_commands.choices(setting=SETTINGS)
    async def set_value(self, interaction: Interaction, setting: str, value: ValueText) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.settings.set(k, a, setting, value))

    @app_commands.command(
        name="export", description="A JSON backup (organizers) or your ratings as Letterboxd CSV", extras=does("export")
    )
    @app_commands.describe(what="json: the whole club; csv: your ratings for Letterboxd")
    @app_commands.choices(
        what=[Choice(name="json (whole club)", value="json"), Choice(name="csv (my ratings, Letterboxd)", value="csv")]
    )
    async def export(self, interaction: Interaction, what: str) -> None:
        backup = self.bot.app.backup
        if what == "json":
            await self.bot.respond(interaction, lambda k, a: backup.export_json(k, a), private=True)
        else:
            await self.bot.respond(interaction, lambda k, a: backup.export_csv(k, a), private=True)

    @app_commands.command(
        name="link",
        description="The club page's address, privately (organizers); reset:True revokes the old ones",
        extras=does("club link", ("club link reset", {"reset": "True"})),
    )
    @app_commands.describe(reset="Make the earlier addresses stop working, then give a new one")
    async def link(self, interaction: Interaction, reset: bool = False) -> None:
        pages = self.bot.app.club_page
        await self.bot.respond(interaction, lambda k, a: pages.link(k, a, reset=reset), private=True)
