"""The core stays platform-blind: nothing under src/docclub/core imports a platform or driver."""

from __future__ import annotations

import ast
from pathlib import Path

FORBIDDEN = {"discord", "slack_bolt", "slack_sdk", "aiosqlite", "asyncpg", "aiohttp", "docclub_discord",
             "docclub_slack", "docclub.storage"}
CORE = Path(__file__).resolve().parents[1] / "src" / "docclub" / "core"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def forbidden_in(path: Path) -> set[str]:
    return {m for m in imported_modules(path) for f in FORBIDDEN if m == f or m.startswith(f + ".")}


def test_core_imports_no_platform_or_driver_library() -> None:
    files = sorted(CORE.glob("*.py"))
    assert len(files) > 10
    offenders = {str(p.name): forbidden_in(p) for p in files if forbidden_in(p)}
    assert offenders == {}


def test_the_check_catches_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    import discord.ext.commands\n    from slack_sdk import WebClient\n")
    assert forbidden_in(bad) == {"discord.ext.commands", "slack_sdk"}
