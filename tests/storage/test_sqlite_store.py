"""What the SQLite store promises beyond the contract: WAL and foreign keys, versioned
migrations, one writer with group commit, a clean shutdown, and data that outlives it."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from docclub.core.errors import DocclubError
from docclub.core.models import ClubConfig, ClubKey, NewFilm, Rating
from docclub.storage import migrations
from docclub.storage.sqlite import SqliteStore, migrate

T0 = datetime(2026, 3, 6, 19, 0, tzinfo=UTC)
KEY = ClubKey("console", "alpha")


async def club_id(store: SqliteStore) -> int:
    club = await store.write(lambda tx: tx.clubs.create(KEY, "Alpha docs", ClubConfig(), T0))
    return club.id


async def add_film(store: SqliteStore, cid: int, title: str) -> int:
    film = await store.write(lambda tx: tx.films.add(cid, NewFilm(title), "u-ana", "Ana", T0))
    return film.id


async def titles(store: SqliteStore, cid: int) -> list[str]:
    return [f.title for f in await store.read(lambda tx: tx.films.list(cid))]


def pragma(path: Path, name: str) -> Any:
    with sqlite3.connect(path) as db:
        return db.execute(f"PRAGMA {name}").fetchone()[0]


async def test_database_file_is_in_wal_mode(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "club.db")
    await store.close()

    assert pragma(tmp_path / "club.db", "journal_mode") == "wal"


async def test_the_writer_syncs_at_least_normal_under_wal(sqlite_store: SqliteStore) -> None:
    """Under WAL, synchronous=NORMAL or FULL keeps every committed write when the process dies
    (OFF would not: an acknowledged vote could vanish)."""
    async def settings(tx: Any) -> tuple[Any, ...]:
        journal = await tx.conn.fetchone("PRAGMA journal_mode")
        synchronous = await tx.conn.fetchone("PRAGMA synchronous")
        return journal[0], synchronous[0]

    journal, synchronous = await sqlite_store.write(settings)

    assert journal == "wal"
    assert synchronous >= 1  # 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA


async def test_foreign_keys_are_enforced_on_writes(sqlite_store: SqliteStore) -> None:
    cid = await club_id(sqlite_store)
    orphan = Rating(club_id=cid, film_id=99, user_id="u-ana", display_name="Ana", score=7,
                    review=None, rated_at=T0)

    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        await sqlite_store.write(lambda tx: tx.ratings.put(orphan))

    assert await sqlite_store.read(lambda tx: tx.ratings.count(cid, 99)) == 0


async def test_every_connection_has_foreign_keys_and_a_busy_timeout(
        sqlite_store: SqliteStore) -> None:
    async def settings(tx: Any) -> tuple[Any, ...]:
        fk = await tx.conn.fetchone("PRAGMA foreign_keys")
        busy = await tx.conn.fetchone("PRAGMA busy_timeout")
        return fk[0], busy[0]

    on_writer = await sqlite_store.write(settings)
    on_reader = await sqlite_store.read(settings)

    for fk, busy in (on_writer, on_reader):
        assert fk == 1
        assert busy >= 1000


async def test_migrations_set_user_version_to_the_newest(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "club.db")
    await store.close()

    newest = migrations.load("sqlite")[-1][0]
    assert pragma(tmp_path / "club.db", "user_version") == newest


async def test_migrating_a_migrated_database_changes_nothing(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "club.db")
    cid = await club_id(store)
    await add_film(store, cid, "Honeyland")
    await store.close()

    db = sqlite3.connect(tmp_path / "club.db", isolation_level=None)
    try:
        version = migrate(db)
        again = migrate(db)
    finally:
        db.close()

    assert version == again == migrations.load("sqlite")[-1][0]
    reopened = await SqliteStore.open(tmp_path / "club.db")
    try:
        assert await titles(reopened, cid) == ["Honeyland"]
    finally:
        await reopened.close()


async def test_concurrent_writes_share_commits(sqlite_store: SqliteStore) -> None:
    cid = await club_id(sqlite_store)
    batches, commands = sqlite_store.batches, sqlite_store.commands

    await asyncio.gather(*(add_film(sqlite_store, cid, f"Film {n}") for n in range(200)))

    assert sqlite_store.commands - commands == 200
    assert sqlite_store.batches - batches < 200
    assert len(await titles(sqlite_store, cid)) == 200


async def test_a_refused_command_does_not_undo_its_batch_neighbours(
        sqlite_store: SqliteStore) -> None:
    cid = await club_id(sqlite_store)
    batches = sqlite_store.batches

    async def refused(tx: Any) -> None:
        await tx.films.add(cid, NewFilm("Refused"), "u-bo", "Bo", T0)
        raise ValueError("refused")

    results = await asyncio.gather(
        add_film(sqlite_store, cid, "Before"),
        sqlite_store.write(refused),
        add_film(sqlite_store, cid, "After"),
        return_exceptions=True,
    )

    assert sqlite_store.batches - batches == 1  # all three went through one commit
    assert isinstance(results[1], ValueError)
    assert await titles(sqlite_store, cid) == ["Before", "After"]


async def test_neighbours_of_a_refused_command_are_answered_from_the_commit_that_kept_them(
        sqlite_store: SqliteStore) -> None:
    # The refused command takes film number 2 before it fails; "After" must still be told
    # the number it holds in the database, not one from the rolled-back attempt.
    cid = await club_id(sqlite_store)
    batches = sqlite_store.batches

    async def refused(tx: Any) -> None:
        await tx.films.add(cid, NewFilm("Refused"), "u-bo", "Bo", T0)
        raise DocclubError("Refused on purpose.")

    results = await asyncio.gather(
        add_film(sqlite_store, cid, "Before"),
        sqlite_store.write(refused),
        add_film(sqlite_store, cid, "After"),
        return_exceptions=True,
    )

    assert sqlite_store.batches - batches == 1
    assert isinstance(results[1], DocclubError)
    films = await sqlite_store.read(lambda tx: tx.films.list(cid))
    assert [(f.id, f.title) for f in films] == [(results[0], "Before"), (results[2], "After")]


@pytest.mark.parametrize("refused_at", [{0, 3, 6, 9, 12, 15, 18, 21, 24, 27}, {0, 1, 5, 6, 7, 12, 29}, {29}])
async def test_several_refused_commands_in_one_batch_leave_no_trace(
        sqlite_store: SqliteStore, refused_at: set[int]) -> None:
    cid = await club_id(sqlite_store)
    batches = sqlite_store.batches

    def refused(n: int) -> Any:
        async def work(tx: Any) -> None:
            await tx.films.add(cid, NewFilm(f"Refused {n}"), "u-bo", "Bo", T0)
            raise ValueError(f"refused {n}")
        return work

    writes = [sqlite_store.write(refused(n)) if n in refused_at else add_film(sqlite_store, cid, f"Film {n}")
              for n in range(30)]
    results = await asyncio.gather(*writes, return_exceptions=True)

    assert sqlite_store.batches - batches == 1
    assert [str(r) for r in results if isinstance(r, Exception)] == [f"refused {n}" for n in sorted(refused_at)]
    assert await titles(sqlite_store, cid) == [f"Film {n}" for n in range(30) if n not in refused_at]
    films = await sqlite_store.read(lambda tx: tx.films.list(cid))
    assert [f.id for f in films] == [r for r in results if not isinstance(r, Exception)]


async def test_each_caller_is_answered_with_what_the_database_holds(sqlite_store: SqliteStore) -> None:
    # A work function may run more than once inside a batch; whatever it returned last
    # must be what was committed.
    cid = await club_id(sqlite_store)
    runs = 0

    async def numbered(tx: Any) -> str:
        nonlocal runs
        runs += 1
        film = await tx.films.add(cid, NewFilm(f"Run {runs}"), "u-ana", "Ana", T0)
        return str(film.title)

    async def refused(tx: Any) -> None:
        await tx.films.add(cid, NewFilm("Refused"), "u-bo", "Bo", T0)
        raise ValueError("refused")

    results = await asyncio.gather(add_film(sqlite_store, cid, "Before"), sqlite_store.write(numbered),
                                   sqlite_store.write(refused), return_exceptions=True)

    assert isinstance(results[2], ValueError)
    answer = results[1]
    assert await titles(sqlite_store, cid) == ["Before", answer]


async def test_a_command_refused_in_a_later_batch_leaves_earlier_commits_alone(
        sqlite_store: SqliteStore) -> None:
    cid = await club_id(sqlite_store)
    await add_film(sqlite_store, cid, "Honeyland")

    async def refused(tx: Any) -> None:
        await tx.films.add(cid, NewFilm("Refused"), "u-bo", "Bo", T0)
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        await sqlite_store.write(refused)

    assert await titles(sqlite_store, cid) == ["Honeyland"]
    assert await add_film(sqlite_store, cid, "Man on Wire") == 2


async def test_an_acknowledged_write_is_visible_to_any_other_connection(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "club.db")
    try:
        cid = await club_id(store)
        await add_film(store, cid, "Honeyland")

        with sqlite3.connect(tmp_path / "club.db") as other:
            rows = other.execute("SELECT title FROM films WHERE club_id = ?", (cid,)).fetchall()
    finally:
        await store.close()

    assert rows == [("Honeyland",)]


async def test_close_leaves_no_tasks_or_threads_running(tmp_path: Path) -> None:
    threads_before = set(threading.enumerate())
    store = await SqliteStore.open(tmp_path / "club.db")
    cid = await club_id(store)
    await asyncio.gather(*(add_film(store, cid, f"Film {n}") for n in range(20)))

    await store.close()

    assert [t for t in asyncio.all_tasks() if t is not asyncio.current_task()] == []
    # The store's reader and writer threads end when close() returns; none may linger.
    started = set(threading.enumerate()) - threads_before
    for thread in started:
        thread.join(timeout=2)
    assert [t for t in started if t.is_alive()] == []


async def test_a_closed_store_refuses_work(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "club.db")
    await store.close()

    with pytest.raises(RuntimeError, match="closed"):
        await club_id(store)


async def test_data_survives_closing_and_reopening_the_file(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "club.db")
    cid = await club_id(store)
    await add_film(store, cid, "Honeyland")
    await store.close()

    reopened = await SqliteStore.open(tmp_path / "club.db")
    try:
        club = await reopened.read(lambda tx: tx.clubs.get(KEY))
        second = await add_film(reopened, cid, "Man on Wire")
        assert club is not None and club.id == cid
        assert await titles(reopened, cid) == ["Honeyland", "Man on Wire"]
        assert second == 2
    finally:
        await reopened.close()


async def test_an_in_memory_store_reads_what_it_wrote() -> None:
    store = await SqliteStore.open(":memory:")
    try:
        cid = await club_id(store)
        await add_film(store, cid, "Honeyland")
        assert await titles(store, cid) == ["Honeyland"]
    finally:
        await store.close()


async def test_duplicate_candidates_are_found_through_the_title_indexes(tmp_path: Path) -> None:
    from docclub.storage.sql import TITLE_CANDIDATES

    store = await SqliteStore.open(tmp_path / "club.db")
    await store.close()
    db = sqlite3.connect(tmp_path / "club.db")
    try:
        plan = [
            str(r[3])
            for r in db.execute("EXPLAIN QUERY PLAN " + TITLE_CANDIDATES, (1, 1, "k", 1, "k", 1, "k", "k", 1, 50))
        ]
    finally:
        db.close()
    assert not [step for step in plan if step.startswith("SCAN")], plan
    for index in ("films_title_key", "films_key_head", "films_key_tail"):
        assert any(index in step for step in plan), plan


def _database_at(path: Path, version: int) -> sqlite3.Connection:
    """A database file as docclub left it at migration `version` (autocommit), for the tests of
    the migrations after it: the caller writes its rows and closes it."""
    db = sqlite3.connect(path, isolation_level=None)
    for number, _, sql in migrations.load("sqlite")[:version]:
        for statement in migrations.statements(sql):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {number}")
    return db


async def test_a_database_from_before_title_keys_gets_them_on_open(tmp_path: Path) -> None:
    path = tmp_path / "club.db"
    db = _database_at(path, 2)
    try:
        db.execute("BEGIN")
        db.execute(
            "INSERT INTO clubs (id, platform, space_id, name, config, created_at) "
            "VALUES (1, 'console', 'alpha', 'Alpha', '{}', 0)"
        )
        db.execute(
            "INSERT INTO films (club_id, id, title, year, warnings, tags, status, suggested_by, "
            "suggested_by_name, created_at) VALUES (1, 1, 'The Act of Killing', 2012, '[]', '[]', "
            "'suggested', 'u', 'U', 0)"
        )
        db.execute("COMMIT")
    finally:
        db.close()

    store = await SqliteStore.open(path)
    try:
        found = await store.read(lambda tx: tx.films.like_title(1, "actofkilling", 5))
    finally:
        await store.close()
    assert [f.id for f in found] == [1]


async def test_a_work_that_awaits_anything_but_its_transaction_is_refused_and_writes_nothing(
        sqlite_store: SqliteStore) -> None:
    cid = await club_id(sqlite_store)

    async def wanders(tx: Any) -> None:
        await tx.films.add(cid, NewFilm("Wandered"), "u-bo", "Bo", T0)
        await asyncio.sleep(0)  # not the transaction: the writer thread has no event loop

    results = await asyncio.gather(add_film(sqlite_store, cid, "Kept"), sqlite_store.write(wanders),
                                   return_exceptions=True)

    assert isinstance(results[1], RuntimeError)
    assert await titles(sqlite_store, cid) == ["Kept"]


async def test_rating_counts_kept_by_score_come_through_as_one_row_per_film(tmp_path: Path) -> None:
    path = tmp_path / "club.db"
    db = _database_at(path, 8)  # up to the counts kept score by score
    try:
        db.execute("BEGIN")
        db.execute(
            "INSERT INTO clubs (id, platform, space_id, name, config, created_at) "
            "VALUES (1, 'console', 'alpha', 'Alpha', '{}', 0)"
        )
        for film in (1, 2, 3):
            db.execute(
                "INSERT INTO films (club_id, id, title, warnings, tags, status, suggested_by, suggested_by_name, "
                "created_at) VALUES (1, ?, 'A film', '[]', '[]', 'watched', 'u', 'U', 0)",
                (film,),
            )
        db.executemany(
            "INSERT INTO rating_counts (club_id, film_id, score, n) VALUES (1, ?, ?, ?)",
            [(1, 7, 2), (1, 10, 1), (2, 1, 4), (3, 5, 0)],
        )
        db.execute("COMMIT")
    finally:
        db.close()

    store = await SqliteStore.open(path)
    try:
        counts = await store.read(lambda tx: tx.ratings.counts(1))
        await store.write(lambda tx: tx.ratings.put(Rating(1, 1, "u-new", "New", 10, None, T0)))
        after = await store.read(lambda tx: tx.ratings.counts(1))
    finally:
        await store.close()
    assert counts == {1: (0, 0, 0, 0, 0, 0, 2, 0, 0, 1), 2: (4, 0, 0, 0, 0, 0, 0, 0, 0, 0)}
    assert after[1] == (0, 0, 0, 0, 0, 0, 2, 0, 0, 2)


async def test_a_commit_by_another_process_changes_the_data_version_reads_see(tmp_path: Path) -> None:
    store = await SqliteStore.open(tmp_path / "club.db")
    try:
        cid = await club_id(store)
        before = {await store.read(lambda tx: tx.clubs.data_version()) for _ in range(4)}
        assert len(before) <= 2  # one per reading connection while nothing is written
        other = await SqliteStore.open(tmp_path / "club.db")  # as a second docclub process would
        try:
            await other.write(lambda tx: tx.clubs.set_config(cid, ClubConfig(timezone="Asia/Tokyo")))
        finally:
            await other.close()
        after = {await store.read(lambda tx: tx.clubs.data_version()) for _ in range(4)}
        assert not before & after
    finally:
        await store.close()


async def test_members_and_ballots_keep_their_rows_when_they_move_into_their_keys(tmp_path: Path) -> None:
    # A database from before migration 10, when members and ballots were tables with a rowid.
    path = tmp_path / "club.db"
    db = _database_at(path, 9)
    try:
        db.execute(
            "INSERT INTO clubs (platform, space_id, name, config, created_at) VALUES ('console', 'alpha', 'A', '{}', 0)"
        )
        db.execute(
            "INSERT INTO polls (club_id, id, method, anonymous, status, film_ids, created_by, created_at) "
            "VALUES (1, 1, 'single', 0, 'open', '[1, 2]', 'u-ana', 0)"
        )
        db.execute("INSERT INTO members (club_id, user_id, display_name, joined_at) VALUES (1, 'u-bo', 'Bo', 0)")
        db.execute(
            "INSERT INTO ballots (club_id, poll_id, user_id, display_name, choices, cast_at) "
            "VALUES (1, 1, 'u-bo', 'Bo', '[2]', 0)"
        )
    finally:
        db.close()

    store = await SqliteStore.open(path)
    try:
        names = await store.read(lambda tx: tx.clubs.member_names(1))
        ballots = await store.read(lambda tx: tx.polls.ballots(1, 1))
    finally:
        await store.close()

    assert names == {"u-bo": "Bo"}
    assert [(b.user_id, b.display_name, b.choices) for b in ballots] == [("u-bo", "Bo", (2,))]
    with sqlite3.connect(path) as db:
        tables = dict(db.execute("SELECT name, sql FROM sqlite_master WHERE name IN ('members', 'ballots')").fetchall())
    assert all(sql.rstrip().endswith("WITHOUT ROWID") for sql in tables.values()) and len(tables) == 2
