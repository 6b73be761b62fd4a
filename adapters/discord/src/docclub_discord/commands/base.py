"""What every feature's slash commands share: option types sized by the core's limits, the
`extras` that tie a slash command to the core commands it does, and autocomplete.

Film, poll and party options autocomplete (at most 25 choices, value `#id`); members may
also type a title. Lists of films ("Beyond Utopia, Navalny") autocomplete their last item.
"""

# No `from __future__ import annotations`: discord.py reads these annotations at runtime.

from collections.abc import Callable, Coroutine
from typing import Any

from discord import app_commands

from docclub.core.errors import UsageError
from docclub.core.models import FilmStatus
from docclub.core.prompts import MAX_PROMPT_LENGTH
from docclub.core.replies import Reply
from docclub.core.text import LINK_MAX, PITCH_MAX, REVIEW_MAX, SHORT_MAX, TITLE_MAX
from docclub_discord.interaction import Interaction
from docclub_discord.responder import Responder

__all__ = ["Choice", "Completions", "does", "refuse", "split_list", "top_level"]

Choice = app_commands.Choice
Command = app_commands.Command[Any, ..., None]

# Option lengths Discord checks before sending, from the limits the core enforces.
TitleText = app_commands.Range[str, 1, TITLE_MAX + 10]  # room for " (2023)"
FilmText = app_commands.Range[str, 1, TITLE_MAX + 10]  # "#12" or a title
FilmsText = app_commands.Range[str, 1, 2000]  # a comma-separated list of films
LinkText = app_commands.Range[str, 1, LINK_MAX]
PlaceText = app_commands.Range[str, 1, SHORT_MAX]
ListText = app_commands.Range[str, 1, 500]  # comma-separated warnings or tags
PitchText = app_commands.Range[str, 1, PITCH_MAX]
WhenText = app_commands.Range[str, 1, SHORT_MAX]
RefText = app_commands.Range[str, 1, 12]  # "#12"
ShortText = app_commands.Range[str, 1, 20]  # a duration: "2h", "90m"
ScoreText = app_commands.Range[str, 1, 10]  # "8", "3.5", "★★★½"
ReviewText = app_commands.Range[str, 1, REVIEW_MAX]
QuestionText = app_commands.Range[str, 1, MAX_PROMPT_LENGTH]
ValueText = app_commands.Range[str, 1, SHORT_MAX * 5]
TopicText = app_commands.Range[str, 1, 50]
IN_THE_RUNNING = (FilmStatus.SUGGESTED, FilmStatus.SHORTLISTED)


def split_list(text: str | None) -> list[str]:
    """'"Beyond Utopia", Navalny, #3' -> ['Beyond Utopia', 'Navalny', '#3']."""
    parts = [p.strip().strip('"“”').strip() for p in (text or "").split(",")]
    return [p for p in parts if p]


async def refuse(message: str, usage: str) -> Reply:
    """A refusal the core would give, for option combinations only Discord can express."""
    raise UsageError(message, usage=usage)


def does(*ops: str | tuple[str, dict[str, str]], **renames: str) -> dict[str, object]:
    """`extras` of a command that does these core commands (COMMAND_PARAMS keys); `renames` maps
    a core parameter to this command's option where the names differ, and `(op, {option: value})`
    is a core command this one does with an option set (`vote clear` is `/vote clear:True`).
    Hints and usage lines in replies are spelled from these (`docclub_discord.spelling`)."""
    table: dict[str, dict[str, str]] = {}
    for op in ops:
        name, fixed = op if isinstance(op, tuple) else (op, {})
        table[name] = {**renames, **{f"={option}": value for option, value in fixed.items()}}
    return {"docclub": table}


def top_level(
    callback: Callable[..., Coroutine[Any, Any, None]], *, name: str, description: str, extras: dict[str, object]
) -> Command:
    """A top-level slash command (`/vote`, not `/poll vote`) answered by a feature's bound method;
    its options come from the method's signature and decorators, as for a subcommand."""
    return app_commands.Command(name=name, description=description, callback=callback, extras=extras)


class Completions:
    """Autocomplete for film, poll and party options, through the feature's Bot. Each feature
    class mixes it in, so discord.py passes the feature (its `bot`) to these methods."""

    bot: Responder

    async def film_choices(self, interaction: Interaction, current: str) -> list[Choice[str]]:
        bot = self.bot
        return await bot.choices(interaction, lambda k, a: bot.app.films.choices(k, a, current))

    async def films_choices(self, interaction: Interaction, current: str) -> list[Choice[str]]:
        """Complete the last film of a comma-separated list, keeping the ones before it."""
        bot = self.bot
        head, _, last = current.rpartition(",")
        prefix = f"{head.strip()}, " if head.strip() else ""
        found = await bot.choices(
            interaction, lambda k, a: bot.app.films.choices(k, a, last.strip(), statuses=IN_THE_RUNNING)
        )
        out: list[Choice[str]] = []
        for c in found:
            value = prefix + c.value
            if len(value) <= 100:
                name = prefix + c.name
                out.append(Choice(name=name if len(name) <= 100 else "…" + name[-99:], value=value))
        return out

    async def poll_choices(self, interaction: Interaction, current: str) -> list[Choice[str]]:
        bot = self.bot
        return await bot.choices(interaction, lambda k, a: bot.app.polls.choices(k, a))

    async def party_choices(self, interaction: Interaction, current: str) -> list[Choice[str]]:
        bot = self.bot
        return await bot.choices(interaction, lambda k, a: bot.app.parties.choices(k, a))


# The autocomplete callbacks as the features' decorators name them. discord.py passes the
# feature (the command's binding) as `self`; its type hints expect only Groups and Cogs to be
# bindings, hence `Any`.
film_choices: Any = Completions.film_choices
films_choices: Any = Completions.films_choices
poll_choices: Any = Completions.poll_choices
party_choices: Any = Completions.party_choices
