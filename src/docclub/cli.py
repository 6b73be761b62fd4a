"""`docclub run | console | migrate | export | import | letterboxd | forget | slack manifest | discord invite |
doctor | secret-key`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import secrets
import signal
import sys
from pathlib import Path

from docclub.bootstrap import discover_adapters, freeze_startup_heap, open_catalog, runtime, serve_http
from docclub.clock import SystemClock
from docclub.config import Settings, SettingsProblem
from docclub.console import ConsoleNotifier, ConsoleSession, run_console
from docclub.core.backup import snapshot_to_json
from docclub.core.backup_format import MAX_BACKUP_BYTES, parse_json, read_backup, too_large
from docclub.core.clubs import Docclub
from docclub.core.errors import DocclubError
from docclub.core.models import ClubKey
from docclub.core.replies import render_plain
from docclub.doctor import check
from docclub.forgetting import forget_club
from docclub.logs import setup_logging
from docclub.scheduler import SYSTEM
from docclub.sealing import new_key
from docclub.storage import open_store
from docclub.storage.errors import StoreUnavailable
from docclub.storage.open import sqlite_path
from docclub.tmdb import TmdbCatalog

log = logging.getLogger("docclub")


def _settings() -> Settings:
    try:
        return Settings()  # type: ignore[call-arg]  # values come from the environment
    except Exception as exc:  # pydantic's ValidationError: show what is wrong, not a traceback
        print(f"docclub: bad setting: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _announce_in_terminal(text: str) -> None:
    """Print a reminder between commands (at a terminal, above the prompt: see run_console)."""
    print("\n" + text, flush=True)


def _history_file(settings: Settings) -> Path:
    """The console's line history: beside the SQLite database, else in the current folder."""
    url = settings.docclub_database_url
    if url.startswith("sqlite:") and sqlite_path(url) != ":memory:":
        return Path(sqlite_path(url)).parent / ".docclub_history"
    return Path(".docclub_history")


async def _console(settings: Settings, club: str) -> None:
    async with runtime(settings) as rt:
        await serve_http(rt, required=False)
        session = ConsoleSession(rt.app, club, settle=rt.scheduler.wait_idle)
        await session.load()
        rt.scheduler.notifiers["console"] = ConsoleNotifier(_announce_in_terminal, session.tz, rt.clock.now)
        rt.tasks.append(asyncio.create_task(rt.scheduler.run(), name="docclub-scheduler"))
        await run_console(rt.app, session, history=_history_file(settings))


async def _run(settings: Settings, club: str) -> None:
    adapters = {name: a for name, a in discover_adapters().items() if a.enabled(settings)}
    if not adapters:
        log.info("no platform tokens set: starting the console")
        await _console(settings, club)
        return
    async with runtime(settings) as rt:
        started = []
        try:
            for name, adapter in adapters.items():
                rt.scheduler.notifiers[name] = await adapter.start(rt)
                started.append(adapter)
                log.info("%s adapter started", name)
            await serve_http(rt, required=bool(settings.slack_signing_secret and "slack" in adapters))
            freeze_startup_heap()
            rt.tasks.append(asyncio.create_task(rt.scheduler.run(), name="docclub-scheduler"))
            rt.tasks.append(asyncio.create_task(rt.forgetting.run(), name="docclub-forgetting"))
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError):
                    loop.add_signal_handler(sig, stop.set)
            await stop.wait()
            log.info("stopping")
        finally:
            await rt.http.stop()  # no new requests for adapters that are stopping
            for adapter in started:
                with contextlib.suppress(Exception):
                    await adapter.stop()


async def _migrate(settings: Settings) -> None:
    store = await open_store(settings.docclub_database_url, busy_timeout=settings.docclub_busy_timeout_seconds)
    await store.close()
    print("migrations applied")


def _club_key(text: str) -> ClubKey:
    platform, sep, space = text.partition(":")
    if not sep or not platform or not space:
        raise SystemExit("docclub: name the club as PLATFORM:SPACE, e.g. console:club or discord:123456789")
    return ClubKey(platform, space)


async def _export(settings: Settings, club: str, out: str | None) -> None:
    store = await open_store(settings.docclub_database_url, busy_timeout=settings.docclub_busy_timeout_seconds)
    try:
        key = _club_key(club)
        found = await store.read(lambda tx: tx.clubs.get(key))
        if found is None:
            raise SystemExit(f"docclub: there is no club {club} in this database")
        snap = await store.read(lambda tx: tx.snapshots.export(found.id))
        text = json.dumps(snapshot_to_json(snap), ensure_ascii=False, indent=1)
        if out:
            await asyncio.to_thread(Path(out).write_text, text, encoding="utf-8")
            print(f"exported {club} to {out}")
        else:
            print(text)
    finally:
        await store.close()


async def _import(settings: Settings, path: str, club: str | None) -> None:
    def read() -> bytes:
        file = Path(path)
        if file.stat().st_size > MAX_BACKUP_BYTES:
            raise too_large(file.stat().st_size)
        return file.read_bytes()

    try:
        raw = await asyncio.to_thread(read)
    except OSError as exc:
        raise SystemExit(f"docclub: can't read {path}: {exc.strerror or exc}") from None
    backup = read_backup(parse_json(raw))
    key = _club_key(club) if club else ClubKey(backup.club.platform, backup.club.space_id)
    store = await open_store(settings.docclub_database_url, busy_timeout=settings.docclub_busy_timeout_seconds)
    try:
        app = Docclub(store, SystemClock(), default_timezone=settings.docclub_timezone)
        await app.backup.import_backup(key, SYSTEM, backup)
        print(f"imported {len(backup.films)} films and {len(backup.ratings)} ratings into {key}")
    finally:
        await store.close()


async def _forget(settings: Settings, club: str, sure: bool) -> None:
    key = _club_key(club)
    if not sure:
        raise SystemExit(
            f"docclub: this deletes every film, poll, party and rating of {club} for good; "
            f"keep a backup first (docclub export {club} -o FILE), then add --yes"
        )
    store = await open_store(settings.docclub_database_url, busy_timeout=settings.docclub_busy_timeout_seconds)
    try:
        if not await store.write(lambda tx: forget_club(tx, key)):
            raise SystemExit(f"docclub: there is no club {club} in this database")
        print(f"forgot {club}")
    finally:
        await store.close()


def _slack_manifest(settings: Settings, fmt: str, socket_mode: bool, many: bool) -> None:
    try:
        from docclub_slack.manifest import build_manifest, to_json, to_yaml  # deferred: optional, the slack extra
    except ImportError:
        raise SystemExit("docclub: the Slack adapter is not installed (install the slack extra)") from None
    if many and not settings.docclub_public_url:
        raise SystemExit(
            "docclub: set DOCCLUB_PUBLIC_URL first: Slack sends installers back to <it>/slack/oauth_redirect"
        )
    manifest = build_manifest(
        settings.docclub_public_url, socket_mode=True if socket_mode else None, oauth=many or settings.slack_oauth
    )
    print(to_json(manifest) if fmt == "json" else to_yaml(manifest), end="" if fmt == "yaml" else "\n")


async def _discord_invite(settings: Settings) -> None:
    try:
        import discord  # deferred: optional, the discord extra
        from docclub_discord.install import application_id, invite_url, rest  # deferred: optional, the discord extra
    except ImportError:
        raise SystemExit("docclub: the Discord adapter is not installed (install the discord extra)") from None
    client_id = settings.discord_client_id
    if client_id is None:
        if settings.discord_token is None:
            raise SystemExit("docclub: set DISCORD_CLIENT_ID (the Application ID) or DISCORD_TOKEN to make the link")
        try:
            async with rest(settings.discord_token.get_secret_value(), settings.discord_api_url) as http:
                client_id = await application_id(http)
        except discord.LoginFailure:
            raise SystemExit(
                "docclub: Discord refused DISCORD_TOKEN; reset it (Bot → Reset Token) or set DISCORD_CLIENT_ID"
            ) from None
        except (discord.HTTPException, OSError, TimeoutError) as exc:
            raise SystemExit(
                f"docclub: can't reach Discord ({type(exc).__name__}); set DISCORD_CLIENT_ID instead"
            ) from None
    print(invite_url(client_id))


async def _doctor(settings: Settings) -> int:
    findings = await check(settings, discover_adapters())
    for finding in findings:
        print(finding.line())
    problems = sum(1 for f in findings if f.ok is False)
    print("all is well" if not problems else f"{problems} thing(s) to fix")
    return 1 if problems else 0


async def _letterboxd(settings: Settings, path: str, club: str) -> None:
    """Suggest a Letterboxd list's films to a club on any platform (Slack has no file upload here)."""
    key = _club_key(club)
    try:
        raw = await asyncio.to_thread(Path(path).read_bytes)
    except OSError as exc:
        raise SystemExit(f"docclub: can't read {path}: {exc.strerror or exc}") from None
    store = await open_store(settings.docclub_database_url, busy_timeout=settings.docclub_busy_timeout_seconds)
    clock = SystemClock()
    catalog = open_catalog(settings, store, clock)
    try:
        app = Docclub(store, clock, default_timezone=settings.docclub_timezone, catalog=catalog)
        print(render_plain(await app.catalog_films.import_letterboxd(key, SYSTEM, raw)))
    finally:
        if isinstance(catalog, TmdbCatalog):
            await catalog.close()
        await store.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="docclub", description="A chat bot for documentary clubs.")
    sub = parser.add_subparsers(dest="cmd")
    run_p = sub.add_parser("run", help="start every adapter whose tokens are set (the console when none are)")
    run_p.add_argument("--club", default="club", help="console club name (default: club)")
    con_p = sub.add_parser("console", help="the terminal console")
    con_p.add_argument("--club", default="club", help="console club name (default: club)")
    sub.add_parser("migrate", help="apply database migrations")
    exp = sub.add_parser("export", help="write a club's JSON backup")
    exp.add_argument("club", help="PLATFORM:SPACE, e.g. console:club or discord:123456789")
    exp.add_argument("-o", "--out", help="file to write (default: standard output)")
    imp = sub.add_parser("import", help="restore a club from a JSON backup (replaces that club's data)")
    imp.add_argument("path")
    imp.add_argument("--club", help="PLATFORM:SPACE to import into (default: the backup's own club)")
    lbx = sub.add_parser("letterboxd", help="suggest the films of a Letterboxd list export (CSV) to a club")
    lbx.add_argument("path", help="the list's CSV export")
    lbx.add_argument("--club", required=True, help="PLATFORM:SPACE, e.g. slack:T0123 or discord:123456789")
    fgt = sub.add_parser("forget", help="delete a club's data for good (and what docclub keeps of its installation)")
    fgt.add_argument("club", help="PLATFORM:SPACE, e.g. slack:T0123ABCD")
    fgt.add_argument("--yes", action="store_true", help="really delete it")
    slack_p = sub.add_parser("slack", help="set up the Slack app")
    slack_sub = slack_p.add_subparsers(dest="slack_cmd", required=True)
    man = slack_sub.add_parser(
        "manifest",
        help="print the Slack app manifest (api.slack.com/apps: Create New App, From a manifest)",
        description="Request URLs come from DOCCLUB_PUBLIC_URL; without it the app uses Socket Mode.",
    )
    man.add_argument("--format", choices=["yaml", "json"], default="yaml", help="default: yaml")
    man.add_argument("--socket-mode", action="store_true", help="Socket Mode even when DOCCLUB_PUBLIC_URL is set")
    man.add_argument(
        "--many-workspaces",
        action="store_true",
        help="an app any workspace installs at DOCCLUB_PUBLIC_URL/slack/install (implied by SLACK_CLIENT_ID…)",
    )
    discord_p = sub.add_parser("discord", help="set up the Discord bot")
    discord_sub = discord_p.add_subparsers(dest="discord_cmd", required=True)
    discord_sub.add_parser("invite", help="print the link that adds the bot to a server, with its permissions")
    sub.add_parser("doctor", help="check the settings: what works, and what to fix (exit 1 when something is wrong)")
    sub.add_parser("secret-key", help="print a new random key for DOCCLUB_SECRET_KEY (it seals stored tokens)")
    args = parser.parse_args(argv)

    settings = _settings()
    setup_logging(settings.docclub_log_level, settings.secrets())
    cmd = args.cmd or "run"
    try:
        if cmd == "run":
            asyncio.run(_run(settings, getattr(args, "club", "club")))
        elif cmd == "console":
            asyncio.run(_console(settings, args.club))
        elif cmd == "migrate":
            asyncio.run(_migrate(settings))
        elif cmd == "export":
            asyncio.run(_export(settings, args.club, args.out))
        elif cmd == "import":
            asyncio.run(_import(settings, args.path, args.club))
        elif cmd == "letterboxd":
            asyncio.run(_letterboxd(settings, args.path, args.club))
        elif cmd == "forget":
            asyncio.run(_forget(settings, args.club, args.yes))
        elif cmd == "slack":
            _slack_manifest(settings, args.format, args.socket_mode, args.many_workspaces)
        elif cmd == "discord":
            asyncio.run(_discord_invite(settings))
        elif cmd == "secret-key":
            print(new_key())
        elif cmd == "doctor":
            code = asyncio.run(_doctor(settings))
            if code:
                raise SystemExit(code)
    except KeyboardInterrupt:
        pass
    except DocclubError as exc:  # a refusal (a damaged backup, ...): what was wrong, on one line
        raise SystemExit(f"docclub: {exc}") from None
    except StoreUnavailable as exc:
        raise SystemExit(f"docclub: {exc}") from None
    except SettingsProblem as exc:  # a setting missing for what was asked: which, and how to fix it
        print(f"docclub: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except Exception:
        # Never a traceback on the terminal: one line with a reference; the details go to the log at DEBUG.
        ref = secrets.token_hex(4)
        log.debug("unexpected error (ref %s)", ref, exc_info=True)
        raise SystemExit(
            f"docclub: something went wrong (ref {ref}); run with DOCCLUB_LOG_LEVEL=DEBUG to see the details"
        ) from None
