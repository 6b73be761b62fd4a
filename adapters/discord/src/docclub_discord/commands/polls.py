"""/poll (open, show, add, close, cancel) and /vote: what the club watches next."""

# No `from __future__ import annotations`: discord.py reads these annotations at runtime.

from discord import app_commands

from docclub_discord.commands.base import (
    Choice,
    Command,
    Completions,
    FilmsText,
    FilmText,
    RefText,
    WhenText,
    does,
    film_choices,
    films_choices,
    poll_choices,
    refuse,
    split_list,
    top_level,
)
from docclub_discord.interaction import Interaction
from docclub_discord.responder import Responder

__all__ = ["PollCommands"]

METHODS = [
    Choice(name="single choice", value="single"),
    Choice(name="approval (pick any)", value="approval"),
    Choice(name="ranked choice", value="ranked"),
]


class PollCommands(
    Completions, app_commands.Group, name="poll", description="Vote on what to watch next", guild_only=True
):
    """The /poll group, and /vote at the top level (`top_level`)."""

    def __init__(self, bot: Responder) -> None:
        super().__init__()
        self.bot = bot
        self.top_level: list[Command] = [
            top_level(
                self.vote,
                name="vote",
                description="Vote in a poll (ranked: list films in order of preference)",
                extras=does("vote", ("vote clear", {"clear": "True"})),
            )
        ]

    @app_commands.command(
        name="open", description="Open a poll with buttons (no films: the top suggestions)", extras=does("poll open")
    )
    @app_commands.describe(
        films="Films, comma-separated: Beyond Utopia, Navalny, #3",
        method="How members vote (default: single choice)",
        closes="When it closes by itself, e.g. friday 18:00",
        anonymous="Hide who voted for what",
        top="Offer the top N suggestions (2–25)",
    )
    @app_commands.choices(method=METHODS)
    @app_commands.autocomplete(films=films_choices)
    async def open_poll(
        self,
        interaction: Interaction,
        films: FilmsText | None = None,
        method: str = "single",
        closes: WhenText | None = None,
        anonymous: bool = False,
        top: app_commands.Range[int, 2, 25] | None = None,
    ) -> None:
        await self.bot.respond(
            interaction,
            lambda k, a: self.bot.app.polls.open(
                k, a, method=method, film_refs=split_list(films), closes=closes, anonymous=anonymous, top=top
            ),
        )

    @app_commands.command(
        name="show", description="A poll's standings (ranked: round by round)", extras=does("poll show")
    )
    @app_commands.describe(poll="#number (default: the open one)")
    @app_commands.autocomplete(poll=poll_choices)
    async def show(self, interaction: Interaction, poll: RefText | None = None) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.polls.show(k, a, poll))

    @app_commands.command(name="add", description="Add a film to an open poll", extras=does("poll add"))
    @app_commands.describe(film="#number or title", poll="#number (default: the open one)")
    @app_commands.autocomplete(film=film_choices, poll=poll_choices)
    async def add(self, interaction: Interaction, film: FilmText, poll: RefText | None = None) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.polls.add_film(k, a, poll, film))

    @app_commands.command(
        name="close", description="Close a poll and show the result (organizers)", extras=does("poll close")
    )
    @app_commands.describe(
        poll="#number (default: the open one)", schedule="Schedule the winner right away, e.g. sat 20:00"
    )
    @app_commands.autocomplete(poll=poll_choices)
    async def close(
        self, interaction: Interaction, poll: RefText | None = None, schedule: WhenText | None = None
    ) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.polls.close(k, a, poll, schedule_at=schedule))

    @app_commands.command(
        name="cancel", description="Cancel a poll without a result (organizers)", extras=does("poll cancel")
    )
    @app_commands.describe(poll="#number (default: the open one)")
    @app_commands.autocomplete(poll=poll_choices)
    async def cancel(self, interaction: Interaction, poll: RefText | None = None) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.polls.close(k, a, poll, cancel=True))

    @app_commands.describe(
        films="Your film, or films comma-separated: Navalny, Beyond Utopia",
        poll="#number (default: the open one)",
        clear="Withdraw your ballot (while the poll is open)",
    )
    @app_commands.autocomplete(films=films_choices, poll=poll_choices)
    @app_commands.guild_only()
    async def vote(
        self, interaction: Interaction, films: FilmsText | None = None, poll: RefText | None = None, clear: bool = False
    ) -> None:
        app = self.bot.app
        if clear and films:
            await self.bot.respond(
                interaction,
                lambda k, a: refuse("Choose films or clear your ballot, not both.", "/vote clear:True [poll]"),
                private=True,
            )
        elif clear:
            await self.bot.respond(interaction, lambda k, a: app.polls.clear(k, a, poll), private=True)
        else:
            await self.bot.respond(
                interaction, lambda k, a: app.polls.vote(k, a, poll, split_list(films)), private=True
            )
