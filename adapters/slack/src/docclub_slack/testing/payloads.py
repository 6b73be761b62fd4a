"""Requests as Slack sends them: signed headers, slash command bodies, interaction bodies."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

__all__ = ["interaction_body", "signed_headers", "slash_body"]


def signed_headers(
    secret: str, body: str, *, timestamp: int | None = None, content_type: str = "application/x-www-form-urlencoded"
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = str(SignatureVerifier(secret).generate_signature(timestamp=ts, body=body))
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature, "Content-Type": content_type}


def slash_body(
    text: str,
    *,
    user_id: str,
    user_name: str,
    team_id: str = "T0CLUB",
    channel_id: str = "C0GENERAL",
    response_url: str = "",
    trigger_id: str = "1337.42.abcd",
) -> str:
    return urlencode(
        {
            "token": "legacy-unused",
            "team_id": team_id,
            "team_domain": "club",
            "channel_id": channel_id,
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_name,
            "command": "/docclub",
            "text": text,
            "api_app_id": "A0DOCCLUB",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
    )


def interaction_body(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})
