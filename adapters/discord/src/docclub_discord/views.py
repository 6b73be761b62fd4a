"""Buttons and forms. Buttons are persistent: their custom_id carries the poll, party or film
(`docclub:vote:<poll>:<film>`, `docclub:rsvp:<party>:<answer>`, `docclub:rate:<film>`), they
have no timeout, and their classes are registered at start (`Client.add_dynamic_items`), so a
button on a message posted before a restart still works after it.

discord.py re-creates a clicked button from its custom_id (`from_custom_id`) without any
constructor of ours, so a button finds its Bot on its class: `Buttons(bot)` makes one subclass
of each button per Bot, and only those are registered and shown. The forms are given their Bot.
"""

from __future__ import annotations

import contextlib
import logging
import re
import types
from typing import Any, ClassVar, TypeVar

import discord

from docclub.core.models import NewFilm
from docclub.core.ratings import score_text
from docclub.core.replies import Action, ActionKind
from docclub_discord.interaction import Interaction
from docclub_discord.responder import Responder

__all__ = ["Buttons", "PickSelect", "RateButton", "RateForm", "RsvpButton", "SuggestForm", "VoteButton"]

log = logging.getLogger("docclub.discord")
Button = discord.ui.Button[discord.ui.View]
Select = discord.ui.Select[discord.ui.View]
RSVP_STYLES = {
    "yes": discord.ButtonStyle.success,
    "maybe": discord.ButtonStyle.secondary,
    "no": discord.ButtonStyle.danger,
}
VOTE_ID = r"docclub:vote:(?P<poll>\d{1,9}):(?P<film>\d{1,9})"
RSVP_ID = r"docclub:rsvp:(?P<party>\d{1,9}):(?P<answer>yes|maybe|no)"
RATE_ID = r"docclub:rate:(?P<film>\d{1,9})"
PICK_ID = r"docclub:pick"


def _label(item: discord.ui.Item[Any], default: str) -> str:
    label = getattr(item, "label", None)
    return label if isinstance(label, str) and label else default


class VoteButton(discord.ui.DynamicItem[Button], template=VOTE_ID):
    """Single choice: pick this film. Approval: add or remove it. Ranked: append it to your
    order (or take it out); the ephemeral answer shows the ballot as it is built."""

    bot: ClassVar[Responder]  # set on the Bot's own subclass (`Buttons`)

    def __init__(self, poll_id: int, film_id: int, label: str = "Vote") -> None:
        super().__init__(
            discord.ui.Button(
                label=label[:80], style=discord.ButtonStyle.primary, custom_id=f"docclub:vote:{poll_id}:{film_id}"
            )
        )
        self.poll_id = poll_id
        self.film_id = film_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> VoteButton:
        return cls(int(match["poll"]), int(match["film"]), _label(item, "Vote"))

    async def callback(self, interaction: Interaction) -> None:
        bot = self.bot
        if interaction.message is not None and interaction.guild_id is not None:
            key = bot.key_of(interaction)
            try:  # a poll message from before messages were kept: keep it current from now on
                await bot.remember_poll_message(
                    key, self.poll_id, interaction.message.channel.id, interaction.message.id
                )
            except Exception:  # the vote matters more than the message
                log.exception("could not remember the message of poll #%s", self.poll_id)
        await bot.respond(
            interaction, lambda key, actor: bot.app.polls.toggle(key, actor, self.poll_id, self.film_id), private=True
        )


class RsvpButton(discord.ui.DynamicItem[Button], template=RSVP_ID):
    bot: ClassVar[Responder]  # set on the Bot's own subclass (`Buttons`)

    def __init__(self, party_id: int, answer: str, label: str | None = None) -> None:
        super().__init__(
            discord.ui.Button(
                label=(label or answer.capitalize())[:80],
                style=RSVP_STYLES[answer],
                custom_id=f"docclub:rsvp:{party_id}:{answer}",
            )
        )
        self.party_id = party_id
        self.answer = answer

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RsvpButton:
        return cls(int(match["party"]), match["answer"], _label(item, match["answer"].capitalize()))

    async def callback(self, interaction: Interaction) -> None:
        bot = self.bot
        await bot.respond(
            interaction,
            lambda key, actor: bot.app.parties.rsvp(key, actor, f"#{self.party_id}", self.answer),
            private=True,
        )


class RateButton(discord.ui.DynamicItem[Button], template=RATE_ID):
    """Opens a form to rate the film, with an optional review shown as a spoiler."""

    bot: ClassVar[Responder]  # set on the Bot's own subclass (`Buttons`)

    def __init__(self, film_id: int, label: str = "Rate it") -> None:
        super().__init__(
            discord.ui.Button(label=label[:80], style=discord.ButtonStyle.primary, custom_id=f"docclub:rate:{film_id}")
        )
        self.film_id = film_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> RateButton:
        return cls(int(match["film"]), _label(item, "Rate it"))

    async def callback(self, interaction: Interaction) -> None:
        bot = self.bot
        async with bot.handling(interaction):
            form = RateForm(bot, self.film_id)
            with contextlib.suppress(LookupError):  # outside a server: an empty form, the core refuses
                key = bot.key_of(interaction)
                mine = await bot.app.ratings.current(key, bot.actor_of(interaction), self.film_id)
                if mine is not None:
                    form.prefill(score_text(mine.score, (await bot.app.club(key)).config.rating_scale), mine.review)
            await interaction.response.send_modal(form)


class PickSelect(discord.ui.DynamicItem[Select], template=PICK_ID):
    """Which of several films of one title a suggestion meant (TMDB knows them all): the member's
    waiting suggestion is kept in the store, so the choice is all the custom_id needs."""

    bot: ClassVar[Responder]  # set on the Bot's own subclass (`Buttons`)

    def __init__(self, options: list[discord.SelectOption] | None = None) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id="docclub:pick",
                placeholder="Which film did you mean?",
                options=options or [discord.SelectOption(label="none", value="none")],
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
    ) -> PickSelect:
        return cls()

    async def callback(self, interaction: Interaction) -> None:
        bot = self.bot
        data: dict[str, Any] = dict(interaction.data or {})
        values = data.get("values")
        choice = str(values[0]) if isinstance(values, list) and values else "none"
        await bot.respond(interaction, lambda key, actor: bot.app.catalog_films.pick(key, actor, choice), private=True)


Bound = TypeVar("Bound", VoteButton, RsvpButton, RateButton, PickSelect)


def _bound(button: type[Bound], bot: Responder) -> type[Bound]:
    """A subclass of the button that answers through `bot`, with the same custom_id template."""
    template = button.__discord_ui_compiled_template__
    made = types.new_class(button.__name__, (button,), {"template": template}, lambda ns: ns.update(bot=bot))
    return made


class Buttons:
    """One Bot's persistent buttons: the classes to register, and a reply's actions as a view."""

    def __init__(self, bot: Responder) -> None:
        self.vote = _bound(VoteButton, bot)
        self.rsvp = _bound(RsvpButton, bot)
        self.rate = _bound(RateButton, bot)
        self.pick = _bound(PickSelect, bot)

    @property
    def dynamic_items(self) -> tuple[type[discord.ui.DynamicItem[Any]], ...]:
        """What `Client.add_dynamic_items` takes, so clicks after a restart find their button."""
        return (self.vote, self.rsvp, self.rate, self.pick)

    def _button(self, action: Action) -> discord.ui.DynamicItem[Button] | None:
        parts = action.value.split(":")
        try:
            if action.kind is ActionKind.VOTE and len(parts) == 2:
                return self.vote(int(parts[0]), int(parts[1]), action.label)
            if action.kind is ActionKind.RSVP and len(parts) == 2 and parts[1] in RSVP_STYLES:
                return self.rsvp(int(parts[0]), parts[1], action.label)
            if action.kind is ActionKind.RATE and len(parts) == 1:
                return self.rate(int(parts[0]), action.label)
        except ValueError:
            return None
        return None

    def view(self, actions: tuple[Action, ...]) -> discord.ui.View | None:
        """The reply's actions as at most 25 buttons (5 rows of 5), or None when there are none."""
        if not actions:
            return None
        view = discord.ui.View(timeout=None)
        picks = [a for a in actions if a.kind is ActionKind.PICK][:25]  # a select holds 25 options
        if picks:
            options = [discord.SelectOption(label=a.label[:100], value=a.value[:100]) for a in picks]
            view.add_item(self.pick(options))
        for action in [a for a in actions if a.kind is not ActionKind.PICK][:20]:
            item = self._button(action)
            if item is not None:
                view.add_item(item)
        return view if view.children else None


def _text(field: discord.ui.TextInput[Any]) -> str | None:
    value = field.value.strip()
    return value or None


class SuggestForm(discord.ui.Modal, title="Suggest a documentary"):
    film_title: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Title (and year)", placeholder="Beyond Utopia (2023)", max_length=200
    )
    where: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Where to stream it", placeholder="Amazon Prime Video", required=False, max_length=200
    )
    link: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Link", placeholder="https://…", required=False, max_length=500
    )
    warnings: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Content warnings", placeholder="violence, animal death", required=False, max_length=300
    )
    pitch: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Why watch it?", style=discord.TextStyle.paragraph, required=False, max_length=500
    )

    def __init__(self, bot: Responder) -> None:
        super().__init__()
        self.bot = bot

    async def on_submit(self, interaction: Interaction) -> None:
        bot = self.bot
        warnings = _text(self.warnings)
        film = NewFilm(
            title=self.film_title.value,
            link=_text(self.link),
            where=_text(self.where),
            warnings=(warnings,) if warnings else (),
            pitch=_text(self.pitch),
        )
        await bot.respond(interaction, lambda key, actor: bot.app.films.suggest(key, actor, film))


class RateForm(discord.ui.Modal, title="Rate this film"):
    score: discord.ui.TextInput[Any] = discord.ui.TextInput(label="Your score", placeholder="8", max_length=10)
    review: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Short review (shown as a spoiler)", style=discord.TextStyle.paragraph, required=False, max_length=1000
    )

    def __init__(self, bot: Responder, film_id: int) -> None:
        super().__init__()
        self.bot = bot
        self.film_id = film_id
        self.had_review = False

    def prefill(self, score: str, review: str | None) -> None:
        """Show the member's current rating, so the form edits what they wrote: a review they
        clear is removed; one they leave is kept."""
        self.score.default = score
        if review:
            self.review.default = review[:1000]
            self.had_review = True

    async def on_submit(self, interaction: Interaction) -> None:
        bot = self.bot
        review = _text(self.review)
        await bot.respond(
            interaction,
            lambda key, actor: bot.app.ratings.rate(
                key, actor, f"#{self.film_id}", self.score.value, review, remove_review=self.had_review and not review
            ),
            private=True,
        )
