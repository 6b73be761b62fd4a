"""A fake Slack that docclub can be installed into: several workspaces, each with its own bot
token, `oauth.v2.access` exchanging the code of an approved install, and uninstalls.

`FakeSlackWorkspaces` extends `FakeSlack`: every Web API call is answered for the workspace
whose token it carries (auth.test says which team), and each call's token is recorded beside
it, so tests check that a workspace is answered with its own token.
"""

from __future__ import annotations

import base64
import contextvars
import itertools
import secrets
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from docclub_slack.manifest import needed_scopes
from docclub_slack.testing.server import FakeSlack

__all__ = ["CLIENT_ID", "CLIENT_SECRET", "FakeSlackWorkspaces", "FakeWorkspace"]

CLIENT_ID = "1111.2222"  # test values, not real credentials
CLIENT_SECRET = "test-client-secret"

_auth: contextvars.ContextVar[str] = contextvars.ContextVar("authorization", default="")


@dataclass
class FakeWorkspace:
    team_id: str
    name: str
    bot_token: str
    bot_user_id: str
    installer: str
    installed: bool = True


@dataclass
class FakeSlackWorkspaces(FakeSlack):
    """Workspaces are added by `approve` (a member pressing Allow on Slack's install page)."""

    workspaces: dict[str, FakeWorkspace] = field(default_factory=dict)  # team id -> workspace
    codes: dict[str, str] = field(default_factory=dict)  # unused codes -> team id
    tokens_used: list[tuple[str, str]] = field(default_factory=list)  # (method, bearer token or "basic")
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    _n: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def approve(self, team_id: str, name: str, *, installer: str = "UINSTALLER") -> str:
        """Slack's install page, approved: the code Slack puts on the redirect."""
        workspace = self.workspaces.get(team_id)
        if workspace is None or not workspace.installed:
            n = next(self._n)
            workspace = FakeWorkspace(team_id, name, f"xoxb-{n}-{secrets.token_hex(12)}", f"UBOT{n}", installer)
            self.workspaces[team_id] = workspace
        code = f"code-{secrets.token_hex(8)}"
        self.codes[code] = team_id
        return code

    def uninstall(self, team_id: str) -> None:
        """The workspace removed the app: its token stops working."""
        self.workspaces[team_id].installed = False

    def token_of(self, team_id: str) -> str:
        return self.workspaces[team_id].bot_token

    def methods_with(self, token: str) -> list[str]:
        return [method for method, used in self.tokens_used if used == token]

    def _workspace(self) -> FakeWorkspace | None:
        auth = _auth.get()
        token = auth.removeprefix("Bearer ").strip()
        return next((w for w in self.workspaces.values() if w.bot_token == token and w.installed), None)

    async def _api(self, request: web.Request) -> web.Response:
        auth = request.headers.get("Authorization", "")
        _auth.set(auth)  # this request's task only: concurrent requests keep their own
        method = request.match_info["method"]
        self.tokens_used.append((method, "basic" if auth.startswith("Basic ") else auth.removeprefix("Bearer ")))
        unauthorized = method not in ("oauth.v2.access", "apps.connections.open") and self._workspace() is None
        if self.workspaces and unauthorized:
            error = "token_revoked" if auth.startswith("Bearer xoxb-") else "not_authed"
            return web.json_response({"ok": False, "error": error})
        return await super()._api(request)

    def _m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        workspace = self._workspace()
        if workspace is None:
            return super()._m_auth_test(args)
        return {
            "url": f"https://{workspace.team_id.lower()}.slack.test/",
            "team": workspace.name,
            "user": "docclub",
            "team_id": workspace.team_id,
            "user_id": workspace.bot_user_id,
            "bot_id": "B" + workspace.bot_user_id,
            "is_enterprise_install": False,
        }

    def _m_oauth_v2_access(self, args: dict[str, Any]) -> dict[str, Any]:
        auth = _auth.get()
        given = base64.b64decode(auth.removeprefix("Basic ")).decode() if auth.startswith("Basic ") else ":"
        client_id, _, client_secret = given.partition(":")
        if client_id != self.client_id:
            return {"error": "invalid_client_id"}
        if client_secret != self.client_secret:
            return {"error": "bad_client_secret"}
        team_id = self.codes.pop(str(args.get("code")), None)
        if team_id is None:
            return {"error": "invalid_code"}
        workspace = self.workspaces[team_id]
        return {
            "app_id": "A0DOCCLUB",
            "authed_user": {"id": workspace.installer},
            "scope": ",".join(needed_scopes()),
            "token_type": "bot",
            "access_token": workspace.bot_token,
            "bot_user_id": workspace.bot_user_id,
            "team": {"id": workspace.team_id, "name": workspace.name},
            "enterprise": None,
            "is_enterprise_install": False,
        }
