"""`docclub doctor` against a fake Slack: a healthy app, a missing scope, a revoked token."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from docclub_slack.doctor import check
from docclub_slack.testing import SIGNING_SECRET, FakeSlack, SlackHarness
from pydantic import SecretStr

from docclub.config import Settings
from docclub.core.models import ClubConfig, ClubKey
from docclub.testing import FakeClock

BOT_TOKEN = "xoxb-secret-bot-token"
APP_TOKEN = "xapp-secret-app-token"


async def no_clubs(key: ClubKey) -> ClubConfig | None:
    return None


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    slack = await FakeSlack().start()
    yield slack
    await slack.close()


def _settings(fake: FakeSlack) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_app_token=SecretStr(APP_TOKEN),
        slack_api_url=fake.api_url,
    )


def _text(findings: list) -> str:  # type: ignore[type-arg]
    return "\n".join(f.line() for f in findings)


async def test_a_healthy_app_is_all_ok(fake: FakeSlack) -> None:
    findings = await check(_settings(fake), no_clubs)
    assert [f.ok for f in findings] == [True, True, True], _text(findings)
    assert "every scope docclub needs is granted" in _text(findings)
    assert fake.calls_to("auth.test") and fake.calls_to("apps.connections.open")


async def test_a_missing_scope_is_named_with_how_to_add_it(fake: FakeSlack) -> None:
    fake.scopes = [s for s in fake.scopes if s != "files:write"]
    findings = await check(_settings(fake), no_clubs)
    problems = [f.text for f in findings if f.ok is False]
    assert problems == [
        "Slack: the app lacks the scopes files:write: add them under OAuth & Permissions "
        "(or recreate the app from `docclub slack manifest`) and reinstall it"
    ]


async def test_a_revoked_token_says_to_reinstall_and_shows_no_secret(fake: FakeSlack) -> None:
    fake.errors["auth.test"] = "token_revoked"
    findings = await check(_settings(fake), no_clubs)
    assert len(findings) == 1 and findings[0].ok is False
    assert "SLACK_BOT_TOKEN was revoked: reinstall the app" in findings[0].text
    assert BOT_TOKEN not in _text(findings) and APP_TOKEN not in _text(findings)


async def test_no_transport_is_a_problem(fake: FakeSlack) -> None:
    settings = _settings(fake).model_copy(update={"slack_app_token": None})
    findings = await check(settings, no_clubs)
    assert findings[-1].ok is False and "SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET" in findings[-1].text


async def test_the_announcement_channel_is_checked(fake: FakeSlack) -> None:
    async def announcing(channel: str):  # type: ignore[no-untyped-def]
        async def config(key: ClubKey) -> ClubConfig | None:
            return ClubConfig(announce_channel=channel) if key == ClubKey("slack", fake.team_id) else None

        return config

    findings = await check(_settings(fake), await announcing("<#C0WATCH|watch-party>"))
    assert "ok  Slack: docclub can post in the announcement channel #watch-party" in _text(findings)
    gone = await check(_settings(fake), await announcing("C0GONE"))
    assert [f.text for f in gone if f.ok is False] == [
        "Slack: the announcement channel is gone or private without docclub: "
        "invite docclub there (/invite @docclub) or /docclub config set announce_channel #another"
    ]


# ---- the Request URL: a signed request, as Slack sends them, to DOCCLUB_PUBLIC_URL/slack/events ----


def _http_settings(fake: FakeSlack, public_url: str, secret: str = SIGNING_SECRET) -> Settings:
    return _settings(fake).model_copy(
        update={"slack_app_token": None, "slack_signing_secret": SecretStr(secret), "docclub_public_url": public_url}
    )


async def test_the_request_url_answering_a_signed_request_is_ok(
    fake: FakeSlack, tmp_path: Path, clock: FakeClock
) -> None:
    async with SlackHarness(tmp_path / "club.db", clock=clock, fake=fake) as slack:
        url = f"http://127.0.0.1:{slack.adapter.http_port}"
        findings = await check(_http_settings(fake, url), no_clubs)
    [line] = [f for f in findings if "/slack/events" in f.text]
    assert line.ok is True, _text(findings)
    assert line.text == f"Slack: {url}/slack/events answers a request signed with SLACK_SIGNING_SECRET"


async def test_a_request_url_with_another_secret_is_a_problem_that_says_why(
    fake: FakeSlack, tmp_path: Path, clock: FakeClock
) -> None:
    async with SlackHarness(tmp_path / "club.db", clock=clock, fake=fake) as slack:
        url = f"http://127.0.0.1:{slack.adapter.http_port}"
        findings = await check(_http_settings(fake, url, secret="not-the-secret"), no_clubs)
    [line] = [f for f in findings if "/slack/events" in f.text]
    assert line.ok is False
    assert "refuses a request signed with SLACK_SIGNING_SECRET" in line.text
    assert "not-the-secret" not in _text(findings)


async def test_a_request_url_that_is_not_docclubs_is_a_problem(fake: FakeSlack) -> None:
    findings = await check(_http_settings(fake, fake.api_url.split("/api")[0]), no_clubs)
    [line] = [f for f in findings if "/slack/events" in f.text]
    assert line.ok is False and "answered HTTP 404" in line.text, line.text


async def test_a_request_url_not_reachable_yet_is_a_note(fake: FakeSlack) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    findings = await check(_http_settings(fake, f"http://127.0.0.1:{port}"), no_clubs)
    [line] = [f for f in findings if "/slack/events" in f.text]
    assert line.ok is None and "can't be reached from here" in line.text, line.text
