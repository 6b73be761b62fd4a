"""The built-in terminal adapter: the embedded default when no platform tokens are set.

Each line is a command of the text grammar. A line may start with `NAME> ` to act as another
member (for demos and tests); the console's own user, with no prefix, is the club's organizer.
Reminders are printed as they fire. Reads a terminal or piped standard input.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import sys
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TextIO

from prompt_toolkit import PromptSession
from prompt_toolkit.application import create_app_session
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output
from prompt_toolkit.patch_stdout import patch_stdout

from docclub.core.clubs import Docclub
from docclub.core.commands import run_command
from docclub.core.models import Actor, ClubKey
from docclub.core.replies import Reply, render_plain

PLATFORM = "console"
SETTLE_SECONDS = 5.0  # longest wait, after a command, for the reminders it made due now
log = logging.getLogger("docclub.console")
OWNER = Actor(PLATFORM, "organizer", "Organizer", is_organizer=True)
_PREFIX = re.compile(r"^\s*([^\s>]{1,40})>\s?(.*)$", re.S)


def actor_for(name: str) -> Actor:
    """A named console member: id is the lower-cased name; not an organizer unless made one.

    A name that is the console owner's id or name (`organizer> `) is a member of its own, shown
    as "organizer (member)": the owner's identity, rights and ratings can't be borrowed."""
    folded = name.casefold()
    if folded in (OWNER.user_id.casefold(), OWNER.display_name.casefold()):
        # The id has a space, which no typed NAME can hold: no other prefix reaches this member.
        return Actor(PLATFORM, f"{folded} (member)", f"{name} (member)", is_organizer=False)
    return Actor(PLATFORM, folded, name, is_organizer=False)


def split_prefix(text: str) -> tuple[Actor, str]:
    m = _PREFIX.match(text)
    if m and not m.group(1).startswith(("#", "-", '"')):
        return actor_for(m.group(1)), m.group(2)
    return OWNER, text


class ConsoleNotifier:
    """Prints reminders to the console, once per key."""

    def __init__(
        self, write: Callable[[str], None], club_tz: Callable[[ClubKey], str], now: Callable[[], datetime]
    ) -> None:
        """`now`: the runtime clock's, so a card's times say how far off they are ("in 2 days")."""
        self._now = now
        self._write = write
        self._tz = club_tz
        self._seen: set[str] = set()

    async def announce(self, club: ClubKey, channel: str | None, reply: Reply, *, key: str) -> None:
        if key in self._seen:
            return
        self._seen.add(key)
        where = f" in {channel}" if channel else ""
        self._write(f"[announcement{where}]\n{render_plain(reply, self._tz(club), self._now())}")

    async def direct(self, club: ClubKey, user_id: str, reply: Reply, *, key: str) -> None:
        if key in self._seen:
            return
        self._seen.add(key)
        self._write(f"[direct message to {user_id}]\n{render_plain(reply, self._tz(club), self._now())}")


class ConsoleSession:
    """One console club: turns lines into replies as plain text."""

    def __init__(
        self,
        app: Docclub,
        club: str = "club",
        out_dir: Path | None = None,
        *,
        settle: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        """`settle`: returns once the reminders due now have gone out (the scheduler's `wait_idle`)."""
        self.app = app
        self.key = ClubKey(PLATFORM, club)
        self.out_dir = out_dir or Path.cwd()
        self.timezones: dict[ClubKey, str] = {}
        self.settle = settle

    async def settled(self) -> None:
        """Until what the last command set going and is due now has run (a club night's first
        poll opening "now", its announcement printed), so the next line, typed or pasted, sees
        it. At most SETTLE_SECONDS: the console never hangs on a slow delivery."""
        if self.settle is None:
            return
        try:
            async with asyncio.timeout(SETTLE_SECONDS):
                await self.settle()
        except TimeoutError:
            log.info("reminders due now are still being sent; going on with the next line")

    def tz(self, key: ClubKey) -> str:
        return self.timezones.get(key, self.app.default_timezone)

    async def load(self) -> None:
        """Learn the club's timezone before the first command, so reminders due at start (a
        club night's poll, a party the bot was down for) show the club's time."""
        club = await self.app.club(self.key)
        self.timezones[self.key] = club.config.timezone

    async def handle(self, text: str) -> str:
        actor, command = split_prefix(text)
        reply = await run_command(self.app, self.key, actor, command, files_allowed=True)
        club = await self.app.club(self.key)
        self.timezones[self.key] = club.config.timezone
        out = render_plain(reply, club.config.timezone, self.app.clock.now())
        if reply.attachment is not None:
            path = self.out_dir / reply.attachment.filename
            path.write_bytes(reply.attachment.data)
            out = (
                out.rsplit("\n(attachment:", 1)[0]
                + f"\nSaved {reply.attachment.filename} ({len(reply.attachment.data)} bytes)."
            )
        return out


BANNER = (
    "docclub console — type help for commands; quit or Ctrl-D to leave, Ctrl-C clears the line. "
    "Start a line with NAME> to act as another member."
)


def _skip(line: str) -> bool:
    """Blank lines and lines starting with '#' (comments in pasted examples) do nothing."""
    return not line.strip() or line.lstrip().startswith("#")


def _leaves(line: str) -> bool:
    return line.strip().lower() in ("quit", "exit")


async def run_console(
    app: Docclub,
    session: ConsoleSession,
    *,
    stdin: TextIO | None = None,
    interactive: bool | None = None,
    history: Path | None = None,
    terminal: tuple[Input, Output] | None = None,
) -> None:
    """Read commands until end of input or `quit`.

    At a terminal, lines are edited as in a shell (prompt_toolkit: arrows, Ctrl-R, history kept
    across runs in `history`); Ctrl-C clears the line, Ctrl-D leaves, and reminders or log lines
    print above the prompt, never into it. Piped standard input is read line by line.
    `terminal` is an (input, output) pair for tests."""
    tty = interactive if interactive is not None else sys.stdin.isatty()
    if tty:
        await _interactive(session, history, terminal)
        return
    stream = stdin or sys.stdin
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, stream.readline)
        if not line:
            break
        line = line.rstrip("\n")
        if _skip(line):
            continue
        if _leaves(line):
            break
        print(await session.handle(line), flush=True)
        print(flush=True)
        await session.settled()


async def _interactive(session: ConsoleSession, history: Path | None, terminal: tuple[Input, Output] | None) -> None:
    kept: History = InMemoryHistory()
    if history is not None:
        try:
            await asyncio.to_thread(history.touch, exist_ok=True)
            kept = FileHistory(str(history))
        except OSError:
            pass  # a read-only folder: history for this run only
    inp, out = terminal if terminal is not None else (None, None)
    with create_app_session(input=inp, output=out), patch_stdout(raw=True), _logs_above_the_prompt():
        prompt: PromptSession[str] = PromptSession(history=kept)
        print(BANNER, flush=True)
        while True:
            try:
                line = await prompt.prompt_async("> ")
            except KeyboardInterrupt:
                continue  # Ctrl-C: the line is dropped, the console stays
            except EOFError:
                break  # Ctrl-D
            if _skip(line):
                continue
            if _leaves(line):
                break
            print(await session.handle(line), flush=True)
            await session.settled()


@contextlib.contextmanager
def _logs_above_the_prompt() -> Iterator[None]:
    """Send log lines through the patched standard error, so they print above the prompt."""
    moved: list[tuple[logging.StreamHandler[TextIO], TextIO]] = []
    for handler in logging.getLogger().handlers:
        if isinstance(handler, logging.StreamHandler) and handler.stream in (sys.__stderr__, sys.__stdout__):
            moved.append((handler, handler.stream))
            handler.setStream(sys.stderr)
    try:
        yield
    finally:
        for handler, stream in moved:
            handler.setStream(stream)
