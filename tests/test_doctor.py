"""`docclub doctor`: the database and timezone lines, and what the command prints and returns."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from docclub.cli import main
from docclub.config import Settings
from docclub.doctor import check, check_database, check_tmdb
from docclub.storage import open_store
from docclub.testing.tmdb import FakeTmdb


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


async def test_a_database_not_created_yet_is_reported_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "club.db"
    finding = await check_database(_settings(docclub_database_url=f"sqlite:///{path}"))
    assert finding.ok is False
    assert "does not exist yet: run `docclub migrate`" in finding.text
    assert not path.exists()


async def test_a_database_behind_on_migrations_says_to_migrate(tmp_path: Path) -> None:
    path = tmp_path / "club.db"
    store = await open_store(f"sqlite:///{path}")
    await store.close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 1")
    db.close()
    finding = await check_database(_settings(docclub_database_url=f"sqlite:///{path}"))
    assert finding.ok is False and "is at migration 1 of" in finding.text and "docclub migrate" in finding.text


async def test_a_migrated_database_is_well(tmp_path: Path) -> None:
    path = tmp_path / "club.db"
    store = await open_store(f"sqlite:///{path}")
    await store.close()
    findings = await check(_settings(docclub_database_url=f"sqlite:///{path}"), {})
    assert [f.ok for f in findings] == [True, True, None]
    assert "reachable and migrated" in findings[1].text
    assert "TMDB_API_KEY is not set: films are kept as members type them" in findings[2].text


async def test_an_unreachable_postgresql_names_the_host_not_the_password() -> None:
    url = "postgresql://club:s3cret-pw@127.0.0.1:1/docclub"
    finding = await check_database(_settings(docclub_database_url=url))
    assert finding.ok is False
    assert "s3cret-pw" not in finding.text
    assert "127.0.0.1:1/docclub" in finding.text or "asyncpg" in finding.text


def test_doctor_exits_non_zero_with_one_line_per_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DOCCLUB_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")
    for name in ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "TMDB_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(SystemExit) as done:
        main(["doctor"])
    assert done.value.code == 1
    out = capsys.readouterr().out
    assert "FIX database" in out and "ok  timezone UTC is known" in out
    assert out.rstrip().endswith("1 thing(s) to fix")
    assert "Traceback" not in out


async def test_a_working_tmdb_key_is_ok_and_a_refused_one_says_so_without_the_key() -> None:
    key = "d0c70d0c70d0c70d0c70d0c70d0c70d0"
    async with FakeTmdb(key=key) as tmdb:
        good = await check_tmdb(_settings(tmdb_api_key=key, tmdb_api_url=tmdb.url))
        bad = await check_tmdb(_settings(tmdb_api_key="0" * 32, tmdb_api_url=tmdb.url))
    assert good.ok is True and "films are looked up" in good.text
    assert bad.ok is False and "refused the key (401)" in bad.text and "0" * 32 not in bad.text
