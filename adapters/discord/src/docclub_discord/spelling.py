"""Commands named in replies, spelled as Discord members run them: `/film info film:#1`.

The core names a command by what it does (`Cmd("film", (("film", "#1"),))`); each slash command
says which core commands it does in its `extras` (`commands.base.does`). This module reads those
definitions from the commands the adapter registers, so a hint can only name a slash
command and options that exist. `parse` reads a spelled command back (the transcript driver
uses it to compare Discord's replies with the console's).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import cast

from discord import app_commands

from docclub.core.replies import COMMAND_PARAMS, Cmd, Param
from docclub_discord.commands import commands_for
from docclub_discord.responder import Responder

__all__ = ["CONSOLE_ONLY", "Slash", "parse", "slash_commands", "spell"]

# Core commands Discord does not offer: a backup is imported from the console.
CONSOLE_ONLY = frozenset({"import"})
# The commands are read here for their names, options and extras only, never run: no Bot answers them.
_DEFINITIONS_ONLY = cast(Responder, None)


@dataclass(frozen=True, slots=True)
class Slash:
    """The slash command doing one core command, and the core parameter -> option names."""

    command: app_commands.Command  # type: ignore[type-arg]
    options: dict[str, str]
    fixed: dict[str, str]  # options set for this core command (`/vote clear:True`)

    @property
    def path(self) -> str:
        return "/" + self.command.qualified_name

    def parameter(self, core: str) -> app_commands.Parameter:
        name = self.options.get(core, core)
        found = next((p for p in self.command.parameters if p.name == name), None)
        if found is None:
            raise LookupError(f"{self.path} has no option {name!r}")
        return found


@functools.cache
def slash_commands() -> dict[str, Slash]:
    """Core command -> the slash command that does it, from the adapter's own definitions."""
    table: dict[str, Slash] = {}
    for top in commands_for(_DEFINITIONS_ONLY):
        subs = top.commands if isinstance(top, app_commands.Group) else [top]
        for command in subs:
            if not isinstance(command, app_commands.Command):
                continue
            for op, renames in command.extras.get("docclub", {}).items():
                params = {p.name for p in COMMAND_PARAMS[op]}
                fixed = {k[1:]: v for k, v in renames.items() if k.startswith("=")}
                table[op] = Slash(command, {core: renames.get(core, core) for core in params}, fixed)
    return table


def _choice_name(param: app_commands.Parameter, value: str) -> str:
    return next((str(c.name) for c in param.choices if str(c.value) == value), value)


def _unfilled(core: Param, param: app_commands.Parameter) -> str:
    """What stands for a value the member fills in: the choices, or the core's placeholder
    unless it only repeats the option's name (`film:` rather than `film:<film>`)."""
    if param.choices:
        return "|".join(str(c.name) for c in param.choices)
    return "" if core.placeholder in (f"<{core.name}>", f"<{param.name}>") else core.placeholder


def spell(c: Cmd) -> str:
    """`/film info film:#1`; options left to fill are `name:` (required) or `[name]`.
    Raises LookupError for a core command Discord does not have."""
    slash = slash_commands().get(c.op)
    if slash is None:
        raise LookupError(f"no slash command does {c.op!r}")
    words = [slash.path, *(f"{option}:{value}" for option, value in slash.fixed.items())]
    for core, value in c.params():
        param = slash.parameter(core.name)
        if core.kind == "flag" and value is not None:
            words.append(f"{param.name}:True")
        elif value is None:
            words.append(f"[{param.name}]" if not param.required else f"{param.name}:{_unfilled(core, param)}")
        else:
            words.append(f"{param.name}:{_choice_name(param, value)}")
    return " ".join(words)


def parse(text: str) -> Cmd:
    """The core command a spelled slash command names (`spell` read back). Raises LookupError."""
    table = slash_commands()
    for op, slash in sorted(table.items(), key=lambda item: -len(item[1].path)):
        if text != slash.path and not text.startswith(slash.path + " "):
            continue
        names = [p.name for p in slash.command.parameters]
        alternatives = "|".join(names)
        pattern = re.compile(rf"(?:^| )(?:\[({alternatives})\]|({alternatives}):)")
        rest = text[len(slash.path) :]
        marks = list(pattern.finditer(rest))
        given: dict[str, str | None] = {}
        for i, m in enumerate(marks):
            if m.group(1):
                given[m.group(1)] = None
                continue
            end = marks[i + 1].start() if i + 1 < len(marks) else len(rest)
            given[m.group(2)] = rest[m.end() : end]
        fits = []
        for o, s in table.items():
            if s.command is not slash.command or any(given.get(k) != v for k, v in s.fixed.items()):
                continue
            back = {option: core for core, option in s.options.items()}
            if all(n in back for n in given if n not in s.fixed):
                fits.append(o)
        if not fits:
            continue
        # `/ratings` without a film is `my ratings`: the op with the fewest parameters that fits.
        op = min(fits, key=lambda o: len(COMMAND_PARAMS[o]))
        slash = table[op]
        args: list[tuple[str, str | None]] = []
        for core in COMMAND_PARAMS[op]:
            option = slash.options[core.name]
            if option not in given:
                continue
            param = slash.parameter(core.name)
            value = given[option]
            if value is not None and core.kind == "flag":
                value = ""
            elif value is not None:
                if value == _unfilled(core, param):
                    value = None
                else:
                    value = next((str(c.value) for c in param.choices if str(c.name) == value), value)
            args.append((core.name, value))
        return Cmd(op, tuple(args))
    raise LookupError(f"{text!r} is not a docclub slash command")
