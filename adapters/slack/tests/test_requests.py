"""Requests that are not what Slack sends: replays, unsigned and malformed bodies, and what the
log says about them. Signed requests go to the real HTTP server."""

from __future__ import annotations

import logging
import sqlite3
import time

import pytest
from docclub_slack.testing import SlackHarness

from docclub.logs import setup_logging
from docclub.testing import FakeClock


async def _two_films(slack: SlackHarness) -> None:
    await slack.command("suggest Navalny", "UADMIN")
    await slack.command('suggest "Fire of Love"', "UADMIN")


async def test_a_replayed_signed_command_runs_once(slack: SlackHarness, poll_open_body: str) -> None:
    await _two_films(slack)
    body = poll_open_body
    stamp = int(time.time())
    answers = [await slack.post(body, timestamp=stamp) for _ in range(3)]
    assert [a.status for a in answers] == [200, 200, 200]
    assert "Poll #1" in "\n".join(answers[0].shown())
    assert answers[1].shown() == [] and answers[2].shown() == []
    shown = "\n".join((await slack.command("poll show #2", "UADMIN")).shown())
    assert "There is no poll #2" in shown


def _remembered(slack: SlackHarness) -> list[str]:
    with sqlite3.connect(slack.db_path) as db:
        return sorted(str(row[0]) for row in db.execute("SELECT key FROM events_seen"))


async def test_remembered_deliveries_are_forgotten_after_ten_minutes_but_not_within(
    slack: SlackHarness, poll_open_body: str, clock: FakeClock
) -> None:
    home = {"type": "app_home_opened", "user": "UALICE", "channel": "D0ALICE", "tab": "home"}
    await slack.event(home, "EvOld")
    await _two_films(slack)
    await clock.advance(minutes=6)
    body = poll_open_body
    stamp = int(time.time())
    assert "Poll #1" in "\n".join((await slack.post(body, timestamp=stamp)).shown())
    assert len(_remembered(slack)) == 4  # EvOld, the two suggestions, the poll command

    await clock.advance(minutes=5)  # EvOld is 11 minutes old, the poll command 5
    await slack.command("films", "UBOB")

    left = _remembered(slack)
    assert "slack:event:EvOld" not in left
    assert len(left) == 2  # the poll command (6 minutes in) and `films` (11 minutes in)
    replay = await slack.post(body, timestamp=stamp)
    assert replay.status == 200 and replay.shown() == []
    shown = "\n".join((await slack.command("poll show #2", "UADMIN")).shown())
    assert "There is no poll #2" in shown


async def test_the_same_command_sent_twice_by_a_member_runs_twice(slack: SlackHarness) -> None:
    await _two_films(slack)
    await slack.command("poll open #1, #2", "UADMIN")
    second = await slack.command("poll open #1, #2", "UADMIN")
    assert "Poll #2" in "\n".join(second.shown())


async def _raw(slack: SlackHarness, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> int:
    sent = {"Content-Type": content_type, **(headers or {})}
    async with slack.session.post(slack.url, data=body, headers=sent) as resp:
        await resp.read()
        return resp.status


def _slack_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name.startswith(("docclub", "slack_bolt", "aiohttp"))]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"type": "event_callback", "event": ', "application/json"),
        (b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
    ],
    ids=["broken-json", "broken-payload", "not-utf8"],
)
async def test_an_unsigned_malformed_body_is_refused_with_401_and_one_short_line(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture, body: bytes, content_type: str
) -> None:
    caplog.set_level(logging.DEBUG)
    assert await _raw(slack, body, content_type) == 401
    lines = _slack_lines(caplog)
    assert lines == [f"refused a Slack request: not signed ({len(body)} bytes)"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_a_wrongly_signed_body_never_reaches_the_log(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = "text=hello\n2026-11-30 00:00:00 INFO docclub: forged line&" + "x" * 1_000_000
    headers = {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": "v0=" + "0" * 64}
    status = await _raw(slack, body.encode()[: 1024 * 1024 - 10], "application/x-www-form-urlencoded", headers)
    assert status == 401
    lines = _slack_lines(caplog)
    assert len(lines) == 1 and "\n" not in lines[0] and len(lines[0]) < 100
    assert "forged" not in caplog.text and "hello" not in caplog.text


async def test_an_oversized_body_is_refused_unread(slack: SlackHarness, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    assert await _raw(slack, b"x" * (2 * 1024 * 1024), "application/x-www-form-urlencoded") == 413
    assert len(_slack_lines(caplog)) == 1


async def test_a_signed_malformed_body_is_refused_with_400(
    slack: SlackHarness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    answer = await slack.post('{"type": "event_callback", "event": ', content_type="application/json")
    assert answer.status == 400
    assert _slack_lines(caplog) == ["refused a Slack request: malformed body (36 bytes)"]


async def test_at_debug_the_log_holds_no_response_url_and_no_token(
    slack: SlackHarness, capsys: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        setup_logging("DEBUG", ["xoxb-test-token"])
        await _two_films(slack)
        assert slack.adapter.bot is not None
        slack.adapter.bot.slash.ack_budget = 0  # acknowledge first, answer through the response_url
        answer = await slack.command("films", "UALICE")
        assert answer.status == 200 and answer.responses
    finally:
        root.handlers[:], _ = saved[0], root.setLevel(saved[1])
    # The fake Slack's own access log is not ours: our server keeps no access log.
    logged = "\n".join(ln for ln in capsys.readouterr().err.splitlines() if " aiohttp.access:" not in ln)
    assert "DEBUG" in logged  # the level was really on
    assert "/response/" not in logged and "response_url" not in logged
    assert "xoxb-test-token" not in logged and "legacy-unused" not in logged
