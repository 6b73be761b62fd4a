"""Retries and replays are acknowledged and not applied again.

Events API retries carry the same event id; a repeated button press the same trigger and
action time; and any signed request is known by its signature: a captured request sent again
within the signature's 5-minute window (three identical `poll open` commands) runs once.
A corrected modal resubmission differs, so it is signed anew. Remembered keys live in the
store, so every process sees them; old ones are forgotten after the acknowledgement.

Where a key is claimed first (the hot path of every command and button):
- Events API deliveries are claimed in the store before they run: Slack retries an event it
  thinks was not received, seconds later, possibly at another process.
- A signed command or button press that arrives fresh (its signed timestamp at most
  `FRESH` seconds old, as every request straight from Slack is) is claimed in this process's
  memory, at once; the claims made in memory go to the store together, `CLAIMS_EVERY` after
  the first of them (and whenever the bot settles or stops), one commit for all. Waiting for
  a commit of its own before every command cost about a third of the CPU of a `/docclub vote`.
- Anything else (a copy arriving later than that, Socket Mode envelopes, which carry no
  timestamp) is claimed in the store before it runs, as events are. So is every request
  when this server's clock is more than `FRESH` seconds off Slack's: slower, never wrong.
A copy of a request is therefore run once by the process that got the original, always, and
once across processes and restarts once it is older than `FRESH`: the copies that can run
twice are one sent to a second process within `FRESH` seconds of Slack signing it, and one
sent after a crash that lost the last half second of claims. Slack itself resends none of
these (only events), so that takes someone holding a captured request and racing it.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from docclub.core.ports import Clock, ClubStore, ClubTx
from docclub_slack.answers import team_of
from docclub_slack.background import Background

__all__ = ["CLAIMS_EVERY", "EVENTS_KEPT", "FORGET_EVERY", "FRESH", "Repeats"]

log = logging.getLogger("docclub.slack")
# Slack retries an event, and accepts a signed request, within 5 minutes: older keys can go.
EVENTS_KEPT = timedelta(minutes=10)
FORGET_EVERY = timedelta(minutes=1)  # at most this often per process, when requests come in
FRESH = 3.0  # seconds: a request signed this recently is claimed in memory first
IN_MEMORY = 60.0  # seconds after its signed timestamp a key is kept in memory (then: the store)
CLAIMS_EVERY = 0.5  # seconds: claims made in memory are written to the store together


class Repeats(AsyncMiddleware):
    """A bolt middleware that lets a delivery through once. A class middleware, so bolt calls
    it directly rather than building every keyword argument a function middleware could ask for."""

    def __init__(self, store: ClubStore, clock: Clock, background: Background, *, fresh: float = FRESH) -> None:
        self.store = store
        self.clock = clock
        self.background = background
        self.fresh = fresh
        self._forgot_at: datetime | None = None  # when old event keys were last forgotten
        self._recent: dict[str, float] = {}  # key -> until when (wall clock) it is kept here
        self._unwritten: list[tuple[str, datetime, str]] = []  # claims in memory, not yet in the store
        self._timer: asyncio.Task[None] | None = None  # writes them CLAIMS_EVERY after the first
        self._writing: asyncio.Task[None] | None = None

    async def async_process(
        self, *, req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[BoltResponse]]
    ) -> BoltResponse | None:
        signature = (req.headers.get("x-slack-signature") or [""])[0]
        timestamp = (req.headers.get("x-slack-request-timestamp") or [""])[0]
        ignored = await self.claim(req.body, signature, timestamp)
        return ignored if ignored is not None else await next()

    async def claim(self, body: dict[str, Any], signature: str, timestamp: str) -> BoltResponse | None:
        """Let this delivery through (None), or the answer to a repeat (acknowledged, not run).
        `signature` and `timestamp`: its X-Slack-Signature and X-Slack-Request-Timestamp ("" in
        Socket Mode)."""
        kind = body.get("type") or ("slash_command" if body.get("command") else "request")
        key = _key(body, kind, signature)
        if key is not None:
            at = self.clock.now()
            signed_at = _signed_at(timestamp)
            now = time.time()
            self._prune(now)
            if key in self._recent:
                return self._ignored(kind)
            if kind != "event_callback" and signed_at is not None and -self.fresh <= now - signed_at <= self.fresh:
                self._recent[key] = signed_at + IN_MEMORY
                self._unwritten.append((key, at, kind))
                if self._timer is None:
                    self._timer = asyncio.ensure_future(self._write_claims_soon())
            else:
                fresh = await self.store.write(lambda tx: tx.platform.remember_event(key, at))
                if not fresh:
                    return self._ignored(kind)
            if self._forgot_at is None or at - self._forgot_at >= FORGET_EVERY:
                self._forgot_at = at
                self.background.spawn(self._forget_events(at - EVENTS_KEPT))
        return None

    @staticmethod
    def _ignored(kind: str) -> BoltResponse:
        log.info("ignored a repeated Slack delivery (%s)", kind)
        return BoltResponse(status=200, body="")

    def _prune(self, now: float) -> None:
        """Drop the keys past their time in memory (they were added in signed-time order, about)."""
        recent = self._recent
        while recent:
            first = next(iter(recent))
            if recent[first] > now:
                break
            del recent[first]

    async def settled(self) -> None:
        """Write the claims made in memory now (tests, benchmarks, shutdown)."""
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
            await asyncio.gather(timer, return_exceptions=True)
        if self._writing is not None:
            await asyncio.gather(self._writing, return_exceptions=True)
        try:
            await self._write_claims()
        except Exception:
            log.exception("could not write Slack delivery claims to the store")

    async def _write_claims_soon(self) -> None:
        await self.clock.sleep(CLAIMS_EVERY)
        self._timer = None
        self._writing = asyncio.current_task()
        try:
            await self._write_claims()
        except Exception:  # the store is down: these claims stay in memory only
            log.exception("could not write %d Slack delivery claims to the store", len(self._unwritten))
        finally:
            self._writing = None

    async def _write_claims(self) -> None:
        """The store's copy of the claims made in memory, for other processes and restarts."""
        claims, self._unwritten = self._unwritten, []
        if not claims:
            return

        async def remember(tx: ClubTx) -> list[str]:
            return [kind for key, at, kind in claims if not await tx.platform.remember_event(key, at)]

        for kind in await self.store.write(remember):
            log.warning("a repeated Slack delivery (%s) ran here after another process had it", kind)

    async def _forget_events(self, cutoff: datetime) -> None:
        """Keys too old for any retry or replay to come, after the acknowledgement."""
        forgotten = await self.store.write(lambda tx: tx.platform.forget_events_before(cutoff))
        if forgotten:
            log.debug("forgot %d Slack deliveries remembered before %s", forgotten, cutoff.isoformat())


def _key(body: dict[str, Any], kind: str, signature: str) -> str | None:
    if kind == "event_callback" and body.get("event_id"):
        return f"slack:event:{body['event_id']}"
    if kind == "block_actions":
        action = (body.get("actions") or [{}])[0]
        return f"slack:action:{team_of(body)}:{body.get('trigger_id')}:{action.get('action_ts')}"
    if signature:  # HTTP mode; Socket Mode envelopes come over the app's own connection
        return f"slack:signed:{hashlib.sha256(signature.encode()).hexdigest()[:40]}"
    return None


def _signed_at(timestamp: str) -> float | None:
    """When Slack signed the request (its checked timestamp); None without one (Socket Mode)."""
    try:
        return float(int(timestamp))
    except (TypeError, ValueError):
        return None
