"""/party (schedule, list, show, ics, move, cancel) and /rsvp: watching together."""

# No `from __future__ import annotations`: discord.py reads these annotations at runtime.

from discord import app_commands

from docclub_discord.commands.base import (
    Choice,
    Command,
    Completions,
    FilmText,
    PlaceText,
    RefText,
    ShortText,
    WhenText,
    does,
    film_choices,
    party_choices,
    top_level,
)
from docclub_discord.interaction import Interaction
from docclub_discord.responder import Responder

__all__ = ["PartyCommands"]

ANSWERS = [
    Choice(name="going", value="yes"),
    Choice(name="maybe", value="maybe"),
    Choice(name="can't make it", value="no"),
]


class PartyCommands(
    Completions,
    app_commands.Group,
    name="party",
    description="Watch parties: schedule, list, move, cancel",
    guild_only=True,
):
    """The /party group, and /rsvp at the top level (`top_level`)."""

    def __init__(self, bot: Responder) -> None:
        super().__init__()
        self.bot = bot
        self.top_level: list[Command] = [
            top_level(
                self.rsvp, name="rsvp", description="Say whether you're coming to a watch party", extras=does("rsvp")
            )
        ]

    @app_commands.command(
        name="schedule", description="Schedule a watch party (organizers)", extras=does("party schedule")
    )
    @app_commands.describe(
        film="#number or title",
        when="In the club's timezone: sat 20:00, 2026-12-05 20:00",
        where="A voice channel or a link",
        duration="How long, e.g. 2h (default: the film's)",
        again="Schedule it even though the film already has a party at that time",
    )
    @app_commands.autocomplete(film=film_choices)
    async def schedule(
        self,
        interaction: Interaction,
        film: FilmText,
        when: WhenText,
        where: PlaceText | None = None,
        duration: ShortText | None = None,
        again: bool = False,
    ) -> None:
        await self.bot.respond(
            interaction,
            lambda k, a: self.bot.app.parties.schedule(k, a, film, when, where=where, duration=duration, again=again),
        )

    @app_commands.command(name="list", description="Upcoming watch parties", extras=does("party list"))
    @app_commands.describe(which="upcoming (default) or all")
    @app_commands.choices(which=[Choice(name="upcoming", value="upcoming"), Choice(name="all", value="all")])
    async def listing(self, interaction: Interaction, which: str | None = None) -> None:
        await self.bot.respond(
            interaction, lambda k, a: self.bot.app.parties.list(k, a, None if which == "upcoming" else which)
        )

    @app_commands.command(name="show", description="A watch party with who's coming", extras=does("party show"))
    @app_commands.describe(party="#number (default: the next one)")
    @app_commands.autocomplete(party=party_choices)
    async def show(self, interaction: Interaction, party: RefText | None = None) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.parties.show(k, a, party))

    @app_commands.command(name="ics", description="A calendar file for a watch party", extras=does("party ics"))
    @app_commands.describe(party="#number (default: the next one)")
    @app_commands.autocomplete(party=party_choices)
    async def ics(self, interaction: Interaction, party: RefText | None = None) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.parties.ics(k, a, party), private=True)

    @app_commands.command(
        name="move", description="Move a watch party; RSVPs are told (organizers)", extras=does("party move")
    )
    @app_commands.describe(when="The new time: sun 19:00", party="#number (default: the next one)")
    @app_commands.autocomplete(party=party_choices)
    async def move(self, interaction: Interaction, when: WhenText, party: RefText | None = None) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.parties.move(k, a, party, when))

    @app_commands.command(
        name="cancel", description="Cancel a watch party; RSVPs are told (organizers)", extras=does("party cancel")
    )
    @app_commands.describe(party="#number (default: the next one)")
    @app_commands.autocomplete(party=party_choices)
    async def cancel(self, interaction: Interaction, party: RefText | None = None) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.parties.cancel(k, a, party))

    @app_commands.describe(
        answer="Are you coming?",
        party="#number (default: the next one)",
        remind="Also message me this long before, e.g. 2h",
    )
    @app_commands.choices(answer=ANSWERS)
    @app_commands.autocomplete(party=party_choices)
    @app_commands.guild_only()
    async def rsvp(
        self, interaction: Interaction, answer: str, party: RefText | None = None, remind: ShortText | None = None
    ) -> None:
        await self.bot.respond(
            interaction,
            lambda k, a: self.bot.app.parties.rsvp(k, a, party, answer, remind=remind),
            private=True,
        )
