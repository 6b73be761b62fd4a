"""Imports point one way inside each adapter package: no cycle, counting imports made only for
type checking (`tests/test_layers.py` finds the cycles an import order would hit at run time,
and holds the adapters to its rules on imports inside functions and module length)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = [
    ROOT / "adapters" / "discord" / "src" / "docclub_discord",
    ROOT / "adapters" / "slack" / "src" / "docclub_slack",
]
MODULES = sorted(p for package in PACKAGES for p in package.rglob("*.py"))


def module_name(path: Path) -> str:
    package = next(p for p in PACKAGES if p in path.parents)
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, known: set[str]) -> set[str]:
    """The package's own modules that `path` imports, anywhere in it."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found & known - {module_name(path)}


def cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle of the graph, or [] when there is none."""
    done: set[str] = set()
    path: list[str] = []

    def visit(name: str) -> list[str]:
        if name in path:
            return [*path[path.index(name) :], name]
        if name in done:
            return []
        path.append(name)
        for dep in sorted(graph[name]):
            if found := visit(dep):
                return found
        path.pop()
        done.add(name)
        return []

    for name in sorted(graph):
        if found := visit(name):
            return found
    return []


def test_the_adapter_modules_are_found() -> None:
    names = {module_name(p) for p in MODULES}
    expected = {"docclub_discord.bot", "docclub_discord.commands.films", "docclub_slack.bot", "docclub_slack.slash"}
    assert expected <= names


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_imports_inside_an_adapter_point_one_way(package: Path) -> None:
    paths = [p for p in MODULES if package in p.parents]
    known = {module_name(p) for p in paths}
    graph = {module_name(p): imported(p, known) for p in paths}
    assert cycle(graph) == []
