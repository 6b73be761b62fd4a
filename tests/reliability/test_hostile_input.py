"""Hostile input: hypothesis drives the text grammar and the core's commands with arbitrary
text (unicode, control characters, 100 KB strings, quotes, markdown, Slack and Discord
mention syntax). Nothing raises unexpectedly, every refusal is a readable message, and a
refused command leaves the club exactly as it was. Mention syntax stays member text."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docclub.core.clubs import Docclub, safely
from docclub.core.commands import run_command
from docclub.core.models import Actor, ClubKey, ClubSnapshot, NewFilm
from docclub.core.replies import Inline, Reply, Spoiler, Tone, UserRef, render_plain
from docclub.scheduler import Scheduler
from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock
from docclub.testing.clock import settle
from tests.conftest import Stores

KEY = ClubKey("discord", "4242")
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

words = st.one_of(st.sampled_from(MENTIONS + MARKUP + GRAMMAR + CONTROL), st.text(max_size=30))
command_lines = st.builds(lambda cmd, args: " ".join([cmd, *args]), st.sampled_from(COMMANDS),
                          st.lists(words, max_size=8))
huge = st.builds(lambda cmd, piece, n: f"{cmd} {piece * n}", st.sampled_from(COMMANDS),
                 st.sampled_from(["x", "€", "@everyone ", '"', "\x00", "--pitch "]), st.integers(4_000, 100_000))
any_text = st.one_of(command_lines, command_lines, st.text(max_size=300), huge)
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


async def snapshot(club: Club) -> ClubSnapshot:
    return await club.store.read(lambda tx: tx.export_club(club.club_id))


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
    before = await snapshot(club)
    reply = await safely(action())
    club.tried += 1
    check_readable(reply)
    if reply.tone is Tone.ERROR:
        club.refused += 1
        assert await snapshot(club) == before, "a refused command changed the club"
        club.snapshots_compared += 1
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
        @settings(max_examples=1500, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(text=any_text, name=names, organizer=st.booleans())
        def one(text: str, name: str, organizer: bool) -> None:
            actor = Actor("discord", "100" if organizer else "300", name, is_organizer=organizer)
            runner.run(try_refusal(club, lambda: run_command(club.app, KEY, actor, text)))

        one()

    club = run_examples(test)
    figures(inputs_tried=club.tried, refused=club.refused, snapshots_compared=club.snapshots_compared,
            unexpected_errors=0)


@pytest.mark.slow
def test_every_core_command_refuses_arbitrary_text_cleanly(figures: Callable[..., None]) -> None:
    """Each facade method called directly with arbitrary text in every text argument."""

    def calls(app: Docclub, a: Actor, t: str) -> Iterator[Callable[[], Awaitable[Reply]]]:
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

    texts = st.one_of(st.sampled_from(MENTIONS + MARKUP + GRAMMAR + CONTROL), st.text(max_size=200),
                      st.builds(lambda piece, n: piece * n, st.sampled_from(["x", "€", "<@&1>", "\x00"]),
                                st.integers(1_000, 100_000)))

    def test(runner: asyncio.Runner, club: Club) -> None:
        @settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(text=texts, name=names, organizer=st.booleans())
        def one(text: str, name: str, organizer: bool) -> None:
            actor = Actor("discord", "100" if organizer else "300", name, is_organizer=organizer)
            for call in calls(club.app, actor, text):
                runner.run(try_refusal(club, call))

        one()

    club = run_examples(test)
    figures(calls_tried=club.tried, refused=club.refused, snapshots_compared=club.snapshots_compared,
            unexpected_errors=0)


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
