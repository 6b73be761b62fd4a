"""Reply -> Block Kit: limits kept by paging and truncation, times, mentions."""

from __future__ import annotations

from datetime import UTC, datetime

from docclub_slack.render import MAX_BLOCKS, render
from docclub_slack.testing import blocks_to_text

from docclub.core.replies import Action, ActionKind, Field, Reply, Time, UserRef, line

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_a_long_reply_is_paged_within_fifty_blocks_and_keeps_everything() -> None:
    reply = Reply(
        title="Everything", fields=tuple(Field(f"field {i}", (line(f"value {i}"), line("more"))) for i in range(120))
    )
    pages = render(reply, "UTC", NOW)
    assert len(pages) == 3
    assert all(len(p.blocks) <= MAX_BLOCKS for p in pages)
    text = "\n".join(blocks_to_text(p.blocks) for p in pages)
    assert all(f"field {i}:" in text for i in range(120))
    assert pages[0].text == "Everything (1/3)"


def test_section_texts_stay_within_3000_characters() -> None:
    reply = Reply(lines=(*(line(f"{i:04d} " + "x" * 95) for i in range(200)), line("y" * 5000)))
    blocks = render(reply, "UTC", NOW)[0].blocks
    assert all(len(b["text"]["text"]) <= 3000 for b in blocks if b["type"] == "section")
    text = blocks_to_text(blocks)
    assert "0000 " in text and "0199 " in text  # split between lines, nothing lost
    assert "y" * 3000 not in text and "y" * 2999 + "…" in text  # one overlong line is cut


def test_times_show_in_each_readers_local_time_with_a_club_timezone_fallback() -> None:
    at = datetime(2026, 11, 28, 19, 0, tzinfo=UTC)
    blocks = render(Reply(lines=(line("Starts ", Time(at)),)), "Europe/Berlin", NOW)[0].blocks
    assert blocks[0]["text"]["text"] == (
        f"Starts <!date^{int(at.timestamp())}^{{date_short_pretty}} at {{time}}|Sat 28 Nov 2026 20:00 CET>"
    )


def test_only_users_to_notify_are_mentioned() -> None:
    reply = Reply(
        lines=(line(UserRef("UALICE", "alice"), " and ", UserRef("UBOB", "<!channel> bob")),),
        notify=(UserRef("UALICE", "alice"),),
    )
    text = render(reply, "UTC", NOW)[0].blocks[0]["text"]["text"]
    assert text == "<@UALICE> and &lt;!channel&gt; bob"


def test_many_buttons_are_split_into_actions_blocks_of_25() -> None:
    actions = tuple(Action(ActionKind.VOTE, f"1:{i}", f"Film {i} " + "z" * 100) for i in range(30))
    blocks = [b for b in render(Reply(actions=actions), "UTC", NOW)[0].blocks if b["type"] == "actions"]
    assert [len(b["elements"]) for b in blocks] == [25, 5]
    assert all(len(e["text"]["text"]) <= 75 for b in blocks for e in b["elements"])
