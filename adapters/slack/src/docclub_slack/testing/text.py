"""Block Kit back to the console's plain text, so transcripts compare Slack with the console."""

from __future__ import annotations

import json
import re
from typing import Any

from docclub_slack.render import HIDDEN

__all__ = ["blocks_to_text", "mrkdwn_to_text"]

_DATE = re.compile(r"<!date\^\d+\^[^|>]*\|([^>]*)>")
_MENTION = re.compile(r"<@([A-Z0-9_]+)>")


def mrkdwn_to_text(text: str, names: dict[str, str]) -> str:
    text = re.sub(r"`/docclub ([^`]*)`", r"\1", text)  # a command in code, as the console spells it
    text = _DATE.sub(lambda m: m.group(1), text)
    text = _MENTION.sub(lambda m: names.get(str(m.group(1)), str(m.group(1))), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _field_text(text: str, names: dict[str, str]) -> list[str]:
    head, _, rest = text.partition("\n")
    name = mrkdwn_to_text(head.strip("*"), names)
    values = [mrkdwn_to_text(v, names) for v in rest.split("\n")] if rest else []
    if len(values) == 1:
        return [f"{name}: {values[0]}"]
    return [f"{name}:", *(f"  {v}" for v in values)]


def blocks_to_text(blocks: list[dict[str, Any]], names: dict[str, str] | None = None) -> str:
    """What a member reads in a docclub message, in the console's layout: the title as
    `== title ==`, fields as `name: value`, buttons as `[label]`, the footer last. Blocks the
    adapter adds only on Slack (block ids starting `docclub_extra`) are left out, and what a
    "Show …" button holds is put back where its note stands, as `[spoiler: …]`."""
    names = names or {}
    out: list[str] = []
    buttons: list[str] = []
    for block in blocks:
        kind, block_id = block.get("type"), str(block.get("block_id", ""))
        if block_id.startswith("docclub_extra"):
            continue
        if kind != "actions" and buttons:
            out.append("[" + "] [".join(buttons) + "]")
            buttons = []
        if kind == "header":
            out.append(f"== {block['text']['text']} ==")
        elif kind == "section" and block_id == "title":
            out.append(f"== {mrkdwn_to_text(block['text']['text'], names).strip('*')} ==")
        elif kind == "section" and block_id.startswith("field"):
            if "fields" in block:
                for f in block["fields"]:
                    out.extend(_field_text(f["text"], names))
            else:
                out.extend(_field_text(block["text"]["text"], names))
        elif kind == "section":
            out.extend(mrkdwn_to_text(block["text"]["text"], names).split("\n"))
        elif kind == "actions":
            buttons.extend(e["text"]["text"] for e in block["elements"] if e.get("type") == "button")
        elif kind == "context":
            out.extend(mrkdwn_to_text(e["text"], names) for e in block["elements"])
    if buttons:
        out.append("[" + "] [".join(buttons) + "]")
    return _put_back_hidden("\n".join(out), blocks)


def _put_back_hidden(text: str, blocks: list[dict[str, Any]]) -> str:
    for block in blocks:
        if block.get("block_id") != "docclub_extra_hidden":
            continue
        for element in block["elements"]:
            note = HIDDEN[element["action_id"].rsplit(":", 1)[-1]][0]
            for _, hidden, _ in json.loads(element["value"]):
                text = text.replace(note, f"[spoiler: {mrkdwn_to_text(hidden, {})}]", 1)
    return text
