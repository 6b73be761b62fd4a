"""Films looked up on TMDB, on Slack: the poster as the card's image accessory, a static select to
pick among films of one title, and what `/docclub import letterboxd` says instead of a file."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from docclub_slack.testing import SlackHarness

from docclub.testing import FakeClock
from docclub.testing.tmdb import FakeTmdb

KEY = "51ac51ac51ac51ac51ac51ac51ac51ac"


@pytest.fixture
async def slack(tmp_path: Path, clock: FakeClock) -> AsyncIterator[SlackHarness]:
    async with FakeTmdb(key=KEY) as tmdb, SlackHarness(tmp_path / "club.db", clock=clock, tmdb=(tmdb.url, KEY)) as h:
        h.user("UADMIN", "Ana", admin=True)
        h.user("UALICE", "alice")
        yield h


def _blocks(answer: Any) -> list[dict[str, Any]]:
    """Every block the bot sent in answer: acknowledging, through the response URL or the Web API."""
    found: list[dict[str, Any]] = list((answer.ack or {}).get("blocks") or [])
    for sent in (*answer.responses, *answer.calls):
        blocks = sent.args.get("blocks") or []
        found.extend(json.loads(blocks) if isinstance(blocks, str) else blocks)
    return found


async def test_a_suggestion_shows_its_poster_beside_the_card(slack: SlackHarness) -> None:
    answer = await slack.command("suggest Beyond Utopia", "UALICE")
    shown = "\n".join(answer.shown())
    assert "Suggested #1 Beyond Utopia (2023)" in shown and "Madeleine Gavin" in shown
    [image] = [b["accessory"] for b in _blocks(answer) if "accessory" in b]
    assert image["type"] == "image" and image["image_url"].endswith("/w342/poster1001001.jpg")


async def test_several_matches_are_offered_in_a_static_select_and_the_choice_suggests_it(slack: SlackHarness) -> None:
    asked = await slack.command("suggest Amy", "UALICE")
    [select] = [e for b in _blocks(asked) if b["type"] == "actions" for e in b["elements"]]
    assert select["type"] == "static_select" and select["action_id"] == "docclub:pick"
    assert [o["value"] for o in select["options"]] == ["1", "2", "none"]
    assert "`/docclub pick 1`" in json.dumps(asked.ack)
    picked = await slack.interact(slack.select("UALICE", "docclub:pick", "2"))
    shown = "\n".join(picked.shown())
    assert "Suggested #1 Amy (1997)" in shown and "TMDB lists it as Drama, Family" in shown


async def test_a_letterboxd_list_is_imported_from_the_command_line_for_a_slack_club(slack: SlackHarness) -> None:
    answer = await slack.command("import letterboxd club-picks.csv", "UADMIN")
    assert "docclub letterboxd <file> --club slack:" in "\n".join(answer.shown())
