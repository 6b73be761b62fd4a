"""`POST /slack/events`: the signature is checked first, then the body's shape, then bolt runs.

Bolt's aiohttp server parses the body before it checks the signature, so an unsigned request
with a malformed body ended in a 500 and a traceback, and bolt logs the whole body of a request
whose signature is wrong. Here nothing is parsed or dispatched before the signature holds
(slack_sdk's `SignatureVerifier`: HMAC-SHA256, 5-minute window), and a refused request gets
401 (unsigned, wrong or stale) or 400 (signed but malformed) with one short log line that
holds no body and no header value. Identical signed requests run once: see `repeats`.

The body is parsed once, here, and handed to bolt parsed; bolt's own signature check is
off (`SlackBot`), as the signature was checked here. Bolt would parse a form body again, and
it reads any form whose text holds the word "payload" (`/docclub suggest Payload`) as an
interaction without one: an empty body no listener takes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_internals import build_async_context
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.signature import SignatureVerifier

__all__ = ["MAX_BODY", "events_route"]

log = logging.getLogger("docclub.slack")

MAX_BODY = 1024 * 1024  # Slack's largest payloads (a modal's state) are far smaller


def _refuse(status: int, reason: str, size: int) -> web.Response:
    log.info("refused a Slack request: %s (%d bytes)", reason, size)
    return web.json_response({"error": "invalid request"}, status=status)


def _parsed(text: str, content_type: str) -> dict[str, Any] | None:
    """The body as bolt reads it: JSON (Events API), or a form (a slash command) whose
    `payload`, when it has one, is the JSON of an interaction. None when it is neither."""
    try:
        if content_type == "application/json" or text.startswith("{"):
            data = json.loads(text)
        else:
            form = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text)))
            data = json.loads(form["payload"]) if "payload" in form else form
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


class _ParsedRequest(AsyncBoltRequest):
    """A bolt request made from a body parsed already (bolt would parse it again)."""

    def __init__(self, raw: str, body: dict[str, Any], query: str, headers: dict[str, str]) -> None:
        super().__init__(body="", query=query, headers=headers)  # type: ignore[arg-type]
        self.raw_body = raw
        self.body = body
        self.context = build_async_context(AsyncBoltContext(), body)


Direct = Callable[[dict[str, Any], str, str], Awaitable[BoltResponse | None]]


def events_route(bolt: AsyncApp, signing_secret: str, path: str, *, direct: Direct | None = None) -> web.RouteDef:
    """`POST path` serving bolt, with the checks above in front (for the process's one server).
    `direct(body, signature, timestamp)`: a request's answer without bolt's dispatch, or None
    to leave it to bolt (`SlackBot.command`)."""
    verifier = SignatureVerifier(signing_secret)

    async def handle(request: web.Request) -> web.Response:
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            return _refuse(413, "body too large", request.content_length or 0)
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if not timestamp or not signature:
            return _refuse(401, "not signed", len(raw))
        if not verifier.is_valid(raw, timestamp, signature):
            return _refuse(401, "bad or stale signature", len(raw))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return _refuse(400, "body is not UTF-8", len(raw))
        body = _parsed(text, request.content_type)
        if body is None:
            return _refuse(400, "malformed body", len(raw))
        if direct is not None:
            answer = await direct(body, signature, timestamp)
            if answer is not None:
                return await to_aiohttp_response(answer)
        bolt_request = _ParsedRequest(text, body, request.query_string, dict(request.headers))
        return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))

    return web.post(path, handle)
