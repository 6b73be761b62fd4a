"""One error hierarchy. Every message is fit for a member to read."""

from __future__ import annotations

import re

# Control characters a member typed (and text-direction overrides, which would reorder the rest
# of the message) are shown as U+FFFD, never sent back raw.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class DocclubError(Exception):
    """A refusal a member should see: what was wrong and, where it helps, how to do it right."""

    # Messages quote what a member typed; a 4,000-character line must not come back whole
    # (a Discord message holds 2,000 characters). The usage line is kept apart and whole.
    MAX_MESSAGE = 1500

    def __init__(self, message: str, usage: str | None = None) -> None:
        if len(message) > self.MAX_MESSAGE:
            message = message[: self.MAX_MESSAGE - 1] + "…"
        message = _CONTROL.sub("\ufffd", message)
        super().__init__(message)
        self.message = message
        self.usage = usage

    def __str__(self) -> str:
        if self.usage:
            return f"{self.message}\nUsage: {self.usage}"
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
