# ruff: noqa: E501  (the attacks table is Markdown: one row a line)
"""Write docs/reliability.md from the figures a real run of tests/reliability recorded.

    rm -rf /tmp/docclub-reliability && .venv/bin/pytest tests/reliability -q
    .venv/bin/python tests/reliability/report.py > docs/reliability.md

Reads every <out>/*.json the tests wrote (DOCCLUB_RELIABILITY_OUT, default
<tmp>/docclub-reliability); invents nothing.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

INTRO = """# Reliability

`make test` runs the reliability suite in `tests/reliability` (the long tests are marked
`slow`; `make test` runs them too, about a minute in all on an idle machine). Each test records
the figures it reached in a run; this page is generated from those files by
`tests/reliability/report.py`.
The seeds of the randomized tests are recorded so a failure can be replayed
(`DOCCLUB_CRASH_SEED`, `DOCCLUB_STORM_SEED`).

What each test does:
- **Crash safety** (`test_crash_safety.py`): a child process (`crash_child.py`) runs a burst of
  votes and ratings from 16 concurrent tasks through `Docclub` on a SQLite file, with the
  reminder scheduler delivering into an append-only file. It prints each write once its
  command returned. The parent kills it with SIGKILL at a random moment, 20 times; after each
  kill `PRAGMA integrity_check` is ok, every acknowledged vote and rating is in the database,
  and no refused write is. A last clean start drains the reminders: every one was delivered,
  repeats carried the same key, no reminder was delivered under two keys.
- **Restart storm** (`test_restart_storm.py`): 50 restarts on a FakeClock while a club's watch
  party reminders come due: some restarts die in the middle of a delivery (message out, not
  marked sent), outages are either short or longer than the 15-minute grace window. Every
  reminder due while the bot was up, or within grace of its restart, is delivered; every
  other one is dropped, not sent late; no delivery is later than grace; after deduplication
  by key each reminder is delivered once.
- **Fuzz** (`test_hostile_input.py`): hypothesis drives `run_command` and each facade method
  with arbitrary text (unicode, control characters, strings up to 100 KB, quotes, markdown,
  Discord and Slack mention syntax, clean text of 151–200 characters, words in 11 scripts:
  Latin, Greek, Cyrillic, Arabic, Hebrew, Devanagari, Han, Hiragana, Hangul, Thai, emoji) from
  organizers and members with arbitrary display names; imports a real backup with one value
  replaced (by any JSON value, crafted links, timezones and times), removed, doubled or added
  anywhere; and suggests clean 151–200-character titles in those scripts, which must be kept
  whole. No unexpected error ("Something went wrong") is allowed; each refusal is a readable
  message of at most 2,000 characters without control characters, and the club's full export
  and its reminders are identical before and after every refused command.
  `DOCCLUB_FUZZ_SCALE=10` runs ten times as many inputs.
- **Mention injection** (same file): titles, pitches, places, reviews, prompts and display names
  full of `@everyone`, `@here`, `<@&1>`, `<!channel>`, `<!here>`: the text reaches replies
  and reminders as plain strings; every person reference and every `notify` entry is a real
  member. (The adapters' own suites check what Discord and Slack are sent.)
- **Isolation** (`test_boundaries.py`): from club A, every command with the other clubs' #ids
  and titles, as a member and as an organizer, against a club with the same space id on
  another platform and a neighbouring club: no reply shows their data; their exports are
  unchanged.
- **Authorization**: every organizer-only command typed by a member in the console is refused
  with the club unchanged, then accepted from the organizer.
- **Secrets**: with fake Discord and Slack tokens and signing secret set and logging at DEBUG,
  libraries and our code log lines and exceptions holding them; an unexpected error reaches
  a member; the club is exported: no secret appears in the log, the replies or the exports.
"""


ATTACKS = """## Attacks tried and their outcome

Besides the randomized runs above, these crafted attacks are tests of the suite (`make test`);
each outcome is asserted.

| Attack | Where tested | Outcome |
|---|---|---|
| 42 crafted backups from a real export: a year `'abc'` or `1200`, timezone `Mars/Olympus`, a poll winner outside its films, `warnings` as one string, `javascript:` and `data:` links, duplicate film ids and ballots, a score of 11 or `"9"`, control characters, a 10,000-character title, a title `#2`, missing and unknown keys, lists as objects, references to films, polls and parties not in the backup, text where `true`/`false` belongs, unknown methods and scales, naive and unreadable times, a 0-minute party, reminders a year ahead or negative, seven reminder times, organizers as a string, unknown settings, prompts over two lines, 5,000-character reviews, 10,000-character user ids, braces in values | `tests/test_backup_checks.py` | refused with the path and the problem (`This backup is damaged: films[1].year: 'abc' is not a year.`); the club unchanged |
| a 100,000-deep JSON list, 300-deep objects, malformed JSON, a lone surrogate, not UTF-8, a list, a version as text | `tests/test_backup_checks.py` | one clear refusal, no traceback, club unchanged |
| a file over 50 MB | `tests/test_backup_checks.py` | refused before it is read |
| `docclub import` of a missing file, of malformed JSON, of a damaged backup; `docclub console` and `import` on `sqlite:////nonexistent/…`; both on a database another process holds locked | `tests/test_command_line.py` (the real CLI, a child process) | one line `docclub: …`, exit 1, no traceback, no hang |
| a command whose write waits past the busy timeout on another connection's write lock | `tests/test_command_line.py` | "The club is busy right now … please try again", nothing changed |
| an import of club A's backup in club B | `tests/test_backup_checks.py` | B replaced, A unchanged |
| an export, then the poll closed and the party cancelled, then the backup imported | `tests/test_scheduler.py` | every kind of reminder planned again; an imported open poll closes at its deadline |
| a backup moved SQLite → PostgreSQL → SQLite through `export json`/`import` | `tests/storage/contract/test_snapshots.py` | the same club and the same pending reminders on each |
| Discord members with every permission but Manage Server and Administrator | `adapters/discord/tests/test_mentions_and_organizers.py` | not organizers |
| a reminder key delivered twice to the console and to Slack | `tests/test_console_notifier.py`, `adapters/slack/tests/test_workspaces_and_repeats.py` | shown once |
| two Slack workspaces | `adapters/slack/tests/test_workspaces_and_repeats.py` | two clubs, neither sees the other's films |
| SQLite's durability settings | `tests/storage/test_sqlite_store.py` | WAL, `synchronous` FULL (asserted at least NORMAL) |
| a test that fails before closing its store; a thread left running | `tests/test_suite_guards.py` (pytest in a child process) | the test fails naming the leak; the run ends, failed, instead of hanging |

Each of the tests in the last seven rows was seen failing against the code broken on purpose
(organizer by any permission, dedupe removed, one club for every workspace, import into the
backup's own club, `synchronous = OFF`, no poll deadline re-planned, no busy translation).
"""


def main() -> int:
    out = Path(os.environ.get("DOCCLUB_RELIABILITY_OUT") or Path(tempfile.gettempdir()) / "docclub-reliability")
    runs = sorted((json.loads(p.read_text()) for p in out.glob("*.json")), key=lambda d: (d["module"], d["test"]))
    if not runs:
        print(f"no figures in {out}: run the suite first", file=sys.stderr)
        return 1
    newest = max(p.stat().st_mtime for p in out.glob("*.json"))
    stamp = datetime.fromtimestamp(newest, UTC).strftime("%Y-%m-%d %H:%M UTC")
    fuzzed = sum(int(run["figures"].get(key, 0)) for run in runs if run["module"] == "test_hostile_input"
                 for key in ("inputs_tried", "calls_tried", "backups_tried"))
    lines = [INTRO, ATTACKS, f"## Figures reached (run of {stamp})", "",
             f"Fuzz inputs in this run: **{fuzzed:,}**, with 0 unexpected errors.", ""]
    for run in runs:
        lines += [f"### {run['module']} · `{run['test']}`", "", run["summary"], "",
                  "| Figure | Value |", "|---|---:|"]
        lines += [f"| {key.replace('_', ' ')} | {value:,} |" if isinstance(value, int) and key != "seed"
                  else f"| {key.replace('_', ' ')} | {value} |" for key, value in run["figures"].items()]
        lines.append("")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
