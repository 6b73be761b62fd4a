"""Reply -> what Discord shows: message text, embeds, buttons, a file and who may be pinged.

Everything a member or the bot wrote is escaped (`escape_mentions`, `escape_markdown`), so a
film called "@everyone" or "**<@&123>**" is shown as written and pings nobody. Times become
`<t:UNIX:F>` so each reader sees their own local time; spoilers become `||…||`. Commands
named in a reply are spelled as slash commands in code (`/film info film:#1`, see
`spelling`). Discord's
limits (DESIGN section 7) are kept by splitting between lines, then by truncating one line,
never by cutting through a spoiler or an escape.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import discord

from docclub.core.replies import (
    Action,
    Cmd,
    Field,
    Inline,
    Line,
    Reply,
    Spoiler,
    Time,
    Tone,
    UserRef,
    pack_lines,
    plain_inline,
)
from docclub_discord.spelling import spell

__all__ = [
    "CONTENT_MAX",
    "EMBED_TOTAL_MAX",
    "Page",
    "Rendered",
    "escape",
    "render",
    "render_line",
]

CONTENT_MAX = 2000
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELDS_MAX = 25
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
EMBEDS_PER_MESSAGE = 10
ELLIPSIS = "…"

TIME_STYLES = {"full": "F", "relative": "R", "date": "D", "time": "t"}
TONE_COLOURS = {Tone.INFO: 0x5865F2, Tone.OK: 0x57F287, Tone.ERROR: 0xED4245, Tone.NOTICE: 0xFEE75C}


# What `escape_markdown` and `escape_mentions` can act on: one of these characters anywhere, or
# a quote, heading or list marker at the start of a line. Text with none of it (most answers'
# plain words) is returned as it is, without their two substitutions (on every interaction).
_MAY_NEED_ESCAPING = re.compile(r"[_\\~|*`\[@<]|^\s*[#>\-]", re.MULTILINE)


def escape(text: str) -> str:
    """Member (or bot) text as Discord shows it literally: no markdown, no mentions."""
    if _MAY_NEED_ESCAPING.search(text) is None:
        return text
    return discord.utils.escape_markdown(discord.utils.escape_mentions(text))


def _piece(piece: Inline) -> str:
    if isinstance(piece, str):
        return escape(piece)
    if isinstance(piece, Time):
        return f"<t:{int(piece.at.timestamp())}:{TIME_STYLES.get(piece.style, 'F')}>"
    if isinstance(piece, Spoiler):
        return f"||{escape(piece.text)}||" if piece.text.strip() else ""
    if isinstance(piece, Cmd):
        spelled = spell(piece)
        return f"`{spelled}`" if "`" not in spelled else escape(spelled)
    return escape(piece.display_name)


def _shrunk(piece: Inline, keep: int) -> Inline:
    """The piece with only the first `keep` characters of its text."""
    if isinstance(piece, str):
        return piece[:keep]
    if isinstance(piece, Spoiler):
        return Spoiler(piece.text[:keep])
    if isinstance(piece, UserRef):
        return UserRef(piece.user_id, piece.display_name[:keep])
    return piece


def _raw_len(piece: Inline) -> int:
    if isinstance(piece, str):
        return len(piece)
    if isinstance(piece, Spoiler):
        return len(piece.text)
    if isinstance(piece, UserRef):
        return len(piece.display_name)
    return 0


def render_line(ln: Line, limit: int = CONTENT_MAX) -> str:
    """One line as Discord markup, at most `limit` characters. A line too long is cut inside
    the text of the piece that overflows (so a spoiler stays closed) and ends with '…'."""
    out = "".join(_piece(p) for p in ln)
    if len(out) <= limit:
        return out
    budget = limit - len(ELLIPSIS)
    done = ""
    for piece in ln:
        rendered = _piece(piece)
        if len(done) + len(rendered) <= budget:
            done += rendered
            continue
        lo, hi = 0, _raw_len(piece)
        while lo < hi:  # the longest prefix of the piece's text that still fits
            mid = (lo + hi + 1) // 2
            if len(done) + len(_piece(_shrunk(piece, mid))) <= budget:
                lo = mid
            else:
                hi = mid - 1
        if lo:
            done += _piece(_shrunk(piece, lo))
        break
    return done.rstrip("\\") + ELLIPSIS


def _field_value(f: Field) -> str:
    """A field's lines, as many as fit in 1024 characters, then '… and N more'."""
    note_room = 24
    lines = [render_line(ln, FIELD_VALUE_MAX - note_room) for ln in f.lines]
    if not lines:
        return "\u200b"
    value = lines[0]
    for i in range(1, len(lines)):
        candidate = f"{value}\n{lines[i]}"
        room = FIELD_VALUE_MAX if i == len(lines) - 1 else FIELD_VALUE_MAX - note_room
        if len(candidate) > room:
            return f"{value}\n… and {len(lines) - i} more"
        value = candidate
    return value or "\u200b"


def _escaped_cut(text: str, limit: int) -> str:
    rendered = escape(text)
    if len(rendered) <= limit:
        return rendered
    return render_line((text,), limit)


@dataclass
class Page:
    """One Discord message's worth of a reply."""

    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)


@dataclass
class Rendered:
    """A reply as Discord messages. The first page carries the buttons and the file."""

    pages: list[Page]
    actions: tuple[Action, ...]
    mentions: discord.AllowedMentions
    ephemeral: bool
    attachment_name: str | None = None
    attachment_data: bytes | None = None

    def file(self) -> discord.File | None:
        if self.attachment_name is None or self.attachment_data is None:
            return None
        return discord.File(io.BytesIO(self.attachment_data), filename=self.attachment_name)


def _embed_size(e: discord.Embed) -> int:
    return len(e)


def _embeds(reply: Reply) -> list[discord.Embed]:
    colour = TONE_COLOURS.get(reply.tone, TONE_COLOURS[Tone.INFO])
    description = pack_lines([render_line(ln, DESCRIPTION_MAX) for ln in reply.lines], DESCRIPTION_MAX)
    fields = [(_escaped_cut(f.name, FIELD_NAME_MAX) or "\u200b", _field_value(f), f.inline) for f in reply.fields]
    embeds: list[discord.Embed] = []
    first = discord.Embed(
        title=_escaped_cut(reply.title, TITLE_MAX) if reply.title else None,
        description=description[0] if description else None,
        colour=colour,
    )
    if reply.image and reply.image.startswith("https://"):
        first.set_thumbnail(url=reply.image)  # a film's poster beside its card
    embeds.append(first)
    embeds.extend(discord.Embed(description=d, colour=colour) for d in description[1:])
    current = embeds[-1]
    for name, value, inline in fields:
        if len(current.fields) >= FIELDS_MAX or _embed_size(current) + len(name) + len(value) > EMBED_TOTAL_MAX:
            current = discord.Embed(colour=colour)
            embeds.append(current)
        current.add_field(name=name, value=value, inline=inline)
    if reply.footer:
        footer = _escaped_cut(_footer_text(reply.footer), FOOTER_MAX)
        if _embed_size(current) + len(footer) > EMBED_TOTAL_MAX:
            current = discord.Embed(colour=colour)
            embeds.append(current)
        current.set_footer(text=footer)
    return embeds


def _footer_text(footer: str | Line) -> str:
    """An embed footer shows no markdown: commands in it are spelled as plain text."""
    if isinstance(footer, str):
        return footer
    return "".join(spell(p) if isinstance(p, Cmd) else plain_inline(p, "UTC") for p in footer)


def _pages_of_embeds(embeds: list[discord.Embed], content: str | None) -> list[Page]:
    pages = [Page(content=content)]
    size = 0
    for e in embeds:
        page = pages[-1]
        if page.embeds and (len(page.embeds) >= EMBEDS_PER_MESSAGE or size + _embed_size(e) > EMBED_TOTAL_MAX):
            pages.append(Page())
            size = 0
        pages[-1].embeds.append(e)
        size += _embed_size(e)
    return pages


def _mention_ids(reply: Reply) -> list[int]:
    return list(dict.fromkeys(int(u.user_id) for u in reply.notify if u.user_id.isdigit()))


def render(reply: Reply) -> Rendered:
    """The reply as Discord messages. Only members in `reply.notify` are mentioned, and the
    allowed mentions name exactly them; everything else is `AllowedMentions.none()`."""
    ids = _mention_ids(reply)
    mention_line = " ".join(f"<@{i}>" for i in ids) or None
    if ids:
        mentions = discord.AllowedMentions(
            everyone=False, roles=False, replied_user=False, users=[discord.Object(id=i) for i in ids]
        )
    else:
        mentions = discord.AllowedMentions.none()
    if reply.title or reply.fields or reply.footer:
        pages = _pages_of_embeds(_embeds(reply), mention_line)
    else:
        texts = [render_line(ln, CONTENT_MAX) for ln in reply.lines]
        if mention_line:
            texts.insert(0, mention_line)
        pages = [Page(content=block) for block in pack_lines(texts, CONTENT_MAX)] or [Page(content="\u200b")]
    att = reply.attachment
    return Rendered(
        pages=pages,
        actions=reply.actions[:25],
        mentions=mentions,
        ephemeral=reply.ephemeral,
        attachment_name=att.filename if att else None,
        attachment_data=att.data if att else None,
    )
