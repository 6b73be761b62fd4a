"""tx.lookups: film catalog answers kept until they expire, and members' waiting picks."""

from __future__ import annotations

from typing import Any

from tests.storage.contract.support import BETA, T0, at, new_club


async def test_lookups_are_kept_until_they_expire_and_replaced(store: Any) -> None:
    await store.write(lambda tx: tx.lookups.put("tmdb:a", "one", at(10), T0))
    await store.write(lambda tx: tx.lookups.put("tmdb:b", "two", at(5), T0))
    assert await store.read(lambda tx: tx.lookups.get("tmdb:a", at(9))) == "one"
    assert await store.read(lambda tx: tx.lookups.get("tmdb:a", at(10))) is None
    await store.write(lambda tx: tx.lookups.put("tmdb:a", "uno", at(20), at(6)))  # drops tmdb:b
    assert await store.read(lambda tx: tx.lookups.get("tmdb:a", at(11))) == "uno"
    assert await store.read(lambda tx: tx.lookups.get("tmdb:b", at(1))) is None


async def test_a_waiting_pick_is_one_per_member_and_club_until_it_expires(store: Any) -> None:
    alpha, beta = await new_club(store), await new_club(store, BETA)
    await store.write(lambda tx: tx.lookups.set_pick(alpha.id, "u-ana", "first", at(30)))
    await store.write(lambda tx: tx.lookups.set_pick(alpha.id, "u-ana", "second", at(30)))
    await store.write(lambda tx: tx.lookups.set_pick(alpha.id, "u-bo", "bo's", at(30)))
    assert await store.read(lambda tx: tx.lookups.pick(alpha.id, "u-ana", T0)) == "second"
    assert await store.read(lambda tx: tx.lookups.pick(beta.id, "u-ana", T0)) is None
    assert await store.read(lambda tx: tx.lookups.pick(alpha.id, "u-ana", at(30))) is None
    await store.write(lambda tx: tx.lookups.set_pick(alpha.id, "u-bo", None, at(30)))
    assert await store.read(lambda tx: tx.lookups.pick(alpha.id, "u-bo", T0)) is None
