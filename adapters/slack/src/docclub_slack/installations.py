"""Where docclub keeps its Slack installations: bolt's `AsyncInstallationStore`, sealed in the
club database.

One installation per workspace (its bot token, bot ids and scopes, the installing user) is
kept as one sealed text (Fernet, see `docclub.sealing`) under the workspace's club key
`slack:<team id>`: nothing of it is readable in the database, not even the workspace's name.
Only the bot token is used (`installation_store_bot_only`): docclub asks for no user scopes.

Removing an installation (`app_uninstalled`, `tokens_revoked`) drops the sealed text and keeps
when it happened; the club's data stays until it is forgotten (`docclub.forgetting`).

Every request asks for its workspace's bot (bolt's authorize) and every call docclub makes on
its own (reminders, card edits) too, so opened installations are kept in memory for a minute.
An uninstall seen by this process drops its entry at once; one seen by another process is
noticed here within that minute (until then Slack refuses the revoked token).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation

from docclub.core.models import ClubKey
from docclub.core.ports import Clock, ClubStore
from docclub.sealing import SealBroken, Sealer
from docclub_slack.manifest import PLATFORM

__all__ = [
    "KEPT_IN_MEMORY",
    "InstallationRecords",
    "SealedInstallations",
    "StoredInstallationRecords",
    "installation_from",
    "installation_text",
]

log = logging.getLogger("docclub.slack")
KEPT_IN_MEMORY = timedelta(minutes=1)

# What is kept of bolt's Installation: everything a bot-only app is given (no user token, no
# incoming webhook are asked for).
_FIELDS = (
    "app_id",
    "enterprise_id",
    "enterprise_name",
    "team_id",
    "team_name",
    "bot_token",
    "bot_id",
    "bot_user_id",
    "bot_refresh_token",
    "user_id",
    "is_enterprise_install",
    "token_type",
)


class InstallationRecords(Protocol):
    """The sealed installations, by workspace (the store's `installations` part behind it)."""

    async def save(self, team_id: str, sealed: str, at: datetime) -> None:
        """Keep the workspace's sealed installation, replacing any (a reinstall); it is current again."""
        ...

    async def sealed(self, team_id: str) -> str | None:
        """The workspace's sealed installation; None when it was never installed or was removed."""
        ...

    async def remove(self, team_id: str, at: datetime) -> bool:
        """Drop the workspace's sealed installation, noting `at`; False when none was current."""
        ...


class StoredInstallationRecords:
    """InstallationRecords in the club store (its `installations` part), under `slack:<team id>`."""

    def __init__(self, store: ClubStore) -> None:
        self.store = store

    async def save(self, team_id: str, sealed: str, at: datetime) -> None:
        await self.store.write(lambda tx: tx.installations.save(ClubKey(PLATFORM, team_id), sealed, at))

    async def sealed(self, team_id: str) -> str | None:
        return await self.store.read(lambda tx: tx.installations.sealed(ClubKey(PLATFORM, team_id)))

    async def remove(self, team_id: str, at: datetime) -> bool:
        return await self.store.write(lambda tx: tx.installations.remove(ClubKey(PLATFORM, team_id), at))


def installation_text(installation: Installation) -> str:
    """The installation as the JSON text that is sealed."""
    data: dict[str, Any] = {name: getattr(installation, name) for name in _FIELDS}
    data["bot_scopes"] = list(installation.bot_scopes or [])
    data["bot_token_expires_at"] = installation.bot_token_expires_at
    data["installed_at"] = installation.installed_at
    return json.dumps(data, sort_keys=True)


def installation_from(text: str) -> Installation:
    data = json.loads(text)
    return Installation(
        **{name: data.get(name) for name in _FIELDS if name != "user_id"},
        user_id=str(data.get("user_id") or ""),
        bot_scopes=data.get("bot_scopes") or [],
        bot_token_expires_at=data.get("bot_token_expires_at"),
        installed_at=data.get("installed_at"),
    )


@dataclass(frozen=True, slots=True)
class _Opened:
    installation: Installation | None
    until: datetime


class SealedInstallations(AsyncInstallationStore):
    """bolt's installation store over `InstallationRecords`, sealing with `sealer`."""

    def __init__(self, records: InstallationRecords, sealer: Sealer, clock: Clock) -> None:
        self.records = records
        self.sealer = sealer
        self.clock = clock
        self._opened: dict[str, _Opened] = {}

    @property
    def logger(self) -> logging.Logger:
        return log

    # ---- saving ----

    async def async_save(self, installation: Installation) -> None:
        team = installation.team_id
        if not team or installation.is_enterprise_install:
            # The manifest does not offer org-wide installs; a club is one workspace.
            raise ValueError("only workspace installs are kept (no org-wide install)")
        await self.records.save(team, self.sealer.seal(installation_text(installation)), self.clock.now())
        self._opened.pop(team, None)
        log.info("Slack workspace %s installed docclub", team)

    async def async_save_bot(self, bot: Bot) -> None:
        # Only token rotation saves a bot alone; docclub's app does not rotate tokens.
        raise NotImplementedError("docclub keeps whole installations (async_save)")

    # ---- finding ----

    async def installation(self, team_id: str) -> Installation | None:
        """The workspace's current installation; None when it has none (never installed,
        removed, or sealed with a key no longer configured: that one is logged)."""
        now = self.clock.now()
        opened = self._opened.get(team_id)
        if opened is not None and opened.until > now:
            return opened.installation
        sealed = await self.records.sealed(team_id)
        found: Installation | None = None
        if sealed is not None:
            try:
                found = installation_from(self.sealer.open(sealed))
            except SealBroken:
                log.error(
                    "the installation of Slack workspace %s can't be opened with DOCCLUB_SECRET_KEY "
                    "(another key sealed it): put that key in DOCCLUB_SECRET_KEY too, or install again",
                    team_id,
                )
        self._opened[team_id] = _Opened(found, now + KEPT_IN_MEMORY)
        return found

    async def bot_token(self, team_id: str) -> str | None:
        """The workspace's bot token; None when docclub is not installed there."""
        found = await self.installation(team_id)
        return found.bot_token if found is not None else None

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        if not team_id or is_enterprise_install:
            return None
        found = await self.installation(team_id)
        return found.to_bot() if found is not None and found.bot_token else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        if not team_id or is_enterprise_install:
            return None
        found = await self.installation(team_id)
        if found is None or (user_id is not None and user_id != found.user_id):
            return None  # user tokens are never asked for: only the installer's installation exists
        return found

    # ---- removing (app_uninstalled, tokens_revoked) ----

    async def remove(self, team_id: str) -> bool:
        """Drop the workspace's tokens; False when it had none."""
        self._opened.pop(team_id, None)
        removed = await self.records.remove(team_id, self.clock.now())
        self._opened.pop(team_id, None)
        if removed:
            log.info("Slack workspace %s uninstalled docclub or revoked its token: its token is gone", team_id)
        return removed

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        if team_id:
            await self.remove(team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        # A revoked user token (none are asked for) leaves the bot's installation alone.
        if team_id and user_id is None:
            await self.remove(team_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        if team_id:
            await self.remove(team_id)
