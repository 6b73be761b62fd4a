"""Retries and replays are acknowledged and not applied again.

Events API retries carry the same event id; a repeated button press the same trigger and
action time; and any signed request is known by its signature: a captured request sent again
within the signature's 5-minute window (three identical `poll open` commands) runs once. A
corrected modal resubmission differs, so it is signed anew. Remembered keys live in the store,
so every process sees them; old ones are forgotten after the acknowledgement.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from docclub.core.ports import Clock, ClubStore
from docclub_slack.answers import team_of
from docclub_slack.background import Background

__all__ = ["EVENTS_KEPT", "FORGET_EVERY", "Repeats"]

log = logging.getLogger("docclub.slack")
# Slack retries an event, and accepts a signed request, within 5 minutes: older keys can go.
EVENTS_KEPT = timedelta(minutes=10)
FORGET_EVERY = timedelta(minutes=1)  # at most this often per process, when requests come in


class Repeats:
    """A bolt middleware: `middleware(req, body, next)` lets a delivery through once."""

    def __init__(self, store: ClubStore, clock: Clock, background: Background) -> None:
        self.store = store
        self.clock = clock
        self.background = background
        self._forgot_at: datetime | None = None  # when old event keys were last forgotten

    async def middleware(
        self, req: AsyncBoltRequest, body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
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
                self.background.spawn(self._forget_events(at - EVENTS_KEPT))
        await next()
        return None

    async def _forget_events(self, cutoff: datetime) -> None:
        """Keys too old for any retry or replay to come, after the acknowledgement."""
        forgotten = await self.store.write(lambda tx: tx.platform.forget_events_before(cutoff))
        if forgotten:
            log.debug("forgot %d Slack deliveries remembered before %s", forgotten, cutoff.isoformat())
