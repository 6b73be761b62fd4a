"""Slack has no spoiler markup: reviews and content warnings wait behind a "Show …" button that
answers only the member who presses it. Signed requests against the real HTTP server."""

from __future__ import annotations

import json
from typing import Any

from docclub_slack.testing import SlackHarness


def _blocks(answer: Any) -> list[dict[str, Any]]:
    ack = answer.ack or {}
    return list(ack.get("blocks") or [])


def _visible(blocks: list[dict[str, Any]], fallback: str = "") -> str:
    """Everything Slack displays of a message: texts and button labels, never button values."""
    shown = [fallback]
    for block in blocks:
        if "text" in block:
            shown.append(block["text"]["text"])
        shown.extend(f["text"] for f in block.get("fields", []))
        for e in block.get("elements", []):
            shown.append(e["text"]["text"] if isinstance(e.get("text"), dict) else str(e.get("text", "")))
    return "\n".join(shown)


def _show_button(blocks: list[dict[str, Any]], label: str) -> dict[str, Any]:
    for block in blocks:
        for e in block.get("elements", []):
            if e.get("type") == "button" and e["text"]["text"] == label:
                return dict(e)
    raise AssertionError(f"no {label!r} button in {json.dumps(blocks)[:300]}")


async def _press(slack: SlackHarness, user: str, button: dict[str, Any]) -> list[str]:
    payload = slack.button(user, button["action_id"])
    payload["actions"][0]["value"] = button["value"]
    answer = await slack.interact(payload)
    assert answer.status == 200
    assert all(r.args.get("response_type") == "ephemeral" for r in answer.responses)
    return [json.dumps(r.args) for r in answer.responses]


async def test_content_warnings_wait_behind_a_button_anyone_can_press(slack: SlackHarness) -> None:
    await slack.command('suggest "Beyond Utopia" (2023) --cw torture, trafficking', "UALICE")
    card = await slack.command("film #1", "UBOB")
    blocks = _blocks(card)
    assert "torture" not in _visible(blocks, (card.ack or {}).get("text", ""))
    assert "_(hidden: press Show content warnings)_" in _visible(blocks)
    shown = await _press(slack, "UBOB", _show_button(blocks, "Show content warnings"))
    assert any("torture, trafficking" in s for s in shown)


async def test_reviews_wait_behind_a_button_and_stay_out_of_the_notification(slack: SlackHarness) -> None:
    await slack.command("suggest Navalny", "UALICE")
    await slack.command("rate #1 9 The ending floored me", "UALICE")
    await slack.command("rate #1 6", "UBOB")
    answer = await slack.command("ratings #1", "UBOB")
    blocks = _blocks(answer)
    assert "floored" not in _visible(blocks, (answer.ack or {}).get("text", ""))
    shown = await _press(slack, "UBOB", _show_button(blocks, "Show reviews"))
    assert any("alice (9/10): The ending floored me" in s for s in shown)


async def test_a_hidden_review_never_becomes_a_mention(slack: SlackHarness) -> None:
    await slack.command("suggest Navalny", "UALICE")
    answer = await slack.command("rate #1 9 <!channel> look", "UALICE")
    raw = json.dumps(answer.ack)
    assert "<!channel>" not in raw
    shown = await _press(slack, "UALICE", _show_button(_blocks(answer), "Show reviews"))
    assert all("<!channel>" not in s for s in shown) and any("&lt;!channel&gt; look" in s for s in shown)
