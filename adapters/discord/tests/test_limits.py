"""Discord's limits are kept by splitting between lines and cutting cleanly, never mid-spoiler."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import discord
from docclub_discord.render import CONTENT_MAX, EMBED_TOTAL_MAX, escape, render, render_line
from docclub_discord.testing import GUILD_ID, Harness, Member
from hypothesis import given
from hypothesis import strategies as st

from docclub.core.models import Actor, ClubKey, NewFilm
from docclub.core.replies import Field, Reply, Spoiler, Time, line

ALICE = Member(500000000000000011, "alice")


def test_a_long_plain_reply_is_split_between_lines() -> None:
    lines = tuple(line(f"line {i:03d} " + "x" * 60) for i in range(100))
    pages = render(Reply(lines=lines)).pages
    assert len(pages) > 1
    assert all(p.content is not None and len(p.content) <= CONTENT_MAX for p in pages)
    shown = "\n".join(p.content or "" for p in pages).split("\n")
    assert shown == [f"line {i:03d} " + "x" * 60 for i in range(100)]  # every line once, in order, whole


def test_an_overlong_line_is_cut_without_opening_its_spoiler() -> None:
    text = render_line(line("Review: ", Spoiler("the ending " * 400)), CONTENT_MAX)
    assert len(text) <= CONTENT_MAX
    assert text.endswith("||…") and text.count("||") == 2


def test_escapes_are_not_cut_in_half() -> None:
    text = render_line(line("*" * 3000), 101)
    assert len(text) <= 101 and not text[:-1].endswith("\\") and text.endswith("…")


# Plain words, and every character Discord's markdown or mentions could act on.
MENTIONS = ["@everyone", "@here", "<@123456789012345678>", "@&123456789012345678"]
MARKDOWN = ["**", "> ", ">>> ", "# ", "  - ", "[a](b)", "https://example.org/_a_", "<https://example.org>"]
MARKUP = st.lists(st.sampled_from([*"ab 1\n\t#>-_*~|`\\[]()<:/@!&.", *MENTIONS, *MARKDOWN])).map("".join)


@given(MARKUP)
def test_plain_text_skips_escaping_only_when_escaping_would_change_nothing(text: str) -> None:
    assert escape(text) == discord.utils.escape_markdown(discord.utils.escape_mentions(text))


def test_times_become_discord_timestamps() -> None:
    at = datetime(2026, 11, 28, 19, 0, tzinfo=UTC)
    assert render_line(line(Time(at), " (", Time(at, "relative"), ")")) == "<t:1795892400:F> (<t:1795892400:R>)"


def test_embeds_keep_field_count_and_total_size() -> None:
    fields = tuple(Field(f"field {i}", (line("v" * 900),)) for i in range(40))
    pages = render(Reply(title="Many fields", fields=fields)).pages
    embeds = [e for p in pages for e in p.embeds]
    assert sum(len(e.fields) for e in embeds) == 40
    for p in pages:
        assert len(p.embeds) <= 10 and sum(len(e) for e in p.embeds) <= EMBED_TOTAL_MAX
        assert all(len(e.fields) <= 25 for e in p.embeds)


async def test_a_long_film_list_reaches_discord_as_several_messages(discord_club: Harness) -> None:
    h = discord_club
    key = ClubKey("discord", str(GUILD_ID))
    titles = [f"Number {i:02d} " + hashlib.sha256(str(i).encode()).hexdigest() * 2 for i in range(80)]
    for t in titles:
        await h.app.films.suggest(key, Actor("discord", str(ALICE.user_id), "alice"), NewFilm(title=t.strip()))
    answer = await h.slash(ALICE, "film list")
    messages = answer.messages()
    assert len(messages) >= 2  # the response and follow-ups
    for m in messages:
        assert len(m.get("content") or "") <= CONTENT_MAX
        assert len(m.get("embeds") or []) <= 10
        assert all(len(e.get("description") or "") <= 4096 for e in m.get("embeds") or [])
    shown = answer.text()
    for i in range(80):
        assert shown.count(f"Number {i:02d} ") == 1
