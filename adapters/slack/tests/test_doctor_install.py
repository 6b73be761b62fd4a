"""`docclub doctor` for many workspaces: the install settings, the secret key and whether Slack
knows the app's client credentials, checked against the fake Slack."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from docclub_slack.doctor import check
from docclub_slack.testing.workspaces import CLIENT_ID, CLIENT_SECRET, FakeSlackWorkspaces
from pydantic import SecretStr

from docclub.config import Settings
from docclub.core.models import ClubConfig, ClubKey
from docclub.doctor import Finding
from docclub.sealing import new_key

KEY = new_key()


async def no_clubs(key: ClubKey) -> ClubConfig | None:
    return None


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackWorkspaces]:
    slack = FakeSlackWorkspaces()
    await slack.start()
    yield slack
    await slack.close()


def _settings(fake: FakeSlackWorkspaces, **changes: object) -> Settings:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_client_id=CLIENT_ID,
        slack_client_secret=SecretStr(CLIENT_SECRET),
        slack_state_secret=SecretStr("a-long-random-state-secret"),
        slack_signing_secret=SecretStr("signing-secret"),
        docclub_secret_key=SecretStr(KEY),
        docclub_public_url="https://club.example.org",
        slack_api_url=fake.api_url,
    )
    return settings.model_copy(update=changes)


def _text(findings: list[Finding]) -> str:
    return "\n".join(f.line() for f in findings)


async def test_a_complete_install_setup_is_all_ok_and_names_its_urls(fake: FakeSlackWorkspaces) -> None:
    findings = await check(_settings(fake), no_clubs)
    *settings, request_url = findings
    assert all(f.ok for f in settings), _text(findings)
    # club.example.org is not reached from a test: the Request URL is a note, never a problem.
    assert request_url.ok is None and "https://club.example.org/slack/events can't be reached" in request_url.text
    text = _text(findings)
    assert "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are the app's" in text
    assert "https://club.example.org/slack/install" in text
    assert "https://club.example.org/slack/oauth_redirect" in text
    assert CLIENT_SECRET not in text and KEY not in text


async def test_a_missing_secret_key_says_how_to_make_one(fake: FakeSlackWorkspaces) -> None:
    findings = await check(_settings(fake, docclub_secret_key=None), no_clubs)
    problems = [f.text for f in findings if f.ok is False]
    assert len(problems) == 1 and "DOCCLUB_SECRET_KEY is not set" in problems[0]
    assert "`docclub secret-key`" in problems[0]


async def test_a_malformed_secret_key_is_a_problem_and_not_shown(fake: FakeSlackWorkspaces) -> None:
    findings = await check(_settings(fake, docclub_secret_key=SecretStr("not-a-fernet-key")), no_clubs)
    assert "DOCCLUB_SECRET_KEY is not a valid key" in _text(findings)
    assert "not-a-fernet-key" not in _text(findings)


async def test_wrong_client_credentials_are_named(fake: FakeSlackWorkspaces) -> None:
    wrong_id = await check(_settings(fake, slack_client_id="9999.0000"), no_clubs)
    assert "FIX Slack: SLACK_CLIENT_ID is not a Slack app's" in _text(wrong_id)
    wrong_secret = await check(_settings(fake, slack_client_secret=SecretStr("not-the-secret")), no_clubs)
    assert "FIX Slack: SLACK_CLIENT_SECRET is not the app's" in _text(wrong_secret)
    assert "not-the-secret" not in _text(wrong_secret)


async def test_a_missing_state_secret_and_public_url_are_named(fake: FakeSlackWorkspaces) -> None:
    findings = await check(_settings(fake, slack_state_secret=None, docclub_public_url=None), no_clubs)
    problems = [f.text for f in findings if f.ok is False]
    assert any("SLACK_STATE_SECRET is not set" in p for p in problems)
    assert any("DOCCLUB_PUBLIC_URL is not set" in p for p in problems)
