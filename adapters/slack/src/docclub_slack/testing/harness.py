"""The whole Slack adapter on a fake Slack: started by the real composition root on a SQLite
file, served over HTTP on an ephemeral port (and Socket Mode when asked); requests go in signed
as Slack signs them, and each `Answer` holds what Slack was told meanwhile."""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import aiohttp
from pydantic import SecretStr

from docclub.bootstrap import Runtime, runtime
from docclub.config import Settings
from docclub.core.ports import Clock
from docclub_slack.adapter import SlackAdapter
from docclub_slack.testing.payloads import interaction_body, signed_headers, slash_body
from docclub_slack.testing.server import Call, FakeSlack
from docclub_slack.testing.text import blocks_to_text

__all__ = ["SIGNING_SECRET", "Answer", "SlackHarness"]

SIGNING_SECRET = "test-signing-secret"  # a test value, not a real secret


@dataclass
class Answer:
    """What one request to the app produced: the HTTP answer and what Slack was told meanwhile."""

    status: int
    body: str
    calls: list[Call]
    responses: list[Call]

    @property
    def ack(self) -> dict[str, Any] | None:
        if not self.body:
            return None
        try:
            data = json.loads(self.body)
        except ValueError:
            return {"text": self.body}
        return data if isinstance(data, dict) else None

    def shown(self, names: dict[str, str] | None = None) -> list[str]:
        """Every message the member sees from this request, as text (ack, responses, posts)."""
        out: list[str] = []
        ack = self.ack
        if ack and (ack.get("blocks") or ack.get("text")):
            out.append(blocks_to_text(ack["blocks"], names) if ack.get("blocks") else str(ack["text"]))
        for r in self.responses:
            out.append(blocks_to_text(r.args["blocks"], names) if r.args.get("blocks") else str(r.args.get("text")))
        for c in self.calls:
            if c.method in ("chat.postMessage", "chat.postEphemeral"):
                blocks = c.args.get("blocks")
                blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
                out.append(blocks_to_text(blocks, names) if blocks else str(c.args.get("text")))
        return out


class SlackHarness:
    """The Slack adapter started by the real composition root on a SQLite file, talking to a
    FakeSlack, served over HTTP on an ephemeral port (and Socket Mode when asked)."""

    def __init__(
        self,
        db_path: Path,
        *,
        clock: Clock | None = None,
        socket_mode: bool = False,
        http: bool = True,
        fake: FakeSlack | None = None,
        tmdb: tuple[str, str] | None = None,
        settings: dict[str, Any] | None = None,
    ) -> None:
        """`fake`: a FakeSlack already started, shared with another harness (a second process,
        or the same workspace after a restart); started and closed here when not given.
        `tmdb`: (API URL, key) of a fake TMDB, set as TMDB_API_URL and TMDB_API_KEY.
        `settings`: settings to change (many workspaces: the client id and secrets)."""
        self.tmdb = tmdb
        self.changed_settings = settings or {}
        self.db_path = db_path
        self.clock = clock
        self.socket_mode = socket_mode
        self.http = http
        self._own_fake = fake is None
        self.fake = fake or FakeSlack()
        self.runtime: Runtime
        self._runtime_cm: Any = None
        self.session: aiohttp.ClientSession
        self._n = itertools.count(1)

    async def __aenter__(self) -> SlackHarness:
        if self._own_fake:
            await self.fake.start()
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            docclub_database_url=f"sqlite:///{self.db_path}",
            docclub_http_host="127.0.0.1",
            slack_bot_token=SecretStr("xoxb-test-token"),
            slack_api_url=self.fake.api_url,
            slack_signing_secret=SecretStr(SIGNING_SECRET) if self.http else None,
            slack_app_token=SecretStr("xapp-test-token") if self.socket_mode else None,
            tmdb_api_url=self.tmdb[0] if self.tmdb else "https://api.themoviedb.org/3",
            tmdb_api_key=SecretStr(self.tmdb[1]) if self.tmdb else None,
        ).model_copy(update=self.changed_settings)
        self._runtime_cm = runtime(settings, clock=self.clock)
        self.runtime = await self._runtime_cm.__aenter__()
        self.adapter = SlackAdapter(http_port=0)
        try:
            self.runtime.scheduler.notifiers["slack"] = await self.adapter.start(self.runtime)
        except BaseException as exc:  # refused to start: nothing is left running
            await self.adapter.stop()
            await self._runtime_cm.__aexit__(type(exc), exc, exc.__traceback__)
            if self._own_fake:
                await self.fake.close()
            raise
        self.session = aiohttp.ClientSession()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.session.close()
        await self.adapter.stop()
        await self._runtime_cm.__aexit__(exc_type, exc, tb)
        if self._own_fake:
            await self.fake.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.adapter.http_port}/slack/events"

    def user(self, user_id: str, name: str, *, admin: bool = False) -> str:
        self.fake.add_user(user_id, name, admin=admin)
        return user_id

    async def post(
        self,
        body: str,
        *,
        content_type: str = "application/x-www-form-urlencoded",
        timestamp: int | None = None,
        secret: str = SIGNING_SECRET,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        before_calls, before_responses = len(self.fake.calls), len(self.fake.responses)
        sent = {**signed_headers(secret, body, timestamp=timestamp, content_type=content_type), **(headers or {})}
        async with self.session.post(self.url, data=body.encode(), headers=sent) as resp:
            text = await resp.text()
            status = resp.status
        if self.adapter.bot is not None:  # what the bot does after acknowledging belongs to this answer
            await self.adapter.bot.settled()
        return Answer(status, text, self.fake.calls[before_calls:], self.fake.responses[before_responses:])

    async def command(self, text: str, user_id: str, *, channel: str = "C0GENERAL", **kw: Any) -> Answer:
        n = next(self._n)
        user = self.fake.users.get(user_id)
        body = slash_body(
            text,
            user_id=user_id,
            user_name=user.name if user else "someone",
            team_id=self.fake.team_id,
            channel_id=channel,
            response_url=self.fake.response_url(n),
            trigger_id=f"{n}.{n}.trigger",
        )
        return await self.post(body, **kw)

    async def interact(self, payload: dict[str, Any], **kw: Any) -> Answer:
        return await self.post(interaction_body(payload), **kw)

    async def event(self, event: dict[str, Any], event_id: str, *, retry: int | None = None) -> Answer:
        body = json.dumps(
            {
                "token": "legacy-unused",
                "team_id": self.fake.team_id,
                "api_app_id": "A0DOCCLUB",
                "type": "event_callback",
                "event_id": event_id,
                "event_time": int(time.time()),
                "event": event,
            }
        )
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"} if retry else None
        return await self.post(body, content_type="application/json", headers=headers)

    def button(
        self,
        user_id: str,
        action_id: str,
        *,
        channel: str = "C0GENERAL",
        message_ts: str = "",
        trigger: str | None = None,
    ) -> dict[str, Any]:
        """A block_actions payload as Slack sends it for a button on a message."""
        n = next(self._n)
        user = self.fake.users.get(user_id)
        return {
            "type": "block_actions",
            "team": {"id": self.fake.team_id, "domain": "club"},
            "user": {"id": user_id, "username": user.name if user else "someone", "team_id": self.fake.team_id},
            "api_app_id": "A0DOCCLUB",
            "token": "legacy-unused",
            "trigger_id": trigger or f"{n}.{n}.trigger",
            "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": False},
            "channel": {"id": channel, "name": "general"},
            "response_url": self.fake.response_url(n),
            "message": {"ts": message_ts, "text": "", "blocks": []},
            "actions": [
                {
                    "type": "button",
                    "action_id": action_id,
                    "block_id": "actions0",
                    "value": action_id.split(":", 2)[-1],
                    "action_ts": f"{1_700_000_000 + n}.000200",
                }
            ],
        }

    def select(self, user_id: str, action_id: str, value: str, *, channel: str = "C0GENERAL") -> dict[str, Any]:
        """A block_actions payload for a choice in a static select of an ephemeral message."""
        payload = self.button(user_id, action_id, channel=channel)
        payload["container"]["is_ephemeral"] = True
        payload["actions"] = [
            {
                "type": "static_select",
                "action_id": action_id,
                "block_id": "pick",
                "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value},
                "action_ts": payload["actions"][0]["action_ts"],
            }
        ]
        return payload
