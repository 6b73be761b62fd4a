"""Reminders and announcements on Slack: chat.postMessage to the club's channel, DMs via conversations.open."""

from __future__ import annotations

from collections import OrderedDict

from slack_sdk.errors import SlackApiError

from docclub import metrics
from docclub.core.models import ClubKey
from docclub.core.ports import DeliveryFailed
from docclub.core.replies import Reply
from docclub_slack.announcements import Announcements
from docclub_slack.clients import NotInstalled

__all__ = ["SlackNotifier"]


class SlackNotifier:
    """The Notifier port for Slack. Slack has no message nonce, so a reminder key delivered by
    this process is remembered and not posted again (a restart between posting and the
    scheduler marking it sent can still repeat it once)."""

    def __init__(self, announcements: Announcements, remember: int = 10_000) -> None:
        self.announcements = announcements
        self._delivered: OrderedDict[str, None] = OrderedDict()
        self._remember = remember

    def _seen(self, key: str) -> bool:
        return key in self._delivered

    def _mark(self, key: str) -> None:
        self._delivered[key] = None
        while len(self._delivered) > self._remember:
            self._delivered.popitem(last=False)

    async def announce(self, club: ClubKey, channel: str | None, reply: Reply, *, key: str) -> None:
        if self._seen(key):
            return
        try:
            target = await self.announcements.resolve_channel(club, channel, reply)
            if target is None:
                raise DeliveryFailed(
                    f"no channel to announce in for {club}"
                    + (
                        f" ({channel!r} not found)"
                        if channel
                        else "; set one: /docclub config set announce_channel #name"
                    )
                )
            await self.announcements.announce(club, target, reply)
        except SlackApiError as exc:
            metrics.platform_error("slack", exc.response.status_code)
            raise DeliveryFailed(f"chat.postMessage failed: {exc.response.get('error')}") from None
        except NotInstalled as exc:  # uninstalled: nothing will reach that workspace again
            raise DeliveryFailed(str(exc), permanent=True) from None
        self._mark(key)

    async def direct(self, club: ClubKey, user_id: str, reply: Reply, *, key: str) -> None:
        if self._seen(key):
            return
        try:
            await self.announcements.direct(club, user_id, reply)
        except SlackApiError as exc:
            metrics.platform_error("slack", exc.response.status_code)
            raise DeliveryFailed(f"direct message failed: {exc.response.get('error')}") from None
        except NotInstalled as exc:
            raise DeliveryFailed(str(exc), permanent=True) from None
        self._mark(key)
