"""Dependencies point one way (README, "How the code is laid out").

- Every module of `docclub`, `docclub_discord` and `docclub_slack` imports at the top of a fresh
  interpreter, whatever was imported before: no import cycle hides behind an import order.
- No `import` inside a function, except a heavy or optional dependency deferred on purpose, with
  `# deferred: <why>` on that line.
- No module over 400 lines without a reason near its top (`Over 400 lines: <why>`).

The last two hold for the packages in CHECKED; a package joins the list once it is laid out.
"""

from __future__ import annotations

import ast
import json
import os
import random
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"

# Every package whose modules must import cleanly from a fresh interpreter.
PACKAGES = [
    SRC / "docclub",
    ROOT / "adapters" / "discord" / "src" / "docclub_discord",
    ROOT / "adapters" / "slack" / "src" / "docclub_slack",
]

# Packages held to the two rules below, each with the subpackages not yet laid out.
CHECKED: list[tuple[Path, tuple[str, ...]]] = [
    (SRC / "docclub", ()),
    (ROOT / "adapters" / "discord" / "src" / "docclub_discord", ()),
    (ROOT / "adapters" / "slack" / "src" / "docclub_slack", ()),
]

# The core's layers, lowest first (README, "How the code is laid out"). A module of the core imports
# only the core's modules of its own layer and the layers below it, and nothing of docclub
# outside the core. Every module of the core is named here, so a new one is given its layer.
CORE_LAYERS: list[tuple[str, set[str]]] = [
    ("values", {"errors", "replies", "text", "models", "ports", "catalog", "voting", "prompts", "when"}),
    (
        "rules",
        {
            "film_rules",
            "club_config",
            "backup_values",
            "backup_format",
            "grammar",
            "catalog_rules",
            "letterboxd",
            "night_rules",
            "backup_nights",
            "club_links",
            "calendar",
            "kept_pages",
        },
    ),
    ("context", {"context"}),
    ("features", set()),  # FEATURES, below
    ("facade", {"clubs"}),
    ("commands", {"commands"}),
]
# The features, in the order they may call each other: each imports only features before it.
FEATURES = [
    "film_lookup",
    "streaming",
    "ratings",
    "discussion",
    "party_reminders",
    "party_cards",
    "night_calendar",
    "rsvps",
    "parties",
    "ballots",
    "poll_cards",
    "night_parties",
    "polls",
    "films",
    "catalog_films",
    "night_plans",
    "night_cycle",
    "night_card",
    "nights",
    "night_events",
    "reminders",
    "overview",
    "backup",
    "settings",
    "club_page",
    "club_pages",
]
CORE_LAYERS[3][1].update(FEATURES)

MAX_LINES = 400
REASON = re.compile(r"Over 400 lines: \S")
REASON_WITHIN = 20  # the reason is said near the top: in the module's first 20 lines
DEFERRED = "# deferred:"


def module_names(package: Path) -> list[str]:
    """Every importable module of `package` (a directory), by dotted name; `__main__` left out."""
    names = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if parts[-1] == "__main__":
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


_IMPORT_EACH_FRESH = textwrap.dedent(
    """
    import importlib, json, sys, traceback
    names, roots = json.load(sys.stdin)
    failed = {}
    for name in names:
        for loaded in [m for m in sys.modules if m.split(".")[0] in roots]:
            del sys.modules[loaded]
        try:
            importlib.import_module(name)
        except BaseException:
            failed[name] = traceback.format_exc(limit=-4)
    print(json.dumps(failed))
    """
)


def import_each_fresh(names: list[str], roots: set[str], path: list[Path] | None = None) -> dict[str, str]:
    """Import each module in a new interpreter, with none of the `roots` packages loaded before it
    (they are unloaded between imports; third-party libraries stay, they are not ours to check).
    Returns the modules that failed, with the end of their traceback."""
    env = dict(os.environ)
    if path:
        env["PYTHONPATH"] = os.pathsep.join([*map(str, path), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_EACH_FRESH],
        input=json.dumps([names, sorted(roots)]),
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    failed: dict[str, str] = json.loads(done.stdout.splitlines()[-1])
    return failed


def imports_in_functions(source: str) -> list[int]:
    """Line numbers of import statements inside a function body without `# deferred:` on that line."""
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for inner in ast.walk(node):
                if isinstance(inner, (ast.Import, ast.ImportFrom)):
                    statement = lines[inner.lineno - 1 : (inner.end_lineno or inner.lineno)]
                    if not any(DEFERRED in text for text in statement):
                        found.append(inner.lineno)
    return sorted(set(found))


def too_long_without_reason(source: str) -> int | None:
    """The module's length when it is over 400 lines with no reason near its top, else None."""
    lines = source.splitlines()
    if len(lines) <= MAX_LINES or any(REASON.search(text) for text in lines[:REASON_WITHIN]):
        return None
    return len(lines)


def core_imports(source: str) -> set[str]:
    """The `docclub` modules a source imports anywhere in it (TYPE_CHECKING and functions too)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "docclub")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "docclub":
            if node.module == "docclub.core":
                found.update(f"docclub.core.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
    return found


def layer_of(module: str) -> float | None:
    """Where a module of the core stands (by its first name under core): its layer's index in
    CORE_LAYERS, and among the features, a fraction more for its place in FEATURES."""
    parts = module.split(".")
    if parts[:2] != ["docclub", "core"] or len(parts) < 3:
        return None
    layer = next((i for i, (_, names) in enumerate(CORE_LAYERS) if parts[2] in names), None)
    if parts[2] in FEATURES and layer is not None:
        return layer + FEATURES.index(parts[2]) / len(FEATURES)
    return layer


def checked_files() -> list[tuple[str, Path]]:
    out = []
    for package, left_out in CHECKED:
        for path in sorted(package.rglob("*.py")):
            inside = path.relative_to(package).parts
            if inside[0] in left_out:
                continue
            out.append((path.relative_to(package.parent).as_posix(), path))
    return out


# ---- the rules, on the code ----


def test_every_module_imports_first_in_a_fresh_interpreter_in_any_order() -> None:
    names = [name for package in PACKAGES for name in module_names(package)]
    seed = random.randrange(1_000_000)
    random.Random(seed).shuffle(names)
    failed = import_each_fresh(names, {package.name for package in PACKAGES})
    assert not failed, f"shuffled with seed {seed}:\n" + "\n".join(f"{n}:\n{tb}" for n, tb in failed.items())


def test_no_import_inside_a_function_unless_deferred_on_purpose() -> None:
    found = {
        name: lines
        for name, path in checked_files()
        if (lines := imports_in_functions(path.read_text(encoding="utf-8")))
    }
    assert not found, f"imports inside functions (add `{DEFERRED} <why>` only for a heavy or optional one): {found}"


def test_no_module_over_400_lines_without_a_reason_at_its_top() -> None:
    found = {
        name: length
        for name, path in checked_files()
        if (length := too_long_without_reason(path.read_text(encoding="utf-8")))
    }
    assert not found, f"split these along a real seam, or say why not in their first lines: {found}"


def test_every_module_of_the_core_has_a_layer() -> None:
    core = SRC / "docclub" / "core"
    named = {n for _, names in CORE_LAYERS for n in names}
    found = {p.relative_to(core).with_suffix("").parts[0] for p in core.rglob("*.py")} - {"__init__"}
    assert found == named, f"give these a layer in CORE_LAYERS: {found - named}; gone: {named - found}"


def test_the_core_imports_only_downward() -> None:
    core = SRC / "docclub" / "core"
    wrong = {}
    for path in sorted(core.rglob("*.py")):
        module = ".".join(path.relative_to(SRC).with_suffix("").parts)
        own = layer_of(module)
        if own is None:
            continue
        for imported in sorted(core_imports(path.read_text(encoding="utf-8"))):
            theirs = layer_of(imported)
            if imported != "docclub.core" and (theirs is None or theirs > own):
                wrong.setdefault(module, []).append(imported)
    assert not wrong, f"imports that point up (or out of the core): {wrong}"


# ---- the checks can fail ----


def test_an_import_cycle_is_found_whatever_the_order(tmp_path: Path) -> None:
    package = tmp_path / "cyclic"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "films.py").write_text("from cyclic.ratings import summary\n\n\ndef card():\n    return summary()\n")
    (package / "ratings.py").write_text("from cyclic.films import card\n\n\ndef summary():\n    return ''\n")
    failed = import_each_fresh(["cyclic.films", "cyclic.ratings", "cyclic"], {"cyclic"}, [tmp_path])
    assert set(failed) == {"cyclic.films", "cyclic.ratings"}
    assert "partially initialized module" in failed["cyclic.films"]


def test_an_import_inside_a_function_is_found_and_a_deferred_one_is_not() -> None:
    source = textwrap.dedent(
        """
        import json

        if json:
            from pathlib import Path


        def ics() -> bytes:
            from icalendar import Calendar  # deferred: 0.18 s, only for party ics
            return Calendar().to_ical()


        class Parties:
            async def move(self) -> None:
                from docclub.core.when import (
                    read_in_club,
                )
                import difflib
        """
    )
    assert imports_in_functions(source) == [15, 18]


def test_an_upward_import_is_one_from_a_higher_layer() -> None:
    assert layer_of("docclub.core.films") is not None
    assert layer_of("docclub.core.clubs") > layer_of("docclub.core.films")  # type: ignore[operator]
    assert layer_of("docclub.core.when.reading") == layer_of("docclub.core.models")
    assert layer_of("docclub.core.polls") > layer_of("docclub.core.parties")  # type: ignore[operator]
    assert layer_of("docclub.scheduler") is None
    assert core_imports("if TYPE_CHECKING:\n    from docclub.core.clubs import Docclub\n") == {"docclub.core.clubs"}
    assert core_imports("def f():\n    from docclub.core import films, polls\n") == {
        "docclub.core.films",
        "docclub.core.polls",
    }


@pytest.mark.parametrize(
    ("top", "length", "flagged"),
    [
        ('"""Films."""\n', 400, False),
        ('"""Films."""\n', 401, True),
        ('"""Films.\n\nOver 400 lines: one reader class whose steps share its state.\n"""\n', 500, False),
    ],
)
def test_a_long_module_needs_a_reason_at_its_top(top: str, length: int, flagged: bool) -> None:
    source = top + "x = 1\n" * (length - top.count("\n"))
    assert (too_long_without_reason(source) is not None) is flagged
