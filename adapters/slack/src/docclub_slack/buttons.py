"""Buttons on poll and party messages: vote, RSVP, and "Show reviews" / "Show content warnings";
and the select that picks which film a suggestion meant.
The answer goes to the member who pressed, and the message is edited for everyone."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt.async_app import AsyncApp

import docclub_slack.refs as refs
from docclub.core.models import ClubKey
from docclub.core.replies import Reply, Tone
from docclub_slack.answers import Answers, user_id_of
from docclub_slack.background import Background
from docclub_slack.home import HomeTab
from docclub_slack.render import MAX_SECTION, PICK_ACTION, cut, escape, unescape
from docclub_slack.updates import Coalescer

__all__ = ["Buttons"]


class Buttons:
    def __init__(self, answers: Answers, background: Background, coalescer: Coalescer, home: HomeTab) -> None:
        self.answers = answers
        self.app = answers.app
        self.background = background
        self.coalescer = coalescer
        self.home = home

    def register(self, bolt: AsyncApp) -> None:
        bolt.action(re.compile(r"^docclub:vote:\d+:\d+$"))(self._on_vote)
        bolt.action(re.compile(r"^docclub:rsvp:\d+:(yes|maybe|no)$"))(self._on_rsvp)
        bolt.action(re.compile(r"^docclub:show:(review|warnings)$"))(self._on_show_hidden)
        bolt.action(PICK_ACTION)(self._on_pick)

    async def _on_pick(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        """Which of several films of one title the member's suggestion meant (a static select)."""
        await ack()
        self.background.spawn(self._pick(body, action))

    async def _pick(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        key = self.answers.key(body)
        choice = str((action.get("selected_option") or {}).get("value") or "none")
        reply = await self.answers.as_member(body, lambda actor: self.app.catalog_films.pick(key, actor, choice))
        await self.answers.tell(key, body, reply)

    async def _on_show_hidden(self, ack: Any, action: dict[str, Any], body: dict[str, Any]) -> None:
        """ "Show reviews" / "Show content warnings": what the message left out, to the member who
        pressed, and only to them. The texts come from the button the adapter rendered."""
        await ack()
        kind = str(action.get("action_id", "")).rsplit(":", 1)[-1]
        try:
            parts = json.loads(action.get("value") or "[]")
            shown = [escape(unescape(f"{before}{text}{after}")) for before, text, after in parts]
        except (ValueError, TypeError):
            shown = []
        title = "Content warnings" if kind == "warnings" else "Reviews"
        text = cut(f"*{title}*\n" + ("\n".join(shown) or "Nothing to show."), MAX_SECTION)
        blocks = [{"type": "section", "block_id": "hidden0", "text": {"type": "mrkdwn", "text": text}}]
        await self.answers.hook(body).send(text=title, blocks=blocks, response_type="ephemeral", replace_original=False)

    async def _track_container(self, key: ClubKey, kind: str, subject_id: int, body: dict[str, Any]) -> None:
        """A button pressed on a message not kept yet (posted before messages were kept): keep it."""
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
        ts = container.get("message_ts")
        if container.get("type") == "message" and channel and ts and not container.get("is_ephemeral"):
            place = (str(channel), str(ts))
            if place not in await self.answers.shown_in(key, kind, subject_id):
                await self.answers.update_ref(key, kind, subject_id, lambda ref: refs.including(ref, place))

    async def _on_vote(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        self.background.spawn(self._vote(body, action))

    async def _vote(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        key = self.answers.key(body)
        _, _, poll, film = str(action["action_id"]).split(":")
        reply = await self.answers.as_member(
            body, lambda actor: self.app.polls.toggle(key, actor, int(poll), int(film)), command="vote"
        )
        await self._track_container(key, "poll", int(poll), body)
        await self._after_button(key, body, reply, ("poll", int(poll)))

    async def _on_rsvp(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        self.background.spawn(self._rsvp(body, action))

    async def _rsvp(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        key = self.answers.key(body)
        _, _, party, answer = str(action["action_id"]).split(":")
        reply = await self.answers.as_member(
            body, lambda actor: self.app.parties.rsvp(key, actor, f"#{party}", answer), command="rsvp"
        )
        await self._track_container(key, "party", int(party), body)
        await self._after_button(key, body, reply, ("party", int(party)))

    async def _after_button(self, key: ClubKey, body: dict[str, Any], reply: Reply, subject: tuple[str, int]) -> None:
        if (body.get("container") or {}).get("type") == "view" or (body.get("view") or {}).get("type") == "home":
            await self.home.publish(key, user_id_of(body))
        else:
            await self.answers.tell(key, body, reply)
        if reply.tone is not Tone.ERROR:
            await self.coalescer.request((key.space_id, *subject))
