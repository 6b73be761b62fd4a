"""The App Home tab: the member's upcoming parties, open polls and films still to rate, with
their buttons; republished when it is opened and after a button pressed on it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp

import docclub_slack.views as views
from docclub.core.models import ClubKey
from docclub_slack.answers import Answers
from docclub_slack.background import Background
from docclub_slack.members import Members
from docclub_slack.render import Block, render

__all__ = ["HomeTab"]


def _note(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


class HomeTab:
    def __init__(self, answers: Answers, members: Members, background: Background) -> None:
        self.answers = answers
        self.app = answers.app
        self.members = members
        self.background = background

    def register(self, bolt: AsyncApp) -> None:
        bolt.event("app_home_opened")(self._on_home_opened)
        bolt.event("user_change")(self._on_user_change)

    async def _on_home_opened(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        self.background.spawn(self.publish(self.answers.key(body), str(event.get("user"))))

    async def _on_user_change(self, event: dict[str, Any]) -> None:
        self.members.forget(str((event.get("user") or {}).get("id")))

    async def publish(self, key: ClubKey, user_id: str) -> None:
        actor = await self.members.resolved(user_id, key.space_id)
        tz = await self.answers.timezone(key)
        now = self.answers.clock.now()
        seen = await self.app.overview.for_member(key, actor)
        sections: list[tuple[str, list[Block]]] = []
        party_blocks: list[Block] = []
        for reply in seen.parties:
            party_blocks.extend(render(replace(reply, footer=None), tz, now)[0].blocks)
        if seen.more_parties:
            party_blocks.append(_note(f"…and {seen.more_parties} more: `/docclub party list`"))
        sections.append(("Upcoming watch parties", party_blocks or [_note("No watch parties coming up.")]))
        poll_blocks: list[Block] = []
        for reply in seen.polls:
            poll_blocks.extend(render(reply, tz, now, extra=await self.answers.extra_controls(key, reply))[0].blocks)
        if seen.more_polls:
            poll_blocks.append(_note(f"…and {seen.more_polls} more open: `/docclub poll show #N`"))
        sections.append(("Open polls", poll_blocks or [_note("No poll is open.")]))
        film_blocks: list[Block] = [
            {
                "type": "section",
                "text": {"type": "plain_text", "text": f"#{fid} {label}"},
                "accessory": {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Rate"},
                    "action_id": f"docclub:rate:{fid}",
                    "value": str(fid),
                },
            }
            for fid, label in seen.to_rate
        ]
        if seen.more_to_rate:
            film_blocks.append(_note(f"…and {seen.more_to_rate} more: `/docclub films watched`"))
        done = _note("You've rated every film the club watched.")
        sections.append(("Films you haven't rated", film_blocks or [done]))
        view = views.home_view(sections, "Suggest films, vote, RSVP and rate here, or type `/docclub help`.")
        client = await self.answers.web(key)
        await client.views_publish(user_id=user_id, view=view)
