"""Member text in every script is kept; what could disguise or reorder it is refused, the same way
in titles, pitches, places, reviews and prompts (one cleaning function, `core.text.clean`)."""

from __future__ import annotations

import pytest

from docclub.core.errors import DocclubError, InvalidInput
from docclub.core.text import clean, fold
from tests.conftest import Club

ZWNJ, ZWJ, LRM, RLM = "\u200c", "\u200d", "\u200e", "\u200f"
KEPT = [
    f"می{ZWNJ}خواهم",  # Persian: the non-joiner is part of the spelling
    f"👩{ZWJ}👩{ZWJ}👧 family",  # an emoji sequence
    f"Shoah {LRM}(1985){LRM}",
    f"שואה {RLM}and more",
    "Ça tourne, 20 Days in Mariupol — 日本語 ok",
]
REFUSED = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\x1b", "\u200b"]


@pytest.mark.parametrize("text", KEPT)
def test_real_scripts_are_kept_as_written(text: str) -> None:
    assert clean(text, "title", 200) == text


@pytest.mark.parametrize("char", REFUSED, ids=[f"U+{ord(c):04X}" for c in REFUSED])
def test_direction_overrides_isolates_and_escapes_are_refused(char: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        clean(f"Invoice {char}gpj.exe", "review", 1000, multiline=True)
    assert f"U+{ord(char):04X}" in caught.value.message


def test_joiners_at_the_edges_are_trimmed_and_matching_ignores_them() -> None:
    assert clean(f"{ZWJ} Navalny {ZWNJ}", "title", 200) == "Navalny"
    assert fold(f"می{ZWNJ}خواهم") == fold("میخواهم")
    with pytest.raises(InvalidInput, match="empty"):
        clean(f"{ZWJ}{ZWNJ} {LRM}", "title", 200)


def test_a_refusal_never_echoes_a_direction_override() -> None:
    assert "\u202e" not in str(DocclubError("No film matches 'a\u202eb'."))


@pytest.mark.parametrize(
    ("setup", "line"),
    [
        ((), "suggest Navalny --pitch Read \u202eright to left"),
        ((), "suggest Navalny --where Max\u2066"),
        (("suggest Navalny",), "rate Navalny 8 Brave \u202eweivr"),
        (("suggest Navalny",), "prompt add Navalny Who \u2067filmed\u2069 it?"),
        (("suggest Navalny",), "party schedule Navalny tomorrow 20:00 --where Room \u202e1"),
    ],
)
async def test_every_stored_text_refuses_overrides_and_changes_nothing(
    club: Club, setup: tuple[str, ...], line: str
) -> None:
    for s in setup:
        await club.say(s)
    before = await club.snapshot()
    out = await club.say(line)
    assert "text-direction control character" in out, out
    assert await club.snapshot() == before


async def test_persian_and_emoji_text_is_stored_everywhere(club: Club) -> None:
    await club.say(f"suggest من و روبی{ZWNJ}ها (2019) --pitch {ZWNJ}نیم{ZWNJ}فاصله --where Filimo")
    rated = await club.say(f"rate #1 9 خیلی{ZWNJ}خوب 👩{ZWJ}👩{ZWJ}👧")
    assert "Error" not in rated and "control" not in rated, rated
    added = await club.say(f"prompt add #1 چرا این{ZWNJ}طور؟")
    assert "control" not in added, added
    card = await club.say("film #1")
    assert f"روبی{ZWNJ}ها" in card and f"نیم{ZWNJ}فاصله" in card
