"""Socket Mode: the same app over a websocket opened with apps.connections.open."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from docclub_slack.testing import SlackHarness, blocks_to_text

from docclub.testing import FakeClock


async def test_slash_command_over_socket_mode_is_acknowledged_with_the_answer(tmp_path: Path) -> None:
    async with SlackHarness(tmp_path / "club.db", clock=FakeClock(), socket_mode=True, http=False) as slack:
        slack.user("UALICE", "alice")
        assert slack.fake.calls_to("apps.connections.open")
        payload = {
            "token": "legacy-unused",
            "team_id": "T0CLUB",
            "team_domain": "club",
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": "UALICE",
            "user_name": "alice",
            "command": "/docclub",
            "text": 'suggest "Fire of Love" (2022)',
            "api_app_id": "A0DOCCLUB",
            "response_url": slack.fake.response_url(1),
            "trigger_id": "1.1.t",
        }
        await slack.fake.envelopes.put(
            {"envelope_id": "env-1", "type": "slash_commands", "payload": payload, "accepts_response_payload": True}
        )
        ack = await asyncio.wait_for(slack.fake.acks.get(), timeout=10)
        assert ack["envelope_id"] == "env-1"
        assert blocks_to_text(ack["payload"]["blocks"]).startswith("== Suggested #1 Fire of Love (2022) ==")
        assert ack["payload"]["response_type"] == "in_channel"
        others = [c.args for c in slack.fake.calls if c.method != "apps.connections.open"]
        assert "xapp-test-token" not in json.dumps(others)  # the app token only opens the socket
