"""The storage package keeps its shape: no import hidden in a function (unless a heavy optional
dependency is deferred on purpose, said by a `# deferred: <why>` comment on that line), no module
over 400 lines, and every module imports first thing in a fresh interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

STORAGE = Path(__file__).resolve().parents[2] / "src" / "docclub" / "storage"
MODULES = sorted(STORAGE.rglob("*.py"))
MAX_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(STORAGE.parents[1]).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_in_functions(path: Path) -> list[tuple[int, str]]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for func in ast.walk(ast.parse(source)):
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(func):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    found.append((node.lineno, lines[node.lineno - 1].strip()))
    return found


def test_the_storage_modules_are_found() -> None:
    names = {module_name(p) for p in MODULES}
    assert {"docclub.storage.sqlite", "docclub.storage.sql.tx", "docclub.storage.sql.rows"} <= names


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_no_import_inside_a_function_unless_deferred_on_purpose(path: Path) -> None:
    hidden = [f"{line}: {text}" for line, text in imports_in_functions(path) if "# deferred:" not in text]
    assert hidden == [], f"{module_name(path)} imports inside a function without `# deferred: <why>`"


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_no_storage_module_is_over_400_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


@pytest.mark.parametrize("path", [p for p in MODULES if p.name != "postgresql.py"], ids=module_name)
def test_each_storage_module_imports_first_in_a_fresh_interpreter(path: Path) -> None:
    # postgresql.py needs the optional asyncpg; it is covered where that extra is installed below.
    done = subprocess.run([sys.executable, "-c", f"import {module_name(path)}"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_postgresql_store_imports_first_in_a_fresh_interpreter() -> None:
    pytest.importorskip("asyncpg")
    done = subprocess.run([sys.executable, "-c", "import docclub.storage.postgresql"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
