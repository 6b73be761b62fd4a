"""Hostile input: hypothesis drives the text grammar and the core's commands with arbitrary
text (unicode, control characters, 100 KB strings, quotes, markdown, Slack and Discord
mention syntax). Nothing raises unexpectedly, every refusal is a readable message, and a
refused command leaves the club exactly as it was. Mention syntax stays member text."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docclub.core.clubs import Docclub, safely
from docclub.core.commands import run_command
from docclub.core.models import Actor, ClubKey, NewFilm
from docclub.core.replies import Inline, Reply, Spoiler, Tone, UserRef, render_plain
from docclub.scheduler import Scheduler
from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock
from docclub.testing.clock import settle
from tests.conftest import Stores

KEY = ClubKey("discord", "4242")
# Inputs per run of `make test` (docs/reliability.md reports what a run reached);
# DOCCLUB_FUZZ_SCALE=0.1 runs a tenth of them, =10 ten times as many.
SCALE = float(os.environ.get("DOCCLUB_FUZZ_SCALE", "1"))
GRAMMAR_EXAMPLES = max(1, int(4000 * SCALE))  # command lines
FACADE_EXAMPLES = max(1, int(125 * SCALE))  # texts, each through every facade call (33 calls)
BACKUP_EXAMPLES = max(1, int(1500 * SCALE))  # crafted backups
TITLE_EXAMPLES = max(1, int(500 * SCALE))  # clean titles of 151–200 characters in many scripts
ORGANIZER = Actor("discord", "100", "Organizer", is_organizer=True)
MEMBER = Actor("discord", "200", "Ana")

MENTIONS = ["@everyone", "@here", "<@&1>", "<@&123456789012345678>", "<@123456789012345678>", "<@!1>",
            "<!channel>", "<!here>", "<!everyone>", "<@U024BE7LH>", "<!subteam^S123>", "<#C123|general>"]
MARKUP = ["**bold**", "__u__", "`code`", "```block```", "||spoiler||", "[x](https://evil.example)", "> quote",
          "<https://x.example|y>", "&lt;", "<script>", "\\", "'", '"', "“", "”", "„", "«", "»", "—"]
GRAMMAR = ["--", "--link", "--where", "--cw", "--tags", "--pitch", "--year", "--method", "--closes",
           "--anonymous", "--top", "--remind", "--schedule", "--duration", "#1", "#2", "#3", "#0", "#999999999",
           "#-1", "(2023)", "10", "11", "0.5", "★★★½", "yes", "no", "maybe", ",", "sat 8pm", "2026-12-05 20:00",
           "in 2 hours", "ranked", "approval", "single", "all", "timezone", "Europe/Berlin", "reminders", "24h,1h,0"]
CONTROL = ["\x00", "\x07", "\x1b[31m", "\r", "\n", "\t", "\u200b", "\u202e", "\ufeff", "\x7f", "\x85"]
COMMANDS = ["suggest", "films", "film", "seen", "withdraw", "shortlist", "delete", "poll open", "poll show",
            "poll close", "poll cancel", "poll add", "poll", "vote", "party schedule", "party list", "party show",
            "party ics", "party move", "party cancel", "party", "rsvp", "rate", "ratings", "my ratings",
            "leaderboard", "prompts", "prompt add", "config", "config set", "export json", "export csv",
            "import", "help", "/vote", "", "unknown"]

# Valid text from several scripts: what members of clubs around the world write.
SCRIPTS = {
    "Latin": "abcdefghijklmnopqrstuvwxyzàéîõüçñøß", "Greek": "αβγδεζηθικλμνξοπρστυφχψω",
    "Cyrillic": "абвгдежзийклмнопрстуфхцчшщыэюя", "Arabic": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "Hebrew": "אבגדהוזחטיכלמנסעפצקרשת", "Devanagari": "अआइईउऊएऐओऔकखगघचछजझटठडढणतथदधनपफबभमयरलवशसह",
    "Han": "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可",
    "Hiragana": "あいうえおかきくけこさしすせそたちつてとなにぬねの", "Hangul": "가나다라마바사아자차카타파하",
    "Thai": "กขคงจฉชซญดตถทธนบปผฝพฟภมยรลวศษสหอฮ", "Emoji": "🎬🎥🍿📽🎞⭐🌍🔥",  # one code point each
}
script_words = st.sampled_from(list(SCRIPTS.values())).flatmap(
    lambda letters: st.text(alphabet=letters, min_size=1, max_size=12))
scripts_text = st.lists(script_words, min_size=1, max_size=8).map(" ".join)
# Clean text of 151 to 200 characters: longer than most limits test, within the title's 200.
mid_length = st.builds(lambda words, n: (" ".join(words) * 40)[:n].strip() or "x",
                       st.lists(script_words, min_size=1, max_size=6), st.integers(151, 200)).filter(
    lambda t: 151 <= len(t) <= 200)
words = st.one_of(st.sampled_from(MENTIONS + MARKUP + GRAMMAR + CONTROL), st.text(max_size=30), script_words)
command_lines = st.builds(lambda cmd, args: " ".join([cmd, *args]), st.sampled_from(COMMANDS),
                          st.lists(words, max_size=8))
huge = st.builds(lambda cmd, piece, n: f"{cmd} {piece * n}", st.sampled_from(COMMANDS),
                 st.sampled_from(["x", "€", "@everyone ", '"', "\x00", "--pitch "]), st.integers(4_000, 100_000))
any_text = st.one_of(command_lines, command_lines, st.text(max_size=300), huge,
                     st.builds(lambda cmd, t: f"{cmd} {t}", st.sampled_from(COMMANDS), st.one_of(mid_length,
                                                                                                scripts_text)))
names = st.one_of(st.sampled_from(["Ana", "@everyone", "<!channel>", "<@&1>", "", "\x00", "x" * 500]),
                  st.text(max_size=100))


@dataclass
class Club:
    app: Docclub
    store: SqliteStore
    club_id: int
    tried: int = 0
    refused: int = 0
    snapshots_compared: int = 0
    last: Any = None  # the store as it was after the last refusal (a refusal changes nothing)


async def open_club() -> Club:
    """A club with films, an open poll, a scheduled party and ratings to aim at."""
    store = await SqliteStore.open(":memory:")
    app = Docclub(store, FakeClock())
    for title in ("Beyond Utopia", "Navalny", "Fire of Love", "@everyone <!channel> <@&1>"):
        await app.films.suggest(KEY, ORGANIZER, NewFilm(title, pitch="**pitch** <!here>"))
    await app.polls.open(KEY, ORGANIZER, method="ranked", film_refs=["#1", "#2", "#3"])
    await app.parties.schedule(KEY, ORGANIZER, "#1", "2026-12-05 20:00")
    await app.ratings.rate(KEY, MEMBER, "#2", "8", "@here great")
    club = await app.club(KEY)
    return Club(app, store, club.id)


async def snapshot(club: Club) -> list[tuple[str, list[Any]]]:
    """Every row of every table of the store (every club, reminders, events seen, ...).

    Read through a plain sqlite3 connection to the same shared in-memory database: no hop to
    aiosqlite's threads, so comparing the whole store after each refusal stays cheap."""
    with contextlib.closing(sqlite3.connect(club.store.path, uri=True)) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        # Sorted here: some tables have no rowid to order by (WITHOUT ROWID).
        return [(t, sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)) for t in tables]


def check_readable(reply: Reply) -> None:
    text = render_plain(reply)
    assert "Something went wrong" not in text, text
    assert "Traceback" not in text
    if reply.tone is Tone.ERROR:
        assert text.strip(), "an empty refusal"
        assert len(text) <= 2000, f"a refusal of {len(text)} characters"
        assert all(ch == "\n" or ch.isprintable() for ch in text if ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0), text


async def try_refusal(club: Club, action: Callable[[], Awaitable[Reply]]) -> Reply:
    """Run a command the way adapters do; a refusal must leave the club unchanged."""
    before = club.last if club.last is not None else await snapshot(club)
    reply = await safely(action())
    club.tried += 1
    check_readable(reply)
    if reply.tone is Tone.ERROR:
        club.refused += 1
        club.last = await snapshot(club)
        assert club.last == before, "a refused command changed the club"
        club.snapshots_compared += 1
    else:
        club.last = None  # an accepted command may change the club: look again before the next
    return reply


def run_examples(test: Callable[[asyncio.Runner, Club], None]) -> Club:
    with asyncio.Runner() as runner:
        club = runner.run(open_club())
        try:
            test(runner, club)
        finally:
            runner.run(club.store.close())
    return club


@pytest.mark.slow
def test_the_text_grammar_refuses_arbitrary_text_cleanly(figures: Callable[..., None]) -> None:
    """Arbitrary command lines from organizers and members with arbitrary display names."""

    def test(runner: asyncio.Runner, club: Club) -> None:
        @settings(max_examples=GRAMMAR_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(text=any_text, name=names, organizer=st.booleans())
        def one(text: str, name: str, organizer: bool) -> None:
            actor = Actor("discord", "100" if organizer else "300", name, is_organizer=organizer)
            runner.run(try_refusal(club, lambda: run_command(club.app, KEY, actor, text)))

        one()

    club = run_examples(test)
    figures(inputs_tried=club.tried, refused=club.refused, snapshots_compared=club.snapshots_compared,
            unexpected_errors=0)


def calls_of_facade(app: Docclub, a: Actor, t: str) -> Iterator[Callable[[], Awaitable[Reply]]]:
    yield lambda: app.films.suggest(KEY, a, NewFilm(t, link=t if t.startswith("http") else None))
    yield lambda: app.films.suggest(KEY, a, NewFilm("Some film", where=t, pitch=t, warnings=(t,), tags=(t,)))
    yield lambda: app.films.card(KEY, a, t)
    yield lambda: app.films.list(KEY, a, t)
    yield lambda: app.films.seen(KEY, a, t)
    yield lambda: app.films.withdraw(KEY, a, t)
    yield lambda: app.films.shortlist(KEY, a, t)
    yield lambda: app.films.delete(KEY, a, t)
    yield lambda: app.polls.open(KEY, a, method=t, film_refs=[t, "#2"])
    yield lambda: app.polls.open(KEY, a, film_refs=["#3", "#4"], closes=t)
    yield lambda: app.polls.show(KEY, a, t)
    yield lambda: app.polls.vote(KEY, a, t, [t])
    yield lambda: app.polls.vote(KEY, a, None, [t, "#1"])
    yield lambda: app.polls.add_film(KEY, a, None, t)
    yield lambda: app.polls.close(KEY, a, t)
    yield lambda: app.polls.close(KEY, a, "#1", schedule_at=t)
    yield lambda: app.parties.schedule(KEY, a, "#3", t, where=t, duration=t)
    yield lambda: app.parties.schedule(KEY, a, t, "sat 20:00")
    yield lambda: app.parties.show(KEY, a, t)
    yield lambda: app.parties.rsvp(KEY, a, None, t, remind=t)
    yield lambda: app.parties.move(KEY, a, "#1", t)
    yield lambda: app.ratings.rate(KEY, a, "#2", t, t)
    yield lambda: app.ratings.rate(KEY, a, t, "7", None)
    yield lambda: app.ratings.show(KEY, a, t)
    yield lambda: app.discussion.prompts(KEY, a, t)
    yield lambda: app.discussion.add(KEY, a, "#1", t)
    yield lambda: app.settings.set(KEY, a, t, t)
    for setting in ("timezone", "rating_scale", "reminders", "announce_channel", "organizers"):
        yield lambda setting=setting: app.settings.set(KEY, a, setting, t)  # type: ignore[misc]
    yield lambda: app.backup.import_json(KEY, a, t.encode("utf-8", "surrogatepass"))


@pytest.mark.slow
def test_every_core_command_refuses_arbitrary_text_cleanly(figures: Callable[..., None]) -> None:
    """Each facade method called directly with arbitrary text in every text argument."""

    texts = st.one_of(st.sampled_from(MENTIONS + MARKUP + GRAMMAR + CONTROL), st.text(max_size=200),
                      st.builds(lambda piece, n: piece * n, st.sampled_from(["x", "€", "<@&1>", "\x00"]),
                                st.integers(1_000, 100_000)), mid_length, scripts_text)

    def test(runner: asyncio.Runner, club: Club) -> None:
        @settings(max_examples=FACADE_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(text=texts, name=names, organizer=st.booleans())
        def one(text: str, name: str, organizer: bool) -> None:
            actor = Actor("discord", "100" if organizer else "300", name, is_organizer=organizer)
            for call in calls_of_facade(club.app, actor, text):
                runner.run(try_refusal(club, call))

        one()

    club = run_examples(test)
    figures(calls_tried=club.tried, refused=club.refused, snapshots_compared=club.snapshots_compared,
            unexpected_errors=0)


@pytest.mark.slow
def test_clean_titles_of_151_to_200_characters_in_any_script_are_kept_whole(figures: Callable[..., None]) -> None:
    """Clean mid-length titles from 11 scripts: suggested, shown and found whole."""
    accepted = 0

    def test(runner: asyncio.Runner, club: Club) -> None:
        @settings(max_examples=TITLE_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(title=mid_length)
        def one(title: str) -> None:
            nonlocal accepted
            reply = runner.run(try_refusal(club, lambda: club.app.films.suggest(KEY, MEMBER, NewFilm(title))))
            text = render_plain(reply)
            if reply.tone is Tone.ERROR:
                assert "already" in text or "Did you mean" in text or "--new" in text, text  # a duplicate only
                return
            accepted += 1
            assert " ".join(title.split()) in text, text

        one()

    club = run_examples(test)
    assert accepted > TITLE_EXAMPLES // 2
    figures(inputs_tried=club.tried, accepted_whole=accepted, refused_as_duplicates=club.refused,
            snapshots_compared=club.snapshots_compared, unexpected_errors=0)


def json_values() -> st.SearchStrategy[Any]:
    leaves = st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63), st.floats(allow_nan=False),
                       st.text(max_size=40), mid_length, scripts_text,
                       st.sampled_from(["javascript:alert(1)", "Mars/Olympus", "1970-01-01T00:00:00",
                                        "2026-12-05T19:00:00.000+00:00", "film:1", "bank:access-1", "", "abc",
                                        "https://example.org/x", "\x00", "\u202e", "@everyone", "stars", "open"]))
    return st.recursive(leaves, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=10), inner, max_size=4)),
                        max_leaves=8)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value inside parsed JSON."""
    yield prefix
    if isinstance(data, dict):
        for key, value in data.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from paths(value, (*prefix, i))


@pytest.mark.slow
def test_crafted_backups_are_refused_cleanly_and_change_nothing(figures: Callable[..., None]) -> None:
    """A real backup with one value replaced, removed or doubled anywhere, imported by an organizer."""
    import json

    outcomes = {"imported": 0, "refused": 0}

    def test(runner: asyncio.Runner, club: Club) -> None:
        export = runner.run(club.app.backup.export_json(KEY, ORGANIZER))
        assert export.attachment is not None
        original = json.loads(export.attachment.data)
        every_path = [p for p in paths(original) if p]

        @settings(max_examples=BACKUP_EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(where=st.sampled_from(every_path), how=st.sampled_from(["replace", "remove", "double", "add"]),
               value=json_values())
        def one(where: tuple[Any, ...], how: str, value: Any) -> None:
            crafted = json.loads(export.attachment.data)  # type: ignore[union-attr]
            parent = crafted
            for step in where[:-1]:
                parent = parent[step]
            last = where[-1]
            if how == "replace":
                parent[last] = value
            elif how == "remove":
                del parent[last]
            elif how == "double" and isinstance(parent, list):
                parent.append(parent[last])
            elif isinstance(parent, dict):
                parent[f"{last}_extra"] = value
            else:
                parent.append(value)
            raw = json.dumps(crafted, ensure_ascii=False).encode("utf-8", "surrogatepass")
            reply = runner.run(try_refusal(club, lambda: club.app.backup.import_json(KEY, ORGANIZER, raw)))
            if reply.tone is Tone.ERROR:
                outcomes["refused"] += 1
                text = render_plain(reply)
                assert text.startswith(("This backup is damaged: ", "That file is not", "That backup is format")), text
                assert "Nothing was imported." in text, text
            else:
                outcomes["imported"] += 1  # a change the checks allow (a new title, a later time ...)
                runner.run(club.app.backup.import_json(KEY, ORGANIZER, export.attachment.data))  # type: ignore[union-attr]
                club.last = None

        one()

    club = run_examples(test)
    assert outcomes["refused"] > outcomes["imported"]
    figures(backups_tried=club.tried, refused=outcomes["refused"], imported=outcomes["imported"],
            snapshots_compared=club.snapshots_compared, unexpected_errors=0)


# ---- mention injection ----

HOSTILE = "@everyone @here <@&1> <!channel> <!here>"


def pieces(reply: Reply) -> Iterator[Inline]:
    for ln in reply.lines:
        yield from ln
    for f in reply.fields:
        for ln in f.lines:
            yield from ln


async def test_mention_syntax_in_member_text_never_becomes_a_ping(
        figures: Callable[..., None], stores: Stores) -> None:
    """Titles, pitches, reviews, prompts, places and display names full of mention syntax."""
    clock = FakeClock()
    store = await stores.sqlite(":memory:")
    app = Docclub(store, clock)
    sneaky = Actor("discord", "300", f"{HOSTILE} Mallory")
    replies = [
        await app.films.suggest(KEY, sneaky, NewFilm(f"{HOSTILE} film", pitch=HOSTILE, where=HOSTILE,
                                                     warnings=("<@&1>",), tags=("<!channel>",))),
        await app.films.suggest(KEY, sneaky, NewFilm("Navalny")),
        await app.ratings.rate(KEY, sneaky, "#1", "9", HOSTILE),
        await app.discussion.add(KEY, sneaky, "#1", f"{HOSTILE} what did the film leave out?"),
        await app.polls.open(KEY, sneaky, film_refs=["#1", "#2"]),
        await app.polls.vote(KEY, sneaky, None, ["#1"]),
        await app.parties.schedule(KEY, ORGANIZER, "#1", "2026-11-26 20:00", where=HOSTILE),
        await app.parties.rsvp(KEY, sneaky, "#1", "yes", remind="2h"),
        await app.ratings.rate(KEY, MEMBER, "#1", "3", f"{HOSTILE} no"),
    ]
    reads: list[Callable[[], Awaitable[Reply]]] = [
        lambda: app.films.card(KEY, MEMBER, "#1"), lambda: app.ratings.show(KEY, MEMBER, "#1"),
        lambda: app.discussion.prompts(KEY, MEMBER, "#1"), lambda: app.parties.show(KEY, MEMBER, "#1"),
        lambda: app.polls.show(KEY, MEMBER, "#1"), lambda: app.films.list(KEY, MEMBER, "all"),
        lambda: app.ratings.leaderboard(KEY, MEMBER),
        lambda: app.parties.move(KEY, ORGANIZER, "#1", "2026-11-27 20:00")]
    for call in reads:
        replies.append(await call())
    delivered: list[Reply] = []

    class Capture:
        async def announce(self, club: ClubKey, channel: str | None, reply: Reply, *, key: str) -> None:
            delivered.append(reply)

        async def direct(self, club: ClubKey, user_id: str, reply: Reply, *, key: str) -> None:
            assert user_id == sneaky.user_id
            delivered.append(reply)

    scheduler = Scheduler(app, store, clock, {"discord": Capture()})
    task = asyncio.create_task(scheduler.run())
    await settle()
    for _ in range(72):
        await clock.advance(hours=1)
    scheduler.stop()
    await task
    await store.close()
    assert len(delivered) >= 4, "the party's reminders, the member's own and the after-party nudge"

    members = {sneaky.user_id, MEMBER.user_id, ORGANIZER.user_id}
    carried = 0
    for reply in replies + delivered:
        for ref in reply.notify:
            assert ref.user_id in members, f"notify names {ref.user_id!r}"
        for piece in pieces(reply):
            if isinstance(piece, UserRef):
                assert piece.user_id in members, f"a person reference to {piece.user_id!r}"
            text = piece if isinstance(piece, str) else piece.text if isinstance(piece, Spoiler) else ""
            carried += "<!channel>" in text or "@everyone" in text
    assert carried > 0, "the hostile text should be shown, as text"
    figures(replies_checked=len(replies) + len(delivered), reminders_checked=len(delivered),
            pieces_carrying_mention_syntax=carried, pings_found=0)


def test_a_run_fuzzes_at_least_ten_thousand_inputs() -> None:
    """What `make test` promises in docs/reliability.md (at the default DOCCLUB_FUZZ_SCALE of 1)."""
    if SCALE < 1:
        pytest.skip("DOCCLUB_FUZZ_SCALE is below 1 for this run")
    calls_per_text = len(list(calls_of_facade(Docclub.__new__(Docclub), MEMBER, "x")))
    total = GRAMMAR_EXAMPLES + FACADE_EXAMPLES * calls_per_text + BACKUP_EXAMPLES + TITLE_EXAMPLES
    assert total >= 10_000 * SCALE, total
