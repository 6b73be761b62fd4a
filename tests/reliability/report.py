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
`slow`; `make test` runs them too, about 40 s in all). Each test records the figures it
reached in a run; this page is generated from those files by `tests/reliability/report.py`.
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
  Discord and Slack mention syntax) from organizers and members with arbitrary display names.
  No unexpected error ("Something went wrong") is allowed; each refusal is a readable message
  of at most 2,000 characters without control characters, and the club's full export is
  identical before and after every refused command.
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


def main() -> int:
    out = Path(os.environ.get("DOCCLUB_RELIABILITY_OUT") or Path(tempfile.gettempdir()) / "docclub-reliability")
    runs = sorted((json.loads(p.read_text()) for p in out.glob("*.json")), key=lambda d: (d["module"], d["test"]))
    if not runs:
        print(f"no figures in {out}: run the suite first", file=sys.stderr)
        return 1
    newest = max(p.stat().st_mtime for p in out.glob("*.json"))
    stamp = datetime.fromtimestamp(newest, UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [INTRO, f"## Figures reached (run of {stamp})", ""]
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
