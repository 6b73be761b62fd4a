"""Reply: neutral structured output. Adapters render it (embed, Block Kit, plain text).

Text is a sequence of lines; each line is a sequence of inline pieces. Plain strings are the
member's or the bot's words and are never markup; `Time`, `Spoiler`, `UserRef` and `Cmd` are
the only structured pieces, so each adapter decides how a time, a spoiler, a person or a
command is shown (Discord `<t:…>`, `||…||` and `/film info film:#1`, Slack `<!date^…>` and
`/docclub film #1`, the console's club-timezone text and bare `film #1`).
The core never emits a mention: a `UserRef` is a name unless an adapter chooses to ping.
Over 400 lines: COMMAND_PARAMS, the one catalogue of every command's parameters, is kept whole.
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
    """Text a member chooses to see: a review, or a film's content warnings (`kind`), which an
    adapter may hide in its own way (Discord's spoiler tag, Slack's "Show …" button)."""

    text: str
    kind: str = "review"  # review | warnings


@dataclass(frozen=True, slots=True)
class UserRef:
    user_id: str
    display_name: str


# ---- commands named in replies ----


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a command, as the text grammar spells it.

    `word`: a positional word (`wrap` puts it in context, e.g. "({})" for a year); `option`:
    `--name VALUE`; `flag`: `--name` alone, set by any value ("") and offered by None.
    `placeholder` stands in when no value is given.
    `film` marks a film reference: a title with spaces is quoted in the text grammar."""

    name: str
    placeholder: str
    kind: str = "word"  # word | option | flag
    optional: bool = False
    wrap: str = "{}"
    film: bool = False


def _w(name: str, placeholder: str, *, optional: bool = False, wrap: str = "{}") -> Param:
    return Param(name, placeholder, "word", optional, wrap)


def _film(name: str = "film", placeholder: str = "<film>") -> Param:
    return Param(name, placeholder, "word", film=True)


def _opt(name: str, placeholder: str) -> Param:
    return Param(name, placeholder, "option", optional=True)


_POLL = _w("poll", "#poll", optional=True)
_PARTY = _w("party", "#party", optional=True)
_NIGHT = _w("night", "#night", optional=True)
# `night schedule` and `night edit` take the same options: name=placeholder.
_NIGHT_OPTIONS = tuple(
    _opt(*o.split("="))
    for o in ["where=TEXT", "poll=7d", "closes=1d", "method=single|approval|ranked", "top=N", "duration=2h"]
)

# Every command the core may name in a reply or a usage line: its words in the text grammar
# and its parameters in order. Adapters map each to the command they register (Discord's slash
# commands); their tests check that every entry here names a command they really have.
COMMAND_PARAMS: dict[str, tuple[Param, ...]] = {
    "suggest": (
        _film("title", "<title>"),
        _w("year", "<year>", optional=True, wrap="({})"),
        _opt("link", "URL"),
        _opt("where", "TEXT"),
        _opt("cw", "TEXT"),
        _opt("tags", "a,b"),
        _opt("pitch", "TEXT"),
        Param("new", "", "flag", optional=True),
    ),
    "films": (_w("which", "suggested|shortlisted|scheduled|watched|withdrawn|all", optional=True),),
    "film": (_film(),),
    "seen": (_film(),),
    "withdraw": (_film(),),
    "shortlist": (_film(),),
    "delete": (_film(),),
    "poll open": (
        _opt("method", "single|approval|ranked"),
        _opt("closes", "WHEN"),
        Param("anonymous", "", "flag", optional=True),
        _opt("top", "N"),
        _w("films", "<film>, ...", optional=True),
    ),
    "poll show": (_POLL,),
    "poll add": (_POLL, _film()),
    "poll close": (_POLL, _opt("schedule", "WHEN")),
    "poll cancel": (_POLL,),
    "vote": (_POLL, _w("films", "<film>[, <film> ...]")),
    "vote clear": (_POLL,),
    "party schedule": (
        _film(),
        _w("when", "<WHEN>"),
        _opt("where", "TEXT"),
        _opt("duration", "2h"),
        Param("again", "", "flag", optional=True),
    ),
    "party list": (_w("which", "all", optional=True),),
    "party show": (_PARTY,),
    "party ics": (_PARTY,),
    "party move": (_PARTY, _w("when", "<WHEN>")),
    "party cancel": (_PARTY,),
    "rsvp": (_PARTY, _w("answer", "yes|maybe|no"), _opt("remind", "2h|off")),
    "night schedule": (_w("rule", "<rule>"), _w("time", "<time>"), *_NIGHT_OPTIONS),
    "night list": (),
    "night show": (_NIGHT,),
    "night skip": (_NIGHT, _w("date", "<date>")),
    "night move": (_NIGHT, _w("date", "<date>"), _w("when", "<WHEN>")),
    "night edit": (_NIGHT, _w("rule", "<rule>", optional=True), _w("time", "<time>", optional=True), *_NIGHT_OPTIONS),
    "night cancel": (_NIGHT,),
    "night ics": (_NIGHT,),
    "rsvp night": (_NIGHT, _w("answer", "yes|maybe|no")),
    "rate": (
        _film(),
        _w("score", "<score>"),
        _w("review", "review", optional=True),
        Param("no-review", "", "flag", optional=True),
    ),
    "ratings": (_film(),),
    "my ratings": (),
    "leaderboard": (),
    "prompts": (_film(),),
    "prompt add": (_film(), _w("question", "<question>")),
    "config show": (),
    "config set": (_w("key", "<key>"), _w("value", "<value>")),
    "club link": (),
    "club link reset": (),
    "export": (_w("what", "json|csv"),),
    "import": (_w("path", "<path>"),),
    "import letterboxd": (_w("path", "<path>"),),
    "pick": (_w("n", "<n>|none"),),
    "film refresh": (_film(),),
    "help": (_w("command", "command", optional=True),),
}


class ExampleFilm(StrEnum):
    """Stands in for a film of the club in an example (`Docclub.answer` fills it in)."""

    ANY = "<film>"


EXAMPLE_FILM = ExampleFilm.ANY


@dataclass(frozen=True, slots=True)
class Cmd:
    """A command a member can run, named by what it does: `op` is a key of COMMAND_PARAMS and
    `args` the parameters shown, in order, each with a value or None (its placeholder).
    Each adapter spells it as its members type it; the text grammar's form is `text_command`."""

    op: str
    args: tuple[tuple[str, str | None], ...] = ()

    def __post_init__(self) -> None:
        params = COMMAND_PARAMS.get(self.op)
        if params is None:
            raise ValueError(f"no command {self.op!r} in COMMAND_PARAMS")
        known = [p.name for p in params]
        names = [name for name, _ in self.args]
        if any(n not in known for n in names) or names != sorted(names, key=known.index):
            raise ValueError(f"{self.op}: parameters {names} are not among {known} in that order")

    def params(self) -> list[tuple[Param, str | None]]:
        """The shown parameters with their values, in the catalogue's order."""
        given = dict(self.args)
        return [(p, given[p.name]) for p in COMMAND_PARAMS[self.op] if p.name in given]

    def with_film(self, ref: str) -> Cmd:
        """This command with `ref` in place of `EXAMPLE_FILM`."""
        return Cmd(self.op, tuple((n, ref if v is EXAMPLE_FILM else v) for n, v in self.args))


def cmd(op: str, **args: str | None) -> Cmd:
    """`cmd("rate", film="#1", score=None, review=None)`: the command with those parameters shown."""
    return Cmd(op, tuple(args.items()))


def synopsis(op: str) -> Cmd:
    """The command with every parameter as its placeholder: a usage line."""
    return Cmd(op, tuple((p.name, None) for p in COMMAND_PARAMS[op]))


def quote_film(value: str) -> str:
    """A film reference as the text grammar reads it: `#3`, `Navalny`, `"Fire of Love"`."""
    if value.startswith(("#", "<")) or (" " not in value and "," not in value):
        return value
    return f'"{value}"'


def text_command(c: Cmd) -> str:
    """The command in the text grammar (the console's form; Slack puts `/docclub` before it)."""
    words = [c.op]
    for p, value in c.params():
        if p.kind == "flag":
            words.append(f"--{p.name}" if value is not None else f"[--{p.name}]")
            continue
        shown = value if value is not None else p.placeholder
        if p.film and value is not None:
            shown = quote_film(value)
        shown = p.wrap.format(shown)
        if p.kind == "option":
            shown = f"--{p.name} {shown}"
        words.append(f"[{shown}]" if value is None and p.optional else shown)
    return " ".join(words)


Inline = str | Time | Spoiler | UserRef | Cmd
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
    PICK = "pick"  # value: "<n>" (1-based) or "none": which looked-up film a suggestion meant


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
    footer: str | Line | None = None  # a Line when it names a command
    actions: tuple[Action, ...] = ()
    tone: Tone = Tone.INFO
    ephemeral: bool = False
    attachment: Attachment | None = None
    # Members the reply is about who may be notified (reminders name who said yes/maybe).
    notify: tuple[UserRef, ...] = ()
    # What the reply refers to, for adapters that attach threads, buttons or events.
    subject: tuple[str, int] | None = None  # ("poll" | "party" | "film" | "night", id)
    # A picture beside the reply where the platform shows one (a film's poster): an https URL.
    image: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)


def went_wrong(ref: str, *, nothing_changed: bool = False) -> str:
    """What a member reads of an unexpected error, on every platform: its reference id (logged
    with the error), never a traceback. `nothing_changed`: the command's transaction rolled back."""
    then = " Nothing was changed; please try again" if nothing_changed else " Please try again"
    return f"Something went wrong on our side (ref {ref}).{then}, and tell an organizer the ref if it keeps happening."


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
    if isinstance(piece, Cmd):
        return text_command(piece)
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
    buttons = [a for a in reply.actions if a.kind is not ActionKind.PICK]  # picks are listed in the lines
    if buttons:
        out.append("[" + "] [".join(a.label for a in buttons) + "]")
    if reply.footer:
        out.append(reply.footer if isinstance(reply.footer, str) else plain_line(reply.footer, tz, now))
    if reply.attachment:
        out.append(f"(attachment: {reply.attachment.filename}, {len(reply.attachment.data)} bytes)")
    return "\n".join(out)
