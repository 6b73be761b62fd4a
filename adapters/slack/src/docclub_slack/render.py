"""Reply -> Block Kit. Member text is escaped, times are `<!date^…>`, mentions are explicit,
commands named in a reply are `/docclub …` in code (the text grammar after the slash command).

Slack has no spoiler markup: a review or a film's content warnings are left out of the message
and replaced by a note; a "Show reviews" / "Show content warnings" button under the message
answers the member who presses it, and only them (the hidden text travels in the button's value,
which Slack clients do not display). See `HIDDEN`.

Slack limits (DESIGN section 7) are kept here: at most 50 blocks a message (longer replies
become several pages), 3000 characters a section text (longer texts are split at line ends,
and a single longer line is cut), 10 fields a section, 25 elements an actions block,
75 characters a button label, 150 a header.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from docclub.core.replies import (
    Action,
    ActionKind,
    Cmd,
    Field,
    Inline,
    Line,
    Reply,
    Spoiler,
    Time,
    UserRef,
    format_time,
    pack_lines,
    plain_inline,
    text_command,
)

__all__ = [
    "CONSOLE_ONLY",
    "HIDDEN",
    "MAX_BLOCKS",
    "MAX_SECTION",
    "PICK_ACTION",
    "SLASH_COMMAND",
    "Page",
    "action_id",
    "cut",
    "escape",
    "mrkdwn",
    "plain_fallback",
    "render",
    "spell",
    "unescape",
]

SLASH_COMMAND = "/docclub"  # the one slash command the app registers; its text is the text grammar
# Core commands `/docclub` does not run: files come from the console (a Letterboxd list for a Slack
# club from the command line: `docclub letterboxd FILE --club slack:TEAM`).
CONSOLE_ONLY = frozenset({"import", "import letterboxd"})
PICK_ACTION = "docclub:pick"

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_FIELD = 2000
MAX_HEADER = 150
MAX_BUTTON = 75
MAX_FIELDS_PER_SECTION = 10
MAX_ACTIONS_PER_BLOCK = 25
_USER_ID = re.compile(r"^[UW][A-Z0-9]{1,20}$")

_DATE_FORMAT = {
    "full": "{date_short_pretty} at {time}",
    "date": "{date_short_pretty}",
    "time": "{time}",
    "relative": "{ago}",
}

Block = dict[str, Any]


def escape(text: str) -> str:
    """Member text as Slack shows it literally: `<!channel>`, `<@U…>` and links never parse."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_date(piece: Time, tz: str, now: datetime | None) -> str:
    fallback = format_time(piece.at, tz, piece.style, now)
    token = _DATE_FORMAT.get(piece.style, _DATE_FORMAT["full"])
    return f"<!date^{int(piece.at.timestamp())}^{token}|{escape(fallback)}>"


def spell(c: Cmd) -> str:
    """`/docclub film #1`: the command as a member types it in Slack."""
    return f"{SLASH_COMMAND} {text_command(c)}"


# Spoiler kind -> (the note left in its place, the label of the button that shows it).
HIDDEN = {
    "review": ("_(hidden: press Show reviews)_", "Show reviews"),
    "warnings": ("_(hidden: press Show content warnings)_", "Show content warnings"),
}
MAX_VALUE = 2000  # a button's value
Hidden = dict[str, list[list[str]]]  # kind -> [before, the hidden text, after] of each line holding one


def mrkdwn(
    pieces: Iterable[Inline],
    tz: str,
    now: datetime | None,
    notify: frozenset[str],
    hidden: Hidden | None = None,
) -> str:
    """One line of a reply as mrkdwn. Only users in `notify` are mentioned; everyone else is a name.
    With `hidden`, spoilers are left out (a note stands in their place) and collected there."""
    pieces = list(pieces)
    out: list[str] = []
    for i, piece in enumerate(pieces):
        if isinstance(piece, Spoiler) and hidden is not None:
            kind = piece.kind if piece.kind in HIDDEN else "review"
            out.append(HIDDEN[kind][0])
            before = "".join(plain_inline(p, tz, now) for p in pieces[:i] if not isinstance(p, Spoiler))
            after = "".join(plain_inline(p, tz, now) for p in pieces[i + 1 :] if not isinstance(p, Spoiler))
            # Escaped like any member text: nothing in a button's value can ever become a mention.
            hidden.setdefault(kind, []).append([escape(before), escape(piece.text), escape(after)])
            continue
        if isinstance(piece, str):
            out.append(escape(piece))
        elif isinstance(piece, Time):
            out.append(slack_date(piece, tz, now))
        elif isinstance(piece, Spoiler):
            # Slack has no spoiler markup: say so, like the console does.
            out.append(f"[spoiler: {escape(piece.text)}]")
        elif isinstance(piece, Cmd):
            spelled = escape(spell(piece))
            out.append(f"`{spelled}`" if "`" not in spelled else spelled)
        elif isinstance(piece, UserRef):
            if piece.user_id in notify and _USER_ID.match(piece.user_id):
                out.append(f"<@{piece.user_id}>")
            else:
                out.append(escape(piece.display_name))
    return "".join(out)


def plain_fallback(reply: Reply) -> str:
    """The notification text beside the blocks: the title or the first line, never a mention."""
    if reply.title:
        return escape(cut(reply.title, 300))
    for ln in reply.lines:
        text = "".join(
            p
            if isinstance(p, str)
            else p.display_name
            if isinstance(p, UserRef)
            else "…"
            if isinstance(p, Spoiler)
            else spell(p)
            if isinstance(p, Cmd)
            else ""
            for p in ln
        )
        if text.strip():
            return escape(cut(text, 300))
    return "docclub"


def action_id(action: Action) -> str:
    return f"docclub:{action.kind.value}:{action.value}"


def _button(action: Action) -> Block:
    label = cut(action.label, MAX_BUTTON) or action.kind.value
    button: Block = {
        "type": "button",
        "text": {"type": "plain_text", "text": label, "emoji": True},
        "action_id": action_id(action),
        "value": action.value[:2000],
    }
    if action.kind is ActionKind.RSVP and action.value.endswith(":yes"):
        button["style"] = "primary"
    return button


def _pick_select(picks: list[Action]) -> Block:
    """Which of several films of one title a suggestion meant: one static select (100 options at most)."""
    return {
        "type": "static_select",
        "action_id": PICK_ACTION,
        "placeholder": {"type": "plain_text", "text": "Which film did you mean?", "emoji": True},
        "options": [
            {
                "text": {"type": "plain_text", "text": cut(a.label, MAX_BUTTON) or a.value, "emoji": True},
                "value": a.value,
            }
            for a in picks[:100]
        ],
    }


def _poster_beside(blocks: list[Block], url: str, title: str) -> None:
    """The film's poster as the image accessory of the reply's first section."""
    for block in blocks:
        if block.get("type") == "section" and "accessory" not in block:
            block["accessory"] = {"type": "image", "image_url": url, "alt_text": cut(f"Poster: {title}", 2000)}
            return


def _field_text(f: Field, tz: str, now: datetime | None, notify: frozenset[str], limit: int, hidden: Hidden) -> str:
    values = [mrkdwn(ln, tz, now, notify, hidden) for ln in f.lines]
    return cut(f"*{escape(f.name)}*\n" + "\n".join(values), limit)


def _show_buttons(hidden: Hidden) -> list[Block]:
    """The "Show …" buttons for what a message leaves out; each value holds its texts as JSON."""
    elements: list[Block] = []
    for kind, parts in hidden.items():
        parts = [list(p) for p in parts]
        value = json.dumps(parts, ensure_ascii=False)
        while len(value) > MAX_VALUE:  # the longest hidden text is cut first, then the last ones go
            longest = max(parts, key=lambda p: len(p[1]))
            if len(longest[1]) > 40:
                longest[1] = longest[1][: max(len(longest[1]) - (len(value) - MAX_VALUE) - 1, 20)] + "…"
            else:
                parts.pop()
            value = json.dumps(parts, ensure_ascii=False)
        elements.append(
            {
                "type": "button",
                "text": {"type": "plain_text", "text": HIDDEN[kind][1], "emoji": True},
                "action_id": f"docclub:show:{kind}",
                "value": value,
            }
        )
    return [{"type": "actions", "block_id": "docclub_extra_hidden", "elements": elements}] if elements else []


@dataclass(frozen=True, slots=True)
class Page:
    text: str
    blocks: list[Block]


def blocks_for(reply: Reply, tz: str, now: datetime | None) -> list[Block]:
    """Every block of a reply, before paging."""
    notify = frozenset(u.user_id for u in reply.notify)
    blocks: list[Block] = []
    if reply.title and len(reply.title) <= MAX_HEADER:
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": reply.title, "emoji": True}})
    elif reply.title:  # a header holds 150 characters: a longer title (a 200-character film) is shown whole
        blocks.append(
            {"type": "section", "block_id": "title", "text": {"type": "mrkdwn", "text": f"*{escape(reply.title)}*"}}
        )
    hidden: Hidden = {}
    lines = [mrkdwn(ln, tz, now, notify, hidden) for ln in reply.lines]
    for i, text in enumerate(pack_lines([ln or " " for ln in lines], MAX_SECTION)):
        blocks.append({"type": "section", "block_id": f"lines{i}", "text": {"type": "mrkdwn", "text": text}})
    group: list[Field] = []

    def flush() -> None:
        if group:
            blocks.append(
                {
                    "type": "section",
                    "block_id": f"field{len(blocks)}",
                    "fields": [
                        {"type": "mrkdwn", "text": _field_text(f, tz, now, notify, MAX_FIELD, hidden)} for f in group
                    ],
                }
            )
            group.clear()

    for f in reply.fields:
        if f.inline and len(f.lines) == 1:
            group.append(f)
            if len(group) == MAX_FIELDS_PER_SECTION:
                flush()
            continue
        flush()
        head = f"*{escape(f.name)}*\n"
        values = pack_lines([mrkdwn(ln, tz, now, notify, hidden) for ln in f.lines], MAX_SECTION - len(head))
        for part in values or [""]:
            blocks.append(
                {"type": "section", "block_id": f"field{len(blocks)}", "text": {"type": "mrkdwn", "text": head + part}}
            )
    flush()
    picks = [a for a in reply.actions if a.kind is ActionKind.PICK]
    if picks:
        blocks.append({"type": "actions", "block_id": "pick", "elements": [_pick_select(picks)]})
    buttons = [a for a in reply.actions if a.kind is not ActionKind.PICK]
    for start in range(0, len(buttons), MAX_ACTIONS_PER_BLOCK):
        chunk = buttons[start : start + MAX_ACTIONS_PER_BLOCK]
        blocks.append({"type": "actions", "block_id": f"actions{start}", "elements": [_button(a) for a in chunk]})
    if reply.image and reply.image.startswith("https://"):
        _poster_beside(blocks, reply.image, reply.title or "the film")
    blocks.extend(_show_buttons(hidden))
    if reply.footer:
        blocks.append(
            {
                "type": "context",
                "block_id": "footer",
                "elements": [{"type": "mrkdwn", "text": cut(_footer(reply.footer, tz, now), MAX_SECTION)}],
            }
        )
    return blocks


def _footer(footer: str | Line, tz: str, now: datetime | None) -> str:
    return escape(footer) if isinstance(footer, str) else mrkdwn(footer, tz, now, frozenset())


def render(
    reply: Reply,
    tz: str,
    now: datetime | None = None,
    *,
    max_blocks: int = MAX_BLOCKS,
    extra: list[Block] | None = None,
) -> list[Page]:
    """The reply as one or more messages of at most `max_blocks` blocks. `extra` blocks (Slack-only
    controls) go at the end of the last page."""
    blocks = blocks_for(reply, tz, now) + list(extra or [])
    text = plain_fallback(reply)
    if not blocks:
        return [Page(text, [{"type": "section", "block_id": "lines0", "text": {"type": "mrkdwn", "text": text}}])]
    pages = [Page(text, blocks[i : i + max_blocks]) for i in range(0, len(blocks), max_blocks)]
    if len(pages) > 1:
        pages = [Page(f"{text} ({n}/{len(pages)})", p.blocks) for n, p in enumerate(pages, 1)]
    return pages
