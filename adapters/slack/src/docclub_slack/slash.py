"""`/docclub`: the text grammar's commands, each one core call answered in the channel.

A slash command waits up to `ack_budget` for the core and answers in the acknowledgement
itself; when the core is slower, or when `busy_after` commands are already in flight (a
burst), it acknowledges at once with "Working on it…" and the answer follows through the
`response_url`. Commands acknowledged in a burst wait in a queue for a few workers, so new
requests keep being acknowledged while it is worked off.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from docclub import metrics
from docclub.core.commands import command_name, dispatch
from docclub.core.errors import DocclubError
from docclub.core.models import ClubKey, PollMethod
from docclub.core.replies import Reply, Tone
from docclub_slack.answers import MAX_FOLLOWUPS, READER, Answers, Subject, is_card, posted_as_message
from docclub_slack.background import Background
from docclub_slack.manifest import COMMAND
from docclub_slack.modals import Modals
from docclub_slack.render import Page
from docclub_slack.updates import Coalescer

__all__ = ["BUSY_AFTER", "WORKING", "SlashCommand"]

log = logging.getLogger("docclub.slack")
BUSY_AFTER = 64  # slash commands in flight past which new ones are acknowledged at once
WORKING = "Working on it…"
DEADLINE_MARGIN = 2.5  # seconds after Slack sent a request by which it must be acknowledged
BACKLOG_WORKERS = 16  # commands of a burst worked on at once (their writes share commits)


class SlashCommand:
    """The `/docclub` listener, its time budget and its backlog."""

    def __init__(
        self,
        answers: Answers,
        background: Background,
        modals: Modals,
        coalescer: Coalescer,
        *,
        ack_budget: float = 2.0,
        busy_after: int = BUSY_AFTER,
    ) -> None:
        self.answers = answers
        self.app = answers.app
        self.background = background
        self.modals = modals
        self.coalescer = coalescer
        self.ack_budget = ack_budget
        self.busy_after = busy_after
        self.in_flight = 0  # slash commands whose core call has not finished
        self.working_acks = 0  # "Working on it…" acknowledgements given (benchmarks)
        self._backlog: asyncio.Queue[tuple[ClubKey, dict[str, Any], str]] = asyncio.Queue()
        self._workers: list[asyncio.Task[None]] = []

    def register(self, bolt: AsyncApp) -> None:
        bolt.command(COMMAND)(self._on_command)

    async def settled(self) -> None:
        """Until every command acknowledged in a burst is answered."""
        await self._backlog.join()

    async def close(self) -> None:
        try:  # commands acknowledged in a burst are answered before we go, within reason
            async with asyncio.timeout(5):
                await self._backlog.join()
        except TimeoutError:
            log.warning("stopping with %d acknowledged commands not run", self._backlog.qsize())
        for task in self._workers:
            task.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)

    async def _on_command(self, ack: Any, body: dict[str, Any], request: Any) -> None:
        """Through bolt (Socket Mode, and requests `direct` leaves to bolt)."""
        await self.run(ack, body, (request.headers.get("x-slack-request-timestamp") or [""])[0])

    async def run(self, ack: Any, body: dict[str, Any], timestamp: str) -> None:
        """Answer the command in `body`, acknowledging it through `ack` (bolt's `AsyncAck`).
        `timestamp`: when Slack signed the request ("" when not signed: Socket Mode)."""
        key = self.answers.key(body)
        channel = str(body.get("channel_id") or "")
        if channel:
            self.answers.last_channel[key.space_id] = channel
        text = str(body.get("text") or "").strip()
        word = text.lower()
        if word in ("suggest", "rate") or (word == "vote" and await self._only_open_ranked(key)):
            await ack()
            self.background.spawn(self.modals.open_for(word, key, body))
            return
        budget = self._budget(timestamp)
        if budget <= 0 or self.in_flight + self._backlog.qsize() >= self.busy_after:
            # A burst: acknowledge now and queue the command for a few workers, so that new
            # requests keep being acknowledged while the queue is worked off.
            self.working_acks += 1
            metrics.interaction_deferred("slack")
            await ack(text=WORKING, response_type="ephemeral")
            self._backlog.put_nowait((key, body, text))
            self._start_workers()
            return
        work = asyncio.ensure_future(self._command(key, body, text))
        await asyncio.wait({work}, timeout=budget)
        if not work.done():
            self.working_acks += 1
            metrics.interaction_deferred("slack")
            await ack(text=WORKING, response_type="ephemeral")
            self.background.spawn(self._answer_late(key, body, work))
            return
        reply = work.result()
        if reply.attachment is not None or (posted_as_message(reply) and body.get("channel_id")):
            await ack()
            self.background.spawn(self._answer_late(key, body, work))
            return
        await self._answer(key, body, reply, ack=ack)
        subject = self._to_refresh(key, reply)
        if subject is not None and not self.coalescer.waiting(subject):  # no task when one is due anyway
            self.background.spawn(self.coalescer.request(subject))

    def _start_workers(self) -> None:
        while len(self._workers) < BACKLOG_WORKERS:
            self._workers.append(asyncio.ensure_future(self._work_off_backlog()))

    async def _work_off_backlog(self) -> None:
        while True:
            key, body, text = await self._backlog.get()
            try:
                reply = await self._command(key, body, text)
                await self._answer(key, body, reply, ack=None)
                await self._refresh_after(key, reply)
            except Exception:
                log.exception("a queued Slack command failed after its acknowledgement")
            finally:
                self._backlog.task_done()

    async def _refresh_after(self, key: ClubKey, reply: Reply) -> None:
        subject = self._to_refresh(key, reply)
        if subject is not None:
            await self.coalescer.request(subject)

    @staticmethod
    def _to_refresh(key: ClubKey, reply: Reply) -> Subject | None:
        """A command changed a poll or party (a vote, a close, a move): its messages to edit. A
        card just posted shows the change already."""
        if reply.subject is None or reply.subject[0] not in ("poll", "party") or reply.tone is Tone.ERROR:
            return None
        if posted_as_message(reply) and is_card(reply):
            return None
        return (key.space_id, reply.subject[0], reply.subject[1])

    def _budget(self, timestamp: str) -> float:
        """Seconds the core may take before the acknowledgement. Slack's 3 seconds run from when
        it sent the request (its signed timestamp, whole seconds, so the wait is over- rather than
        underestimated): a request that waited in a queue here gets less, and none when past
        2.5 s. A timestamp more than 10 s off (clocks apart) is not trusted."""
        try:
            sent = int(timestamp)
        except ValueError:
            return self.ack_budget
        waited = time.time() - sent
        if not -10 <= waited <= 10:
            return self.ack_budget
        return max(0.0, min(self.ack_budget, DEADLINE_MARGIN - waited))

    async def _command(self, key: ClubKey, body: dict[str, Any], text: str) -> Reply:
        self.in_flight += 1
        try:
            return await self.answers.as_member(
                body, lambda actor: dispatch(self.app, key, actor, text), command=command_name(text)
            )
        finally:
            self.in_flight -= 1

    async def _answer_late(self, key: ClubKey, body: dict[str, Any], work: asyncio.Future[Reply]) -> None:
        reply = await work
        await self._answer(key, body, reply, ack=None)
        await self._refresh_after(key, reply)

    async def _answer(self, key: ClubKey, body: dict[str, Any], reply: Reply, *, ack: Any) -> None:
        """Answer in the acknowledgement (`ack`), or later (`ack` None) through the response_url."""
        channel = str(body.get("channel_id") or "")
        user = str(body.get("user_id") or "")
        if reply.attachment is not None:
            reply = await self._send_file(key, user, reply)
        pages = await self.answers.pages(key, reply)
        if posted_as_message(reply) and channel:
            try:
                await self.answers.post(key, channel, reply, pages)
                if ack is not None:
                    await ack()
                return
            except SlackApiError as exc:  # not in the channel, or a DM the bot can't post to
                metrics.platform_error("slack", exc.response.status_code)
                log.info("posting to %s failed (%s); answering in place", channel, exc.response.get("error"))
        response_type = "ephemeral" if reply.ephemeral else "in_channel"
        first, rest = pages[0], pages[1:]
        if ack is not None:
            await ack(text=first.text, blocks=first.blocks, response_type=response_type)
            if rest:
                self.background.spawn(self._follow_up(body, rest, response_type))
            return
        await self._follow_up(body, pages, response_type, limit=MAX_FOLLOWUPS + 1)

    async def _follow_up(
        self, body: dict[str, Any], pages: list[Page], response_type: str, *, limit: int = MAX_FOLLOWUPS
    ) -> None:
        hook = self.answers.hook(body)
        for page in pages[:limit]:
            await hook.send(text=page.text, blocks=page.blocks, response_type=response_type)

    async def _send_file(self, key: ClubKey, user: str, reply: Reply) -> Reply:
        """Files (calendar, exports) go to the member's direct messages, never to the channel."""
        assert reply.attachment is not None
        file = reply.attachment
        client = await self.answers.web(key)
        try:
            dm = await client.conversations_open(users=user)
            await client.files_upload_v2(
                channel=str(dm["channel"]["id"]), file=file.data, filename=file.filename, title=file.filename
            )
            note = f"I sent you {file.filename} ({len(file.data):,} bytes) in a direct message."
        except SlackApiError as exc:
            metrics.platform_error("slack", exc.response.status_code)
            log.warning("file upload failed: %s", exc.response.get("error"))
            note = f"I couldn't send you {file.filename}; please try again later."
        before = (reply.footer,) if isinstance(reply.footer, str) else reply.footer or ()
        return replace(reply, attachment=None, footer=(*before, "\n", note) if before else note)

    async def _only_open_ranked(self, key: ClubKey) -> bool:
        """`/docclub vote` alone opens the ranking modal when the one open poll is ranked."""
        try:
            form = await self.app.polls.ballot(key, READER)
        except DocclubError:  # no open poll, or several: the command answers with the reason
            return False
        return form.method is PollMethod.RANKED
