"""The OAuth `state` of a Slack install: signed with SLACK_STATE_SECRET, good once, for 10 minutes.

Why not bolt's stores: the file store is one machine's, so a callback reaching another process
behind a load balancer fails; slack-sdk's `StatelessOAuthStateStore` accepts a state any number
of times until it expires and has no nonce (two installs begun in the same second get the same
state). A purely store-backed state writes a row for every view of `/slack/install` (crawlers
included). Here a state is `<nonce>.<expiry>.<HMAC-SHA256>`: issuing writes nothing and any
process can check it; consuming it records its nonce in the store's remembered deliveries (the
table that makes Slack's retries run once, shared by every process), so a replayed callback is
refused. Remembered deliveries are forgotten after 10 minutes, which is exactly a state's life.

Bolt also binds the state to the browser that began the install (a `Secure; HttpOnly` cookie
checked before `async_consume`), which is what protects against CSRF.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from docclub.core.ports import Clock

__all__ = ["STATE_LIFETIME", "SignedStates"]

log = logging.getLogger("docclub.slack")
STATE_LIFETIME = timedelta(minutes=10)  # no longer than the store remembers deliveries

Remember = Callable[[str, datetime], Awaitable[bool]]  # False when the key was remembered already


class SignedStates(AsyncOAuthStateStore):
    def __init__(self, secret: str, clock: Clock, remember: Remember, lifetime: timedelta = STATE_LIFETIME) -> None:
        self._secret = secret.encode("utf-8")
        self.clock = clock
        self.remember = remember
        self.lifetime = lifetime

    @property
    def logger(self) -> logging.Logger:
        return log

    def _sign(self, message: str) -> str:
        digest = hmac.new(self._secret, message.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    async def async_issue(self, *args: object, **kwargs: object) -> str:
        nonce = secrets.token_urlsafe(16)
        expires = int((self.clock.now() + self.lifetime).timestamp())
        message = f"{nonce}.{expires}"
        return f"{message}.{self._sign(message)}"

    async def async_consume(self, state: str) -> bool:
        parts = (state or "").split(".")
        if len(parts) != 3 or not parts[1].isdigit():
            log.info("refused a Slack install: the state is malformed")
            return False
        nonce, expires, signature = parts
        if not hmac.compare_digest(signature, self._sign(f"{nonce}.{expires}")):
            log.info("refused a Slack install: the state is not signed with SLACK_STATE_SECRET")
            return False
        now = self.clock.now()
        if now.timestamp() > int(expires):
            log.info("refused a Slack install: the state expired (installs must finish within %s)", self.lifetime)
            return False
        if not await self.remember(f"slack:oauth-state:{nonce}", now):
            log.info("refused a Slack install: the state was used already")
            return False
        return True
