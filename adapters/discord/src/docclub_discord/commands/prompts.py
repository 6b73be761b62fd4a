"""/prompts: discussion prompts for a film, and members' own."""

# No `from __future__ import annotations`: discord.py reads these annotations at runtime.

from discord import app_commands

from docclub_discord.commands.base import Completions, FilmText, QuestionText, does, film_choices
from docclub_discord.interaction import Interaction
from docclub_discord.responder import Responder

__all__ = ["PromptCommands"]


class PromptCommands(
    Completions, app_commands.Group, name="prompts", description="Discussion prompts for a film", guild_only=True
):
    def __init__(self, bot: Responder) -> None:
        super().__init__()
        self.bot = bot

    @app_commands.command(
        name="show", description="A fresh mix of discussion prompts for a film", extras=does("prompts")
    )
    @app_commands.describe(film="#number or title")
    @app_commands.autocomplete(film=film_choices)
    async def show(self, interaction: Interaction, film: FilmText) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.discussion.prompts(k, a, film))

    @app_commands.command(
        name="add", description="Add your own discussion prompt for a film", extras=does("prompt add")
    )
    @app_commands.describe(film="#number or title", question="Your question for the club")
    @app_commands.autocomplete(film=film_choices)
    async def add(self, interaction: Interaction, film: FilmText, question: QuestionText) -> None:
        await self.bot.respond(
            interaction, lambda k, a: self.bot.app.discussion.add(k, a, film, question), private=True
        )
