"""Announcements and direct messages for the `Notifier`: the club's channel (its setting, else
where its card or /docclub was last seen), and the post-party nudge in a thread on the card."""

from __future__ import annotations

import re

from docclub.core.models import ClubKey
from docclub.core.replies import ActionKind, Reply
from docclub_slack.answers import Answers

__all__ = ["Announcements"]

_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
_CHANNEL_LINK = re.compile(r"^<#([CG][A-Z0-9]+)(\|[^>]*)?>$")


class Announcements:
    def __init__(self, answers: Answers) -> None:
        self.answers = answers
        self._channel_ids: dict[tuple[str, str], str] = {}  # (workspace, "#name") -> id

    async def resolve_channel(self, key: ClubKey, channel: str | None, reply: Reply) -> str | None:
        """The channel id to announce in: the club's setting, else where its card or /docclub was last seen."""
        if channel:
            channel = channel.strip()
            link = _CHANNEL_LINK.match(channel)
            if link:
                return link.group(1)
            if _CHANNEL_ID.match(channel):
                return channel
            return await self._channel_by_name(key, channel.lstrip("#"))
        if reply.subject is not None and reply.subject[0] in ("poll", "party"):
            shown = await self.answers.shown_in(key, reply.subject[0], reply.subject[1])
            if shown:
                return shown[-1][0]
        return self.answers.last_channel.get(key.space_id)

    async def _channel_by_name(self, key: ClubKey, name: str) -> str | None:
        team = key.space_id
        if (team, name) in self._channel_ids:
            return self._channel_ids[(team, name)]
        client = await self.answers.web(key)
        cursor = None
        for _ in range(50):  # pages of 200 channels
            answer = await client.conversations_list(
                types="public_channel,private_channel", limit=200, exclude_archived=True, cursor=cursor
            )
            for ch in answer.get("channels") or []:
                self._channel_ids[(team, str(ch.get("name")))] = str(ch.get("id"))
            cursor = (answer.get("response_metadata") or {}).get("next_cursor")
            if (team, name) in self._channel_ids or not cursor:
                break
        return self._channel_ids.get((team, name))

    async def announce(self, key: ClubKey, channel_id: str, reply: Reply) -> None:
        thread_ts = None
        if (
            reply.subject is not None
            and reply.subject[0] == "party"
            and any(a.kind is ActionKind.RATE for a in reply.actions)
        ):
            # The post-party nudge and its discussion prompts: a thread on the party's card.
            card = await self.answers.party_card(key, reply.subject[1], channel_id)
            if card is not None:
                thread_ts = card[1]
        await self.answers.post(key, channel_id, reply, await self.answers.pages(key, reply), thread_ts=thread_ts)

    async def direct(self, key: ClubKey, user_id: str, reply: Reply) -> None:
        client = await self.answers.web(key)
        dm = await client.conversations_open(users=user_id)
        channel = str(dm["channel"]["id"])
        for page in await self.answers.pages(key, reply):
            await client.chat_postMessage(
                channel=channel, text=page.text, blocks=page.blocks, unfurl_links=False, unfurl_media=False
            )
