"""One slack-bolt `AsyncApp` for docclub: `/docclub`, buttons, modals, App Home and events.

The app is transport-agnostic: `docclub_slack.adapter` serves it over HTTP (signed requests on
`POST /slack/events`) or Socket Mode. Everything a member asks goes to the core; this module
only translates Slack payloads to core calls and `Reply`s to Block Kit.

Acknowledging: Slack wants an answer within 3 s. Bolt runs with `process_before_response`:
the HTTP answer goes out when the listener returns, and whatever is left to do after the
acknowledgement (posting a card, a button's answer, a modal's result) is spawned as a task.
A slash command waits up to `ack_budget` for the core and answers in the acknowledgement
itself; when the core is slower, or when `busy_after` commands are already in flight (a
burst), it acknowledges at once with "Working on it…" and the answer follows through the
`response_url`.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.middleware.authorization.async_single_team_authorization import AsyncSingleTeamAuthorization
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from docclub.core.clubs import Docclub, safely, with_rights
from docclub.core.commands import dispatch
from docclub.core.errors import DocclubError
from docclub.core.models import Actor, ClubKey, FilmStatus, NewFilm, PollMethod
from docclub.core.ports import Clock, ClubStore
from docclub.core.ratings import score_text
from docclub.core.replies import ActionKind, Reply, Tone
from docclub_slack import refs, views
from docclub_slack.manifest import COMMAND
from docclub_slack.members import PLATFORM, Members
from docclub_slack.render import MAX_SECTION, Block, Page, cut, escape, render, unescape
from docclub_slack.updates import Coalescer

__all__ = ["SlackBot"]

log = logging.getLogger("docclub.slack")
READER = Actor(PLATFORM, "docclub", "docclub")  # reads shared views (poll standings, party cards)
_CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}$")
_CHANNEL_LINK = re.compile(r"^<#([CG][A-Z0-9]+)(\|[^>]*)?>$")
MAX_FOLLOWUPS = 4  # a response_url takes 5 posts; the first page is the acknowledgement
BUSY_AFTER = 64  # slash commands in flight past which new ones are acknowledged at once
WORKING = "Working on it…"
DEADLINE_MARGIN = 2.5  # seconds after Slack sent a request by which it must be acknowledged
BACKLOG_WORKERS = 16  # commands of a burst worked on at once (their writes share commits)
# Slack retries an event, and accepts a signed request, within 5 minutes: older keys can go.
EVENTS_KEPT = timedelta(minutes=10)
FORGET_EVERY = timedelta(minutes=1)  # at most this often per process, when requests come in
Subject = tuple[str, str, int]  # (workspace, "poll" | "party", id)


def team_of(body: dict[str, Any]) -> str | None:
    team = body.get("team_id") or (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    return str(team) if team else None


def _is_card(reply: Reply) -> bool:
    """A poll with its vote buttons or a party with its RSVP buttons: kept current by edits."""
    if reply.subject is None or reply.tone is Tone.ERROR:
        return False
    wanted = {"poll": ActionKind.VOTE, "party": ActionKind.RSVP}.get(reply.subject[0])
    return any(a.kind is wanted for a in reply.actions)


def _posted_as_message(reply: Reply) -> bool:
    """Poll and party cards with buttons become real messages, so later votes can edit them."""
    return (
        not reply.ephemeral
        and reply.subject is not None
        and reply.subject[0] in ("poll", "party")
        and bool(reply.actions)
    )


class SlackBot:
    def __init__(
        self,
        app: Docclub,
        store: ClubStore,
        clock: Clock,
        client: AsyncWebClient,
        *,
        signing_secret: str | None,
        ack_budget: float = 2.0,
        busy_after: int = BUSY_AFTER,
        update_interval: timedelta = timedelta(seconds=2),
    ) -> None:
        self.app = app
        self.store = store
        self.clock = clock
        self.client = client
        self.ack_budget = ack_budget
        self.busy_after = busy_after
        self.in_flight = 0  # slash commands whose core call has not finished
        self.working_acks = 0  # "Working on it…" acknowledgements given (benchmarks)
        self.members = Members(client, clock)
        self.team_id: str | None = None
        self.coalescer = Coalescer(clock, self._refresh, update_interval)
        self.last_channel: dict[str, str] = {}  # workspace -> the channel /docclub was last used in
        self._channel_ids: dict[str, str] = {}  # "#name" -> id
        self._background: set[asyncio.Task[Any]] = set()
        # Commands acknowledged in a burst, waiting for one of BACKLOG_WORKERS.
        self._backlog: asyncio.Queue[tuple[ClubKey, dict[str, Any], str, Any]] = asyncio.Queue()
        self._workers: list[asyncio.Task[None]] = []
        self._forgot_at: datetime | None = None  # when old event keys were last forgotten
        self.bolt = AsyncApp(
            client=client,
            signing_secret=signing_secret or "",
            name="docclub",
            process_before_response=True,  # late work is our own task, not bolt's 10 ms ack poll
            logger=log,
        )
        self._register()

    # ---- wiring ----

    def _register(self) -> None:
        bolt = self.bolt
        bolt.middleware(self._deduplicate)
        bolt.command(COMMAND)(self._on_command)
        bolt.action(re.compile(r"^docclub:vote:\d+:\d+$"))(self._on_vote)
        bolt.action(re.compile(r"^docclub:rsvp:\d+:(yes|maybe|no)$"))(self._on_rsvp)
        bolt.action(re.compile(r"^docclub:rate:\d+$"))(self._on_rate_button)
        bolt.action(re.compile(r"^docclub:ballot:\d+$"))(self._on_ballot_button)
        bolt.action(re.compile(r"^docclub:show:(review|warnings)$"))(self._on_show_hidden)
        bolt.action(views.SUGGEST)(self._on_suggest_button)
        bolt.view(views.SUGGEST)(self._on_suggest_submit)
        bolt.view(views.RATE)(self._on_rate_submit)
        bolt.view(views.BALLOT)(self._on_ballot_submit)
        bolt.event("app_home_opened")(self._on_home_opened)
        bolt.event("user_change")(self._on_user_change)

    async def start(self) -> None:
        """Check the token (auth.test) and learn the workspace. Bolt's own authorization is
        given the same answer, so a burst of requests after a restart makes no auth.test calls."""
        answer = await self.client.auth_test()
        self.team_id = str(answer.get("team_id") or "") or None
        for middleware in self.bolt._async_middleware_list:
            if isinstance(middleware, AsyncSingleTeamAuthorization):
                middleware.auth_test_result = answer

    async def close(self) -> None:
        try:  # commands acknowledged in a burst are answered before we go, within reason
            async with asyncio.timeout(5):
                await self._backlog.join()
        except TimeoutError:
            log.warning("stopping with %d acknowledged commands not run", self._backlog.qsize())
        await self.coalescer.close()
        for task in [*self._background, *self._workers]:
            task.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        await asyncio.gather(*list(self._background), return_exceptions=True)

    def key(self, body: dict[str, Any]) -> ClubKey:
        return ClubKey(PLATFORM, team_of(body) or self.team_id or "unknown")

    async def _deduplicate(
        self, req: AsyncBoltRequest, body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Events API retries, repeated button presses and replayed requests are acknowledged and
        not applied again. Any signed request is known by its signature: a captured request
        sent again within the signature's 5-minute window (three identical `poll open`
        commands) runs once. A corrected modal resubmission differs, so it is signed anew."""
        key = None
        kind = body.get("type") or ("slash_command" if body.get("command") else "request")
        signature = (req.headers.get("x-slack-signature") or [""])[0]
        if kind == "event_callback" and body.get("event_id"):
            key = f"slack:event:{body['event_id']}"
        elif kind == "block_actions":
            action = (body.get("actions") or [{}])[0]
            key = f"slack:action:{team_of(body)}:{body.get('trigger_id')}:{action.get('action_ts')}"
        elif signature:  # HTTP mode; Socket Mode envelopes come over the app's own connection
            key = f"slack:signed:{hashlib.sha256(signature.encode()).hexdigest()[:40]}"
        if key is not None:
            at = self.clock.now()
            fresh = await self.store.write(lambda tx: tx.platform.remember_event(key, at))
            if not fresh:
                log.info("ignored a repeated Slack delivery (%s)", kind)
                return BoltResponse(status=200, body="")
            if self._forgot_at is None or at - self._forgot_at >= FORGET_EVERY:
                self._forgot_at = at
                self._spawn(self._forget_events(at - EVENTS_KEPT))
        await next()
        return None

    async def _forget_events(self, cutoff: datetime) -> None:
        """Keys too old for any retry or replay to come, after the acknowledgement."""
        forgotten = await self.store.write(lambda tx: tx.platform.forget_events_before(cutoff))
        if forgotten:
            log.debug("forgot %d Slack deliveries remembered before %s", forgotten, cutoff.isoformat())

    def _spawn(self, work: Awaitable[Any]) -> None:
        """Work after the acknowledgement; its failures are logged, never lost silently."""
        task = asyncio.ensure_future(work)
        self._background.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._background.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("Slack work after the acknowledgement failed", exc_info=task.exception())

    async def settled(self) -> None:
        """Until the work spawned after acknowledgements is done (tests, benchmarks, shutdown)."""
        await self._backlog.join()
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    def _start_workers(self) -> None:
        while len(self._workers) < BACKLOG_WORKERS:
            self._workers.append(asyncio.ensure_future(self._work_off_backlog()))

    async def _work_off_backlog(self) -> None:
        while True:
            key, body, text, respond = await self._backlog.get()
            try:
                reply = await self._command(key, body, text)
                await self._answer(key, body, reply, ack=None, respond=respond)
                await self._refresh_after(key, reply)
            except Exception:
                log.exception("a queued Slack command failed after its acknowledgement")
            finally:
                self._backlog.task_done()

    async def _tz(self, key: ClubKey) -> str:
        return (await self.app.club_seen(key)).config.timezone

    def _actor(self, body: dict[str, Any]) -> Actor:
        """Who acts, from the payload alone (organizer rights are asked for only when needed)."""
        user = body.get("user") or {}
        name = body.get("user_name") or user.get("name") or user.get("username") or ""
        return self.members.actor(self._user_id(body), str(name))

    async def _as_member(self, body: dict[str, Any], run: Callable[[Actor], Awaitable[Reply]]) -> Reply:
        """Run a core call for the member who sent `body`; refusals and errors become replies."""
        user_id = self._user_id(body)
        rights = with_rights(self._actor(body), run, lambda: self.members.organizer(user_id))
        return await self.app.answer(self.key(body), rights)

    async def pages(self, key: ClubKey, reply: Reply) -> list[Page]:
        extra = await self._extra_controls(key, reply)
        return render(reply, await self._tz(key), self.clock.now(), extra=extra)

    async def _extra_controls(self, key: ClubKey, reply: Reply) -> list[Block]:
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

    # ---- /docclub ----

    async def _on_command(self, ack: Any, body: dict[str, Any], respond: Any, request: Any) -> None:
        key = self.key(body)
        channel = str(body.get("channel_id") or "")
        if channel:
            self.last_channel[key.space_id] = channel
        text = str(body.get("text") or "").strip()
        word = text.lower()
        if word in ("suggest", "rate") or (word == "vote" and await self._only_open_ranked(key, body)):
            await ack()
            self._spawn(self._open_modal_for(word, key, body))
            return
        budget = self._budget(request)
        if budget <= 0 or self.in_flight + self._backlog.qsize() >= self.busy_after:
            # A burst: acknowledge now and queue the command for a few workers, so that new
            # requests keep being acknowledged while the queue is worked off.
            self.working_acks += 1
            await ack(text=WORKING, response_type="ephemeral")
            self._backlog.put_nowait((key, body, text, respond))
            self._start_workers()
            return
        work = asyncio.ensure_future(self._command(key, body, text))
        await asyncio.wait({work}, timeout=budget)
        if not work.done():
            self.working_acks += 1
            await ack(text=WORKING, response_type="ephemeral")
            self._spawn(self._answer_late(key, body, work, respond))
            return
        reply = work.result()
        if reply.attachment is not None or (_posted_as_message(reply) and body.get("channel_id")):
            await ack()
            self._spawn(self._answer_late(key, body, work, respond))
            return
        await self._answer(key, body, reply, ack=ack, respond=respond)
        self._spawn(self._refresh_after(key, reply))

    async def _refresh_after(self, key: ClubKey, reply: Reply) -> None:
        """A command changed a poll or party (a vote, a close, a move): edit its messages. A
        card just posted shows the change already."""
        if reply.subject is None or reply.subject[0] not in ("poll", "party") or reply.tone is Tone.ERROR:
            return
        if not (_posted_as_message(reply) and _is_card(reply)):
            await self.coalescer.request((key.space_id, reply.subject[0], reply.subject[1]))

    def _budget(self, request: Any) -> float:
        """Seconds the core may take before the acknowledgement. Slack's 3 seconds run from when
        it sent the request (its signed timestamp, whole seconds, so the wait is over- rather than
        underestimated): a request that waited in a queue here gets less, and none when past
        2.5 s. A timestamp more than 10 s off (clocks apart) is not trusted."""
        try:
            sent = int((request.headers.get("x-slack-request-timestamp") or ["x"])[0])
        except (AttributeError, TypeError, ValueError):
            return self.ack_budget
        waited = time.time() - sent
        if not -10 <= waited <= 10:
            return self.ack_budget
        return max(0.0, min(self.ack_budget, DEADLINE_MARGIN - waited))

    async def _command(self, key: ClubKey, body: dict[str, Any], text: str) -> Reply:
        self.in_flight += 1
        try:
            return await self._as_member(body, lambda actor: dispatch(self.app, key, actor, text))
        finally:
            self.in_flight -= 1

    async def _answer_late(self, key: ClubKey, body: dict[str, Any], work: asyncio.Future[Reply], respond: Any) -> None:
        reply = await work
        await self._answer(key, body, reply, ack=None, respond=respond)
        await self._refresh_after(key, reply)

    async def _answer(self, key: ClubKey, body: dict[str, Any], reply: Reply, *, ack: Any, respond: Any) -> None:
        channel = str(body.get("channel_id") or "")
        user = str(body.get("user_id") or "")
        if reply.attachment is not None:
            reply = await self._send_file(key, user, reply)
        pages = await self.pages(key, reply)
        if _posted_as_message(reply) and channel:
            try:
                await self._post(key, channel, reply, pages)
                if ack is not None:
                    await ack()
                return
            except SlackApiError as exc:  # not in the channel, or a DM the bot can't post to
                log.info("posting to %s failed (%s); answering in place", channel, exc.response.get("error"))
        response_type = "ephemeral" if reply.ephemeral else "in_channel"
        first, rest = pages[0], pages[1:]
        if ack is not None:
            await ack(text=first.text, blocks=first.blocks, response_type=response_type)
            if rest:
                self._spawn(self._follow_up(rest, response_type, respond))
            return
        await respond(text=first.text, blocks=first.blocks, response_type=response_type)
        await self._follow_up(rest, response_type, respond)

    @staticmethod
    async def _follow_up(rest: list[Page], response_type: str, respond: Any) -> None:
        for page in rest[:MAX_FOLLOWUPS]:
            await respond(text=page.text, blocks=page.blocks, response_type=response_type)

    async def _post(
        self, key: ClubKey, channel: str, reply: Reply, pages: list[Page], *, thread_ts: str | None = None
    ) -> str:
        """Post a reply as channel message(s); remember poll and party cards for later edits."""
        first_ts = ""
        for page in pages:
            answer = await self.client.chat_postMessage(
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
        if reply.subject is not None and _is_card(reply) and first_ts and thread_ts is None:
            place = (channel, first_ts)
            await self._update_ref(key, reply.subject[0], reply.subject[1], lambda ref: refs.adding(ref, place))
        return first_ts

    async def _update_ref(
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

    async def _send_file(self, key: ClubKey, user: str, reply: Reply) -> Reply:
        """Files (calendar, exports) go to the member's direct messages, never to the channel."""
        assert reply.attachment is not None
        file = reply.attachment
        try:
            dm = await self.client.conversations_open(users=user)
            await self.client.files_upload_v2(
                channel=str(dm["channel"]["id"]), file=file.data, filename=file.filename, title=file.filename
            )
            note = f"I sent you {file.filename} ({len(file.data):,} bytes) in a direct message."
        except SlackApiError as exc:
            log.warning("file upload failed: %s", exc.response.get("error"))
            note = f"I couldn't send you {file.filename}; please try again later."
        before = (reply.footer,) if isinstance(reply.footer, str) else reply.footer or ()
        return replace(reply, attachment=None, footer=(*before, "\n", note) if before else note)

    async def _only_open_ranked(self, key: ClubKey, body: dict[str, Any]) -> bool:
        """`/docclub vote` alone opens the ranking modal when the one open poll is ranked."""
        try:
            form = await self.app.polls.ballot(key, READER)
        except DocclubError:  # no open poll, or several: the command answers with the reason
            return False
        return form.method is PollMethod.RANKED

    # ---- modals ----

    async def _open_modal_for(
        self, what: str, key: ClubKey, body: dict[str, Any], subject_id: int | None = None
    ) -> None:
        channel = str(body.get("channel_id") or (body.get("channel") or {}).get("id") or "") or None
        trigger = str(body.get("trigger_id"))
        if what == "suggest":
            view = views.suggest_modal(channel)
        elif what == "rate":
            club = await self.app.club_seen(key)
            actor = self._actor(body)
            films = await self.app.films.choices(
                key,
                actor,
                "",
                limit=views.MAX_OPTIONS,
                statuses=(FilmStatus.WATCHED, FilmStatus.SCHEDULED, FilmStatus.SHORTLISTED, FilmStatus.SUGGESTED),
            )
            fixed = next(((i, label) for i, label in films if i == subject_id), None) if subject_id else None
            if subject_id and fixed is None:
                fixed = (subject_id, f"Film #{subject_id}")
            mine = await self.app.ratings.current(key, actor, subject_id) if subject_id else None
            scale = club.config.rating_scale
            current = (score_text(mine.score, scale), mine.review) if mine else None
            view = views.rate_modal(channel, scale, fixed, films, current)
        else:
            actor = self._actor(body)
            ref = f"#{subject_id}" if subject_id is not None else None
            try:
                form = await self.app.polls.ballot(key, actor, ref)
            except DocclubError:  # closed since the button was posted: show the poll as it is now
                shown = await safely(self.app.polls.show(key, actor, ref))
                await self._tell(key, body, shown)
                return
            view = views.ballot_modal(channel, form.poll_id, list(form.films), list(form.mine))
        await self.client.views_open(trigger_id=trigger, view=view)

    @staticmethod
    def _user_id(body: dict[str, Any]) -> str:
        return str(body.get("user_id") or (body.get("user") or {}).get("id") or "")

    async def _tell(self, key: ClubKey, body: dict[str, Any], reply: Reply, *, channel: str | None = None) -> None:
        """Answer one member privately: in place for a button, ephemeral in the channel, or a DM."""
        pages = await self.pages(key, reply)
        url = body.get("response_url")
        if url:
            from slack_sdk.webhook.async_client import AsyncWebhookClient

            hook = AsyncWebhookClient(str(url))
            for page in pages[: MAX_FOLLOWUPS + 1]:
                await hook.send(text=page.text, blocks=page.blocks, response_type="ephemeral", replace_original=False)
            return
        user = self._user_id(body)
        if channel:
            try:
                for page in pages:
                    await self.client.chat_postEphemeral(channel=channel, user=user, text=page.text, blocks=page.blocks)
                return
            except SlackApiError as exc:
                log.info("ephemeral answer in %s failed (%s); sending a DM", channel, exc.response.get("error"))
        dm = await self.client.conversations_open(users=user)
        for page in pages:
            await self.client.chat_postMessage(channel=str(dm["channel"]["id"]), text=page.text, blocks=page.blocks)

    async def _on_suggest_button(self, ack: Any, body: dict[str, Any]) -> None:
        await ack()
        self._spawn(self._open_modal_for("suggest", self.key(body), body))

    async def _on_rate_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        film_id = int(action["action_id"].rsplit(":", 1)[1])
        self._spawn(self._open_modal_for("rate", self.key(body), body, film_id))

    async def _on_show_hidden(self, ack: Any, action: dict[str, Any], respond: Any) -> None:
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
        await respond(text=title, blocks=blocks, response_type="ephemeral", replace_original=False)

    async def _on_ballot_button(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        poll_id = int(action["action_id"].rsplit(":", 1)[1])
        self._spawn(self._open_modal_for("ballot", self.key(body), body, poll_id))

    async def _submit(
        self,
        ack: Any,
        body: dict[str, Any],
        run: Callable[[Actor, dict[str, str], dict[str, Any]], Awaitable[Reply]],
        error_block: str,
    ) -> Reply | None:
        """Run a modal's core call; a refusal keeps the modal open with the reason under a field."""
        view = body.get("view") or {}
        meta = json.loads(view.get("private_metadata") or "{}")
        submitted = views.submitted(view)
        reply = await self._as_member(body, lambda actor: run(actor, submitted, meta))
        if reply.tone is Tone.ERROR:
            message = "\n".join("".join(p for p in ln if isinstance(p, str)) for ln in reply.lines)
            await ack(response_action="errors", errors={error_block: message[:1900]})
            return None
        await ack()
        self._spawn(self._show_submitted(self.key(body), body, reply, meta.get("channel")))
        return reply

    async def _show_submitted(self, key: ClubKey, body: dict[str, Any], reply: Reply, channel: str | None) -> None:
        if not reply.ephemeral and channel:
            try:
                await self._post(key, str(channel), reply, await self.pages(key, reply))
                return
            except SlackApiError:
                pass
        await self._tell(key, {"user": body.get("user")}, reply, channel=channel)

    async def _on_suggest_submit(self, ack: Any, body: dict[str, Any]) -> None:
        key = self.key(body)

        async def run(actor: Actor, values: dict[str, str], meta: dict[str, Any]) -> Reply:
            year = values.get("year", "").strip()
            if year and not re.fullmatch(r"\d{4}", year):
                from docclub.core.errors import InvalidInput

                raise InvalidInput("The year is four digits, like 2023.")
            film = NewFilm(
                title=values.get("title", "").strip(),
                year=int(year) if year else None,
                link=values.get("link") or None,
                where=values.get("where") or None,
                warnings=(values["cw"],) if values.get("cw") else (),
                tags=(values["tags"],) if values.get("tags") else (),
                pitch=values.get("pitch") or None,
            )
            return await self.app.films.suggest(key, actor, film)

        await self._submit(ack, body, run, "title")

    async def _on_rate_submit(self, ack: Any, body: dict[str, Any]) -> None:
        key = self.key(body)

        async def run(actor: Actor, values: dict[str, str], meta: dict[str, Any]) -> Reply:
            film = meta.get("film") or values.get("film")
            review = values.get("review", "").strip() or None
            return await self.app.ratings.rate(
                key,
                actor,
                f"#{film}",
                values.get("score", ""),
                review,
                remove_review=bool(meta.get("had_review")) and review is None,
            )

        await self._submit(ack, body, run, "score")

    async def _on_ballot_submit(self, ack: Any, body: dict[str, Any]) -> None:
        key = self.key(body)
        poll_id = int(json.loads((body.get("view") or {}).get("private_metadata") or "{}").get("poll") or 0)

        async def run(actor: Actor, values: dict[str, str], meta: dict[str, Any]) -> Reply:
            ranked = [
                values[k]
                for k in sorted((k for k in values if k.startswith("rank")), key=lambda k: int(k[4:]))
                if values[k]
            ]
            if not ranked and meta.get("had_ballot"):  # every choice cleared: the ballot is withdrawn
                return await self.app.polls.clear(key, actor, f"#{poll_id}")
            return await self.app.polls.vote(key, actor, f"#{poll_id}", [f"#{f}" for f in ranked])

        if await self._submit(ack, body, run, "rank0") is not None:
            self._spawn(self.coalescer.request((key.space_id, "poll", poll_id)))

    # ---- buttons on poll and party messages ----

    async def _track_container(self, key: ClubKey, kind: str, subject_id: int, body: dict[str, Any]) -> None:
        """A button pressed on a message not kept yet (posted before messages were kept): keep it."""
        container = body.get("container") or {}
        channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
        ts = container.get("message_ts")
        if container.get("type") == "message" and channel and ts and not container.get("is_ephemeral"):
            place = (str(channel), str(ts))
            if place not in await self.shown_in(key, kind, subject_id):
                await self._update_ref(key, kind, subject_id, lambda ref: refs.including(ref, place))

    async def _on_vote(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        self._spawn(self._vote(body, action))

    async def _vote(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        key = self.key(body)
        _, _, poll, film = str(action["action_id"]).split(":")
        reply = await self._as_member(body, lambda actor: self.app.polls.toggle(key, actor, int(poll), int(film)))
        await self._track_container(key, "poll", int(poll), body)
        await self._after_button(key, body, reply, ("poll", int(poll)))

    async def _on_rsvp(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        self._spawn(self._rsvp(body, action))

    async def _rsvp(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        key = self.key(body)
        _, _, party, answer = str(action["action_id"]).split(":")
        reply = await self._as_member(body, lambda actor: self.app.parties.rsvp(key, actor, f"#{party}", answer))
        await self._track_container(key, "party", int(party), body)
        await self._after_button(key, body, reply, ("party", int(party)))

    async def _after_button(self, key: ClubKey, body: dict[str, Any], reply: Reply, subject: tuple[str, int]) -> None:
        if (body.get("container") or {}).get("type") == "view" or (body.get("view") or {}).get("type") == "home":
            await self.publish_home(key, self._user_id(body))
        else:
            await self._tell(key, body, reply)
        if reply.tone is not Tone.ERROR:
            await self.coalescer.request((key.space_id, *subject))

    async def _refresh(self, subject: Subject) -> None:
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
        for channel, ts in targets:
            try:
                await self.client.chat_update(channel=channel, ts=ts, text=page.text, blocks=page.blocks)
            except SlackApiError as exc:
                log.info("updating %s %s failed: %s", channel, ts, exc.response.get("error"))

    async def _party_card(self, key: ClubKey, party_id: int, channel: str | None = None) -> refs.Place | None:
        """The party's newest message (in `channel` when given): its card."""
        places = [p for p in await self.shown_in(key, "party", party_id) if channel is None or p[0] == channel]
        return places[-1] if places else None

    # ---- App Home ----

    async def _on_home_opened(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        self._spawn(self.publish_home(self.key(body), str(event.get("user"))))

    async def _on_user_change(self, event: dict[str, Any]) -> None:
        self.members.forget(str((event.get("user") or {}).get("id")))

    async def publish_home(self, key: ClubKey, user_id: str) -> None:
        actor = await self.members.resolved(user_id)
        tz = await self._tz(key)
        now = self.clock.now()
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
            poll_blocks.extend(render(reply, tz, now, extra=await self._extra_controls(key, reply))[0].blocks)
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
        await self.client.views_publish(user_id=user_id, view=view)

    # ---- announcements (the Notifier) ----

    async def resolve_channel(self, key: ClubKey, channel: str | None, reply: Reply) -> str | None:
        """The channel id to announce in: the club's setting, else where its card or /docclub was last seen."""
        if channel:
            channel = channel.strip()
            link = _CHANNEL_LINK.match(channel)
            if link:
                return link.group(1)
            if _CHANNEL_ID.match(channel):
                return channel
            return await self._channel_by_name(channel.lstrip("#"))
        if reply.subject is not None and reply.subject[0] in ("poll", "party"):
            shown = await self.shown_in(key, reply.subject[0], reply.subject[1])
            if shown:
                return shown[-1][0]
        return self.last_channel.get(key.space_id)

    async def _channel_by_name(self, name: str) -> str | None:
        if name in self._channel_ids:
            return self._channel_ids[name]
        cursor = None
        for _ in range(50):  # pages of 200 channels
            answer = await self.client.conversations_list(
                types="public_channel,private_channel", limit=200, exclude_archived=True, cursor=cursor
            )
            for ch in answer.get("channels") or []:
                self._channel_ids[str(ch.get("name"))] = str(ch.get("id"))
            cursor = (answer.get("response_metadata") or {}).get("next_cursor")
            if name in self._channel_ids or not cursor:
                break
        return self._channel_ids.get(name)

    async def announce(self, key: ClubKey, channel_id: str, reply: Reply) -> None:
        thread_ts = None
        if (
            reply.subject is not None
            and reply.subject[0] == "party"
            and any(a.kind is ActionKind.RATE for a in reply.actions)
        ):
            # The post-party nudge and its discussion prompts: a thread on the party's card.
            card = await self._party_card(key, reply.subject[1], channel_id)
            if card is not None:
                thread_ts = card[1]
        await self._post(key, channel_id, reply, await self.pages(key, reply), thread_ts=thread_ts)

    async def direct(self, key: ClubKey, user_id: str, reply: Reply) -> None:
        dm = await self.client.conversations_open(users=user_id)
        channel = str(dm["channel"]["id"])
        for page in await self.pages(key, reply):
            await self.client.chat_postMessage(
                channel=channel, text=page.text, blocks=page.blocks, unfurl_links=False, unfurl_media=False
            )


def _note(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}
