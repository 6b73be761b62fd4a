"""The parts of the many-workspace install, each alone: the sealed installation store, the
signed single-use state, and bolt's install flow against the fake `oauth.v2.access`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from docclub_slack.installations import KEPT_IN_MEMORY, SealedInstallations
from docclub_slack.oauth import oauth_flow
from docclub_slack.oauth_state import STATE_LIFETIME, SignedStates
from docclub_slack.testing.workspaces import CLIENT_ID, CLIENT_SECRET, FakeSlackWorkspaces
from pydantic import SecretStr
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.web.async_client import AsyncWebClient

from docclub.config import Settings
from docclub.sealing import Sealer, new_key
from docclub.testing import FakeClock


class MemoryRecords:
    """InstallationRecords in a dict, as the store keeps them (sealed text and times)."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str | None, datetime, datetime | None]] = {}
        self.reads = 0

    async def save(self, team_id: str, sealed: str, at: datetime) -> None:
        self.rows[team_id] = (sealed, at, None)

    async def sealed(self, team_id: str) -> str | None:
        self.reads += 1
        row = self.rows.get(team_id)
        return row[0] if row else None

    async def remove(self, team_id: str, at: datetime) -> bool:
        row = self.rows.get(team_id)
        if row is None or row[0] is None:
            return False
        self.rows[team_id] = (None, row[1], at)
        return True


class Remembered:
    def __init__(self) -> None:
        self.keys: set[str] = set()

    async def __call__(self, key: str, at: datetime) -> bool:
        if key in self.keys:
            return False
        self.keys.add(key)
        return True


def _installation(team: str = "T0ONE", token: str = "xoxb-1-secret-token") -> Installation:
    return Installation(
        app_id="A0DOCCLUB",
        team_id=team,
        team_name="Doc club one",
        bot_token=token,
        bot_id="B1",
        bot_user_id="UBOT1",
        bot_scopes="commands,chat:write",
        user_id="UINSTALLER",
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def records() -> MemoryRecords:
    return MemoryRecords()


@pytest.fixture
def installations(records: MemoryRecords, clock: FakeClock) -> SealedInstallations:
    return SealedInstallations(records, Sealer(new_key()), clock)


async def test_an_installation_is_kept_sealed_and_found_by_workspace(
    installations: SealedInstallations, records: MemoryRecords
) -> None:
    await installations.async_save(_installation())
    sealed = records.rows["T0ONE"][0]
    assert sealed is not None and "xoxb" not in sealed and "Doc club" not in sealed
    bot = await installations.async_find_bot(enterprise_id=None, team_id="T0ONE")
    assert bot is not None and bot.bot_token == "xoxb-1-secret-token" and bot.bot_user_id == "UBOT1"
    assert bot.bot_scopes == ["commands", "chat:write"]
    assert await installations.async_find_bot(enterprise_id=None, team_id="T0TWO") is None


async def test_opened_installations_are_read_once_a_minute(
    installations: SealedInstallations, records: MemoryRecords, clock: FakeClock
) -> None:
    await installations.async_save(_installation())
    for _ in range(5):
        assert await installations.bot_token("T0ONE") == "xoxb-1-secret-token"
    assert records.reads == 1
    await clock.advance(KEPT_IN_MEMORY.total_seconds() + 1)
    await installations.bot_token("T0ONE")
    assert records.reads == 2


async def test_uninstalling_drops_the_token_at_once(installations: SealedInstallations, records: MemoryRecords) -> None:
    await installations.async_save(_installation())
    assert await installations.bot_token("T0ONE")
    await installations.async_delete_all(enterprise_id=None, team_id="T0ONE")
    assert await installations.bot_token("T0ONE") is None
    assert records.rows["T0ONE"][0] is None and records.rows["T0ONE"][2] is not None


async def test_a_revoked_user_token_leaves_the_bot_installed(installations: SealedInstallations) -> None:
    await installations.async_save(_installation())
    await installations.async_delete_installation(enterprise_id=None, team_id="T0ONE", user_id="UINSTALLER")
    assert await installations.bot_token("T0ONE") == "xoxb-1-secret-token"


async def test_an_installation_sealed_with_another_key_is_not_found(
    records: MemoryRecords, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    await SealedInstallations(records, Sealer(new_key()), clock).async_save(_installation())
    other = SealedInstallations(records, Sealer(new_key()), clock)
    assert await other.bot_token("T0ONE") is None
    assert "can't be opened with DOCCLUB_SECRET_KEY" in caplog.text and "xoxb" not in caplog.text


# ---- the state ----


async def test_a_state_is_good_once(clock: FakeClock) -> None:
    states = SignedStates("state-secret", clock, Remembered())
    state = await states.async_issue()
    assert await states.async_consume(state)
    assert not await states.async_consume(state)


async def test_a_tampered_or_foreign_state_is_refused(clock: FakeClock) -> None:
    states = SignedStates("state-secret", clock, Remembered())
    nonce, expires, signature = (await states.async_issue()).split(".")
    assert not await states.async_consume(f"{nonce}x.{expires}.{signature}")
    assert not await states.async_consume(f"{nonce}.{int(expires) + 3600}.{signature}")
    assert not await states.async_consume("not-a-state")
    other = SignedStates("another-secret", clock, Remembered())
    assert not await states.async_consume(await other.async_issue())


async def test_a_state_expires_after_ten_minutes(clock: FakeClock) -> None:
    states = SignedStates("state-secret", clock, Remembered())
    late = await states.async_issue()
    in_time = await states.async_issue()
    await clock.advance(STATE_LIFETIME.total_seconds() - 1)
    assert await states.async_consume(in_time)
    await clock.advance(2)
    assert not await states.async_consume(late)


async def test_two_states_issued_at_once_differ(clock: FakeClock) -> None:
    states = SignedStates("state-secret", clock, Remembered())
    assert await states.async_issue() != await states.async_issue()


# ---- bolt's flow on the fake Slack ----


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackWorkspaces]:
    slack = FakeSlackWorkspaces()
    await slack.start()
    yield slack
    await slack.close()


def _settings(fake: FakeSlackWorkspaces) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_client_id=CLIENT_ID,
        slack_client_secret=SecretStr(CLIENT_SECRET),
        slack_state_secret=SecretStr("state-secret"),
        slack_signing_secret=SecretStr("signing-secret"),
        docclub_secret_key=SecretStr(new_key()),
        docclub_public_url="https://club.example.org",
        slack_api_url=fake.api_url,
    )


async def test_the_install_flow_exchanges_the_code_through_slack_api_url(
    fake: FakeSlackWorkspaces, installations: SealedInstallations, records: MemoryRecords, clock: FakeClock
) -> None:
    client = AsyncWebClient(base_url=fake.api_url)
    flow = oauth_flow(_settings(fake), client, installations, SignedStates("state-secret", clock, Remembered()))
    page = await flow.handle_installation(AsyncBoltRequest(body="", query=""))
    assert page.status == 200
    cookie = page.headers["set-cookie"][0].split(";")[0]
    authorize = next(u for u in page.body.split('"') if u.startswith("https://slack.com/oauth/v2/authorize"))
    query = parse_qs(urlparse(authorize.replace("&amp;", "&")).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == ["https://club.example.org/slack/oauth_redirect"]
    assert "chat:write" in query["scope"][0].split(",")
    state = query["state"][0]

    code = fake.approve("T0ONE", "Doc club one")
    done = await flow.handle_callback(
        AsyncBoltRequest(body="", query=f"code={code}&state={state}", headers={"cookie": cookie})
    )
    assert done.status == 200, done.body
    assert await installations.bot_token("T0ONE") == fake.token_of("T0ONE")
    assert ("oauth.v2.access", "basic") in fake.tokens_used
    assert ("auth.test", fake.token_of("T0ONE")) in fake.tokens_used

    again = await flow.handle_callback(
        AsyncBoltRequest(body="", query=f"code={code}&state={state}", headers={"cookie": cookie})
    )
    assert again.status == 401  # the state was used


async def test_a_callback_without_the_browsers_cookie_is_refused(
    fake: FakeSlackWorkspaces, installations: SealedInstallations, clock: FakeClock
) -> None:
    flow = oauth_flow(
        _settings(fake), AsyncWebClient(base_url=fake.api_url), installations, SignedStates("s", clock, Remembered())
    )
    state = await flow.settings.state_store.async_issue()
    code = fake.approve("T0ONE", "Doc club one")
    refused = await flow.handle_callback(AsyncBoltRequest(body="", query=f"code={code}&state={state}"))
    assert refused.status == 400
    assert await installations.bot_token("T0ONE") is None
