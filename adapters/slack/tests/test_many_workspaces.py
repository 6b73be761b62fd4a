"""One docclub for many Slack workspaces: installed through `/slack/install` against the fake
Slack, each workspace its own club answered with its own token, uninstalls dropping the
tokens, and a club forgotten DOCCLUB_FORGET_UNINSTALLED_DAYS after its uninstall."""

from __future__ import annotations

import asyncio
import inspect
import io
import json
import logging
import re
import sqlite3
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from docclub_slack.manifest import build_manifest
from docclub_slack.notifier import SlackNotifier
from docclub_slack.testing import Answer, SlackHarness, slash_body
from docclub_slack.testing.workspaces import CLIENT_ID, CLIENT_SECRET, FakeSlackWorkspaces
from pydantic import SecretStr

from docclub.config import SettingsProblem
from docclub.core.models import ClubKey
from docclub.core.ports import DeliveryFailed
from docclub.core.replies import Reply, Tone, line
from docclub.forgetting import Forgetting
from docclub.logs import RedactSecrets
from docclub.sealing import new_key
from docclub.testing import FakeClock

STATE_SECRET = "a-long-random-state-secret-for-tests"
SECRET_KEY = new_key()


def _oauth_settings() -> dict[str, Any]:
    return {
        "slack_bot_token": None,
        "slack_client_id": CLIENT_ID,
        "slack_client_secret": SecretStr(CLIENT_SECRET),
        "slack_state_secret": SecretStr(STATE_SECRET),
        "docclub_secret_key": SecretStr(SECRET_KEY),
        "docclub_public_url": "https://club.example.org",
    }


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackWorkspaces]:
    slack = FakeSlackWorkspaces()
    await slack.start()
    slack.add_user("UADMIN", "Ana", admin=True)
    slack.add_user("UALICE", "alice")
    yield slack
    await slack.close()


@pytest.fixture
async def slack(tmp_path: Path, clock: FakeClock, fake: FakeSlackWorkspaces) -> AsyncIterator[SlackHarness]:
    async with SlackHarness(tmp_path / "club.db", clock=clock, fake=fake, settings=_oauth_settings()) as harness:
        yield harness


def _base(slack: SlackHarness) -> str:
    return f"http://127.0.0.1:{slack.adapter.http_port}"


async def _begin(slack: SlackHarness) -> tuple[str, str]:
    """GET /slack/install, as a browser: the state in the Add to Slack link, and its cookie."""
    async with slack.session.get(_base(slack) + "/slack/install") as resp:
        assert resp.status == 200
        page = await resp.text()
        cookie = resp.headers["Set-Cookie"].split(";")[0]
    state = re.search(r"state=([^&\"]+)", page.replace("&amp;", "&"))
    assert state is not None, page
    return state.group(1), cookie


async def _finish(slack: SlackHarness, code: str, state: str, cookie: str) -> tuple[int, str]:
    """Slack sends the installer back to the redirect URL with the code and the state."""
    url = _base(slack) + f"/slack/oauth_redirect?code={code}&state={state}"
    async with slack.session.get(url, headers={"Cookie": cookie}) as resp:
        return resp.status, await resp.text()


async def install(slack: SlackHarness, fake: FakeSlackWorkspaces, team: str, name: str) -> None:
    state, cookie = await _begin(slack)
    status, page = await _finish(slack, fake.approve(team, name), state, cookie)
    assert status == 200, page


async def command(slack: SlackHarness, team: str, text: str, user: str = "UADMIN") -> Answer:
    name = slack.fake.users[user].name
    body = slash_body(text, user_id=user, user_name=name, team_id=team, response_url=slack.fake.response_url(0))
    return await slack.post(body)


async def event(slack: SlackHarness, team: str, event: dict[str, Any], event_id: str) -> Answer:
    body = json.dumps(
        {"team_id": team, "api_app_id": "A0DOCCLUB", "type": "event_callback", "event_id": event_id, "event": event}
    )
    return await slack.post(body, content_type="application/json")


def _rows(db: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT platform, space_id, sealed, removed_at FROM installations").fetchall()


async def test_an_install_keeps_the_workspace_sealed_in_the_database(
    slack: SlackHarness, fake: FakeSlackWorkspaces, tmp_path: Path
) -> None:
    await install(slack, fake, "T0ONE", "Doc club one")
    [(platform, space, sealed, removed)] = _rows(tmp_path / "club.db")
    assert (platform, space, removed) == ("slack", "T0ONE", None)
    token = fake.token_of("T0ONE")
    assert token not in sealed and "Doc club one" not in sealed
    # Nowhere in the database files either (the WAL included).
    files = sorted(tmp_path.glob("club.db*"))  # noqa: ASYNC240  (a test reading its own files)
    assert files and all(token.encode() not in file.read_bytes() for file in files)
    assert ("oauth.v2.access", "basic") in fake.tokens_used


async def test_each_workspace_is_its_own_club_answered_with_its_own_token(
    slack: SlackHarness, fake: FakeSlackWorkspaces
) -> None:
    await install(slack, fake, "T0ONE", "Doc club one")
    await install(slack, fake, "T0TWO", "Doc club two")
    await command(slack, "T0ONE", "suggest Navalny (2022)")
    await command(slack, "T0TWO", "suggest Honeyland (2019)")
    await command(slack, "T0TWO", "suggest Fire of Love (2022)")

    fake.tokens_used.clear()
    opened = await command(slack, "T0TWO", "poll open Honeyland, Fire of Love")
    closed = await command(slack, "T0TWO", "poll close")  # organizer rights: users.info
    assert "Honeyland" in "\n".join(opened.shown())
    assert "closed" in "\n".join(closed.shown()).lower()
    used = {method: token for method, token in fake.tokens_used}
    assert used["chat.postMessage"] == fake.token_of("T0TWO")
    assert used["users.info"] == fake.token_of("T0TWO")
    assert {token for _, token in fake.tokens_used} == {fake.token_of("T0TWO")}

    one = "\n".join((await command(slack, "T0ONE", "films")).shown())
    assert "Navalny" in one and "Honeyland" not in one


async def test_a_command_from_a_workspace_without_docclub_is_asked_to_install_and_changes_nothing(
    slack: SlackHarness, fake: FakeSlackWorkspaces
) -> None:
    await install(slack, fake, "T0ONE", "Doc club one")
    answer = await command(slack, "T0NEVER", "suggest Navalny (2022)")
    assert answer.status == 200
    # Answered by bolt's own authorization (through the response_url): install first.
    shown = "\n".join(answer.shown())
    assert "install" in shown.lower() and "Navalny" not in shown
    club = await slack.runtime.store.read(lambda tx: tx.clubs.get(ClubKey("slack", "T0NEVER")))
    assert club is None


async def test_a_tampered_state_installs_nothing(
    slack: SlackHarness, fake: FakeSlackWorkspaces, tmp_path: Path
) -> None:
    state, cookie = await _begin(slack)
    forged = state[:-2] + ("AA" if not state.endswith("AA") else "BB")
    status, _ = await _finish(slack, fake.approve("T0ONE", "Doc club one"), forged, cookie.replace(state, forged))
    assert status == 401
    assert _rows(tmp_path / "club.db") == []
    status, _ = await _finish(slack, fake.approve("T0ONE", "Doc club one"), state, "other=cookie")
    assert status == 400  # not the browser that began the install


async def test_uninstalling_drops_the_tokens_and_keeps_the_club(
    slack: SlackHarness, fake: FakeSlackWorkspaces, tmp_path: Path
) -> None:
    await install(slack, fake, "T0ONE", "Doc club one")
    await command(slack, "T0ONE", "suggest Navalny (2022)")
    answer = await event(slack, "T0ONE", {"type": "app_uninstalled"}, "Ev1")
    assert answer.status == 200
    fake.uninstall("T0ONE")
    [(_, _, sealed, removed)] = _rows(tmp_path / "club.db")
    assert sealed is None and removed is not None
    club = await slack.runtime.store.read(lambda tx: tx.clubs.get(ClubKey("slack", "T0ONE")))
    assert club is not None

    notifier = slack.runtime.scheduler.notifiers["slack"]
    assert isinstance(notifier, SlackNotifier)
    reminder = Reply(title="Navalny starts in 1 hour", lines=(line("Bring snacks."),), tone=Tone.INFO)
    with pytest.raises(DeliveryFailed) as failed:
        await notifier.announce(ClubKey("slack", "T0ONE"), "C0GENERAL", reminder, key="party:1:60")
    assert failed.value.permanent

    # Reinstalled within the days: the club is as it was.
    await install(slack, fake, "T0ONE", "Doc club one")
    assert "Navalny" in "\n".join((await command(slack, "T0ONE", "films")).shown())


async def test_a_revoked_bot_token_is_dropped_too(
    slack: SlackHarness, fake: FakeSlackWorkspaces, tmp_path: Path
) -> None:
    await install(slack, fake, "T0ONE", "Doc club one")
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": [fake.workspaces["T0ONE"].bot_user_id]}}
    assert (await event(slack, "T0ONE", revoked, "Ev2")).status == 200
    [(_, _, sealed, removed)] = _rows(tmp_path / "club.db")
    assert sealed is None and removed is not None


async def test_an_uninstalled_club_is_forgotten_after_the_days_pass(
    slack: SlackHarness, fake: FakeSlackWorkspaces, clock: FakeClock, tmp_path: Path
) -> None:
    await install(slack, fake, "T0ONE", "Doc club one")
    await install(slack, fake, "T0TWO", "Doc club two")
    await command(slack, "T0ONE", "suggest Navalny (2022)")
    await command(slack, "T0TWO", "suggest Honeyland (2019)")
    await event(slack, "T0ONE", {"type": "app_uninstalled"}, "Ev3")
    forgetting = slack.runtime.forgetting  # DOCCLUB_FORGET_UNINSTALLED_DAYS: 30 by default
    store = slack.runtime.store

    await clock.advance(days=29)
    assert await forgetting.forget_due() == []
    assert await store.read(lambda tx: tx.clubs.get(ClubKey("slack", "T0ONE"))) is not None
    await clock.advance(days=2)
    assert await forgetting.forget_due() == [ClubKey("slack", "T0ONE")]

    assert await store.read(lambda tx: tx.clubs.get(ClubKey("slack", "T0ONE"))) is None
    assert [r[1] for r in _rows(tmp_path / "club.db")] == ["T0TWO"]
    assert "Honeyland" in "\n".join((await command(slack, "T0TWO", "films")).shown())


async def test_the_forgetting_runs_on_the_clock_from_the_start(
    slack: SlackHarness, fake: FakeSlackWorkspaces, clock: FakeClock
) -> None:
    await install(slack, fake, "T0ONE", "Doc club one")
    await command(slack, "T0ONE", "suggest Navalny (2022)")
    await event(slack, "T0ONE", {"type": "app_uninstalled"}, "Ev5")
    await clock.advance(days=31)
    store = slack.runtime.store
    forgotten: list[ClubKey] = []
    done = asyncio.Event()
    forgetting = Forgetting(store, clock, timedelta(days=30), forgotten=lambda key: (forgotten.append(key), done.set()))
    task = asyncio.ensure_future(forgetting.run())
    try:
        await asyncio.wait_for(done.wait(), timeout=30)  # a bound on the wait for the store, not a timing
    finally:
        task.cancel()
    assert forgotten == [ClubKey("slack", "T0ONE")]
    assert await store.read(lambda tx: tx.clubs.get(ClubKey("slack", "T0ONE"))) is None


async def test_the_runtime_forgets_after_the_configured_days(slack: SlackHarness) -> None:
    assert slack.runtime.forgetting.after == timedelta(days=30)
    assert slack.runtime.forgetting.every == timedelta(hours=1)


async def test_secrets_stay_out_of_logs_exports_and_error_pages(
    slack: SlackHarness, fake: FakeSlackWorkspaces, caplog: pytest.LogCaptureFixture
) -> None:
    shown = io.StringIO()
    handler = logging.StreamHandler(shown)
    handler.addFilter(RedactSecrets(slack.runtime.settings.secrets()))  # as `docclub run` logs
    logging.getLogger().addHandler(handler)
    caplog.set_level(logging.DEBUG)
    try:
        await install(slack, fake, "T0ONE", "Doc club one")
        await command(slack, "T0ONE", "suggest Navalny (2022)")
        state, cookie = await _begin(slack)
        status, page = await _finish(slack, "code-that-slack-refuses", state, cookie)
        assert status == 401
        await event(slack, "T0ONE", {"type": "app_uninstalled"}, "Ev4")
        export = await slack.runtime.store.read(lambda tx: tx.clubs.get(ClubKey("slack", "T0ONE")))
        assert export is not None
        snapshot = await slack.runtime.store.read(lambda tx: tx.snapshots.export(export.id))
    finally:
        logging.getLogger().removeHandler(handler)
    secrets = [fake.token_of("T0ONE"), CLIENT_SECRET, STATE_SECRET, SECRET_KEY]
    assert "oauth.v2.access" in shown.getvalue()  # DEBUG lines were written
    for secret in [*secrets, "code-that-slack-refuses"]:
        assert secret not in shown.getvalue()
    for secret in secrets:
        assert secret not in page
        assert secret not in repr(snapshot)
    # At INFO (the default level), nothing secret is logged at all, redacted or not.
    info = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)
    for secret in [*secrets, "code-that-slack-refuses"]:
        assert secret not in info


async def test_the_manifest_lists_exactly_what_the_many_workspace_app_listens_to(slack: SlackHarness) -> None:
    assert slack.adapter.bot is not None
    registered = set()
    for listener in slack.adapter.bot.bolt._async_listeners:
        for matcher in listener.matchers:
            inner = inspect.getclosurevars(matcher.func).nonlocals["func"]  # type: ignore[attr-defined]
            names = inspect.getclosurevars(inner).nonlocals
            if "event_type" in names:
                registered.add(str(names["event_type"]))
    manifest = build_manifest("https://club.example.org", oauth=True)
    assert registered == set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert manifest["oauth_config"]["redirect_urls"] == ["https://club.example.org/slack/oauth_redirect"]


async def test_without_a_secret_key_slack_refuses_to_start_and_says_how_to_make_one(
    tmp_path: Path, clock: FakeClock, fake: FakeSlackWorkspaces
) -> None:
    settings = {**_oauth_settings(), "docclub_secret_key": None}
    with pytest.raises(SettingsProblem) as refused:
        async with SlackHarness(tmp_path / "club.db", clock=clock, fake=fake, settings=settings):
            pass
    assert "DOCCLUB_SECRET_KEY is not set" in str(refused.value)
    assert "docclub secret-key" in str(refused.value)
