"""One error hierarchy. Every message is fit for a member to read."""

from __future__ import annotations

import re

from docclub.core.replies import Cmd, Inline, Line, plain_line

# Control characters a member typed (and text-direction overrides, which would reorder the rest
# of the message) are shown as U+FFFD, never sent back raw.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class DocclubError(Exception):
    """A refusal a member should see: what was wrong and, where it helps, how to do it right."""

    # Messages quote what a member typed; a 4,000-character line must not come back whole
    # (a Discord message holds 2,000 characters). The usage line is kept apart and whole.
    MAX_MESSAGE = 1500

    def __init__(self, message: str | Line, usage: Cmd | tuple[Cmd, ...] | str | None = None) -> None:
        """`message` may name commands as `Cmd` pieces (each platform spells them its way).
        `usage` is the command's own usage: one or more `Cmd` (an example, or a `synopsis`),
        or, for a value rather than a command, a description of its form ("a duration like 2h")."""
        pieces: list[Inline] = []
        room = self.MAX_MESSAGE
        for piece in (message,) if isinstance(message, str) else message:
            if isinstance(piece, str):
                if len(piece) > room:
                    piece = piece[: max(room - 1, 0)] + "…"
                room -= len(piece)
                piece = _CONTROL.sub("\ufffd", piece)
            pieces.append(piece)
        self.line: Line = tuple(pieces)
        self.message = plain_line(self.line, "UTC")
        super().__init__(self.message)
        self.usage = usage

    def usage_line(self) -> Line | None:
        """`Usage: …` with the usage's commands as pieces, or None."""
        if not self.usage:
            return None
        if isinstance(self.usage, str):
            return ("Usage: " + self.usage,)
        commands = (self.usage,) if isinstance(self.usage, Cmd) else self.usage
        pieces: list[Inline] = ["Usage: "]
        for i, c in enumerate(commands):
            pieces.extend((" · ", c) if i else (c,))
        return tuple(pieces)

    def __str__(self) -> str:
        usage = self.usage_line()
        if usage:
            return f"{self.message}\n{plain_line(usage, 'UTC')}"
        return self.message


class UsageError(DocclubError):
    """The command was malformed: unknown command, missing or extra argument, bad option."""


class InvalidInput(DocclubError):
    """A value is out of range or malformed (score 11, a 10,000-character title, a bad date)."""


class NotFound(DocclubError):
    """The film, poll or party asked for does not exist in this club."""


class Ambiguous(DocclubError):
    """A title prefix matches several films."""


class Duplicate(DocclubError):
    """The film was already suggested."""


class NotAllowed(DocclubError):
    """The member may not do this (organizer-only actions, someone else's suggestion)."""


class Conflict(DocclubError):
    """The action does not fit the current state (voting in a closed poll, rating a withdrawn film)."""


class ClubBusy(DocclubError):
    """The store stayed locked by someone else (another process importing a large backup)
    for longer than a command may wait: nothing was changed, and trying again will work."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or "The club is busy right now (another process is writing to its database). "
            "Nothing was changed; please try again in a moment."
        )
