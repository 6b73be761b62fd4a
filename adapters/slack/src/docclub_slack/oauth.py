"""Many workspaces: the install flow (`GET /slack/install`, `GET /slack/oauth_redirect`) on
slack-bolt's `AsyncOAuthFlow`, with docclub's own installation and state stores.

Set SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET (and DOCCLUB_SECRET_KEY, which
seals the tokens, and DOCCLUB_PUBLIC_URL, where Slack sends the installer back) and docclub
serves any workspace that installs it; SLACK_BOT_TOKEN is then not used. The code exchange
(`oauth.v2.access`) and the new token's `auth.test` go through SLACK_API_URL like every call.
"""

from __future__ import annotations

import logging

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_flow import AsyncOAuthFlow
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.web.async_client import AsyncWebClient

from docclub.config import Settings, SettingsProblem
from docclub.logs import hide_oauth_codes
from docclub.sealing import key_problem
from docclub_slack.installations import SealedInstallations
from docclub_slack.manifest import INSTALL_PATH, REDIRECT_PATH, needed_scopes
from docclub_slack.oauth_state import STATE_LIFETIME, SignedStates

__all__ = ["install_routes", "oauth_flow", "oauth_problems"]

log = logging.getLogger("docclub.slack.oauth")


class _HideCodes(logging.Filter):
    """bolt logs a failed code exchange with the code itself: keep the code out of the log,
    whatever the handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        hidden = hide_oauth_codes(message)
        if hidden != message:
            record.msg, record.args = hidden, None
        return True


log.addFilter(_HideCodes())


def oauth_problems(settings: Settings) -> list[str]:
    """What keeps the install flow from running, one line each with how to fix it ([] when
    it can run). Asked only when one of the three OAuth settings is set."""
    found: list[str] = []
    missing = [
        name
        for name, value in (
            ("SLACK_CLIENT_ID", settings.slack_client_id),
            ("SLACK_CLIENT_SECRET", settings.slack_client_secret),
            ("SLACK_STATE_SECRET", settings.slack_state_secret),
        )
        if not value
    ]
    if missing:
        found.append(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: installing into many "
            "workspaces needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (Basic Information → App Credentials) "
            "and SLACK_STATE_SECRET (any long random text, e.g. `openssl rand -hex 32`)"
        )
    key = settings.docclub_secret_key.get_secret_value() if settings.docclub_secret_key else None
    problem = key_problem(key, needed_for="installing into many Slack workspaces (it seals their tokens)")
    if problem:
        found.append(problem)
    if not settings.docclub_public_url:
        found.append(
            "DOCCLUB_PUBLIC_URL is not set: Slack sends the installer back to <DOCCLUB_PUBLIC_URL>"
            f"{REDIRECT_PATH}, so set it to the address where Slack and browsers reach docclub"
        )
    if not settings.slack_signing_secret and not settings.slack_app_token:
        found.append(
            "neither SLACK_SIGNING_SECRET (HTTP mode) nor SLACK_APP_TOKEN (Socket Mode) is set: "
            "set the signing secret (Basic Information → App Credentials)"
        )
    return found


def oauth_flow(
    settings: Settings, client: AsyncWebClient, installations: SealedInstallations, states: SignedStates
) -> AsyncOAuthFlow:
    """bolt's install flow with docclub's stores. `client` (no token, SLACK_API_URL) makes the
    code exchange. Raises SettingsProblem when the settings can't run it."""
    problems = oauth_problems(settings)
    if problems:
        raise SettingsProblem("; ".join(problems))
    assert settings.slack_client_id and settings.slack_client_secret and settings.docclub_public_url
    oauth = AsyncOAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=needed_scopes(),
        user_scopes=[],
        redirect_uri=settings.docclub_public_url + REDIRECT_PATH,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=installations,
        installation_store_bot_only=True,
        state_store=states,
        state_expiration_seconds=int(STATE_LIFETIME.total_seconds()),
        logger=log,
    )
    # auth.test once per token and process, not once per request (bolt's default).
    oauth.authorize = AsyncInstallationStoreAuthorize(
        logger=log,
        client_id=oauth.client_id,
        client_secret=oauth.client_secret,
        installation_store=installations,
        bot_only=True,
        cache_enabled=True,
    )
    return AsyncOAuthFlow(client=client, logger=log, settings=oauth)


def install_routes(flow: AsyncOAuthFlow) -> list[web.RouteDef]:
    """`GET /slack/install` (the page with the Add to Slack button, which sets the state's
    cookie) and `GET /slack/oauth_redirect` (where Slack sends the installer back)."""

    async def install(request: web.Request) -> web.Response:
        bolt_request = AsyncBoltRequest(body="", query=request.query_string, headers=dict(request.headers))
        return await to_aiohttp_response(await flow.handle_installation(bolt_request))

    async def redirect(request: web.Request) -> web.Response:
        bolt_request = AsyncBoltRequest(body="", query=request.query_string, headers=dict(request.headers))
        return await to_aiohttp_response(await flow.handle_callback(bolt_request))

    return [web.get(INSTALL_PATH, install), web.get(REDIRECT_PATH, redirect)]
