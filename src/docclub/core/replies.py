"""Reply: neutral structured output. Adapters render it (embed, Block Kit, plain text).

Text is a sequence of lines; each line is a sequence of inline pieces. Plain strings are the
member's or the bot's words and are never markup; `Time`, `Spoiler` and `UserRef` are the
only structured pieces, so each adapter decides how a time, a spoiler or a person is shown
(Discord `<t:…>` and `||…||`, Slack `<!date^…>`, the console's club-timezone text).
The core never emits a mention: a `UserRef` is a name unless an adapter chooses to ping.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Time:
    at: datetime  # aware
    style: str = "full"  # full | relative | date | time


@dataclass(frozen=True, slots=True)
class Spoiler:
    text: str


@dataclass(frozen=True, slots=True)
class UserRef:
    user_id: str
    display_name: str


Inline = str | Time | Spoiler | UserRef
Line = tuple[Inline, ...]


def line(*parts: Inline) -> Line:
    return tuple(p for p in parts if p != "")


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    lines: tuple[Line, ...]
    inline: bool = False


class ActionKind(StrEnum):
    VOTE = "vote"  # value: "<poll_id>:<film_id>"
    RSVP = "rsvp"  # value: "<party_id>:<yes|maybe|no>"
    RATE = "rate"  # value: "<film_id>"


ACTION_LABEL_MAX = 75  # the shortest button label a platform holds (Slack 75, Discord 80)


def action_label(text: str) -> str:
    """A button label every platform shows whole: cut with an ellipsis past 75 characters."""
    return text if len(text) <= ACTION_LABEL_MAX else text[: ACTION_LABEL_MAX - 1] + "…"


@dataclass(frozen=True, slots=True)
class Action:
    """A button or choice an adapter may render. The value is stable across restarts."""

    kind: ActionKind
    value: str
    label: str


class Tone(StrEnum):
    INFO = "info"
    OK = "ok"
    ERROR = "error"
    NOTICE = "notice"  # reminders and announcements


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Reply:
    title: str | None = None
    lines: tuple[Line, ...] = ()
    fields: tuple[Field, ...] = ()
    footer: str | None = None
    actions: tuple[Action, ...] = ()
    tone: Tone = Tone.INFO
    ephemeral: bool = False
    attachment: Attachment | None = None
    # Members the reply is about who may be notified (reminders name who said yes/maybe).
    notify: tuple[UserRef, ...] = ()
    # What the reply refers to, for adapters that attach threads, buttons or events.
    subject: tuple[str, int] | None = None  # ("poll", id) | ("party", id) | ("film", id)
    extra: dict[str, str] = field(default_factory=dict, compare=False)


def text_reply(*texts: str, tone: Tone = Tone.INFO, ephemeral: bool = False) -> Reply:
    return Reply(lines=tuple((t,) for t in texts), tone=tone, ephemeral=ephemeral)


def pack_lines(lines: Iterable[str], limit: int) -> list[str]:
    """Join rendered lines into texts of at most `limit` characters, breaking only between
    lines; a single line longer than `limit` is cut with an ellipsis. Adapters use this to
    page a reply within a platform's message or block limits."""
    packed: list[str] = []
    current = ""
    for text in lines:
        if len(text) > limit:
            text = text[: limit - 1] + "…"
        if current and len(current) + 1 + len(text) > limit:
            packed.append(current)
            current = text
        else:
            current = f"{current}\n{text}" if current else text
    if current:
        packed.append(current)
    return packed


# ---- plain-text rendering (console, transcripts, fallbacks) ----


def span_words(seconds: float) -> str:
    """A length of time as every reply words it: "45 min", "1 h 30 min", "1 day 6 h", "9 days".

    Under a day: hours and minutes, to the nearest minute. From a day: days and hours, to the
    nearest hour. From a week: days, to the nearest day. Zero parts are left out."""
    minutes = round(abs(seconds) / 60)
    if minutes >= 7 * 1440:
        days = round(minutes / 1440)
        return f"{days} days"
    if minutes >= 1440:
        days, hours = divmod(round(minutes / 60), 24)
        parts = [f"{days} day{'s' if days != 1 else ''}", f"{hours} h" if hours else ""]
    else:
        hours, rest = divmod(minutes, 60)
        parts = [f"{hours} h" if hours else "", f"{rest} min" if rest or not hours else ""]
    return " ".join(part for part in parts if part)


def relative(at: datetime, now: datetime) -> str:
    """'in 1 h 30 min', '2 days ago', 'now': `span_words` from `now`."""
    seconds = (at - now).total_seconds()
    if abs(seconds) < 30:
        return "now"
    if abs(seconds) < 60:
        return "in under a minute" if seconds > 0 else "under a minute ago"
    return f"in {span_words(seconds)}" if seconds > 0 else f"{span_words(seconds)} ago"


def format_time(at: datetime, tz: str, style: str = "full", now: datetime | None = None) -> str:
    if style == "relative":
        return relative(at, now) if now is not None else format_time(at, tz, "full")
    local = at.astimezone(ZoneInfo(tz))
    if style == "date":
        return local.strftime("%a %d %b %Y")
    if style == "time":
        return local.strftime("%H:%M")
    abbrev = local.strftime("%Z")
    return local.strftime("%a %d %b %Y %H:%M") + (f" {abbrev}" if abbrev else "")


def plain_inline(piece: Inline, tz: str, now: datetime | None = None) -> str:
    if isinstance(piece, str):
        return piece
    if isinstance(piece, Time):
        return format_time(piece.at, tz, piece.style, now)
    if isinstance(piece, Spoiler):
        return f"[spoiler: {piece.text}]"
    return piece.display_name


def plain_line(ln: Iterable[Inline], tz: str, now: datetime | None = None) -> str:
    return "".join(plain_inline(p, tz, now) for p in ln)


def render_plain(reply: Reply, tz: str = "UTC", now: datetime | None = None) -> str:
    """The canonical plain text of a reply, in the club's timezone (relative times from `now`)."""
    out: list[str] = []
    if reply.title:
        out.append(f"== {reply.title} ==")
    out.extend(plain_line(ln, tz, now) for ln in reply.lines)
    for f in reply.fields:
        values = [plain_line(ln, tz, now) for ln in f.lines]
        if len(values) == 1:
            out.append(f"{f.name}: {values[0].strip()}")
        else:
            out.append(f"{f.name}:")
            out.extend(f"  {v}" for v in values)
    if reply.actions:
        out.append("[" + "] [".join(a.label for a in reply.actions) + "]")
    if reply.footer:
        out.append(reply.footer)
    if reply.attachment:
        out.append(f"(attachment: {reply.attachment.filename}, {len(reply.attachment.data)} bytes)")
    return "\n".join(out)
