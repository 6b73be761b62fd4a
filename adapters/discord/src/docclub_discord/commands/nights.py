"""/night: club nights that open their poll, close it and schedule the winner by themselves."""

# No `from __future__ import annotations`: discord.py reads these annotations at runtime.

from discord import app_commands

from docclub.core.night_plans import NightChanges
from docclub.core.voting import MAX_FILMS
from docclub_discord.commands.base import Choice, PlaceText, RefText, ShortText, WhenText, does
from docclub_discord.interaction import Interaction
from docclub_discord.responder import Responder

__all__ = ["NightCommands"]

RuleText = app_commands.Range[str, 1, 60]
TopFilms = app_commands.Range[int, 2, MAX_FILMS]
METHODS = [Choice(name=n, value=n) for n in ("single", "approval", "ranked")]
ANSWERS = [
    Choice(name="going", value="yes"),
    Choice(name="maybe", value="maybe"),
    Choice(name="can't make it", value="no"),
]
RULE = "every saturday, every other thursday, first friday, last sunday, 15th"
NIGHT = "#number (default: the club's only night)"


def _changes(
    rule: str | None,
    time: str | None,
    where: str | None,
    poll: str | None,
    closes: str | None,
    method: str | None,
    top: int | None,
    duration: str | None,
) -> NightChanges:
    """The options of /night schedule and /night edit as the core reads them: as text, the way a
    member types them in the console (`--top 4`); Discord hands `top` over as a number."""
    return NightChanges(
        rule=rule,
        clock=time,
        where=where,
        poll=poll,
        closes=closes,
        method=method,
        top=None if top is None else str(top),
        duration=duration,
    )


class NightCommands(
    app_commands.Group,
    name="night",
    description="Club nights on autopilot: a poll before each night, then the winner's watch party",
    guild_only=True,
):
    def __init__(self, bot: Responder) -> None:
        super().__init__()
        self.bot = bot

    @app_commands.command(
        name="schedule", description="Set a recurring club night (organizers)", extras=does("night schedule")
    )
    @app_commands.describe(
        rule=RULE,
        time="The time of day in the club's timezone: 20:00",
        where="A voice channel or a link",
        poll="How long before each night its poll opens (default 7d)",
        closes="How long before each night its poll closes (default 1d)",
        method="How the poll is counted (default single)",
        top="How many suggestions the poll offers (default 4)",
        duration="How long each night lasts (default 2h)",
    )
    @app_commands.choices(method=METHODS)
    async def schedule(
        self,
        interaction: Interaction,
        rule: RuleText,
        time: ShortText,
        where: PlaceText | None = None,
        poll: ShortText | None = None,
        closes: ShortText | None = None,
        method: str | None = None,
        top: TopFilms | None = None,
        duration: ShortText | None = None,
    ) -> None:
        changes = _changes(rule, time, where, poll, closes, method, top, duration)
        await self.bot.respond(interaction, lambda k, a: self.bot.app.nights.schedule(k, a, changes))

    @app_commands.command(name="list", description="The club's nights", extras=does("night list"))
    async def listing(self, interaction: Interaction) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.nights.list(k, a))

    @app_commands.command(name="show", description="A club night and its coming nights", extras=does("night show"))
    @app_commands.describe(night=NIGHT)
    async def show(self, interaction: Interaction, night: RefText | None = None) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.nights.show(k, a, night))

    @app_commands.command(
        name="skip", description="Take one night off; members are told (organizers)", extras=does("night skip")
    )
    @app_commands.describe(date="The night's date: 4 dec, 2026-12-04", night=NIGHT)
    async def skip(self, interaction: Interaction, date: WhenText, night: RefText | None = None) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.nights.skip(k, a, night, date))

    @app_commands.command(
        name="move",
        description="Move one night; its poll or party goes with it (organizers)",
        extras=does("night move"),
    )
    @app_commands.describe(date="The night's date: 6 nov", when="The new time: sat 7 nov 20:00", night=NIGHT)
    async def move(
        self, interaction: Interaction, date: WhenText, when: WhenText, night: RefText | None = None
    ) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.nights.move(k, a, night, date, when))

    @app_commands.command(
        name="edit",
        description="Change the rule, time, place or poll of the nights to come (organizers)",
        extras=does("night edit"),
    )
    @app_commands.describe(
        night=NIGHT,
        rule=RULE,
        time="The time of day: 21:00",
        where="A voice channel or a link (none: no place)",
        poll="How long before each night its poll opens",
        closes="How long before each night its poll closes",
        method="How the poll is counted",
        top="How many suggestions the poll offers",
        duration="How long each night lasts",
    )
    @app_commands.choices(method=METHODS)
    async def edit(
        self,
        interaction: Interaction,
        night: RefText | None = None,
        rule: RuleText | None = None,
        time: ShortText | None = None,
        where: PlaceText | None = None,
        poll: ShortText | None = None,
        closes: ShortText | None = None,
        method: str | None = None,
        top: TopFilms | None = None,
        duration: ShortText | None = None,
    ) -> None:
        changes = _changes(rule, time, where, poll, closes, method, top, duration)
        await self.bot.respond(interaction, lambda k, a: self.bot.app.nights.edit(k, a, night, changes))

    @app_commands.command(
        name="cancel",
        description="End the club night; parties already set stay (organizers)",
        extras=does("night cancel"),
    )
    @app_commands.describe(night=NIGHT)
    async def cancel(self, interaction: Interaction, night: RefText | None = None) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.nights.cancel(k, a, night))

    @app_commands.command(name="ics", description="A calendar file with every night", extras=does("night ics"))
    @app_commands.describe(night=NIGHT)
    async def ics(self, interaction: Interaction, night: RefText | None = None) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.nights.ics(k, a, night), private=True)

    @app_commands.command(
        name="rsvp", description="Your answer for every coming night, until you change it", extras=does("rsvp night")
    )
    @app_commands.describe(answer="Are you coming?", night=NIGHT)
    @app_commands.choices(answer=ANSWERS)
    async def rsvp(self, interaction: Interaction, answer: str, night: RefText | None = None) -> None:
        await self.bot.respond(interaction, lambda k, a: self.bot.app.nights.rsvp(k, a, night, answer), private=True)
