"""Scenario transcripts through Discord: each line of the text grammar as the slash command a
member would use, and what the fake Discord received back in the console's words."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from docclub.core.commands import Quoted, parse, time_split, tokenize
from docclub.core.errors import DocclubError
from docclub.core.models import ClubKey
from docclub.core.night_rules import read_clock
from docclub_discord.testing.harness import Harness
from docclub_discord.testing.ids import GUILD_ID
from docclub_discord.testing.interactions import Member
from docclub_discord.testing.text import unrender

__all__ = ["DiscordDriver", "slash_for"]


class DiscordDriver:
    """Runs a scenario transcript through the Discord adapter.

    Each text line becomes the slash command a member would use, with its options filled the
    way the text grammar reads them (`rate "Beyond Utopia" 9 Great` -> /rate film:"Beyond
    Utopia" score:9 review:Great); unprefixed lines come from a member with Manage Server,
    named members have an ordinary member's permissions. What the fake Discord received is turned back into the
    console's plain text (times in the club's timezone, spoilers as [spoiler: …]), so the
    transcript's expected text is compared exactly. Lines with no slash command fail loudly.
    """

    def __init__(self, h: Harness, scheduler: Any) -> None:
        self.h = h
        self.scheduler = scheduler
        self.members: dict[str, Member] = {}
        self.mentions: list[tuple[str, list[str]]] = []  # (first line of a post, names it pinged)

    def member(self, name: str | None) -> Member:
        if name is None:
            return self.h.owner
        if name.casefold() not in self.members:
            self.members[name.casefold()] = Member(500000000000000100 + len(self.members), name)
        return self.members[name.casefold()]

    def name_of(self, user_id: int) -> str:
        for name, m in self.members.items():
            if m.user_id == user_id:
                return name
        return "Organizer" if user_id == self.h.owner.user_id else str(user_id)

    async def _club(self) -> tuple[str, str | None]:
        club = await self.h.app.club(ClubKey("discord", str(GUILD_ID)))
        return club.config.timezone, club.config.announce_channel

    async def send(self, line: str) -> str:
        m = re.match(r"^\s*([^\s>#\-\"]{1,40})>\s?(.*)$", line, re.S)
        who, text = (m.group(1), m.group(2)) if m else (None, line)
        path, options = await slash_for(self.h, text)
        answer = await self.h.slash(self.member(who), path, **options)
        tz, _ = await self._club()
        out: list[str] = []
        for rec in answer.requests:
            data = rec.message_data() if rec.method != "DELETE" else {}
            if data:
                out.extend(unrender(data, tz, rec.at)[0])
        return "\n".join(out)

    async def advance(self, seconds: float) -> str:
        target = self.h.clock.now() + timedelta(seconds=seconds)
        mark = len(self.h.fake.received)
        platforms = self.scheduler.platforms
        while True:
            nxt = await self.scheduler.store.read(lambda tx: tx.reminders.next_due_at(platforms))
            if nxt is None or nxt > target:
                break
            if nxt > self.h.clock.now():
                await self.h.clock.set(nxt)
            await self.scheduler.run_due()
        await self.h.clock.set(target)
        tz, channel = await self._club()
        posts: list[str] = []
        for rec in self.h.fake.received[mark:]:
            pm = re.fullmatch(r"/channels/(\d+)/messages", rec.path)
            if rec.method != "POST" or pm is None:
                continue
            lines, mentioned = unrender(rec.body or {}, tz, rec.at)
            dm_user = self.h.fake.dm_channels.get(int(pm.group(1)))
            if dm_user is not None:
                head = f"[direct message to {self.name_of(dm_user)}]"
            else:
                head = f"[announcement in {channel}]" if channel else "[announcement]"
                self.mentions.append((lines[0] if lines else "", [self.name_of(u) for u in mentioned]))
            posts.append("\n".join([head, *lines]))
        return "\n\n".join(posts)


def _rule_and_clock(words: list[str]) -> tuple[str, str] | None:
    """`first friday 20:00` -> ("first friday", "20:00"), as the text grammar reads a night."""
    for k in (1, 2):
        if len(words) > k:
            try:
                read_clock(" ".join(words[-k:]))
            except DocclubError:
                continue
            return " ".join(words[:-k]), " ".join(words[-k:])
    return None


async def slash_for(h: Harness, text: str) -> tuple[str, dict[str, Any]]:
    """The slash command and options a member would use for one line of the text grammar."""
    tokens = tokenize(text.strip())
    name, rest = tokens[0].lower(), tokens[1:]
    tz = (await h.app.club(ClubKey("discord", str(GUILD_ID)))).config.timezone

    def time_first(p: Any, option: str) -> tuple[str | None, list[str]]:
        """The grammar's reading of `--closes friday 18:00 Navalny, …`: the time, then the words."""
        spoken = p.option_words.get(option, [])
        k = time_split(spoken, tz, h.clock.now(), at_end=False) if len(spoken) > 1 else len(spoken)
        k = k or len(spoken)
        return (" ".join(spoken[:k]) or None), [*p.words, *spoken[k:]]

    def joined(words: list[str]) -> str | None:
        return " ".join(words) or None

    def commas(words: list[str]) -> str:
        return ", ".join(p.strip() for p in " ".join(words).split(",") if p.strip())

    def poll_ref(words: list[str]) -> tuple[str | None, list[str]]:
        if words and re.fullmatch(r"#\d+", words[0]):
            return words[0], words[1:]
        return None, words

    def film_then(words: list[str], is_rest: Callable[[str], bool]) -> tuple[str, list[str]]:
        if re.fullmatch(r"#\d+", words[0]) or isinstance(words[0], Quoted):
            return words[0], words[1:]
        for i in range(1, len(words)):
            if is_rest(words[i]):
                return " ".join(words[:i]), words[i:]
        return " ".join(words), []

    if name == "config":
        if not rest or rest[0] == "show":
            return "club config", {}
        return "club set", {"setting": rest[1], "value": " ".join(rest[2:])}
    if name == "suggest":
        p = parse(rest, options=("where", "cw", "tags", "pitch"), single=("link", "year"), flags=("new",))
        return "film suggest", {
            "new": "new" in p.flags or None,
            "title": " ".join(p.words),
            "where": p.options.get("where"),
            "warnings": p.options.get("cw"),
            "tags": p.options.get("tags"),
            "pitch": p.options.get("pitch"),
            "link": p.options.get("link"),
            "year": int(p.options["year"]) if "year" in p.options else None,
        }
    if name == "films":
        return "film list", {"which": joined(rest)}
    if name in ("film", "seen", "withdraw", "shortlist", "delete"):
        return f"film {'info' if name == 'film' else name}", {"film": joined(rest)}
    if name == "poll":
        sub, words = rest[0].lower(), rest[1:]
        if sub == "open":
            p = parse(words, single=("method", "top"), phrase=("closes",), flags=("anonymous",))
            closes, film_words = time_first(p, "closes")
            return "poll open", {
                "films": commas(film_words) or None,
                "method": p.options.get("method"),
                "closes": closes,
                "anonymous": "anonymous" in p.flags or None,
                "top": int(p.options["top"]) if "top" in p.options else None,
            }
        if sub in ("show", "cancel"):
            return f"poll {sub}", {"poll": joined(words)}
        if sub == "close":
            p = parse(words, phrase=("schedule",))
            schedule, ref_words = time_first(p, "schedule")
            return "poll close", {"poll": joined(ref_words), "schedule": schedule}
        if sub == "add":
            ref, words = poll_ref(words)
            return "poll add", {"poll": ref, "film": joined(words)}
    if name == "unvote" or (name == "vote" and "clear" in [w.lower() for w in rest] and len(rest) <= 2):
        return "vote", {"clear": True, "poll": next((w for w in rest if re.fullmatch(r"#\d+", w)), None)}
    if name == "vote":
        ref, words = poll_ref(rest) if len(rest) >= 2 else (None, rest)
        return "vote", {"films": commas(words), "poll": ref}
    if name == "party":
        sub, words = rest[0].lower(), rest[1:]
        if sub == "schedule":
            p = parse(words, options=("where", "duration"), flags=("again",))
            film, when = film_then(p.words, lambda w: bool(re.match(r"\d|mon|tue|wed|thu|fri|sat|sun|tomorrow", w)))
            if not when and p.tail:  # `--where Zoom sat 20:00`: the time at the end of the last option
                spoken = p.option_words[p.tail]
                k = time_split(spoken, tz, h.clock.now(), at_end=True)
                if k:
                    p.options[p.tail] = " ".join(spoken[:-k])
                    when = spoken[-k:]
            return "party schedule", {
                "film": film,
                "when": " ".join(when),
                "where": p.options.get("where"),
                "duration": p.options.get("duration"),
                "again": "again" in p.flags or None,
            }
        if sub == "list":
            return "party list", {"which": joined(words)}
        ref, words = poll_ref(words)
        if sub == "move":
            return "party move", {"party": ref, "when": " ".join(words)}
        return f"party {sub}", {"party": ref}
    if name == "rsvp" and rest and rest[0].lower() == "night":
        ref, words = poll_ref(rest[1:])
        return "night rsvp", {"night": ref, "answer": joined(words)}
    if name == "night":
        sub, words = rest[0].lower(), rest[1:]
        if sub in ("schedule", "edit"):
            p = parse(words, options=("where",), single=("poll", "closes", "method", "top", "duration"))
            ref, ws = poll_ref(p.words) if sub == "edit" else (None, p.words)
            found = _rule_and_clock(ws)
            rule, clock = found if found is not None else (joined(ws), None)
            options: dict[str, Any] = {
                "rule": rule or None,
                "time": clock,
                "where": p.options.get("where"),
                "poll": p.options.get("poll"),
                "closes": p.options.get("closes"),
                "method": p.options.get("method"),
                "top": int(p.options["top"]) if "top" in p.options else None,
                "duration": p.options.get("duration"),
            }
            if sub == "edit":
                options["night"] = ref
            return f"night {sub}", options
        if sub == "list":
            return "night list", {}
        ref, words = poll_ref(words)
        if sub == "skip":
            return "night skip", {"night": ref, "date": " ".join(words)}
        if sub == "move":
            for k in range(1, len(words)):
                if (
                    time_split([*words[:k], "12:00"], tz, h.clock.now(), at_end=False) == k + 1
                    and time_split(words[k:], tz, h.clock.now(), at_end=False) == len(words) - k
                ):
                    return "night move", {"night": ref, "date": " ".join(words[:k]), "when": " ".join(words[k:])}
            raise AssertionError(f"no night move in {text!r}")
        return f"night {sub}", {"night": ref}
    if name == "rsvp":
        p = parse(rest, single=("remind",))
        ref, words = poll_ref(p.words)
        return "rsvp", {"party": ref, "answer": joined(words), "remind": p.options.get("remind")}
    if name == "rate":
        p = parse(rest, flags=("no-review",))
        film, after = film_then(p.words, lambda w: bool(re.match(r"[-+]?(\d|[.,]\d|½|★)", w)))
        return "rate", {
            "film": film,
            "score": after[0] if after else "",
            "review": joined(after[1:]),
            "remove_review": "no-review" in p.flags or None,
        }
    if name == "ratings":
        return "ratings", {"film": joined(rest)}
    if name == "my":
        return "ratings", {}
    if name == "leaderboard":
        return "leaderboard", {}
    if name == "prompts":
        return "prompts show", {"film": joined(rest)}
    if name == "prompt" and rest and rest[0] == "add":
        film, question = film_then(rest[1:], lambda w: False)
        return "prompts add", {"film": film, "question": " ".join(question)}
    if name == "export":
        return "club export", {"what": joined(rest)}
    if name == "help":
        return "help", {"command": joined(rest)}
    raise AssertionError(f"no Discord slash command for {text!r}")
