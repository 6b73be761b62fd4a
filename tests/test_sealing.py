"""DOCCLUB_SECRET_KEY seals stored platform tokens: what it seals is unreadable, opens with any
listed key, and a missing or malformed key is refused with how to make one."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from docclub.config import Settings, SettingsProblem
from docclub.sealing import SealBroken, Sealer, key_problem, new_key, sealer_from

TOKEN = "xoxb-1234-5678-abcdefabcdef"


def test_a_sealed_token_is_not_readable_and_opens_again() -> None:
    sealer = Sealer(new_key())
    sealed = sealer.seal(TOKEN)
    assert TOKEN not in sealed and "abcdef" not in sealed
    assert sealer.seal(TOKEN) != sealed  # a new IV each time
    assert sealer.open(sealed) == TOKEN


def test_another_key_cannot_open_it() -> None:
    sealed = Sealer(new_key()).seal(TOKEN)
    with pytest.raises(SealBroken):
        Sealer(new_key()).open(sealed)


def test_several_keys_the_first_seals_every_one_opens() -> None:
    old, new = new_key(), new_key()
    sealed_before = Sealer(old).seal(TOKEN)
    rotated = Sealer(f"{new}, {old}")
    assert rotated.open(sealed_before) == TOKEN
    assert Sealer(new).open(rotated.seal(TOKEN)) == TOKEN


def test_a_missing_key_says_how_to_make_one() -> None:
    problem = key_problem(None, needed_for="installing into many Slack workspaces")
    assert problem is not None
    assert "DOCCLUB_SECRET_KEY is not set" in problem and "docclub secret-key" in problem


@pytest.mark.parametrize("bad", ["hunter2", "x" * 44, "é" * 44, ","])
def test_a_malformed_key_is_refused_without_showing_it(bad: str) -> None:
    settings = Settings(_env_file=None, docclub_secret_key=SecretStr(bad))  # type: ignore[call-arg]
    with pytest.raises(SettingsProblem) as refused:
        sealer_from(settings, needed_for="the test")
    assert "docclub secret-key" in str(refused.value)
    assert bad not in str(refused.value) or bad == ","


def test_every_key_is_redacted_from_logs() -> None:
    one, two = new_key(), new_key()
    settings = Settings(_env_file=None, docclub_secret_key=SecretStr(f"{one},{two}"))  # type: ignore[call-arg]
    assert {one, two} <= set(settings.secrets())
