"""`docclub slack manifest`: the app an organizer creates is the app the adapter registers."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Any

import docclub_slack
import pytest
from docclub_slack.manifest import COMMAND, EVENTS, METHOD_SCOPES, build_manifest, needed_scopes, to_yaml
from docclub_slack.testing import SlackHarness

from docclub.cli import main

README = Path(__file__).resolve().parents[3] / "README.md"


def _registered(slack: SlackHarness) -> dict[str, set[str]]:
    """What the running bolt app listens to: {"command": {...}, "event_type": {...}}, read from
    the closures of bolt's built-in matchers (a change in bolt fails here, loudly)."""
    assert slack.adapter.bot is not None
    found: dict[str, set[str]] = {"command": set(), "event_type": set()}
    for listener in slack.adapter.bot.bolt._async_listeners:
        for matcher in listener.matchers:
            inner = inspect.getclosurevars(matcher.func).nonlocals["func"]  # type: ignore[attr-defined]
            for name, value in inspect.getclosurevars(inner).nonlocals.items():
                if name in found:
                    found[name].add(str(value))
    return found


async def test_manifest_lists_exactly_the_command_and_events_the_app_listens_to(slack: SlackHarness) -> None:
    registered = _registered(slack)
    manifest = build_manifest(None)
    assert registered["command"] == {c["command"] for c in manifest["features"]["slash_commands"]}
    assert registered["event_type"] == set(manifest["settings"]["event_subscriptions"]["bot_events"])


async def test_every_manifest_event_reaches_a_listener(slack: SlackHarness) -> None:
    samples: dict[str, dict[str, Any]] = {
        "app_home_opened": {"type": "app_home_opened", "user": "UALICE", "channel": "D1", "tab": "home"},
        "user_change": {"type": "user_change", "user": {"id": "UALICE", "name": "alice", "team_id": "T0CLUB"}},
    }
    assert set(samples) == set(EVENTS)
    for n, event in enumerate(samples.values()):
        answer = await slack.event(event, f"Ev{n}")
        assert answer.status == 200, (event["type"], answer.text)


def test_every_web_api_method_the_adapter_calls_has_its_scopes_in_the_manifest() -> None:
    package = Path(docclub_slack.__file__).parent
    called: set[str] = set()
    for source in package.rglob("*.py"):
        if source.name == "manifest.py" or "testing" in source.relative_to(package).parts:
            continue
        for name in re.findall(r"client\.([a-z]+_[A-Za-z0-9_]+)\(", source.read_text(encoding="utf-8")):
            versioned = re.match(r"([a-z]+)_(v\d+)_(.+)$", name)  # oauth_v2_access -> oauth.v2.access
            called.add(".".join(versioned.groups()) if versioned else name.replace("_", ".", 1))
    assert called, "no Web API call found: the scan is broken"
    assert called == set(METHOD_SCOPES), "update METHOD_SCOPES in docclub_slack/manifest.py"
    assert set(build_manifest(None)["oauth_config"]["scopes"]["bot"]) == set(needed_scopes())
    assert {"commands", "chat:write", "im:write", "users:read"} <= set(needed_scopes())


def test_without_a_public_url_the_app_uses_socket_mode() -> None:
    manifest = build_manifest(None)
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in manifest["settings"]["interactivity"]
    assert "url" not in manifest["features"]["slash_commands"][0]


def test_a_public_url_fills_every_request_url() -> None:
    manifest = build_manifest("https://club.example.org/")
    url = "https://club.example.org/slack/events"
    assert manifest["settings"]["socket_mode_enabled"] is False
    assert manifest["features"]["slash_commands"][0]["url"] == url
    assert manifest["settings"]["interactivity"] == {"is_enabled": True, "request_url": url}
    assert manifest["settings"]["event_subscriptions"]["request_url"] == url
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_yaml_writes_lists_of_mappings_and_quotes_every_string() -> None:
    text = to_yaml(build_manifest("https://club.example.org"))
    assert '  slash_commands:\n    - command: "/docclub"\n      description: ' in text
    assert '      url: "https://club.example.org/slack/events"\n' in text
    assert '    bot:\n      - "channels:read"\n' in text
    assert "  socket_mode_enabled: false\n" in text


def test_cli_prints_json_from_the_public_url_setting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DOCCLUB_PUBLIC_URL", "https://club.example.org")
    main(["slack", "manifest", "--format", "json"])
    printed = json.loads(capsys.readouterr().out)
    assert printed["settings"]["interactivity"]["request_url"] == "https://club.example.org/slack/events"
    assert printed["features"]["slash_commands"][0]["command"] == COMMAND
    main(["slack", "manifest", "--format", "json", "--socket-mode"])
    assert json.loads(capsys.readouterr().out)["settings"]["socket_mode_enabled"] is True


def test_cli_refuses_a_public_url_that_is_not_a_web_address(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DOCCLUB_PUBLIC_URL", "club.example.org")
    with pytest.raises(SystemExit):
        main(["slack", "manifest"])
    assert "https://club.example.org" in capsys.readouterr().err


def test_readme_sends_organizers_to_the_manifest_not_a_list_of_scopes() -> None:
    slack_section = README.read_text(encoding="utf-8").split("## On Slack", 1)[1].split("\n## ", 1)[0]
    assert "docclub slack manifest" in slack_section
    assert "From a manifest" in slack_section
    assert "chat:write.public" not in slack_section
