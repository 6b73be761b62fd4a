"""The Web API client to use for a workspace.

One workspace (SLACK_BOT_TOKEN): always the one client. Many workspaces: a client with the bot
token of the workspace's installation, made once per token and sharing the one HTTP session
and base URL (SLACK_API_URL). A workspace without an installation (never installed, or
uninstalled) has no client: `NotInstalled`.
"""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from docclub_slack.installations import SealedInstallations

__all__ = ["NotInstalled", "WorkspaceClients"]


class NotInstalled(Exception):
    """docclub is not installed in this workspace (any more): nothing can be sent there."""

    def __init__(self, team_id: str) -> None:
        super().__init__(f"docclub is not installed in Slack workspace {team_id}")
        self.team_id = team_id


class WorkspaceClients:
    def __init__(self, base: AsyncWebClient, installations: SealedInstallations | None = None) -> None:
        """`base`: the client of the one workspace, or (with `installations`) the template of
        every workspace's client (its session, base URL, retry handlers; its token unused)."""
        self.base = base
        self.installations = installations
        self._made: dict[str, AsyncWebClient] = {}

    @property
    def many(self) -> bool:
        return self.installations is not None

    async def of(self, team_id: str) -> AsyncWebClient:
        """The client that speaks for docclub in `team_id`. Raises NotInstalled."""
        if self.installations is None:
            return self.base
        token = await self.installations.bot_token(team_id)
        if token is None:
            self._made.pop(team_id, None)
            raise NotInstalled(team_id)
        made = self._made.get(team_id)
        if made is None or made.token != token:
            made = self.with_token(token)
            self._made[team_id] = made
        return made

    def with_token(self, token: str | None, *, retry: bool = True) -> AsyncWebClient:
        """A client like `base` with another token (and without its retry handlers, unless `retry`)."""
        base = self.base
        return AsyncWebClient(
            token=token,
            base_url=base.base_url,
            session=base.session,
            timeout=base.timeout,
            retry_handlers=base.retry_handlers if retry else [],
            logger=base.logger,
        )
