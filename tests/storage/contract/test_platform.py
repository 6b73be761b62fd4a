"""The store contract, tx.platform: events already applied and values adapters keep. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from tests.storage.contract.support import T0, at


async def test_platform_values_are_kept_by_key_and_replaced(store: Any) -> None:
    assert await store.read(lambda tx: tx.platform.value("discord:commands")) is None
    await store.write(lambda tx: tx.platform.set_value("discord:commands", "abc", T0))
    await store.write(lambda tx: tx.platform.set_value("slack:other", "x", T0))
    await store.write(lambda tx: tx.platform.set_value("discord:commands", "def", at(1)))
    assert await store.read(lambda tx: tx.platform.value("discord:commands")) == "def"
    assert await store.read(lambda tx: tx.platform.value("slack:other")) == "x"


async def test_an_event_is_remembered_once(store: Any) -> None:
    first = await store.write(lambda tx: tx.platform.remember_event("slack:Ev123", T0))
    again = await store.write(lambda tx: tx.platform.remember_event("slack:Ev123", at(1)))
    other = await store.write(lambda tx: tx.platform.remember_event("slack:Ev124", at(1)))

    assert (first, again, other) == (True, False, True)


async def test_events_remembered_before_the_cutoff_are_forgotten_and_counted(store: Any) -> None:
    for key, minute in (("slack:old", 0), ("slack:older", -5), ("slack:edge", 10), ("slack:new", 11)):
        await store.write(lambda tx, key=key, minute=minute: tx.platform.remember_event(key, at(minute)))

    forgotten = await store.write(lambda tx: tx.platform.forget_events_before(at(10)))
    again = await store.write(lambda tx: tx.platform.forget_events_before(at(10)))

    assert (forgotten, again) == (2, 0)
    # Forgotten keys are fresh again; the one remembered at the cutoff and the newer one are not.
    fresh = [await store.write(lambda tx, key=key: tx.platform.remember_event(key, at(12)))
             for key in ("slack:old", "slack:older", "slack:edge", "slack:new")]
    assert fresh == [True, True, False, False]
