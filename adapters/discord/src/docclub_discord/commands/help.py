"""/help: every slash command with its description and an example, read from the command tree
itself; it answers in direct messages too, where no club is needed."""

# No `from __future__ import annotations`: discord.py reads these annotations at runtime.

from dataclasses import replace

import discord
from discord import app_commands

from docclub.core.clubs import safely
from docclub.core.errors import UsageError
from docclub.core.models import Actor, ClubKey
from docclub.core.replies import Field, Line, Reply, line
from docclub_discord.commands.base import Command, TopicText, does, top_level
from docclub_discord.interaction import Interaction
from docclub_discord.responder import Responder

__all__ = ["EXAMPLES", "HelpCommand", "help_reply"]

DM_NOTE = "These commands work in a server where docclub is installed; in direct messages only /help answers."


class HelpCommand:
    """/help, answered from the Bot's own command tree."""

    def __init__(self, bot: Responder) -> None:
        self.bot = bot
        self.top_level: list[Command] = [
            top_level(
                self.help, name="help", description="What docclub can do, command by command", extras=does("help")
            )
        ]

    @app_commands.describe(command="A command to explain, e.g. poll")
    async def help(self, interaction: Interaction, command: TopicText | None = None) -> None:
        bot = self.bot
        if interaction.guild_id is None:  # a direct message: help needs no club, so it answers here too

            async def in_dm() -> Reply:
                return replace(help_reply(bot.tree, command), footer=DM_NOTE)

            async with bot.handling(interaction):
                await bot.send(interaction, await safely(in_dm()))
            return

        async def work(key: ClubKey, actor: Actor) -> Reply:
            return help_reply(bot.tree, command)

        await bot.respond(interaction, work, private=True)


# One example for every slash command, shown by /help (a test checks none is missing).
EXAMPLES: dict[str, str] = {
    "film suggest": "/film suggest title:Beyond Utopia (2023) where:Amazon warnings:torture",
    "film info": "/film info film:Beyond Utopia",
    "film list": "/film list which:all",
    "film seen": "/film seen film:#1",
    "film withdraw": "/film withdraw film:#3",
    "film shortlist": "/film shortlist film:#1",
    "film delete": "/film delete film:#4",
    "film refresh": "/film refresh film:#1",
    "film pick": "/film pick choice:1",
    "film import": "/film import file:club-picks.csv",
    "poll open": "/poll open films:Beyond Utopia, Navalny, Fire of Love method:ranked closes:friday 18:00",
    "poll show": "/poll show poll:#2",
    "poll add": "/poll add film:Honeyland poll:#2",
    "poll close": "/poll close poll:#2 schedule:sat 20:00",
    "poll cancel": "/poll cancel poll:#2",
    "vote": "/vote films:Navalny, Beyond Utopia — or /vote clear:True to withdraw your ballot",
    "party schedule": "/party schedule film:Beyond Utopia when:sat 20:00 where:#watch-party duration:2h",
    "party list": "/party list which:all",
    "party show": "/party show party:#1",
    "party ics": "/party ics party:#1",
    "party move": "/party move when:sun 19:00 party:#1",
    "party cancel": "/party cancel party:#1",
    "rsvp": "/rsvp answer:going party:#1 remind:2h",
    "night schedule": "/night schedule rule:first friday time:20:00 where:#cinema poll:7d closes:1d method:ranked",
    "night list": "/night list",
    "night show": "/night show night:#1",
    "night skip": "/night skip date:4 dec",
    "night move": "/night move date:6 nov when:sat 7 nov 20:00",
    "night edit": "/night edit time:21:00 where:#cinema-2",
    "night cancel": "/night cancel night:#1",
    "night ics": "/night ics night:#1",
    "night rsvp": "/night rsvp answer:going",
    "rate": "/rate film:Beyond Utopia score:9 review:Harrowing — remove_review:True removes your review",
    "ratings": "/ratings film:Beyond Utopia",
    "leaderboard": "/leaderboard",
    "prompts show": "/prompts show film:Beyond Utopia",
    "prompts add": "/prompts add film:Beyond Utopia question:Who decided what we did not see?",
    "club config": "/club config",
    "club set": "/club set setting:timezone value:Europe/Berlin",
    "club export": "/club export what:csv",
    "club link": "/club link — or /club link reset:True to revoke the old addresses",
    "help": "/help command:poll",
}


def _example(qualified_name: str) -> tuple[Line, ...]:
    example = EXAMPLES.get(qualified_name)
    return (line("e.g. " + example),) if example else ()


def _options(cmd: app_commands.Command) -> str:  # type: ignore[type-arg]
    return " ".join(f"{p.name}:" if p.required else f"[{p.name}]" for p in cmd.parameters)


def help_reply(tree: app_commands.CommandTree[discord.Client], topic: str | None) -> Reply:
    """The slash commands and their descriptions, from the command tree itself."""
    commands = {c.name: c for c in tree.get_commands()}
    if topic:
        found = commands.get(topic.strip().lstrip("/").split()[0].lower())
        if found is None:
            raise UsageError(f"There is no command /{topic[:30]}. Try /help.")
        subs = found.commands if isinstance(found, app_commands.Group) else [found]
        fields = []
        for sub in subs:
            if not isinstance(sub, app_commands.Command):
                continue
            name = f"/{sub.qualified_name} {_options(sub)}".strip()
            lines = (
                line(sub.description),
                *(line(f"{p.name}: {p.description}") for p in sub.parameters),
                *_example(sub.qualified_name),
            )
            fields.append(Field(name, lines))
        return Reply(title=f"/{found.name}", fields=tuple(fields), ephemeral=True)
    fields = []
    for c in commands.values():
        if isinstance(c, app_commands.Group):
            lines = tuple(
                piece
                for s in c.commands
                for piece in (line(f"/{s.qualified_name} — {s.description}"), *_example(s.qualified_name))
            )
            fields.append(Field(f"/{c.name}", lines))
        else:
            fields.append(Field(f"/{c.name}", (line(getattr(c, "description", "")), *_example(c.name))))
    return Reply(
        title="docclub commands",
        lines=(
            line(
                "Films, polls, watch parties, ratings and talk. Film options autocomplete; you can also type a title."
            ),
        ),
        fields=tuple(fields),
        ephemeral=True,
    )
