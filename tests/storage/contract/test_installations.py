"""The store contract, tx.installations: where docclub is installed (a space's sealed platform
credentials, and when they were removed). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from docclub.core.models import ClubKey
from tests.storage.contract.support import T0

ONE = ClubKey("slack", "T0ONE")
TWO = ClubKey("slack", "T0TWO")


def at(days: float) -> datetime:
    return T0 + timedelta(days=days)


async def test_an_installation_is_kept_by_key_and_replaced_when_installed_again(store: Any) -> None:
    await store.write(lambda tx: tx.installations.save(ONE, "sealed-1", T0))
    await store.write(lambda tx: tx.installations.save(TWO, "sealed-2", T0))
    await store.write(lambda tx: tx.installations.save(ONE, "sealed-1b", at(1)))

    assert await store.read(lambda tx: tx.installations.sealed(ONE)) == "sealed-1b"
    assert await store.read(lambda tx: tx.installations.sealed(TWO)) == "sealed-2"
    assert await store.read(lambda tx: tx.installations.sealed(ClubKey("slack", "T0NONE"))) is None


async def test_a_removed_installation_keeps_no_credentials_and_is_due_after_its_cutoff(store: Any) -> None:
    await store.write(lambda tx: tx.installations.save(ONE, "sealed-1", T0))
    await store.write(lambda tx: tx.installations.save(TWO, "sealed-2", T0))

    removed = await store.write(lambda tx: tx.installations.remove(ONE, at(1)))
    again = await store.write(lambda tx: tx.installations.remove(ONE, at(2)))
    unknown = await store.write(lambda tx: tx.installations.remove(ClubKey("slack", "T0NONE"), at(2)))

    assert (removed, again, unknown) == (True, False, False)
    assert await store.read(lambda tx: tx.installations.sealed(ONE)) is None
    assert await store.read(lambda tx: tx.installations.removed_before(at(1))) == []
    assert await store.read(lambda tx: tx.installations.removed_before(at(1.5))) == [ONE]


async def test_installing_again_clears_the_removal(store: Any) -> None:
    await store.write(lambda tx: tx.installations.save(ONE, "sealed-1", T0))
    await store.write(lambda tx: tx.installations.remove(ONE, at(1)))
    await store.write(lambda tx: tx.installations.save(ONE, "sealed-again", at(2)))

    assert await store.read(lambda tx: tx.installations.removed_before(at(99))) == []
    assert await store.read(lambda tx: tx.installations.sealed(ONE)) == "sealed-again"


async def test_a_forgotten_installation_is_gone(store: Any) -> None:
    await store.write(lambda tx: tx.installations.save(ONE, "sealed-1", T0))
    await store.write(lambda tx: tx.installations.remove(ONE, at(1)))

    assert await store.write(lambda tx: tx.installations.forget(ONE)) is True
    assert await store.write(lambda tx: tx.installations.forget(ONE)) is False
    assert await store.read(lambda tx: tx.installations.removed_before(at(99))) == []
