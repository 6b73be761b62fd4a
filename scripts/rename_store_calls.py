"""Rewrite calls of the old one-piece store transaction to its parts.

    python scripts/rename_store_calls.py            # rewrites src, adapters, tests, benchmarks
    python scripts/rename_store_calls.py PATH ...   # or just these files / folders
    python scripts/rename_store_calls.py --check    # lists what it would change, writes nothing

`tx.get_club(key)` becomes `tx.clubs.get(key)`, `c.tx.list_films(...)` becomes
`c.tx.films.list(...)`, and so on, for every receiver named in RECEIVERS (the names a
transaction goes by in this code). Running it twice changes nothing the second time.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# old ClubTx method -> (part, new method)
RENAMES: dict[str, tuple[str, str]] = {
    # clubs and members
    "get_club": ("clubs", "get"),
    "get_club_by_id": ("clubs", "get_by_id"),
    "create_club": ("clubs", "create"),
    "set_club_config": ("clubs", "set_config"),
    "upsert_member": ("clubs", "upsert_member"),
    "member_names": ("clubs", "member_names"),
    # films and seen marks
    "add_film": ("films", "add"),
    "get_film": ("films", "get"),
    "films_by_id": ("films", "by_id"),
    "list_films": ("films", "list"),
    "set_film_status": ("films", "set_status"),
    "delete_film": ("films", "delete"),
    "films_like_title": ("films", "like_title"),
    "fill_title_keys": ("films", "fill_title_keys"),
    "mark_seen": ("films", "mark_seen"),
    "seen_by": ("films", "seen_by"),
    # polls and ballots
    "add_poll": ("polls", "add"),
    "get_poll": ("polls", "get"),
    "list_polls": ("polls", "list"),
    "set_poll_films": ("polls", "set_films"),
    "set_poll_ref": ("polls", "set_ref"),
    "close_poll": ("polls", "close"),
    "put_ballot": ("polls", "put_ballot"),
    "delete_ballot": ("polls", "delete_ballot"),
    "list_ballots": ("polls", "ballots"),
    "film_vote_counts": ("polls", "vote_counts"),
    # watch parties, RSVPs, attendance
    "add_party": ("parties", "add"),
    "get_party": ("parties", "get"),
    "list_parties": ("parties", "list"),
    "update_party": ("parties", "update"),
    "put_rsvp": ("parties", "put_rsvp"),
    "list_rsvps": ("parties", "rsvps"),
    "record_attendance": ("parties", "record_attendance"),
    "list_attendance": ("parties", "attendance"),
    # ratings
    "put_rating": ("ratings", "put"),
    "get_rating": ("ratings", "get"),
    "list_ratings": ("ratings", "list"),
    "count_ratings": ("ratings", "count"),
    "member_ratings": ("ratings", "of_member"),
    "leaderboard": ("ratings", "leaderboard"),
    "rated_films_not_rated_by": ("ratings", "films_not_rated_by"),
    # discussion prompts
    "add_prompt": ("prompts", "add"),
    "film_prompts": ("prompts", "of_film"),
    "recent_prompt_keys": ("prompts", "recent_keys"),
    "record_prompts_shown": ("prompts", "record_shown"),
    # reminders
    "add_reminders": ("reminders", "add"),
    "delete_pending_reminders": ("reminders", "delete_pending"),
    "next_due_at": ("reminders", "next_due_at"),
    "claim_due": ("reminders", "claim_due"),
    "finish_reminder": ("reminders", "finish"),
    "retry_reminder": ("reminders", "retry"),
    "list_reminders": ("reminders", "list"),
    "later_reminder_due": ("reminders", "later_due"),
    # what platform adapters keep for themselves
    "remember_event": ("platform", "remember_event"),
    "forget_events_before": ("platform", "forget_events_before"),
    "platform_value": ("platform", "value"),
    "set_platform_value": ("platform", "set_value"),
    # a whole club at once
    "export_club": ("snapshots", "export"),
    "import_club": ("snapshots", "restore"),
}

# Names a transaction goes by; `c.tx.` and `self.tx.` match through `tx`.
RECEIVERS = ("tx", "txn", "t")

DEFAULT_ROOTS = ("src", "adapters", "tests", "benchmarks", "conftest.py")

_CALL = re.compile(
    r"\b(?P<receiver>"
    + "|".join(RECEIVERS)
    + r")\s*\.\s*(?P<old>"
    + "|".join(sorted(RENAMES, key=len, reverse=True))
    + r")\b"
)


def rewrite(text: str) -> str:
    """`text` with every `<receiver>.<old name>` turned into `<receiver>.<part>.<new name>`."""

    def renamed(m: re.Match[str]) -> str:
        part, new = RENAMES[m["old"]]
        return f"{m['receiver']}.{part}.{new}"

    return _CALL.sub(renamed, text)


def python_files(paths: list[str]) -> list[Path]:
    here = Path(__file__).resolve()
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        candidates = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for p in candidates:
            if p.suffix == ".py" and p.resolve() != here and ".venv" not in p.parts:
                found.append(p)
    return found


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"] or [p for p in DEFAULT_ROOTS if Path(p).exists()]
    changed = 0
    for path in python_files(paths):
        before = path.read_text(encoding="utf-8")
        after = rewrite(before)
        if after != before:
            changed += 1
            print(path)
            if not check:
                path.write_text(after, encoding="utf-8")
    print(f"{changed} file(s) {'would change' if check else 'changed'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
