"""Who is asking, and how docclub's answers reach Slack: a reply as Block Kit pages, posted as
channel messages (poll and party cards are remembered, so later votes edit them), told to one
member privately, or edited in place when the poll or party changes."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

import docclub_slack.refs as refs
from docclub import metrics
from docclub.core.clubs import Docclub, safely, with_rights
from docclub.core.errors import DocclubError
from docclub.core.models import Actor, ClubKey, PollMethod
from docclub.core.ports import Clock
from docclub.core.replies import ActionKind, Reply, Tone
from docclub_slack.clients import NotInstalled, WorkspaceClients
from docclub_slack.members import PLATFORM, Members
from docclub_slack.render import Block, Page, render

__all__ = ["MAX_FOLLOWUPS", "READER", "Answers", "Subject", "is_card", "posted_as_message", "team_of"]

log = logging.getLogger("docclub.slack")
# chat.update errors that say the message will never be editable again.
GONE = frozenset({"message_not_found", "channel_not_found", "cant_update_message", "is_archived"})
READER = Actor(PLATFORM, "docclub", "docclub")  # reads shared views (poll standings, party cards)
MAX_FOLLOWUPS = 4  # a response_url takes 5 posts; the first page is the acknowledgement
Subject = tuple[str, str, int]  # (workspace, "poll" | "party", id)


def team_of(body: dict[str, Any]) -> str | None:
    team = body.get("team_id") or (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    return str(team) if team else None


def is_card(reply: Reply) -> bool:
    """A poll with its vote buttons or a party with its RSVP buttons: kept current by edits."""
    if reply.subject is None or reply.tone is Tone.ERROR:
        return False
    wanted = {"poll": ActionKind.VOTE, "party": ActionKind.RSVP}.get(reply.subject[0])
    return any(a.kind is wanted for a in reply.actions)


def posted_as_message(reply: Reply) -> bool:
    """Poll and party cards with buttons become real messages, so later votes can edit them."""
    return (
        not reply.ephemeral
        and reply.subject is not None
        and reply.subject[0] in ("poll", "party")
        and bool(reply.actions)
    )


def user_id_of(body: dict[str, Any]) -> str:
    return str(body.get("user_id") or (body.get("user") or {}).get("id") or "")


class Answers:
    """What every listener shares: the club and member of a request, and the ways out."""

    def __init__(self, app: Docclub, clock: Clock, clients: WorkspaceClients, members: Members) -> None:
        self.app = app
        self.clock = clock
        self.clients = clients
        self.members = members
        self.team_id: str | None = None  # the bot's workspace (auth.test), for bodies without one
        self.last_channel: dict[str, str] = {}  # workspace -> the channel /docclub was last used in

    # ---- who and where ----

    async def web(self, key: ClubKey) -> AsyncWebClient:
        """The Web API client that speaks for docclub in the club's workspace. Raises
        NotInstalled when docclub is not installed there (many workspaces)."""
        return await self.clients.of(key.space_id)

    def key(self, body: dict[str, Any]) -> ClubKey:
        return ClubKey(PLATFORM, team_of(body) or self.team_id or "unknown")

    def actor(self, body: dict[str, Any]) -> Actor:
        """Who acts, from the payload alone (organizer rights are asked for only when needed)."""
        user = body.get("user") or {}
        name = body.get("user_name") or user.get("name") or user.get("username") or ""
        return self.members.actor(user_id_of(body), str(name))

    async def as_member(
        self, body: dict[str, Any], run: Callable[[Actor], Awaitable[Reply]], *, command: str = "other"
    ) -> Reply:
        """Run a core call for the member who sent `body`; refusals and errors become replies.
        `command` names it for the metrics (a command word, never member text)."""
        user_id = user_id_of(body)
        key = self.key(body)
        rights = with_rights(self.actor(body), run, lambda: self.members.organizer(user_id, key.space_id))
        return await self.app.answer(key, rights, command=command)

    async def timezone(self, key: ClubKey) -> str:
        return (await self.app.club_seen(key)).config.timezone

    # ---- replies as Block Kit ----

    async def pages(self, key: ClubKey, reply: Reply) -> list[Page]:
        extra = await self.extra_controls(key, reply)
        return render(reply, await self.timezone(key), self.clock.now(), extra=extra)

    async def extra_controls(self, key: ClubKey, reply: Reply) -> list[Block]:
        """Slack-only controls: the ranked-choice ballot button under an open ranked poll."""
        if reply.subject is None or reply.subject[0] != "poll" or not reply.actions:
            return []
        poll_id = reply.subject[1]
        try:
            form = await self.app.polls.ballot(key, READER, f"#{poll_id}")
        except DocclubError:  # closed or gone: nothing left to rank
            return []
        if form.method is not PollMethod.RANKED:
            return []
        return [
            {
                "type": "actions",
                "block_id": f"docclub_extra_ballot{poll_id}",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": "Rank the films…"},
                        "action_id": f"docclub:ballot:{poll_id}",
                        "value": str(poll_id),
                        "style": "primary",
                    }
                ],
            }
        ]

    # ---- posting, and keeping cards current ----

    async def post(
        self, key: ClubKey, channel: str, reply: Reply, pages: list[Page], *, thread_ts: str | None = None
    ) -> str:
        """Post a reply as channel message(s); remember poll and party cards for later edits."""
        first_ts = ""
        client = await self.web(key)
        for page in pages:
            answer = await client.chat_postMessage(
                channel=channel,
                text=page.text,
                blocks=page.blocks,
                thread_ts=thread_ts,
                reply_broadcast=True if thread_ts else None,
                unfurl_links=False,
                unfurl_media=False,
            )
            first_ts = first_ts or str(answer.get("ts"))
            channel = str(answer.get("channel") or channel)
        if reply.subject is not None and is_card(reply) and first_ts and thread_ts is None:
            place = (channel, first_ts)
            await self.update_ref(key, reply.subject[0], reply.subject[1], lambda ref: refs.adding(ref, place))
        return first_ts

    async def update_ref(
        self, key: ClubKey, kind: str, subject_id: int, change: Callable[[str | None], str | None]
    ) -> None:
        """Change where a poll or party is shown, in the store (every process reads it there)."""
        try:
            if kind == "poll":
                await self.app.polls.update_platform_ref(key, subject_id, change)
            else:
                await self.app.parties.update_platform_ref(key, subject_id, change)
        except Exception:  # the message is out; only its later edits are lost
            log.exception("could not remember where %s #%s is shown", kind, subject_id)

    async def shown_in(self, key: ClubKey, kind: str, subject_id: int) -> list[refs.Place]:
        """The messages that show a poll or party, oldest first."""
        if kind == "poll":
            return refs.parse(await self.app.polls.platform_ref(key, subject_id))
        return refs.parse(await self.app.parties.platform_ref(key, subject_id))

    async def party_card(self, key: ClubKey, party_id: int, channel: str | None = None) -> refs.Place | None:
        """The party's newest message (in `channel` when given): its card."""
        places = [p for p in await self.shown_in(key, "party", party_id) if channel is None or p[0] == channel]
        return places[-1] if places else None

    async def refresh(self, subject: Subject) -> None:
        """Edit every known message of a poll or party to show its current state."""
        space, kind, subject_id = subject
        key = ClubKey(PLATFORM, space)
        targets = await self.shown_in(key, kind, subject_id)
        if not targets:
            return
        show = self.app.polls.show if kind == "poll" else self.app.parties.show
        reply = await safely(show(key, READER, f"#{subject_id}"))
        if reply.tone is Tone.ERROR:
            return
        page = (await self.pages(key, reply))[0]
        try:
            client = await self.web(key)
        except NotInstalled:  # uninstalled since: its messages can't be edited any more
            return
        for place in targets:
            channel, ts = place
            try:
                await client.chat_update(channel=channel, ts=ts, text=page.text, blocks=page.blocks)
            except SlackApiError as exc:
                metrics.platform_error("slack", exc.response.status_code)
                error = exc.response.get("error")
                if error not in GONE:
                    log.info("updating %s %s failed: %s", channel, ts, error)
                    continue
                # Deleted, or its channel archived or gone: forgotten, not tried again on every vote.
                log.info(
                    "the %s #%s message %s in %s is gone (%s); no longer kept current",
                    kind,
                    subject_id,
                    ts,
                    channel,
                    error,
                )
                await self.update_ref(key, kind, subject_id, functools.partial(refs.without, place=place))

    # ---- one member ----

    def hook(self, body: dict[str, Any]) -> AsyncWebhookClient:
        """The request's `response_url`, posted to over the Web API client's HTTP session (bolt's
        `respond` opens a session, and a connection, for every answer)."""
        return AsyncWebhookClient(str(body.get("response_url") or ""), session=self.clients.base.session)

    async def tell(self, key: ClubKey, body: dict[str, Any], reply: Reply, *, channel: str | None = None) -> None:
        """Answer one member privately: in place for a button, ephemeral in the channel, or a DM."""
        pages = await self.pages(key, reply)
        if body.get("response_url"):
            hook = self.hook(body)
            for page in pages[: MAX_FOLLOWUPS + 1]:
                await hook.send(text=page.text, blocks=page.blocks, response_type="ephemeral", replace_original=False)
            return
        user = user_id_of(body)
        client = await self.web(key)
        if channel:
            try:
                for page in pages:
                    await client.chat_postEphemeral(channel=channel, user=user, text=page.text, blocks=page.blocks)
                return
            except SlackApiError as exc:
                metrics.platform_error("slack", exc.response.status_code)
                log.info("ephemeral answer in %s failed (%s); sending a DM", channel, exc.response.get("error"))
        dm = await client.conversations_open(users=user)
        for page in pages:
            await client.chat_postMessage(channel=str(dm["channel"]["id"]), text=page.text, blocks=page.blocks)
