"""Discord output back to plain text: what a message shows, flattened, and the console's
own rendering of it (times in the club's timezone, spoilers as [spoiler: …], commands in the
console's words), so transcripts compare Discord with the console."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from docclub.core.replies import format_time, text_command
from docclub_discord.spelling import parse

__all__ = ["buttons", "console_command", "flatten", "plain", "unrender"]


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for row in message.get("components") or [] for c in row.get("components", [])]


def flatten(message: dict[str, Any]) -> Iterator[str]:
    if message.get("content"):
        yield message["content"]
    for e in message.get("embeds") or []:
        for name in ("title", "description"):
            if e.get(name):
                yield e[name]
        for f in e.get("fields") or []:
            yield f"{f['name']}: {f['value']}"
        if e.get("footer"):
            yield e["footer"]["text"]
    for b in buttons(message):
        yield f"[{b.get('label', '')}]"


_TIME = re.compile(r"<t:(-?\d+):([FRDt])>")
_STYLE_NAMES = {"F": "full", "R": "relative", "D": "date", "t": "time"}
MENTION_LINE = re.compile(r"^(<@\d+>\s*)+$")


def console_command(spelled: str) -> str:
    """A slash command as the reply spelled it, in the console's words (`/film list which:all`
    -> `films all`). Fails loudly for anything that is not one of the adapter's commands."""
    return text_command(parse(spelled))


def plain(text: str, tz: str, now: datetime) -> str:
    """Undo the rendering: `<t:…>` -> club-timezone text, `||x||` -> [spoiler: x], commands in
    code -> the console's form, escapes dropped."""
    text = re.sub(r"`(/[^`]+)`", lambda m: console_command(m[1]), text)
    text = _TIME.sub(lambda m: format_time(datetime.fromtimestamp(int(m[1]), UTC), tz, _STYLE_NAMES[m[2]], now), text)
    out: list[str] = []
    spoiler = False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if text.startswith("||", i):
            out.append("]" if spoiler else "[spoiler: ")
            spoiler = not spoiler
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out).replace("\u200b", "")


def unrender(message: dict[str, Any], tz: str, now: datetime) -> tuple[list[str], list[int]]:
    """A Discord message as `render_plain` lines, and the users its content mentions."""
    lines: list[str] = []
    mentioned: list[int] = []
    footers: list[str] = []
    for raw in (message.get("content") or "").split("\n"):
        if MENTION_LINE.match(raw.strip()):
            mentioned.extend(int(x) for x in re.findall(r"<@(\d+)>", raw))
        elif raw:
            lines.append(plain(raw, tz, now))
    for e in message.get("embeds") or []:
        if e.get("title"):
            lines.append(f"== {plain(e['title'], tz, now)} ==")
        if e.get("description"):
            lines.extend(plain(e["description"], tz, now).split("\n"))
        for f in e.get("fields") or []:
            values = plain(f["value"], tz, now).split("\n")
            name = plain(f["name"], tz, now)
            if len(values) == 1:
                lines.append(f"{name}: {values[0]}")
            else:
                lines.append(f"{name}:")
                lines.extend(f"  {v}" for v in values)
        if e.get("footer"):
            footer = plain(e["footer"]["text"], tz, now)
            # A footer shows no code: a command in it runs from its slash to the end.
            command = re.search(r"(?:^| )(/[a-z]+(?: [a-z]+)?(?: |$).*)$", footer)
            if command:
                footer = footer[: command.start(1)] + console_command(command[1])
            footers.append(footer)
    labels = [b.get("label", "") for b in buttons(message)]
    if labels:
        lines.append("[" + "] [".join(labels) + "]")
    lines.extend(footers)
    return lines, mentioned
