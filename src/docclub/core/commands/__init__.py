"""The text grammar's commands (DESIGN section 4) -> core calls. One table for the console and Slack.

`grammar` splits a line into words and options; each feature's handlers (`films`, `polls`,
`parties`, `ratings`, `club`) turn them into calls of the club facade; this module puts their
tables together in the order `help` lists them and runs a line (`dispatch`, `run_command`).
Unquoted film titles are matched by the longest leading words that name a film.
"""

from __future__ import annotations

import difflib

from docclub.core.clubs import Docclub
from docclub.core.commands import club, films, nights, parties, polls, ratings
from docclub.core.commands.invocation import Command, Invocation, command
from docclub.core.errors import InvalidInput, UsageError
from docclub.core.grammar import MAX_LINE, Quoted, parse, time_split, tokenize
from docclub.core.models import Actor, ClubKey
from docclub.core.replies import Field, Reply, cmd, line

COMMANDS: dict[str, Command] = {
    **films.COMMANDS,
    **polls.COMMANDS,
    **parties.COMMANDS,
    **nights.COMMANDS,
    **ratings.COMMANDS,
    **club.COMMANDS,
}


@command(
    COMMANDS, "help", "help [command]", "list commands, or explain one (help quit: leaving the console)", "help poll"
)
async def _help(inv: Invocation) -> Reply:
    return help_reply(inv.tokens[0] if inv.tokens else None)


_QUIT_HELP = "In the console, quit (or Ctrl-D) leaves; everything is kept for next time."


def help_reply(topic: str | None) -> Reply:
    """`help`: every command and each of its forms with one example; `help <command>`: one."""
    if topic:
        if topic.lower() in ("quit", "exit"):
            return Reply(title=f"help {topic.lower()}", lines=(line(_QUIT_HELP), line("Example: quit")))
        topic_cmd = COMMANDS.get(topic.lower())
        if topic_cmd is None:
            raise UsageError(line(f"There is no command {topic[:30]!r}. Try: ", cmd("help")))
        lines = [line(topic_cmd.summary + (" (organizers)" if topic_cmd.organizer else "") + ".")]
        for usage, example in topic_cmd.forms:
            lines.append(line("  " + usage))
            if example:
                lines.append(line("    e.g. " + example))
        return Reply(title=f"help {topic_cmd.name}", lines=tuple(lines))
    fields = tuple(
        Field(
            usage,
            ((line(c.summary + (" (organizers)" if c.organizer else "")),) if i == 0 else ())
            + ((line("e.g. " + example),) if example else ()),
        )
        for c in COMMANDS.values()
        if c.name != "help"
        for i, (usage, example) in enumerate(c.forms)
    )
    return Reply(
        title="docclub commands",
        fields=fields,
        lines=(line('Film titles go in "double quotes" or by #number. help <command> explains one.'),),
    )


async def dispatch(app: Docclub, key: ClubKey, actor: Actor, text: str, *, files_allowed: bool = False) -> Reply:
    """Parse and run one command line. Raises DocclubError on bad input."""
    if len(text) > MAX_LINE:
        raise InvalidInput(f"That command is {len(text):,} characters long; the limit is {MAX_LINE:,}.")
    tokens = tokenize(text.strip())
    if not tokens:
        return help_reply(None)
    name = tokens[0].lower().lstrip("/")
    found = COMMANDS.get(name)
    if found is None:
        close = difflib.get_close_matches(name, list(COMMANDS), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise UsageError(
            line(f"I don't know the command {tokens[0][:30]!r}.{hint} Type ", cmd("help"), " for the list.")
        )
    return await found.handler(Invocation(app, key, actor, tokens[1:], files_allowed))


async def run_command(app: Docclub, key: ClubKey, actor: Actor, text: str, *, files_allowed: bool = False) -> Reply:
    """`dispatch`, with refusals and unexpected errors turned into replies."""
    return await app.answer(
        key, dispatch(app, key, actor, text, files_allowed=files_allowed), command=command_name(text)
    )


def command_name(text: str) -> str:
    """The command word of a line, for counting: a command of the grammar, or "unknown"
    (never the member's own word)."""
    words = text.split(maxsplit=1)
    word = words[0].lower().lstrip("/") if words else "help"
    return word if word in COMMANDS else "unknown"


__all__ = [
    "COMMANDS",
    "Quoted",
    "command_name",
    "dispatch",
    "help_reply",
    "parse",
    "run_command",
    "time_split",
    "tokenize",
]
