"""Who is acting: Slack users as docclub `Actor`s, with workspace admins and owners as organizers.

Knowing who a member is never waits on the Web API for the commands everyone uses: the name
comes with every payload, and `actor` answers from it at once. Organizer rights are asked of
`users.info` only when a command needs them (`organizer`, called through the core's
`with_rights` after a refusal), with the token of the member's workspace. Answers are cached per
user for a few minutes (by the runtime
clock); concurrent questions about one user share one call; a rate limit is respected for as
long as its `Retry-After` says; any failure of the call (an HTML 502 from a proxy, a 429, a
timeout) makes the member an ordinary member for this command, never an error.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from docclub.core.models import Actor
from docclub.core.ports import Clock
from docclub_slack.clients import NotInstalled, WorkspaceClients
from docclub_slack.manifest import PLATFORM

__all__ = ["PLATFORM", "Members"]

log = logging.getLogger("docclub.slack")
LOOKUP_TIMEOUT = 5.0  # seconds a users.info call may take before the member counts as ordinary
FAILURE_PAUSE = timedelta(seconds=30)  # no lookups after a failure without Retry-After


@dataclass(frozen=True, slots=True)
class _Known:
    name: str
    is_organizer: bool
    until: datetime


class Members:
    """Slack user id -> Actor (display name, and organizer when a workspace admin or owner)."""

    def __init__(self, clients: WorkspaceClients, clock: Clock, ttl: timedelta = timedelta(minutes=10)) -> None:
        self.clients = clients
        self._lookup_clients: dict[str | None, AsyncWebClient] = {}  # by token
        self.clock = clock
        self.ttl = ttl
        self._cache: dict[str, _Known] = {}
        self._asking: dict[str, asyncio.Future[_Known | None]] = {}
        self._quiet_until: datetime | None = None  # no users.info calls before this (rate limited)
        self.lookups = 0  # users.info calls made (tests and benchmarks)

    def actor(self, user_id: str, name: str = "") -> Actor:
        """The member as the payload tells it, at once: organizer only when already known to be."""
        known = self._known(user_id)
        shown = name or (known.name if known else "") or "member"
        return Actor(PLATFORM, user_id, shown, is_organizer=bool(known and known.is_organizer))

    async def resolved(self, user_id: str, team_id: str, name: str = "") -> Actor:
        """The member with `users.info`'s answer (cached); an ordinary member when it fails."""
        known = await self._ask(user_id, team_id)
        shown = name or (known.name if known else "") or "member"
        return Actor(PLATFORM, user_id, shown, is_organizer=bool(known and known.is_organizer))

    async def organizer(self, user_id: str, team_id: str) -> bool:
        """Whether Slack knows the member as a workspace admin or owner (False when it can't say)."""
        known = await self._ask(user_id, team_id)
        return bool(known and known.is_organizer)

    def forget(self, user_id: str) -> None:
        """Drop a cached answer (on `user_change` events: a member was made admin, renamed)."""
        self._cache.pop(user_id, None)

    def _known(self, user_id: str) -> _Known | None:
        known = self._cache.get(user_id)
        return known if known is not None and known.until > self.clock.now() else None

    async def _ask(self, user_id: str, team_id: str) -> _Known | None:
        known = self._known(user_id)
        if known is not None:
            return known
        if self._quiet_until is not None and self.clock.now() < self._quiet_until:
            return None
        asking = self._asking.get(user_id)
        if asking is None:
            asking = asyncio.ensure_future(self._lookup(user_id, team_id))
            self._asking[user_id] = asking
            asking.add_done_callback(lambda _: self._asking.pop(user_id, None))
        return await asyncio.shield(asking)

    async def _client(self, team_id: str) -> AsyncWebClient:
        """The workspace's client without the rate-limit retry handler: a member must not wait
        out a Retry-After to learn that they may not close the poll."""
        token = (await self.clients.of(team_id)).token
        client = self._lookup_clients.get(token)
        if client is None:
            client = self.clients.with_token(token, retry=False)
            client.timeout = int(LOOKUP_TIMEOUT)
            self._lookup_clients[token] = client
        return client

    async def _lookup(self, user_id: str, team_id: str) -> _Known | None:
        try:
            client = await self._client(team_id)
        except NotInstalled:  # uninstalled meanwhile: nobody there has rights any more
            return None
        self.lookups += 1
        try:
            async with asyncio.timeout(LOOKUP_TIMEOUT):
                answer = await client.users_info(user=user_id)
        except SlackApiError as exc:
            status = exc.response.status_code
            if status == 429 or status >= 500:
                pause = _retry_after(exc.response.headers) if status == 429 else None
                self._quiet_until = self.clock.now() + (pause or FAILURE_PAUSE)
            log.warning("users.info failed (HTTP %s, %s); acting as an ordinary member", status, _error_of(exc))
            if status == 200:  # Slack's own answer (user_not_found …): it holds for a while
                self._cache[user_id] = _Known("", False, self.clock.now() + self.ttl)
            return None
        except Exception as exc:  # a timeout, a refused connection, a body that is not JSON
            self._quiet_until = self.clock.now() + FAILURE_PAUSE
            log.warning("users.info failed (%s); acting as an ordinary member", type(exc).__name__)
            return None
        user = answer.get("user") or {}
        profile = user.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user.get("name")
        organizer = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        known = _Known(str(name or ""), organizer, self.clock.now() + self.ttl)
        self._cache[user_id] = known
        return known


def _retry_after(headers: Any) -> timedelta | None:
    try:
        value = (headers or {}).get("Retry-After") or (headers or {}).get("retry-after")
        return timedelta(seconds=max(1, min(3600, int(value)))) if value else None
    except (TypeError, ValueError):
        return None


def _error_of(exc: SlackApiError) -> str:
    data = exc.response.data
    return str(data.get("error") or "no error code") if isinstance(data, dict) else "not a Slack answer"
