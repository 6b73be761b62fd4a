"""`docclub doctor`'s Slack lines: the bot token (auth.test), the scopes it was granted against
the manifest's, and the transport's own token or secret; for many workspaces, the install
settings, DOCCLUB_SECRET_KEY and the app's client credentials (asked of oauth.v2.access with a
code that can't work: Slack names a wrong client id or secret before it looks at the code);
in HTTP mode, a signed request to DOCCLUB_PUBLIC_URL/slack/events. Every call to Slack goes
through SLACK_API_URL."""

from __future__ import annotations

import re
import time

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from docclub.config import Settings
from docclub.core.models import ClubKey
from docclub.doctor import ClubConfigs, Finding, note, ok, problem
from docclub_slack.manifest import EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH, needed_scopes
from docclub_slack.oauth import oauth_problems

__all__ = ["check"]

_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|[^>]*)?>|([CG][A-Z0-9]{2,})")

_REFUSED = {
    "invalid_auth": "is not a valid token",
    "not_authed": "is empty",
    "token_revoked": "was revoked",
    "token_expired": "has expired",
    "account_inactive": "belongs to an app that was uninstalled or deleted",
}


def _client(settings: Settings, token: str) -> AsyncWebClient:
    base = settings.slack_api_url or AsyncWebClient.BASE_URL
    return AsyncWebClient(token=token, base_url=base if base.endswith("/") else base + "/", timeout=15)


async def check(settings: Settings, club_config: ClubConfigs) -> list[Finding]:
    if settings.slack_oauth:
        return await check_install(settings)
    if settings.slack_bot_token is None:
        return [note("Slack: not set up (SLACK_BOT_TOKEN is unset)")]
    found: list[Finding] = []
    client = _client(settings, settings.slack_bot_token.get_secret_value())
    try:
        answer = await client.auth_test()
    except SlackApiError as exc:
        error = str(exc.response.get("error") or "refused")
        why = _REFUSED.get(error, f"was refused ({error})")
        return [
            problem(
                f"Slack: SLACK_BOT_TOKEN {why}: reinstall the app (api.slack.com/apps → Install App) "
                "and copy the Bot User OAuth Token (xoxb-…) into SLACK_BOT_TOKEN"
            )
        ]
    except Exception as exc:  # DNS, refused connection, a proxy's HTML page
        return [problem(f"Slack: can't reach the Web API ({type(exc).__name__}): check SLACK_API_URL and the network")]
    found.append(ok(f"Slack: the bot token works (workspace {answer.get('team')!s}, bot user {answer.get('user')!s})"))

    header = next((v for k, v in answer.headers.items() if k.lower() == "x-oauth-scopes"), None)
    granted: set[str] | None = None
    if header is None:
        found.append(note("Slack: the Web API did not say which scopes were granted; not checked"))
    else:
        granted = {s.strip() for s in str(header).split(",") if s.strip()}
        missing = [s for s in needed_scopes() if s not in granted]
        if missing:
            found.append(
                problem(
                    f"Slack: the app lacks the scopes {', '.join(missing)}: add them under OAuth & Permissions "
                    "(or recreate the app from `docclub slack manifest`) and reinstall it"
                )
            )
        else:
            found.append(ok(f"Slack: every scope docclub needs is granted ({len(needed_scopes())})"))

    team = str(answer.get("team_id") or "")
    config = await club_config(ClubKey("slack", team)) if team else None
    if config is not None and config.announce_channel:
        found.append(await _check_channel(client, config.announce_channel, granted))

    if settings.slack_app_token is not None:
        socket = _client(settings, settings.slack_app_token.get_secret_value())
        try:
            await socket.apps_connections_open(app_token=settings.slack_app_token.get_secret_value())
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "refused")
            found.append(
                problem(
                    f"Slack: SLACK_APP_TOKEN {_REFUSED.get(error, f'was refused ({error})')}: create an app-level "
                    "token with connections:write (Basic Information → App-Level Tokens) and enable Socket Mode"
                )
            )
        else:
            found.append(ok("Slack: Socket Mode connects with SLACK_APP_TOKEN"))
    if settings.slack_signing_secret is not None:
        found.append(await check_request_url(settings))
    if settings.slack_app_token is None and settings.slack_signing_secret is None:
        found.append(
            problem(
                "Slack: neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is set: "
                "set one, or Slack stays off"
            )
        )
    return found


async def _check_channel(client: AsyncWebClient, configured: str, granted: set[str] | None) -> Finding:
    """The club's announcement channel exists, and docclub may post there (a member of it, or
    chat:write.public for a public one)."""
    m = _CHANNEL.fullmatch(configured.strip())
    if m is None:
        return note(f"Slack: announcement channel {configured} (by name; not checked)")
    try:
        answer = await client.conversations_info(channel=m.group(1) or m.group(2))
    except SlackApiError as exc:
        error = str(exc.response.get("error") or "refused")
        if error == "channel_not_found":
            return problem(
                "Slack: the announcement channel is gone or private without docclub: "
                "invite docclub there (/invite @docclub) or /docclub config set announce_channel #another"
            )
        return problem(f"Slack: the announcement channel can't be checked ({error})")
    channel = answer.get("channel") or {}
    name = channel.get("name", "?")
    public_ok = granted is not None and "chat:write.public" in granted and not channel.get("is_private")
    if channel.get("is_member") or public_ok:
        return ok(f"Slack: docclub can post in the announcement channel #{name}")
    return problem(f"Slack: docclub is not in the announcement channel #{name}: /invite @docclub there")


async def check_request_url(settings: Settings) -> Finding:
    """HTTP mode: send DOCCLUB_PUBLIC_URL/slack/events what Slack sends first, a signed
    `ssl_check`, through whatever proxy or tunnel stands in front. Unreachable is a note (docclub
    may not be running yet); a refusal or a wrong route is a problem with its likely cause."""
    assert settings.slack_signing_secret is not None
    if not settings.docclub_public_url:
        return note(
            f"Slack: HTTP mode is set up; Slack must reach https://<your host>{EVENTS_PATH} (set DOCCLUB_PUBLIC_URL "
            "to have it checked from here)"
        )
    url = f"{settings.docclub_public_url}{EVENTS_PATH}"
    body = "ssl_check=1&token=docclub-doctor"
    stamp = str(int(time.time()))
    signature = SignatureVerifier(settings.slack_signing_secret.get_secret_value()).generate_signature(
        timestamp=stamp, body=body
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature or "",
    }
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http,
            http.post(url, data=body.encode(), headers=headers, allow_redirects=False) as resp,
        ):
            status = resp.status
    except (aiohttp.ClientError, TimeoutError) as exc:
        return note(
            f"Slack: {url} can't be reached from here ({type(exc).__name__}); Slack must reach it once docclub runs"
        )
    if status == 200:
        return ok(f"Slack: {url} answers a request signed with SLACK_SIGNING_SECRET")
    if status == 401:
        return problem(
            f"Slack: {url} refuses a request signed with SLACK_SIGNING_SECRET: the docclub behind it has another "
            "secret, or a proxy changes the body (it must pass it unchanged)"
        )
    return problem(
        f"Slack: {url} answered HTTP {status}: send {EVENTS_PATH} to docclub's DOCCLUB_HTTP_PORT unchanged "
        "(proxy or tunnel)"
    )


async def check_install(settings: Settings) -> list[Finding]:
    """Many workspaces: what the install flow needs, and whether Slack knows the client."""
    problems = oauth_problems(settings)
    found = [problem(f"Slack: {text}") for text in problems]
    if settings.slack_bot_token is not None:
        found.append(note("Slack: SLACK_BOT_TOKEN is not used when installing into many workspaces"))
    if settings.slack_client_id and settings.slack_client_secret:
        found.append(await _check_client(settings))
    if not problems:
        base = settings.docclub_public_url
        found.append(ok("Slack: DOCCLUB_SECRET_KEY seals the workspaces' tokens"))
        found.append(
            ok(
                f"Slack: many workspaces: installs begin at {base}{INSTALL_PATH}; the app's Redirect URL "
                f"must be {base}{REDIRECT_PATH} (`docclub slack manifest` has it)"
            )
        )
    if settings.slack_signing_secret is not None:
        found.append(await check_request_url(settings))
    return found


async def _check_client(settings: Settings) -> Finding:
    assert settings.slack_client_id and settings.slack_client_secret
    client = _client(settings, "")
    try:
        await client.oauth_v2_access(
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret.get_secret_value(),
            code="docclub-doctor-checks-the-client",
        )
    except SlackApiError as exc:
        error = str(exc.response.get("error") or "refused")
        if error in ("invalid_code", "code_already_used", "code_expired"):
            return ok("Slack: SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are the app's")
        if error == "invalid_client_id":
            return problem("Slack: SLACK_CLIENT_ID is not a Slack app's: copy the Client ID (Basic Information)")
        if error == "bad_client_secret":
            return problem(
                "Slack: SLACK_CLIENT_SECRET is not the app's: copy the Client Secret (Basic Information → Show)"
            )
        return problem(f"Slack: the client credentials can't be checked ({error})")
    except Exception as exc:  # DNS, refused connection, a proxy's HTML page
        return problem(f"Slack: can't reach the Web API ({type(exc).__name__}): check SLACK_API_URL and the network")
    return problem("Slack: oauth.v2.access accepted a made-up code: is SLACK_API_URL Slack's?")
