"""Modals and the App Home as Block Kit views (pure builders; the bot fills in the data).

Limits kept: 100 blocks a modal or Home tab, 100 options a static select, 75 characters an
option label, 24 a modal title.
"""

from __future__ import annotations

import json
from typing import Any

from docclub.core.models import RatingScale
from docclub_slack.render import MAX_BUTTON, Block, cut

__all__ = [
    "MAX_OPTIONS",
    "MAX_VIEW_BLOCKS",
    "ballot_modal",
    "home_view",
    "rate_modal",
    "submitted",
    "suggest_modal",
]

MAX_VIEW_BLOCKS = 100
MAX_OPTIONS = 100
SUGGEST = "docclub:suggest"
RATE = "docclub:rate"
BALLOT = "docclub:ballot"


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": _plain(cut(label, MAX_BUTTON)), "value": value[:150]}


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = True, hint: str | None = None
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = _plain(hint)
    return block


def _text_input(max_length: int, *, multiline: bool = False, placeholder: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "max_length": max_length,
        "multiline": multiline,
    }
    if placeholder:
        element["placeholder"] = _plain(placeholder)
    return element


def _select(options: list[tuple[str, str]], placeholder: str) -> dict[str, Any]:
    return {
        "type": "static_select",
        "action_id": "value",
        "placeholder": _plain(placeholder),
        "options": [_option(v, label) for v, label in options[:MAX_OPTIONS]],
    }


def _modal(callback_id: str, title: str, submit: str, blocks: list[Block], metadata: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _plain(cut(title, 24)),
        "submit": _plain(submit),
        "close": _plain("Cancel"),
        "private_metadata": json.dumps(metadata),
        "blocks": blocks[:MAX_VIEW_BLOCKS],
    }


def suggest_modal(channel: str | None) -> dict[str, Any]:
    return _modal(
        SUGGEST,
        "Suggest a film",
        "Suggest",
        [
            _input("title", "Title", _text_input(200, placeholder="Beyond Utopia"), optional=False),
            _input("year", "Year", _text_input(4, placeholder="2023")),
            _input("link", "Link", {"type": "url_text_input", "action_id": "value"}),
            _input("where", "Where to stream it", _text_input(200, placeholder="Amazon Prime Video")),
            _input("cw", "Content warnings", _text_input(300), hint="Shown hidden behind a spoiler mark."),
            _input("tags", "Tags", _text_input(200, placeholder="north korea, escape")),
            _input("pitch", "Why watch it?", _text_input(500, multiline=True)),
        ],
        {"channel": channel},
    )


def score_options(scale: RatingScale) -> list[tuple[str, str]]:
    if scale is RatingScale.TEN:
        return [(str(n), f"{n}/10") for n in range(10, 0, -1)]
    out = []
    for half in range(10, 0, -1):
        stars = half / 2
        value = f"{stars:g}"
        out.append((value, "★" * int(stars) + ("½" if half % 2 else "") + f" ({value})"))
    return out


def rate_modal(
    channel: str | None,
    scale: RatingScale,
    film: tuple[int, str] | None,
    films: list[tuple[int, str]],
    current: tuple[str, str | None] | None = None,
) -> dict[str, Any]:
    """The rating form. `current` (score as typed on the club's scale, review) fills it with the
    member's rating of a fixed film, so a review they clear is removed and one they leave stays."""
    blocks: list[Block] = []
    if film is not None:
        blocks.append({"type": "section", "text": {"type": "plain_text", "text": film[1]}})
    else:
        blocks.append(
            _input("film", "Film", _select([(str(i), label) for i, label in films], "Pick a film"), optional=False)
        )
    options = score_options(scale)
    score = _select(options, "Score")
    review = _text_input(1000, multiline=True)
    had_review = False
    if current is not None:
        chosen = next((o for o in score["options"] if o["value"] == current[0]), None)
        if chosen is not None:
            score["initial_option"] = chosen
        if current[1]:
            review["initial_value"] = current[1][:1000]
            had_review = True
    blocks.append(_input("score", "Your score", score, optional=False))
    hint = "Leave it empty to keep the review you wrote." if film is None else None
    blocks.append(_input("review", "Review (optional, shown as a spoiler)", review, hint=hint))
    metadata = {"channel": channel, "film": film[0] if film else None, "had_review": had_review}
    return _modal(RATE, "Rate a film", "Rate", blocks, metadata)


def ballot_modal(
    channel: str | None, poll_id: int, films: list[tuple[int, str]], current: list[int] | None = None
) -> dict[str, Any]:
    options = [(str(i), label) for i, label in films][:MAX_OPTIONS]
    ranks = min(len(options), 10)
    intro = "Rank the films you'd watch, your favourite first. Leave the rest empty."
    if current:  # a member with a ballot may clear every choice to withdraw it
        intro += " To withdraw your ballot, clear every choice."
    blocks: list[Block] = [{"type": "section", "text": {"type": "mrkdwn", "text": intro}}]
    for n in range(ranks):
        element = _select(options, "Choose a film")
        if current and n < len(current):
            chosen = [o for o in element["options"] if o["value"] == str(current[n])]
            if chosen:
                element["initial_option"] = chosen[0]
        blocks.append(_input(f"rank{n}", f"Choice {n + 1}", element, optional=n > 0 or bool(current)))
    metadata = {"channel": channel, "poll": poll_id, "had_ballot": bool(current)}
    return _modal(BALLOT, f"Poll #{poll_id} ballot", "Vote", blocks, metadata)


def submitted(view: dict[str, Any]) -> dict[str, str]:
    """The values of a submitted modal, by block id ("" when left empty)."""
    out: dict[str, str] = {}
    for block_id, actions in (view.get("state", {}).get("values") or {}).items():
        element = actions.get("value") or {}
        if element.get("type") == "static_select":
            chosen = element.get("selected_option") or {}
            out[block_id] = str(chosen.get("value") or "")
        else:
            out[block_id] = str(element.get("value") or "")
    return out


def home_view(sections: list[tuple[str, list[Block]]], intro: str) -> dict[str, Any]:
    """The App Home tab: a header, a suggest button, then each (title, blocks) section while
    the whole stays within Slack's 100 blocks."""
    blocks: list[Block] = [
        {"type": "header", "text": _plain("Documentary club")},
        {"type": "section", "text": {"type": "mrkdwn", "text": intro}},
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": _plain("Suggest a film"),
                    "action_id": SUGGEST,
                    "value": "home",
                    "style": "primary",
                }
            ],
        },
    ]
    for title, body in sections:
        need = 2 + len(body)
        if len(blocks) + need > MAX_VIEW_BLOCKS:
            blocks.append(
                {"type": "context", "elements": [{"type": "mrkdwn", "text": "More in the channel: /docclub help"}]}
            )
            break
        blocks.append({"type": "divider"})
        blocks.append({"type": "header", "text": _plain(cut(title, 150))})
        blocks.extend(body)
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}
