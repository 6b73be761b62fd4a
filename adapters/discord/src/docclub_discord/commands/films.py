"""/film: suggest documentaries (by options or a form), look them up, list, mark seen, withdraw,
shortlist and delete them."""

# No `from __future__ import annotations`: discord.py reads these annotations at runtime.

import discord
from discord import app_commands

from docclub.core.errors import InvalidInput
from docclub.core.letterboxd import MAX_BYTES as LIST_MAX_BYTES
from docclub.core.models import NewFilm
from docclub.core.replies import Reply
from docclub_discord.commands.base import (
    Choice,
    Completions,
    FilmText,
    LinkText,
    ListText,
    PitchText,
    PlaceText,
    RefText,
    TitleText,
    does,
    film_choices,
)
from docclub_discord.interaction import Interaction
from docclub_discord.responder import Responder
from docclub_discord.views import SuggestForm

__all__ = ["FilmCommands"]


async def _too_large(size: int) -> Reply:
    raise InvalidInput(f"That file is {size // 1_000_000} MB; a Letterboxd list export is under 2 MB.")


FILM_LISTS = [Choice(name=n, value=n) for n in ("suggested", "shortlisted", "scheduled", "watched", "withdrawn", "all")]


class FilmCommands(
    Completions, app_commands.Group, name="film", description="Suggest documentaries and look them up", guild_only=True
):
    def __init__(self, bot: Responder) -> None:
        super().__init__()
        self.bot = bot

    @app_commands.command(
        name="suggest",
        description="Suggest a documentary (no title: opens a form)",
        extras=does("suggest", cw="warnings"),
    )
    @app_commands.describe(
        title="Title, optionally with the year: Beyond Utopia (2023)",
        year="Release year",
        link="A link to the film or its trailer",
        where="Where to stream it",
        warnings="Content warnings, comma-separated",
        tags="Tags, comma-separated",
        pitch="A sentence or two on why the club should watch it",
        new="Suggest it even though a film with a similar title is here",
    )
    async def suggest(
        self,
        interaction: Interaction,
        title: TitleText | None = None,
        year: app_commands.Range[int, 1870, 2100] | None = None,
        link: LinkText | None = None,
        where: PlaceText | None = None,
        warnings: ListText | None = None,
        tags: ListText | None = None,
        pitch: PitchText | None = None,
        new: bool = False,
    ) -> None:
        bot = self.bot
        if title is None:
            async with bot.handling(interaction):
                await interaction.response.send_modal(SuggestForm(bot))
            return
        film = NewFilm(
            title=title,
            year=year,
            link=link,
            where=where,
            warnings=(warnings,) if warnings else (),
            tags=(tags,) if tags else (),
            pitch=pitch,
        )
        await bot.respond(interaction, lambda k, a: bot.app.films.suggest(k, a, film, new_anyway=new))

    @app_commands.command(
        name="info", description="A film's card: pitch, warnings, votes, parties, ratings", extras=does("film")
    )
    @app_commands.describe(film="#number or title")
    @app_commands.autocomplete(film=film_choices)
    async def info(self, interaction: Interaction, film: FilmText) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.films.card(k, a, film))

    @app_commands.command(name="list", description="The club's films", extras=does("films"))
    @app_commands.describe(which="Which films (default: suggested and shortlisted)")
    @app_commands.choices(which=FILM_LISTS)
    async def listing(self, interaction: Interaction, which: str | None = None) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.films.list(k, a, which))

    @app_commands.command(name="seen", description="Mark a film as seen by you", extras=does("seen"))
    @app_commands.describe(film="#number or title")
    @app_commands.autocomplete(film=film_choices)
    async def seen(self, interaction: Interaction, film: FilmText) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.films.seen(k, a, film), private=True)

    @app_commands.command(name="withdraw", description="Withdraw your own suggestion", extras=does("withdraw"))
    @app_commands.describe(film="#number or title")
    @app_commands.autocomplete(film=film_choices)
    async def withdraw(self, interaction: Interaction, film: FilmText) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.films.withdraw(k, a, film))

    @app_commands.command(name="shortlist", description="Shortlist a suggestion (organizers)", extras=does("shortlist"))
    @app_commands.describe(film="#number or title")
    @app_commands.autocomplete(film=film_choices)
    async def shortlist(self, interaction: Interaction, film: FilmText) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.films.shortlist(k, a, film))

    @app_commands.command(
        name="refresh",
        description="Look a film up on TMDB again: details and where it streams",
        extras=does("film refresh"),
    )
    @app_commands.describe(film="#number or title")
    @app_commands.autocomplete(film=film_choices)
    async def refresh(self, interaction: Interaction, film: FilmText) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.catalog_films.refresh(k, a, film))

    @app_commands.command(
        name="pick",
        description="Which film you meant, when TMDB knows several of its title",
        extras=does("pick", n="choice"),
    )
    @app_commands.describe(choice="Its number in the list, or none to keep the title as you typed it")
    async def pick(self, interaction: Interaction, choice: RefText) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.catalog_films.pick(k, a, choice), private=True)

    @app_commands.command(
        name="import",
        description="Suggest every film of a Letterboxd list (its CSV export) in one go (organizers)",
        extras=does("import letterboxd", path="file"),
    )
    @app_commands.describe(file="The list's CSV export: on Letterboxd, open the list and choose Export list")
    async def import_list(self, interaction: Interaction, file: discord.Attachment) -> None:
        bot = self.bot
        if file.size > LIST_MAX_BYTES:
            await bot.respond(interaction, lambda k, a: _too_large(file.size))
            return
        data = await file.read()
        await bot.respond(interaction, lambda k, a: bot.app.catalog_films.import_letterboxd(k, a, data))

    @app_commands.command(
        name="delete", description="Delete a film with its ratings (organizers)", extras=does("delete")
    )
    @app_commands.describe(film="#number or title")
    @app_commands.autocomplete(film=film_choices)
    async def delete(self, interaction: Interaction, film: FilmText) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.films.delete(k, a, film))
