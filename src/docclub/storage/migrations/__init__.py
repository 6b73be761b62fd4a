"""Numbered migrations, one folder per SQL dialect: NNNN_name.sql, applied in order."""

from __future__ import annotations

from importlib import resources


def load(dialect: str) -> list[tuple[int, str, str]]:
    """(number, name, sql) of every migration of `dialect`, in order."""
    folder = resources.files(__package__).joinpath(dialect)
    found: list[tuple[int, str, str]] = []
    for entry in folder.iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), name, entry.read_text(encoding="utf-8")))
    found.sort()
    for expected, (number, name, _) in enumerate(found, start=1):
        if number != expected:
            raise RuntimeError(f"migration {name} is out of sequence (expected {expected:04d})")
    return found


def statements(sql: str) -> list[str]:
    """Split a migration into statements (migrations keep semicolons out of literals)."""
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
