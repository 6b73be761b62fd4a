"""One slack-bolt `AsyncApp` for docclub: `/docclub`, buttons, modals, App Home and events.

The app is transport-agnostic: `docclub_slack.adapter` serves it over HTTP (signed requests on
`POST /slack/events`) or Socket Mode. Everything a member asks goes to the core; the listeners
only translate Slack payloads to core calls and `Reply`s to Block Kit. `SlackBot` is where they
are put together, each in its own module:

- `repeats`: retries and replays acknowledged, not applied twice (a middleware);
- `slash`: `/docclub`, its time budget and burst backlog;
- `modals`: suggest, rate and ranked-ballot modals, and the buttons that open them;
- `buttons`: vote, RSVP and "Show …" buttons on poll and party messages;
- `home`: the App Home tab;
- `announcements`: the Notifier's channel posts and direct messages;
- `answers`: what they share: who asks, and how answers reach Slack.

Acknowledging: Slack wants an answer within 3 s. Bolt runs with `process_before_response`:
the HTTP answer goes out when the listener returns, and whatever is left to do after the
acknowledgement is spawned as a task (`background`); answers after it go to the response_url
over the Web API client's one HTTP session (`Answers.hook`).

What a request costs beyond bolt's own work (a `/docclub vote` is about a bare bolt ack plus
the vote): the signature is checked once, by `endpoint`, before bolt runs (bolt's own check is
off), and the body is parsed once; `/docclub` in one workspace skips bolt's dispatch
(`SlackBot.command`); bolt's authorization is seeded from the start-up
`auth.test`; members are known from the payload (`members`); a repeat is caught in memory
without a commit of its own (`repeats`); the club's timezone for the answer is the one the
command just read (`Docclub.club_seen`).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.middleware.authorization.async_single_team_authorization import AsyncSingleTeamAuthorization
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.response import BoltResponse

from docclub.core.clubs import Docclub
from docclub.core.commands import command_name
from docclub.core.ports import Clock, ClubStore
from docclub.core.replies import went_wrong
from docclub_slack.announcements import Announcements
from docclub_slack.answers import Answers
from docclub_slack.background import Background
from docclub_slack.buttons import Buttons
from docclub_slack.clients import WorkspaceClients
from docclub_slack.home import HomeTab
from docclub_slack.manifest import COMMAND
from docclub_slack.members import Members
from docclub_slack.modals import Modals
from docclub_slack.repeats import Repeats
from docclub_slack.slash import BUSY_AFTER, SlashCommand
from docclub_slack.updates import Coalescer

__all__ = ["SlackBot"]

log = logging.getLogger("docclub.slack")


class SlackBot:
    """The bolt app with every listener registered, and what the adapter and Notifier use."""

    def __init__(
        self,
        app: Docclub,
        store: ClubStore,
        clock: Clock,
        clients: WorkspaceClients,
        *,
        signing_secret: str | None,
        oauth_flow: AsyncOAuthFlow | None = None,
        ack_budget: float = 2.0,
        busy_after: int = BUSY_AFTER,
        update_interval: timedelta = timedelta(seconds=2),
    ) -> None:
        self.clients = clients
        self.members = Members(clients, clock)
        self.answers = Answers(app, clock, clients, self.members)
        self.background = Background()
        self.coalescer = Coalescer(clock, self.answers.refresh, update_interval)
        self.home = HomeTab(self.answers, self.members, self.background)
        self.modals = Modals(self.answers, self.background, self.coalescer)
        self.buttons = Buttons(self.answers, self.background, self.coalescer, self.home)
        self.slash = SlashCommand(
            self.answers, self.background, self.modals, self.coalescer, ack_budget=ack_budget, busy_after=busy_after
        )
        self.announcements = Announcements(self.answers)
        self.bolt = AsyncApp(
            client=clients.base,
            signing_secret=signing_secret or "",
            name="docclub",
            process_before_response=True,  # late work is our own task, not bolt's 10 ms ack poll
            # The signature was checked before bolt runs (`endpoint`; Socket Mode has none).
            request_verification_enabled=False,
            logger=log,
            oauth_flow=oauth_flow,  # many workspaces: each request is authorized by its installation
            installation_store_bot_only=True if oauth_flow is not None else None,
        )
        self.repeats = Repeats(store, clock, self.background)
        self.bolt.middleware(self.repeats)
        for listeners in (self.slash, self.buttons, self.modals, self.home):
            listeners.register(self.bolt)
        if oauth_flow is not None:  # app_uninstalled, tokens_revoked: the installation's tokens go
            self.bolt.enable_token_revocation_listeners()

    async def command(self, body: dict[str, Any], signature: str, timestamp: str) -> BoltResponse | None:
        """`/docclub` over HTTP without bolt's dispatch, or None to leave it to bolt.

        The hot path of every member's command. Bolt's dispatch (its middleware chain, listener
        matching, keyword arguments) is about a third of a bare bolt app's CPU for a request, and
        for `/docclub` in one workspace it adds nothing: the signature was checked, the body
        parsed, and the bot token is the one client's. The same `Repeats` check and the same
        listener run, acknowledged through bolt's own `AsyncAck`. Many workspaces: bolt's
        authorization (the installation's token, its "please install" answer) runs as before."""
        if self.clients.many or body.get("command") != COMMAND:
            return None
        repeated = await self.repeats.claim(body, signature, timestamp)
        if repeated is not None:
            return repeated
        if log.isEnabledFor(logging.DEBUG):  # the command's word only: never the member's text
            word = command_name(str(body.get("text") or ""))
            log.debug("/docclub %s from %s in %s", word, body.get("user_id"), body.get("team_id"))
        ack = AsyncAck()  # type: ignore[no-untyped-call]
        try:
            await self.slash.run(ack, body, timestamp)
        except Exception:  # the core's own errors are replies already: this is the adapter's
            ref = secrets.token_hex(4)
            log.exception("/docclub failed in the Slack adapter (ref %s)", ref)
            return await ack(text=went_wrong(ref), response_type="ephemeral")
        return ack.response or BoltResponse(status=200, body="")

    async def start(self) -> None:
        """One workspace: check the token (auth.test) and learn the workspace. Bolt's own
        authorization is given the same answer, so a burst of requests after a restart makes no
        auth.test calls. Many workspaces: nothing to check before an install."""
        if self.clients.many:
            return
        answer = await self.clients.base.auth_test()
        self.answers.team_id = str(answer.get("team_id") or "") or None
        for middleware in self.bolt._async_middleware_list:
            if isinstance(middleware, AsyncSingleTeamAuthorization):
                middleware.auth_test_result = answer

    async def settled(self) -> None:
        """Until the work spawned after acknowledgements is done (tests, benchmarks, shutdown)."""
        await self.slash.settled()
        await self.background.settled()
        await self.repeats.settled()

    async def close(self) -> None:
        await self.slash.close()
        await self.coalescer.close()
        await self.background.cancel()
        await self.repeats.settled()
