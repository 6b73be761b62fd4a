"""`docclub run | console | migrate | export | import`."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
from pathlib import Path

from docclub.config import Settings
from docclub.core.models import ClubKey, ClubSnapshot
from docclub.core.ports import ClubTx

log = logging.getLogger("docclub")


def _settings() -> Settings:
    try:
        return Settings()  # type: ignore[call-arg]  # values come from the environment
    except Exception as exc:  # pydantic's ValidationError: show what is wrong, not a traceback
        print(f"docclub: bad setting: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _announce_in_terminal(text: str) -> None:
    """Print a reminder between commands; at a terminal, show the prompt again after it."""
    if sys.stdin.isatty():
        print("\n" + text + "\n> ", end="", flush=True)
    else:
        print("\n" + text, flush=True)


async def _console(settings: Settings, club: str) -> None:
    from docclub.bootstrap import runtime
    from docclub.console import ConsoleNotifier, ConsoleSession, run_console

    async with runtime(settings) as rt:
        session = ConsoleSession(rt.app, club)
        rt.scheduler.notifiers["console"] = ConsoleNotifier(_announce_in_terminal, session.tz, rt.clock.now)
        rt.tasks.append(asyncio.create_task(rt.scheduler.run(), name="docclub-scheduler"))
        await run_console(rt.app, session)


async def _run(settings: Settings, club: str) -> None:
    from docclub.bootstrap import discover_adapters, runtime

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
            rt.tasks.append(asyncio.create_task(rt.scheduler.run(), name="docclub-scheduler"))
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError):
                    loop.add_signal_handler(sig, stop.set)
            await stop.wait()
            log.info("stopping")
        finally:
            for adapter in started:
                with contextlib.suppress(Exception):
                    await adapter.stop()


async def _migrate(settings: Settings) -> None:
    from docclub.storage import open_store

    store = await open_store(settings.docclub_database_url)
    await store.close()
    print("migrations applied")


def _club_key(text: str) -> ClubKey:
    platform, sep, space = text.partition(":")
    if not sep or not platform or not space:
        raise SystemExit("docclub: name the club as PLATFORM:SPACE, e.g. console:club or discord:123456789")
    return ClubKey(platform, space)


async def _export(settings: Settings, club: str, out: str | None) -> None:
    from docclub.core.backup import snapshot_to_json
    from docclub.storage import open_store

    store = await open_store(settings.docclub_database_url)
    try:
        key = _club_key(club)
        found = await store.read(lambda tx: tx.get_club(key))
        if found is None:
            raise SystemExit(f"docclub: there is no club {club} in this database")
        snap = await store.read(lambda tx: tx.export_club(found.id))
        text = json.dumps(snapshot_to_json(snap), ensure_ascii=False, indent=1)
        if out:
            await asyncio.to_thread(Path(out).write_text, text, encoding="utf-8")
            print(f"exported {club} to {out}")
        else:
            print(text)
    finally:
        await store.close()


async def _import(settings: Settings, path: str, club: str | None) -> None:
    from docclub.clock import SystemClock
    from docclub.core.backup import snapshot_from_json
    from docclub.core.clubs import Ctx, Docclub
    from docclub.core.errors import DocclubError
    from docclub.core.parties import replan_reminders
    from docclub.scheduler import SYSTEM
    from docclub.storage import open_store

    data = json.loads(await asyncio.to_thread(Path(path).read_text, encoding="utf-8"))
    key = _club_key(club) if club else ClubKey(data["club"]["platform"], data["club"]["space_id"])
    store = await open_store(settings.docclub_database_url)
    clock = SystemClock()
    app = Docclub(store, clock, default_timezone=settings.docclub_timezone)
    try:
        target = await app.club(key)
        now = clock.now()

        async def work(tx: ClubTx) -> ClubSnapshot:
            snap = snapshot_from_json(data, target)
            imported = await tx.import_club(snap)
            c = Ctx(tx, imported, SYSTEM, now)
            for party in snap.parties:
                if party.status.value == "scheduled" and party.starts_at > now:
                    await replan_reminders(c, party)
            return snap

        snap = await store.write(work)
        print(f"imported {len(snap.films)} films and {len(snap.ratings)} ratings into {key}")
    except DocclubError as exc:
        raise SystemExit(f"docclub: {exc}") from None
    finally:
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
    args = parser.parse_args(argv)

    settings = _settings()
    from docclub.logs import setup_logging

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
    except KeyboardInterrupt:
        pass
