"""Boundaries: clubs are isolated from each other, organizer-only commands are refused to
members, and the bot's secrets never reach a log line, an error reply or an export."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import SecretStr

from docclub.bootstrap import runtime
from docclub.config import Settings
from docclub.console import ConsoleSession
from docclub.core.clubs import Docclub, safely
from docclub.core.commands import COMMANDS, run_command
from docclub.core.models import Actor, ClubKey, ClubSnapshot, NewFilm
from docclub.core.replies import Reply, Tone, render_plain
from docclub.logs import setup_logging
from docclub.storage.sqlite import SqliteStore
from docclub.testing import FakeClock
from tests.conftest import Stores

# ---- isolation ----

A = ClubKey("discord", "1001")
OTHERS = (ClubKey("slack", "1001"), ClubKey("discord", "1002"))  # same space id elsewhere; a neighbour


def commands_with(ref: str) -> list[str]:
    """Every command of the grammar, aimed at `ref` (an #id or a title)."""
    return [f"film {ref}", f"seen {ref}", f"withdraw {ref}", f"shortlist {ref}", f"delete {ref}",
            f"rate {ref} 8 mine now", f"ratings {ref}", f"prompts {ref}", f"prompt add {ref} Whose story?",
            f"poll show {ref}", f"poll add {ref} #1", f"vote {ref} #1", f"vote {ref}", f"poll close {ref}",
            f"poll cancel {ref}", f"poll open {ref}, #1", f"party schedule {ref} 2026-12-24 20:00",
            f"party show {ref}", f"party ics {ref}", f"rsvp {ref} yes --remind 1h",
            f"party move {ref} 2026-12-25 20:00",
            f"party cancel {ref}", f"poll close {ref} --schedule 2026-12-26 20:00"]


B_WORDS = ("Harbor", "Orchard", "Glacier", "Lantern", "Meridian", "Quarry", "Tundra", "Vessel")


async def secret_club(app: Docclub, key: ClubKey) -> None:
    """A club whose every title, name, review and prompt contains the word Bsecret."""
    boss = Actor(key.platform, "b-boss", "Bsecret Boss", is_organizer=True)
    for word in B_WORDS:
        await app.films.suggest(key, boss, NewFilm(f"Bsecret {word}", pitch="Bsecret pitch"))
    await app.polls.open(key, boss, film_refs=["#1", "#2", "#3"])
    await app.polls.open(key, boss, method="approval", film_refs=["#4", "#5"])
    for i in (6, 7, 8):
        await app.parties.schedule(key, boss, f"#{i}", f"2026-12-0{i - 4} 20:00", where="Bsecret room")
    for m in range(3):
        fan = Actor(key.platform, f"b-{m}", f"Bsecret Member {m}")
        await app.polls.vote(key, fan, "#1", ["#2"])
        await app.ratings.rate(key, fan, "#3", "9", "Bsecret review")
        await app.parties.rsvp(key, fan, "#1", "yes", remind="2h")
    await app.discussion.add(key, boss, "#3", "Bsecret prompt?")


async def snapshots(store: SqliteStore) -> list[ClubSnapshot]:
    async def read(tx: object) -> list[ClubSnapshot]:
        out = []
        for key in OTHERS:
            club = await tx.clubs.get(key)  # type: ignore[attr-defined]
            out.append(await tx.snapshots.export(club.id))  # type: ignore[attr-defined]
        return out

    return await store.read(read)


async def test_a_member_of_one_club_sees_and_changes_nothing_of_another(
        tmp_path: Path, figures: Callable[..., None], stores: Stores) -> None:
    """Every command from club A with the other clubs' #ids and titles, as member and organizer."""
    store = await stores.sqlite(tmp_path / "clubs.db")
    app = Docclub(store, FakeClock())
    for key in OTHERS:
        await secret_club(app, key)
    organizer = Actor("discord", "a-boss", "Alpha Boss", is_organizer=True)
    await app.films.suggest(A, organizer, NewFilm("Alpha One"))
    await app.films.suggest(A, organizer, NewFilm("Alpha Two"))
    before = await snapshots(store)

    refs = [f"#{i}" for i in range(1, 10)] + ['"Bsecret Glacier"', "Bsecret", '"Bsecret Tundra"', "Bsecret Harbor"]
    lines = [c for ref in refs for c in commands_with(ref)]
    lines += ["films all", "party list all", "my ratings", "leaderboard", "export json", "export csv",
              "config show", "poll show", "party show", "rsvp yes", "vote Bsecret Orchard"]
    tried = 0
    for actor in (Actor("discord", "a-1", "Alpha Member"), organizer, Actor("discord", "b-0", "Same id as B's")):
        for text in lines:
            reply = await run_command(app, A, actor, text)
            shown = render_plain(reply) + (reply.attachment.data.decode() if reply.attachment else "")
            for typed in [f"Bsecret {w}" for w in B_WORDS] + ["Bsecret"]:  # a refusal may quote the member
                if typed in text:
                    shown = shown.replace(typed, "")
            assert "Bsecret" not in shown, f"{text!r} showed another club's data: {shown[:300]}"
            assert "Something went wrong" not in shown
            tried += 1
    assert await snapshots(store) == before, "another club changed"
    await store.close()
    figures(commands_tried_from_club_a=tried, other_clubs=len(OTHERS), leaks=0, changes_to_other_clubs=0)


# ---- authorization ----

async def test_every_organizer_only_command_is_refused_to_a_member_in_the_console(
        tmp_path: Path, figures: Callable[..., None], stores: Stores) -> None:
    """Refused for a member, with the club unchanged; then accepted from the organizer."""
    store = await stores.sqlite(tmp_path / "club.db")
    app = Docclub(store, FakeClock())
    session = ConsoleSession(app, "club", out_dir=tmp_path)
    for title in ("Beyond Utopia", "Navalny", "Fire of Love", "Honeyland", "Collective"):
        await session.handle(f'suggest "{title}"')
    await session.handle("poll open #3, #4")
    await session.handle("poll open #4, #5")
    backup = tmp_path / "backup.json"
    organizer_only = [
        "shortlist #1", "delete #2", "poll close #1", "poll cancel #2", "party schedule #1 2026-12-05 20:00",
        "party move #1 2026-12-06 20:00", "party cancel #1", "config set timezone Europe/Berlin",
        "export json", f"import {backup}", "club link", "club link reset",
        "config set organizers ana",  # last: from here on Ana is an organizer
    ]
    declared = {name for name, cmd in COMMANDS.items() if cmd.organizer}
    assert declared <= {line.split()[0] for line in organizer_only}, "a command marked organizer-only is untested"
    club_id = (await app.club(ClubKey("console", "club"))).id
    refused = 0
    for line in organizer_only:
        if line.startswith("import"):
            saved = await run_command(app, ClubKey("console", "club"), session_owner(), "export json")
            assert saved.attachment is not None
            backup.write_bytes(saved.attachment.data)
        before = await store.read(lambda tx: tx.snapshots.export(club_id))
        as_member = await session.handle(f"Ana> {line}")
        assert "Only the club's organizers" in as_member, (line, as_member)
        assert await store.read(lambda tx: tx.snapshots.export(club_id)) == before, f"{line!r} changed the club"
        refused += 1
        as_organizer = await session.handle(line)
        assert "Only the club's organizers" not in as_organizer and "Usage:" not in as_organizer, (line, as_organizer)
    await store.close()
    figures(organizer_only_commands=len(organizer_only), refused_to_member=refused, accepted_from_organizer=refused)


def session_owner() -> Actor:
    from docclub.console import OWNER

    return OWNER


# ---- secrets ----

DISCORD = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB"
SLACK_BOT = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
SLACK_APP = "xapp-1-A0123456789-1234567890123-abcdef0123456789abcdef"
SIGNING = "8f742231b10e8888abcd99yyyzzz85a5"  # no token shape: only redaction by value catches it
SECRETS = (DISCORD, SLACK_BOT, SLACK_APP, SIGNING)


def saved_files(folder: Path) -> list[str]:
    """What the console saved (backups, CSV exports)."""
    return [path.read_text() for path in folder.glob("docclub-*")]


async def test_secrets_never_reach_logs_error_replies_or_exports(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], figures: Callable[..., None]) -> None:
    """DEBUG logging with fake tokens set, libraries and errors that mention them."""
    settings = Settings(_env_file=None, docclub_database_url=f"sqlite:///{tmp_path / 'club.db'}",  # type: ignore[call-arg]
                        docclub_log_level="DEBUG", discord_token=SecretStr(DISCORD),
                        slack_bot_token=SecretStr(SLACK_BOT), slack_app_token=SecretStr(SLACK_APP),
                        slack_signing_secret=SecretStr(SIGNING))
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    setup_logging(settings.docclub_log_level, settings.secrets())
    stream = io.StringIO()
    root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
    outputs: list[str] = []
    try:
        async with runtime(settings) as rt:
            session = ConsoleSession(rt.app, "club", out_dir=tmp_path)
            for line in ('suggest "Beyond Utopia" (2023)', "rate #1 8 Harrowing", "config show",
                         "export json", "export csv", "film #9", "config set timezone Mars/Base"):
                outputs.append(await session.handle(line))
            outputs += saved_files(tmp_path)
            # What libraries and our own code might do with a token in hand.
            logging.getLogger("discord.http").debug("POST /gateway with token %s", DISCORD)
            logging.getLogger("slack_sdk.web").debug("headers: {'Authorization': 'Bearer %s'}", SLACK_BOT)
            logging.getLogger("docclub").info("settings: %r, signing secret %s", settings, SIGNING)
            logging.getLogger("slack_bolt").warning(f"app token {SLACK_APP} rejected")

            async def fails() -> Reply:
                raise RuntimeError(f"401 Unauthorized for {DISCORD} / {SIGNING}")

            crash = await safely(fails())
            outputs.append(render_plain(crash))
            assert crash.tone is Tone.ERROR
            try:
                raise ValueError(f"bad token {SLACK_BOT}")
            except ValueError:
                logging.getLogger("docclub").exception("adapter failed")
            outputs += [repr(settings), str(settings), settings.model_dump_json()]
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])
    logged = stream.getvalue()
    captured = capsys.readouterr()
    everything = "\n".join([logged, captured.out, captured.err, *outputs])
    for secret in SECRETS:
        assert secret not in everything, f"a secret leaked: {secret[:8]}…"
    assert logged.count("[redacted]") >= 6, "the lines that held secrets were logged, redacted"
    assert "DEBUG" in logged
    figures(secrets=len(SECRETS), log_lines_checked=len(logged.splitlines()), redactions=logged.count("[redacted]"),
            replies_and_exports_checked=len(outputs), leaks=0)
