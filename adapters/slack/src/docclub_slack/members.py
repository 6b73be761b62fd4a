"""Who is acting: Slack users as docclub `Actor`s, with workspace admins and owners as organizers.

`users.info` answers are cached per user for a few minutes (by the runtime clock), so a burst
of commands costs one lookup. The club's own organizer list is checked by the core on top.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from docclub.core.models import Actor
from docclub.core.ports import Clock

__all__ = ["PLATFORM", "Members"]

PLATFORM = "slack"
log = logging.getLogger("docclub.slack")


@dataclass(frozen=True, slots=True)
class _Known:
    actor: Actor
    until: datetime


class Members:
    """Slack user id -> Actor (display name, and organizer when a workspace admin or owner)."""

    def __init__(self, client: AsyncWebClient, clock: Clock, ttl: timedelta = timedelta(minutes=10)) -> None:
        self.client = client
        self.clock = clock
        self.ttl = ttl
        self._cache: dict[str, _Known] = {}

    async def actor(self, user_id: str, fallback_name: str = "member") -> Actor:
        now = self.clock.now()
        known = self._cache.get(user_id)
        if known is not None and known.until > now:
            return known.actor
        try:
            answer = await self.client.users_info(user=user_id)
        except SlackApiError as exc:
            # Unknown to users.info (or a failed call): a member without organizer rights.
            log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
            return Actor(PLATFORM, user_id, fallback_name or "member", is_organizer=False)
        user = answer.get("user") or {}
        profile = user.get("profile") or {}
        name = (
            profile.get("display_name")
            or profile.get("real_name")
            or user.get("real_name")
            or user.get("name")
            or fallback_name
            or "member"
        )
        organizer = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        actor = Actor(PLATFORM, user_id, str(name), is_organizer=organizer)
        self._cache[user_id] = _Known(actor, now + self.ttl)
        return actor

    def forget(self, user_id: str) -> None:
        """Drop a cached answer (on `user_change` events: a member was made admin, renamed)."""
        self._cache.pop(user_id, None)
