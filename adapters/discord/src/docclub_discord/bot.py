"""The Discord side of docclub: how one Bot answers its interactions.

Every interaction takes the same path: who is acting (`Actor`, organizer by Manage Server or
the club's organizer role) -> the core call -> `Reply` -> `render` -> Discord. The core call
gets `defer_after` seconds from the interaction's creation (its snowflake, so a slow gateway
counts); a slower one is deferred first, and under a burst every one is (`deferral`), so
Discord's 3-second deadline holds whatever the store is doing.

This path runs for every interaction, so it does no more than it must: organizer rights are
resolved only when the core refuses a command for want of them (`with_rights`), there is no
task or wait per interaction, and the bookkeeping for `wait_handled` is a dict entry
(`handling`).

The Bot is put together by `docclub_discord.adapter.compose`, which also gives it its buttons
and live cards (they answer through it, so they are made after it).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import secrets
from datetime import datetime
from typing import Any

import discord
from discord import app_commands

from docclub.core.clubs import Docclub, with_rights
from docclub.core.models import Actor, ClubKey
from docclub.core.ports import Clock, DeliveryFailed
from docclub.core.replies import ActionKind, Reply, Tone, text_reply, went_wrong
from docclub_discord.announcements import announcement_channel, is_party_card
from docclub_discord.attendance import Attendance
from docclub_discord.cards import LiveCards
from docclub_discord.deferral import Deferrals
from docclub_discord.events import sync_event
from docclub_discord.handling import Handled
from docclub_discord.install import use_api_url
from docclub_discord.interaction import PLATFORM, Interaction
from docclub_discord.night_events import sync_night_events
from docclub_discord.options import BotOptions
from docclub_discord.refs import update_ref
from docclub_discord.render import Page, Rendered, render
from docclub_discord.responder import Fetch, Work
from docclub_discord.views import Buttons

__all__ = ["Bot", "has_role"]

log = logging.getLogger("docclub.discord")


def has_role(member: discord.Member, wanted: str) -> bool:
    """Whether the member holds the club's organizer role, given as a role id or a role name."""
    wanted = wanted.strip().lstrip("@")
    if wanted in {str(r) for r in member._roles}:  # raw ids: known even when roles aren't cached
        return True
    return any(r.name.casefold() == wanted.casefold() for r in member.roles)


class Bot:
    """docclub on Discord: the client, its command tree, and the replies' way out."""

    buttons: Buttons  # given by `compose`: the buttons answer through this Bot
    cards: LiveCards  # given by `compose`: the poll and party cards kept current

    def __init__(
        self,
        app: Docclub,
        clock: Clock,
        options: BotOptions,
        client: discord.Client,
        tree: app_commands.CommandTree[discord.Client],
        attendance: Attendance,
    ) -> None:
        self.app = app
        self.clock = clock
        self.options = options
        self.client = client
        self.tree = tree
        self.tree.on_error = self._on_tree_error  # type: ignore[method-assign]
        self.attendance = attendance
        self.handled = Handled(self._apologise)
        self.deferrals = Deferrals(options, clock)

    @property
    def in_flight(self) -> int:
        """Core calls of interactions not finished yet."""
        return self.deferrals.in_flight

    # ---- life cycle ----

    async def login(self, token: str) -> bool:
        """Log in (REST only) and sync the slash commands if they changed (True when synced)."""
        if self.options.api_url:
            use_api_url(self.options.api_url)
        await self.client.login(token)
        return await self.sync_commands()

    async def sync_commands(self) -> bool:
        """Sync the slash commands with Discord, only when their definition (or the guilds they
        go to) changed since the last sync: a hash of it is kept in the store. Syncing on every
        start would spend a rate-limited call and, globally, make clients refetch the list.
        True when a sync was sent."""
        guilds = [discord.Object(id=gid) for gid in self.options.guild_ids]
        for guild in guilds:
            self.tree.copy_global_to(guild=guild)
        definition = {
            "guilds": sorted(self.options.guild_ids),
            "commands": [command.to_dict(self.tree) for command in self.tree.get_commands()],
        }
        digest = hashlib.sha256(json.dumps(definition, sort_keys=True).encode()).hexdigest()
        key = f"discord:commands:{self.client.application_id}"
        if await self.app.platform_value(key) == digest:
            log.info("discord: slash commands unchanged since the last sync; not synced")
            return False
        if guilds:
            for guild in guilds:
                await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()
        await self.app.set_platform_value(key, digest)
        return True

    async def close(self) -> None:
        await self.cards.close()
        await self.client.close()

    # ---- who and where ----

    @staticmethod
    def key_of(interaction: Interaction) -> ClubKey:
        if interaction.guild_id is None:
            raise LookupError("docclub works inside a server")
        return ClubKey(PLATFORM, str(interaction.guild_id))

    def actor_of(self, interaction: Interaction) -> Actor:
        """The member as the core sees them, from the interaction alone: organizer by Manage
        Server (or Administrator). The club's organizer role is checked only when a command
        needs organizer rights (`has_organizer_role`); the core adds the club's own list."""
        user = interaction.user
        perms = interaction.permissions
        return Actor(PLATFORM, str(user.id), user.display_name, perms.manage_guild or perms.administrator)

    async def has_organizer_role(self, interaction: Interaction, key: ClubKey) -> bool:
        """Whether the member holds the club's organizer role (read from the club when asked)."""
        user = interaction.user
        if not isinstance(user, discord.Member):
            return False
        role = (await self.app.club_seen(key)).config.organizer_role
        return bool(role) and has_role(user, role or "")

    # ---- attendance ----

    async def sweep_voice(self, key: ClubKey, party_id: int) -> None:
        """At a party's start: the members already in its voice channel count as joining now."""
        await self.attendance.sweep(self.client, key, party_id)

    # ---- answering ----

    def handling(self, interaction: Interaction) -> contextlib.AbstractAsyncContextManager[None]:
        """Around every handler: nothing unexpected reaches the member as a traceback, and
        `wait_handled` (tests, shutdown) learns when the interaction is fully answered."""
        return self.handled.around(interaction)

    async def wait_handled(self, interaction_id: int) -> None:
        """Until the interaction is fully answered (callers bound it with `asyncio.timeout`)."""
        await self.handled.wait(interaction_id)

    async def _apologise(self, interaction: Interaction, ref: str) -> None:
        await self.send(interaction, text_reply(went_wrong(ref), tone=Tone.ERROR, ephemeral=True))

    async def respond(self, interaction: Interaction, work: Work, *, private: bool = False) -> Reply:
        """Run `work` for the member and answer. `private`: a slow answer is deferred as
        ephemeral (votes, RSVPs), otherwise in the channel."""
        async with self.handling(interaction):
            try:
                key = self.key_of(interaction)
            except LookupError as exc:
                reply = text_reply(f"Sorry, {exc}.", tone=Tone.ERROR, ephemeral=True)
                await self.send(interaction, reply)
                return reply
            run = with_rights(
                self.actor_of(interaction),
                lambda actor: work(key, actor),
                lambda: self.has_organizer_role(interaction, key),
            )
            name = interaction.command.qualified_name if interaction.command else "other"
            reply = await self.deferrals.answer(interaction, self.app.answer(key, run, command=name), private=private)
            message = await self.send(interaction, reply, deferred_private=private)
            await self.after_reply(interaction, key, reply, message)
            return reply
        return text_reply("")  # only reached when handling() swallowed an error

    async def after_reply(
        self, interaction: Interaction, key: ClubKey, reply: Reply, message: discord.Message | None
    ) -> None:
        """Side effects of a reply on Discord: remember poll and party cards, keep the others
        showing them current, follow the party with its scheduled event."""
        if reply.tone is Tone.ERROR or reply.subject is None:
            return
        kind, ident = reply.subject
        if kind == "poll":
            shows_buttons = any(a.kind is ActionKind.VOTE for a in reply.actions)
            if shows_buttons and message is not None and not reply.ephemeral:
                # Posted as this interaction's answer: its webhook can edit it for a while,
                # even in a channel the bot cannot view.
                shown_elsewhere = await self.cards.remember(
                    key,
                    ident,
                    message.channel.id,
                    message.id,
                    webhook=interaction.followup,
                    created_at=interaction.created_at,
                )
                if shown_elsewhere:
                    self.cards.touch(key, "poll", ident)
            else:
                self.cards.touch(key, "poll", ident)
        elif kind == "party":
            card = message is not None and not reply.ephemeral and is_party_card(reply)
            if card and message is not None and await self.is_announcement_channel(key, message.channel.id):
                self.cards.answered_with(message.id, interaction.followup, interaction.created_at)
                await self.remember_party_message(key, ident, message.channel.id, message.id)
            else:  # an RSVP, a move answered elsewhere, a cancel: the card shows the change
                self.cards.touch(key, "party", ident)
            await sync_event(self.app, self.client, interaction, key, ident)
        elif kind == "night" and interaction.app_permissions.manage_events:
            await sync_night_events(self.app, self.client, key)

    async def remember_poll_message(self, key: ClubKey, poll_id: int, channel_id: int, message_id: int) -> None:
        """A poll shows in this message (a click on it told us): keep it current from now on."""
        await self.cards.remember(key, poll_id, channel_id, message_id)

    async def is_announcement_channel(self, key: ClubKey, channel_id: int) -> bool:
        """Whether the club's announcements go to this channel (the configured one, else the
        server's system channel): only a party card posted there is the party's card."""
        club = await self.app.club(key)
        try:
            return await announcement_channel(self.client, key, club.config.announce_channel) == channel_id
        except DeliveryFailed:
            return False

    async def remember_party_message(self, key: ClubKey, party_id: int, channel_id: int, message_id: int) -> None:
        """The party's latest card in the announcement channel: its discussion thread will hang
        from this message."""
        await update_ref(self.app, key, party_id, channel_id=channel_id, message_id=message_id)

    async def send(
        self, interaction: Interaction, reply: Reply, *, deferred_private: bool = False
    ) -> discord.Message | None:
        """Send the rendered reply as the interaction's answer (and follow-ups for more pages)."""
        r = render(reply)
        view = self.buttons.view(r.actions)
        first, rest = r.pages[0], r.pages[1:]
        message: discord.Message | None = None
        kwargs = _page_kwargs(first, r)
        if view is not None:
            kwargs["view"] = view
        file = r.file()
        if not interaction.response.is_done():
            if file is not None:
                kwargs["file"] = file
            sent = await interaction.response.send_message(ephemeral=r.ephemeral, **kwargs)
            if isinstance(sent.resource, discord.InteractionMessage):
                message = sent.resource
        elif r.ephemeral and not deferred_private:
            # Deferred in the channel but the answer is private (a refusal): replace the
            # "thinking…" message with an ephemeral follow-up.
            with contextlib.suppress(discord.HTTPException):
                await interaction.delete_original_response()
            if file is not None:
                kwargs["file"] = file
            message = await interaction.followup.send(ephemeral=True, wait=True, **kwargs)
        else:
            edit: dict[str, Any] = {
                "content": first.content,
                "embeds": first.embeds,
                "allowed_mentions": r.mentions,
                "view": view,
            }
            if file is not None:
                edit["attachments"] = [file]
            message = await interaction.edit_original_response(**edit)
        self.handled.answered.add(interaction.id)
        for page in rest:
            await interaction.followup.send(ephemeral=r.ephemeral, **_page_kwargs(page, r))
        return message

    async def choices(self, interaction: Interaction, fetch: Fetch) -> list[app_commands.Choice[str]]:
        """Autocomplete: at most 25 (id, label) pairs as choices whose value is '#id'."""
        try:
            key = self.key_of(interaction)
            actor = self.actor_of(interaction)
            found = await fetch(key, actor)
        except Exception:
            log.exception("autocomplete failed")
            return []
        return [app_commands.Choice(name=label[:100] or f"#{i}", value=f"#{i}") for i, label in found[:25]]

    async def _on_tree_error(self, interaction: Interaction, error: app_commands.AppCommandError) -> None:
        async with self.handling(interaction):
            if isinstance(error, app_commands.CommandNotFound):
                text = "That command is not known (any more). Discord may still be updating the command list."
            elif isinstance(error, app_commands.TransformerError | app_commands.CheckFailure):
                text = str(error) or "That option was not understood."
            else:
                ref = secrets.token_hex(4)
                log.error("command failed (ref %s)", ref, exc_info=error)
                text = went_wrong(ref)
            if not interaction.response.is_done() or interaction.type is discord.InteractionType.application_command:
                await self.send(interaction, text_reply(text, tone=Tone.ERROR, ephemeral=True))

    def now(self) -> datetime:
        return self.clock.now()


def _page_kwargs(page: Page, r: Rendered) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"allowed_mentions": r.mentions}
    if page.content:
        kwargs["content"] = page.content
    if page.embeds:
        kwargs["embeds"] = page.embeds
    return kwargs
