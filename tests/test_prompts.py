"""The prompt bank, the per-film picker and the check on members' own prompts."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from docclub.core.errors import InvalidInput
from docclub.core.models import Prompt
from docclub.core.prompts import (
    BANK,
    MAX_PROMPT_LENGTH,
    THEMES,
    pick_prompts,
    theme_name,
    validate_prompt_text,
)

BANK_KEYS = [prompt.key for prompt in BANK]


def _theme(prompt: Prompt) -> str:
    return prompt.key.removeprefix("bank:").rsplit("-", 1)[0]


def _member(n: int, name: str = "Ada") -> Prompt:
    return Prompt(key=f"member:{n}", text=f"Member question {n}?", added_by_name=name)


# The bank


def test_bank_holds_at_least_forty_prompts() -> None:
    assert len(BANK) >= 40


def test_bank_keys_and_texts_are_unique() -> None:
    assert len(set(BANK_KEYS)) == len(BANK)
    assert len({prompt.text.casefold() for prompt in BANK}) == len(BANK)


def test_bank_keys_name_a_known_theme_and_a_number() -> None:
    for prompt in BANK:
        match = re.fullmatch(r"bank:([a-z]+)-(\d+)", prompt.key)
        assert match is not None, prompt.key
        assert match.group(1) in THEMES


def test_every_theme_has_at_least_three_prompts() -> None:
    per_theme = Counter(_theme(prompt) for prompt in BANK)
    assert set(per_theme) == set(THEMES)
    assert min(per_theme.values()) >= 3


def test_bank_prompts_pass_the_same_check_as_members_prompts() -> None:
    for prompt in BANK:
        assert validate_prompt_text(prompt.text) == prompt.text
        assert prompt.added_by_name is None


def test_theme_name_is_readable_for_bank_keys_and_none_for_members() -> None:
    assert theme_name("bank:access-1") == THEMES["access"]
    assert theme_name("member:7") is None


# The picker


def test_picker_returns_the_requested_number_of_distinct_prompts() -> None:
    picked = pick_prompts([], [], seed=1)
    assert len(picked) == 5
    assert len({prompt.key for prompt in picked}) == 5


def test_picker_spreads_bank_prompts_over_different_themes() -> None:
    for seed in range(20):
        picked = pick_prompts([], [], seed=seed, count=8)
        assert len({_theme(prompt) for prompt in picked}) == 8


def test_picker_avoids_recently_shown_prompts() -> None:
    recent = BANK_KEYS[:30]
    for seed in range(20):
        picked = pick_prompts([], recent, seed=seed)
        assert not {prompt.key for prompt in picked} & set(recent)


def test_picker_prefers_themes_not_shown_recently() -> None:
    # One prompt of every theme but "trust" and "impact" was shown; those two come first.
    shown_themes = [theme for theme in THEMES if theme not in ("trust", "impact")]
    recent = [f"bank:{theme}-1" for theme in shown_themes]
    picked = pick_prompts([], recent, seed=3, count=2)
    assert {_theme(prompt) for prompt in picked} == {"trust", "impact"}


def test_picker_puts_members_prompts_first() -> None:
    picked = pick_prompts([_member(1)], [], seed=4)
    assert picked[0] == _member(1)
    assert all(prompt.key.startswith("bank:") for prompt in picked[1:])


def test_picker_shows_at_most_two_members_prompts() -> None:
    members = [_member(n) for n in range(1, 6)]
    picked = pick_prompts(members, [], seed=5)
    assert len(picked) == 5
    assert sum(prompt.key.startswith("member:") for prompt in picked) == 2
    assert all(prompt.key.startswith("member:") for prompt in picked[:2])


def test_picker_prefers_members_prompts_not_shown_recently() -> None:
    members = [_member(1), _member(2), _member(3)]
    picked = pick_prompts(members, ["member:1", "member:2"], seed=6)
    assert picked[0] == _member(3)
    # Next comes the member prompt shown longest ago, not the one shown last.
    assert picked[1] == _member(2)


def test_picker_falls_back_to_least_recently_shown_when_all_are_recent() -> None:
    recent = list(reversed(BANK_KEYS))  # BANK[0] was shown longest ago
    picked = pick_prompts([], recent, seed=7, count=3)
    assert [prompt.key for prompt in picked] == BANK_KEYS[:3]


def test_picker_tops_up_with_least_recent_when_few_fresh_remain() -> None:
    fresh = BANK_KEYS[-2:]
    recent = list(reversed(BANK_KEYS[:-2]))
    picked = pick_prompts([], recent, seed=8, count=5)
    assert {prompt.key for prompt in picked[:2]} == set(fresh)
    assert [prompt.key for prompt in picked[2:]] == BANK_KEYS[:3]


def test_picker_is_deterministic_for_a_seed() -> None:
    members = [_member(1), _member(2), _member(3)]
    recent = BANK_KEYS[::3]
    first = pick_prompts(members, recent, seed=42)
    assert pick_prompts(members, recent, seed=42) == first


def test_picker_varies_with_the_seed() -> None:
    mixes = {tuple(p.key for p in pick_prompts([], [], seed=seed)) for seed in range(10)}
    assert len(mixes) > 1


def test_picker_returns_nothing_for_a_count_of_zero() -> None:
    assert pick_prompts([_member(1)], [], seed=9, count=0) == []


# Members' prompts


def test_validation_trims_and_collapses_spaces() -> None:
    assert validate_prompt_text("  Who   paid for\u00a0this film?  ") == "Who paid for this film?"


def test_validation_accepts_exactly_three_hundred_characters() -> None:
    text = "x" * MAX_PROMPT_LENGTH
    assert validate_prompt_text(text) == text


@pytest.mark.parametrize("text", ["", "   "])
def test_validation_refuses_empty_prompts(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_prompt_text(text)
    assert (
        caught.value.message == "That prompt is empty. A prompt is one line of 1 to 300 characters."
    )


def test_validation_refuses_prompts_over_three_hundred_characters() -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_prompt_text("y" * 301)
    assert "301 characters" in caught.value.message
    assert "1 to 300 characters" in caught.value.message


def test_validation_counts_length_after_collapsing_spaces() -> None:
    text = "z " * 150  # 300 characters, but only 299 once the trailing space goes
    assert validate_prompt_text(text) == text.strip()


@pytest.mark.parametrize("text", ["Why?\nWhy now?", "Why?\r\nWhy now?", "one\u2028two"])
def test_validation_refuses_line_breaks(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_prompt_text(text)
    assert "line break" in caught.value.message
    assert "one line" in caught.value.message


@pytest.mark.parametrize("text", ["tab\there", "bell\x07", "nul\x00byte", "esc\x1b[31m"])
def test_validation_refuses_control_characters(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        validate_prompt_text(text)
    assert "control character" in caught.value.message
