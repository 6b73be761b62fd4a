"""What slash commands, buttons and forms use of the Bot: a small port, so that they depend on it
and the Bot (which sends their buttons) does not depend on them back."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import Protocol

import discord
from discord import app_commands

from docclub.core.clubs import Docclub
from docclub.core.models import Actor, ClubKey
from docclub.core.replies import Reply
from docclub_discord.interaction import Interaction

__all__ = ["Fetch", "Responder", "Work"]

Work = Callable[[ClubKey, Actor], Awaitable[Reply]]  # one core call for the member, in their club
Fetch = Callable[[ClubKey, Actor], Awaitable[list[tuple[int, str]]]]  # (id, label) pairs to offer


class Responder(Protocol):
    """The Bot as its commands, buttons and forms see it."""

    app: Docclub
    tree: app_commands.CommandTree[discord.Client]

    def key_of(self, interaction: Interaction) -> ClubKey:
        """The club of the server the interaction comes from; LookupError outside a server."""
        ...

    def actor_of(self, interaction: Interaction) -> Actor:
        """The member as the core sees them."""
        ...

    def handling(self, interaction: Interaction) -> AbstractAsyncContextManager[None]:
        """Around a handler that answers by itself: errors reach the member as a short message."""
        ...

    async def respond(self, interaction: Interaction, work: Work, *, private: bool = False) -> Reply:
        """Run `work` for the member and answer (deferred when slow; privately when `private`)."""
        ...

    async def send(self, interaction: Interaction, reply: Reply) -> discord.Message | None:
        """Send a reply as the interaction's answer; the message, when Discord returns one."""
        ...

    async def choices(self, interaction: Interaction, fetch: Fetch) -> list[app_commands.Choice[str]]:
        """Autocomplete: at most 25 choices whose value is '#id'; none when fetching fails."""
        ...

    async def remember_poll_message(self, key: ClubKey, poll_id: int, channel_id: int, message_id: int) -> None:
        """A poll shows in this message (a click on it told us): keep it current from now on."""
        ...
