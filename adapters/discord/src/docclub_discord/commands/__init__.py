"""Slash commands, one class per feature, each given the Bot that answers them. Each command
translates its options into one core call.

Organizer-only commands are visible to everyone: the core refuses non-organizers with a
clear, ephemeral message, and the club's organizer role or list counts as well as Manage Server.
"""

from discord import app_commands

from docclub_discord.commands.base import Command, split_list
from docclub_discord.commands.club import ClubCommands
from docclub_discord.commands.films import FilmCommands
from docclub_discord.commands.help import EXAMPLES, HelpCommand, help_reply
from docclub_discord.commands.nights import NightCommands
from docclub_discord.commands.parties import PartyCommands
from docclub_discord.commands.polls import PollCommands
from docclub_discord.commands.prompts import PromptCommands
from docclub_discord.commands.ratings import RatingCommands
from docclub_discord.responder import Responder

__all__ = [
    "EXAMPLES",
    "ClubCommands",
    "FilmCommands",
    "HelpCommand",
    "NightCommands",
    "PartyCommands",
    "PollCommands",
    "PromptCommands",
    "RatingCommands",
    "commands_for",
    "help_reply",
    "split_list",
]


def commands_for(bot: Responder) -> list[Command | app_commands.Group]:
    """Every slash command, answered by `bot`, in the order Discord lists them."""
    polls, parties = PollCommands(bot), PartyCommands(bot)
    return [
        FilmCommands(bot),
        polls,
        *polls.top_level,
        parties,
        *parties.top_level,
        NightCommands(bot),
        *RatingCommands(bot).top_level,
        PromptCommands(bot),
        ClubCommands(bot),
        *HelpCommand(bot).top_level,
    ]
