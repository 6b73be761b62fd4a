"""`POST /slack/events`: the signature is checked first, then the body's shape, then bolt runs.

Bolt's aiohttp server parses the body before it checks the signature, so an unsigned request
with a malformed body ended in a 500 and a traceback, and bolt logs the whole body of a request
whose signature is wrong. Here nothing is parsed or dispatched before the signature holds
(slack_sdk's `SignatureVerifier`: HMAC-SHA256, 5-minute window), and a refused request gets
401 (unsigned, wrong or stale) or 400 (signed but malformed) with one short log line that
holds no body and no header value. Identical signed requests run once: see `SlackBot._deduplicate`.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qsl

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

__all__ = ["MAX_BODY", "events_route"]

log = logging.getLogger("docclub.slack")

MAX_BODY = 1024 * 1024  # Slack's largest payloads (a modal's state) are far smaller


def _refuse(status: int, reason: str, size: int) -> web.Response:
    log.info("refused a Slack request: %s (%d bytes)", reason, size)
    return web.json_response({"error": "invalid request"}, status=status)


def _well_formed(text: str, content_type: str) -> bool:
    """Whether bolt can read the body: JSON (Events API) or a form, whose `payload` is JSON."""
    try:
        if content_type == "application/json" or text.startswith("{"):
            return isinstance(json.loads(text), dict)
        form = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text)))
        return "payload" not in form or isinstance(json.loads(form["payload"]), dict)
    except ValueError:
        return False


def events_route(bolt: AsyncApp, signing_secret: str, path: str) -> web.RouteDef:
    """`POST path` serving bolt, with the checks above in front (for the process's one server)."""
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
        if not _well_formed(text, request.content_type):
            return _refuse(400, "malformed body", len(raw))
        bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=dict(request.headers))
        return await to_aiohttp_response(await bolt.async_dispatch(bolt_request))

    return web.post(path, handle)
