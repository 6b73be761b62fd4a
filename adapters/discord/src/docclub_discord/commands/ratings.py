"""/rate, /ratings and /leaderboard: top-level commands, so the feature is not a Discord group."""

# No `from __future__ import annotations`: discord.py reads these annotations at runtime.

from discord import app_commands

from docclub_discord.commands.base import (
    Command,
    Completions,
    FilmText,
    ReviewText,
    ScoreText,
    does,
    film_choices,
    top_level,
)
from docclub_discord.interaction import Interaction
from docclub_discord.responder import Responder

__all__ = ["RatingCommands"]


class RatingCommands(Completions):
    """Rating films and reading the club's ratings; every answer is private."""

    def __init__(self, bot: Responder) -> None:
        self.bot = bot
        self.top_level: list[Command] = [
            top_level(
                self.rate,
                name="rate",
                description="Rate a film on the club's scale; the review is a spoiler",
                extras=does("rate", **{"no-review": "remove_review"}),
            ),
            top_level(
                self.ratings,
                name="ratings",
                description="How the club rated a film (after you rate it); no film: yours",
                extras=does("ratings", "my ratings"),
            ),
            top_level(
                self.leaderboard,
                name="leaderboard",
                description="The club's best-rated films among those you rated (private)",
                extras=does("leaderboard"),
            ),
        ]

    @app_commands.describe(
        film="#number or title",
        score="Your score: 1–10, or 0.5–5 stars in star clubs",
        review="A short review (shown as a spoiler); leave empty to keep the one you wrote",
        remove_review="Remove the review you wrote before",
    )
    @app_commands.autocomplete(film=film_choices)
    @app_commands.guild_only()
    async def rate(
        self,
        interaction: Interaction,
        film: FilmText,
        score: ScoreText,
        review: ReviewText | None = None,
        remove_review: bool = False,
    ) -> None:
        await self.bot.respond(
            interaction,
            lambda k, a: self.bot.app.ratings.rate(k, a, film, score, review, remove_review=remove_review),
            private=True,
        )

    @app_commands.describe(film="#number or title (leave empty for your own history)")
    @app_commands.autocomplete(film=film_choices)
    @app_commands.guild_only()
    async def ratings(self, interaction: Interaction, film: FilmText | None = None) -> None:
        ratings = self.bot.app.ratings
        if film is None:
            await self.bot.respond(interaction, lambda k, a: ratings.mine(k, a), private=True)
        else:
            await self.bot.respond(interaction, lambda k, a: ratings.show(k, a, film), private=True)

    @app_commands.guild_only()
    async def leaderboard(self, interaction: Interaction) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.ratings.leaderboard(k, a), private=True)
