"""The discussion and club commands: prompts, prompt add, config, export, import (a backup or a
Letterboxd list), club link."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from docclub.core.backup_format import MAX_BACKUP_BYTES, too_large
from docclub.core.club_config import SETTING_HELP
from docclub.core.commands.invocation import Command, Invocation, command, film_then, nonempty, rest_text
from docclub.core.errors import InvalidInput, UsageError
from docclub.core.letterboxd import MAX_BYTES as LIST_MAX_BYTES
from docclub.core.replies import Cmd, Reply, cmd, synopsis

COMMANDS: dict[str, Command] = {}

# ---- discussion ----


@command(COMMANDS, "prompts", "prompts <film>", "discussion prompts for a film", 'prompts "Beyond Utopia"')
async def _prompts(inv: Invocation) -> Reply:
    return await inv.app.discussion.prompts(inv.key, inv.actor, rest_text(inv, synopsis("prompts"), "film"))


PROMPT_ADD = "prompt add <film> <question>"


@command(
    COMMANDS,
    "prompt",
    PROMPT_ADD,
    "add your own discussion prompt for a film",
    'prompt add "Beyond Utopia" Who decided what we did not see?',
)
async def _prompt(inv: Invocation) -> Reply:
    if not inv.tokens or inv.tokens[0].lower() != "add":
        raise UsageError("Did you mean 'prompt add'?", usage=synopsis("prompt add"))
    film, rest = await film_then(
        inv, inv.tokens[1:], nonempty, synopsis("prompt add"), "What's your question? Add it after the film."
    )
    return await inv.app.discussion.add(inv.key, inv.actor, film, " ".join(rest))


# ---- club ----

CONFIG = "config [show] · config set <key> <value>"


@command(
    COMMANDS,
    "config",
    CONFIG,
    "see the club's settings; organizers change them",
    "config set timezone Europe/Berlin",
    examples=("config show", "config set timezone Europe/Berlin"),
)
async def _config(inv: Invocation) -> Reply:
    if not inv.tokens or inv.tokens[0].lower() == "show":
        return await inv.app.settings.show(inv.key, inv.actor)
    if inv.tokens[0].lower() == "set":
        if len(inv.tokens) < 3:
            keys = "; ".join(f"{k}: {v}" for k, v in SETTING_HELP.items())
            raise UsageError(
                f"config set needs a key and a value. Keys — {keys}.", usage=COMMANDS["config"].usage_of("set")
            )
        return await inv.app.settings.set(inv.key, inv.actor, inv.tokens[1], " ".join(inv.tokens[2:]))
    raise UsageError(f"There is no 'config {inv.tokens[0][:20]}'.", usage=(cmd("config show"), synopsis("config set")))


@command(
    COMMANDS,
    "export",
    "export json|csv",
    "JSON backup of the club (organizers) or your ratings as Letterboxd CSV",
    "export csv",
)
async def _export(inv: Invocation) -> Reply:
    what = " ".join(inv.tokens).lower()
    if what == "json":
        return await inv.app.backup.export_json(inv.key, inv.actor)
    if what == "csv":
        return await inv.app.backup.export_csv(inv.key, inv.actor)
    raise UsageError("Export json (a full backup) or csv (your ratings, for Letterboxd).", usage=synopsis("export"))


def _read_file(path: str) -> bytes:
    file = Path(path).expanduser()
    size = file.stat().st_size
    if size > MAX_BACKUP_BYTES:
        raise too_large(size)
    return file.read_bytes()


@command(
    COMMANDS,
    "import",
    "import <path> · import letterboxd <path>",
    "restore the club from a JSON backup, or suggest the films of a Letterboxd list (console only)",
    "import docclub-backup.json",
    organizer=True,
    examples=("import docclub-backup.json", "import letterboxd club-picks.csv"),
)
async def _import(inv: Invocation) -> Reply:
    if inv.tokens and inv.tokens[0].lower() == "letterboxd":
        return await _import_letterboxd(inv)
    if not inv.files_allowed:
        raise UsageError("Importing a backup file works in the console only.")
    path = rest_text(inv, synopsis("import"), "file")
    return await inv.app.backup.import_json(inv.key, inv.actor, await _read(path, _read_file, synopsis("import")))


async def _import_letterboxd(inv: Invocation) -> Reply:
    usage = synopsis("import letterboxd")
    if not inv.files_allowed:
        raise UsageError(
            "A Letterboxd list is imported from a file: in the console, or on the command line with "
            f"docclub letterboxd <file> --club {inv.key}."
        )
    path = " ".join(inv.tokens[1:]).strip()
    if not path:
        raise UsageError("Which file? Give the path of the list's CSV export.", usage=usage)
    data = await _read(path, _read_list, usage)
    return await inv.app.catalog_films.import_letterboxd(inv.key, inv.actor, data)


async def _read(path: str, reader: Callable[[str], bytes], usage: Cmd) -> bytes:
    try:
        return await asyncio.to_thread(reader, path)
    except OSError as exc:
        raise InvalidInput(f"I couldn't read {path!r}: {exc.strerror or exc}.", usage=usage) from None


def _read_list(path: str) -> bytes:
    file = Path(path).expanduser()
    if file.stat().st_size > LIST_MAX_BYTES:
        raise InvalidInput(f"That file is over {LIST_MAX_BYTES // 1_000_000} MB; a Letterboxd list export is smaller.")
    return file.read_bytes()


@command(
    COMMANDS,
    "club",
    "club link · club link reset",
    "the club page's address, privately (organizers); reset: the old addresses stop working",
    "club link",
    organizer=True,
    examples=("club link", "club link reset"),
)
async def _club(inv: Invocation) -> Reply:
    words = [t.lower() for t in inv.tokens]
    if words == ["link"]:
        return await inv.app.club_page.link(inv.key, inv.actor)
    if words == ["link", "reset"]:
        return await inv.app.club_page.link(inv.key, inv.actor, reset=True)
    raise UsageError(
        "club link gives the club page's address; club link reset revokes the old ones.",
        usage=(cmd("club link"), cmd("club link reset")),
    )
